"""The page "Phụ lục và tệp kèm theo" of an outgoing document and the download of an attached file."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from documents.outgoing import rules
from documents.outgoing import selectors as outgoing_selectors
from documents.outgoing.attachments import selectors, services
from documents.outgoing.attachments.forms import AppendixForm, AttachmentForm
from eoffice import audit
from eoffice.actions import error_text
from eoffice.files import serve_field_file
from eoffice.forms import add_form_errors
from eoffice.params import int_param
from workflow.services import RecordChanged


def _context(request, document, *, appendix_form=None, attachment_form=None, editing=None) -> dict:
    editable = rules.can_edit(document, request.user)
    return {
        "doc": document,
        "editable": editable,
        "appendices": list(selectors.appendices_of(document)),
        "attachments": list(selectors.attachments_of(document)),
        "appendix_form": appendix_form or (AppendixForm() if editable else None),
        "attachment_form": attachment_form or (AttachmentForm() if editable else None),
        "editing": editing,
    }


def _page(request, document, status=200, **forms):
    return render(
        request,
        "documents/outgoing/attachments/manage.html",
        _context(request, document, **forms),
        status=status,
    )


@login_required
def attachments_page(request, pk: int):
    document = outgoing_selectors.outgoing_access(user=request.user, pk=pk)
    editing = None
    appendix_form = None
    if request.GET.get("edit") and rules.can_edit(document, request.user):
        edit_pk = int_param(request.GET["edit"])
        if edit_pk is not None:
            editing = selectors.appendix_of(document=document, pk=edit_pk)
            appendix_form = AppendixForm(
                initial={"title": editing.title, "body": editing.body, "landscape": editing.landscape}
            )
    return _page(request, document, appendix_form=appendix_form, editing=editing)


def _refused(request, document, exc):
    messages.error(request, error_text(exc))
    return redirect("documents:outgoing_attachment_page", pk=document.pk)


@login_required
@require_POST
def appendix_save(request, pk: int, appendix_pk: int | None = None):
    document = outgoing_selectors.outgoing_access(user=request.user, pk=pk)
    appendix = selectors.appendix_of(document=document, pk=appendix_pk) if appendix_pk else None
    form = AppendixForm(request.POST)
    if form.is_valid():
        try:
            services.appendix_save(
                document=document, by=request.user, fields=form.fields_value(), appendix=appendix
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        except (PermissionDenied, RecordChanged) as exc:
            return _refused(request, document, exc)
        else:
            messages.success(request, _("Đã lưu phụ lục; dự thảo có phiên bản mới."))
            return redirect("documents:outgoing_attachment_page", pk=document.pk)
    return _page(request, document, status=400, appendix_form=form, editing=appendix)


@login_required
@require_POST
def appendix_delete(request, pk: int, appendix_pk: int):
    document = outgoing_selectors.outgoing_access(user=request.user, pk=pk)
    appendix = selectors.appendix_of(document=document, pk=appendix_pk)
    try:
        services.appendix_delete(document=document, by=request.user, appendix=appendix)
    except (ValidationError, PermissionDenied, RecordChanged) as exc:
        return _refused(request, document, exc)
    messages.success(request, _("Đã bỏ phụ lục; dự thảo có phiên bản mới."))
    return redirect("documents:outgoing_attachment_page", pk=document.pk)


@login_required
@require_POST
def attachment_add(request, pk: int):
    document = outgoing_selectors.outgoing_access(user=request.user, pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.attachment_add(
                document=document,
                by=request.user,
                upload=data["upload"],
                title=data.get("title") or "",
                kind=data["kind"],
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        except (PermissionDenied, RecordChanged) as exc:
            return _refused(request, document, exc)
        else:
            messages.success(request, _("Đã thêm tệp kèm theo."))
            return redirect("documents:outgoing_attachment_page", pk=document.pk)
    return _page(request, document, status=400, attachment_form=form)


@login_required
@require_POST
def attachment_delete(request, pk: int, attachment_pk: int):
    document = outgoing_selectors.outgoing_access(user=request.user, pk=pk)
    attachment = selectors.attachment_of(document=document, pk=attachment_pk)
    try:
        services.attachment_delete(document=document, by=request.user, attachment=attachment)
    except (ValidationError, PermissionDenied, RecordChanged) as exc:
        return _refused(request, document, exc)
    messages.success(request, _("Đã bỏ tệp kèm theo."))
    return redirect("documents:outgoing_attachment_page", pk=document.pk)


@login_required
@xframe_options_sameorigin
def attachment_file(request, pk: int, attachment_pk: int):
    """The attached file (signed copy once issued), for a person who may see the document, print-marked."""
    attachment = selectors.attachment_get(user=request.user, document_pk=pk, pk=attachment_pk)
    document = attachment.document
    base = (document.number_symbol or "du-thao").replace("/", "_")
    name = f"{base}-kem-theo-{attachment.position}.pdf"
    access = audit.record_file_access(request, kind="outgoing", object_id=document.pk)
    return serve_field_file(selectors.delivered_file(attachment), filename=name, **access)
