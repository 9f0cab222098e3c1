"""The printed registers: incoming, tracking and outgoing, on the page, as PDF or as an Excel sheet."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render

from documents.incoming import selectors as incoming_selectors
from documents.outgoing import selectors as outgoing_selectors
from documents.registers import forms, reports
from eoffice.models import Role


@login_required
def registers(request):
    if not request.user.has_role(Role.CLERK, Role.LEADER, Role.DEPARTMENT_HEAD):
        raise PermissionDenied
    form = forms.RegisterReportForm(request.GET or None, user=request.user)
    if not form.is_valid():
        return render(request, "documents/registers/page.html", {"form": form})
    d = form.cleaned_data
    # The outgoing register reads the lead's outgoing selector; the incoming ones this app's.
    source = outgoing_selectors if d["kind"] == "outgoing" else incoming_selectors
    rows = list(
        source.register_rows(
            user=request.user, register=d["register"], date_from=d["date_from"], date_to=d["date_to"]
        )
    )
    fmt = request.GET.get("format", "html")
    if fmt in ("pdf", "xlsx"):
        data, content_type, name = reports.render(fmt=fmt, rows=rows, agency=request.user.agency, **d)
        response = HttpResponse(data, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    context = {"form": form, "rows": rows, "kind": d["kind"], "columns": reports.columns(d["kind"])}
    if d["kind"] == "outgoing":
        context["table"] = reports.table_rows("outgoing", rows)
    return render(request, "documents/registers/page.html", context)
