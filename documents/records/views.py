"""Case file pages: the annual list, a case file and its documents, close or reopen, remove a document."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from documents.incoming import selectors as incoming_selectors
from documents.records import forms, selectors, services
from eoffice.actions import error_text
from eoffice.params import int_param


@login_required
def casefile_list(request):
    year = int_param(request.GET.get("year"), min_value=1, max_value=9999)
    form = forms.CaseFileForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            case_file = services.case_file_create(by=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("Đã mở hồ sơ %(file)s.") % {"file": case_file})
            return redirect(case_file)
    files = selectors.case_files_for(user=request.user, year=year)
    return render(request, "documents/records/list.html", {"files": files, "form": form, "year": year})


@login_required
def casefile_detail(request, pk: int):
    case_file = selectors.case_file_get(user=request.user, pk=pk)
    documents = selectors.case_file_documents(user=request.user, case_file=case_file)
    return render(request, "documents/records/detail.html", {"case_file": case_file, "documents": documents})


@login_required
@require_POST
def casefile_status(request, pk: int):
    case_file = selectors.case_file_get(user=request.user, pk=pk)
    try:
        services.case_file_set_status(
            case_file=case_file, by=request.user, close=request.POST.get("close") == "1"
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    return redirect(case_file)


@login_required
@require_POST
def casefile_remove(request, pk: int, document_pk: int):
    case_file = selectors.case_file_get(user=request.user, pk=pk)
    document = incoming_selectors.incoming_access(user=request.user, pk=document_pk)
    try:
        services.case_file_remove(case_file=case_file, document=document, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    return redirect(case_file)
