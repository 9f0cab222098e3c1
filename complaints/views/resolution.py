"""The case file's documents (plans, evidence, reports, minutes, handling): served only to those who see
the case (``selectors.case_access``: the same 404 for missing and not yours), never cached."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from complaints import selectors
from complaints.models import CaseStep
from eoffice import audit
from eoffice.files import serve_field_file


@never_cache
@login_required
@require_safe
def step_file(request, pk: int, step: int):
    case = selectors.case_access(user=request.user, pk=pk)
    row = get_object_or_404(CaseStep.objects.exclude(file=""), case=case, pk=step)
    extension = row.file_name.rsplit(".", 1)[-1].lower() if "." in row.file_name else "bin"
    name = f"ho-so-{case.pk}-{row.pk}.{extension if extension.isalnum() else 'bin'}"
    # logged as the case's view, download or print ("In": ?print=1); a PDF carries the print mark
    access = audit.record_file_access(
        request, kind="complaint", object_id=case.pk, download=bool(request.GET.get("download"))
    )
    return serve_field_file(row.file, filename=name, **access)
