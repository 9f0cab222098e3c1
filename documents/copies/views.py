"""Pages of copies: make a copy of a document, a copy's page and its file, the list, Sổ bản sao (PDF)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from documents.copies import forms, reports, rules, selectors, services
from eoffice.files import serve_field_file
from eoffice.forms import add_form_errors
from signing.engine import SigningError


@login_required
def copy_create(request, kind: str, pk: int):
    """ "Sao văn bản" from an outgoing or incoming document's page; the clerk signs and issues at once."""
    source = selectors.source_access(user=request.user, kind=kind, pk=pk)
    if not rules.can_copy(request.user) or source.agency_id != request.user.agency_id:
        raise PermissionDenied
    form = forms.CopyIssueForm(request.POST or None, user=request.user, initial={"form": "SY"})
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.copy_issue(
                source=source, fields=form.copy_fields(), by=request.user, pin=request.POST.get("pin", "")
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        except SigningError as exc:
            form.add_error("pin", str(exc) or _("Ký số không thành công."))
        else:
            messages.success(request, _("Đã ký số và ban hành bản sao %(ns)s.") % {"ns": copy.number_symbol})
            return redirect(copy)
    context = {"form": form, "source": source, "kind": kind, "copyable": selectors.copyable(source)}
    return render(request, "documents/copies/form.html", context)


@login_required
def copy_detail(request, pk: int):
    copy = selectors.copy_access(user=request.user, pk=pk)
    context = {
        "copy": copy,
        "recipients": selectors.recipients_of(copy),
        "source": copy.source_outgoing or copy.source_incoming,
    }
    return render(request, "documents/copies/detail.html", context)


@login_required
def copy_file(request, pk: int):
    copy = selectors.copy_access(user=request.user, pk=pk)
    name = f"{copy.number_symbol.replace('/', '-')}.pdf"
    return serve_field_file(
        copy.file, filename=name, inline="download" not in request.GET, mark_for=request.user
    )


@login_required
def copy_list(request):
    """Sổ bản sao: the copies of a period (this year by default), by form; "In sổ (PDF)" prints it."""
    if not rules.can_see_register(request.user):
        raise PermissionDenied
    form = forms.RegisterFilterForm(request.GET or forms.RegisterFilterForm.defaults())
    if not form.is_valid():
        return render(request, "documents/copies/list.html", {"form": form, "rows": []})
    data = {k: form.cleaned_data[k] for k in ("form", "date_from", "date_to")}
    copies = list(selectors.register_rows(user=request.user, **data))
    if request.GET.get("format") == "pdf":
        pdf = reports.register_pdf(copies=copies, agency=request.user.agency, **data)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = 'attachment; filename="so-ban-sao.pdf"'
        return response
    context = {"form": form, "rows": reports.table(copies), "columns": reports.COLUMNS}
    return render(request, "documents/copies/list.html", context)
