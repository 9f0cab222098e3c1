"""The printed registers: incoming, tracking and outgoing, on the page, as PDF or as an Excel sheet."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from documents.incoming import selectors as incoming_selectors
from documents.registers import forms, paper, reports
from documents.registers import rows as register_rows
from documents.registers import secret_settings as secret_settings_module
from eoffice.forms import add_form_errors
from eoffice.models import Role


@login_required
def registers(request):
    if not request.user.has_role(Role.CLERK, Role.LEADER, Role.DEPARTMENT_HEAD):
        raise PermissionDenied
    form = forms.RegisterReportForm(request.GET or None, user=request.user)
    if not form.is_valid():
        context = {"form": form, "can_register_paper": paper.can_register_paper(request.user)}
        return render(request, "documents/registers/page.html", context)
    d = form.cleaned_data
    # Every number given in the period (outgoing: signed, issued, recalled); each kind's visibility rule.
    read = register_rows.outgoing_rows if d["kind"] == "outgoing" else incoming_selectors.register_rows
    rows = list(
        read(user=request.user, register=d["register"], date_from=d["date_from"], date_to=d["date_to"])
    )
    fmt = request.GET.get("format", "html")
    if fmt in ("pdf", "xlsx"):
        data, content_type, name = reports.render(fmt=fmt, rows=rows, agency=request.user.agency, **d)
        response = HttpResponse(data, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    context = {"form": form, "rows": rows, "kind": d["kind"], "columns": reports.columns(d["kind"])}
    context["can_register_paper"] = paper.can_register_paper(request.user)
    if d["kind"] == "outgoing":
        context["table"] = reports.table_rows("outgoing", rows)
    return render(request, "documents/registers/page.html", context)


@login_required
def secret_paper(request):
    """Đăng ký văn bản mật (bản giấy): the clerk numbers a paper-only secret outgoing document."""
    if not paper.can_register_paper(request.user):
        raise PermissionDenied
    form = paper.PaperForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            document = paper.register_secret_paper(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(
                request,
                _("Đã đăng ký văn bản mật %(symbol)s (bản giấy) vào %(register)s.")
                % {"symbol": document.number_symbol, "register": document.register.name},
            )
            return redirect(document)
    return render(request, "documents/registers/paper_form.html", {"form": form})


@login_required
def secret_settings(request):
    """The agency admin's page: the level from which secret documents are held without a file."""
    if not secret_settings_module.may_manage(request.user):
        raise PermissionDenied
    form = secret_settings_module.LevelForm(
        request.POST or None, initial={"level": request.user.agency.secret_metadata_only_from}
    )
    if request.method == "POST" and form.is_valid():
        try:
            secret_settings_module.level_set(by=request.user, value=form.cleaned_data["level"])
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu cài đặt văn bản mật của cơ quan."))
            return redirect("documents:registers_secret_settings")
    return render(request, "documents/registers/secret_settings.html", {"form": form})
