"""Thin views: parse, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin

from documents.forms import DUE_FIELD
from documents.incoming import forms, pages, selectors, services, slip
from eoffice import audit
from eoffice.files import serve_field_file
from eoffice.forms import add_form_errors
from eoffice.models import Role

PAGE_SIZE = 25


@login_required
def incoming_list(request, queue: str = "all"):
    if queue not in selectors.QUEUES:
        raise Http404
    form = forms.FilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = selectors.incoming_page(
        user=request.user,
        queue=queue,
        number=request.GET.get("page"),
        per_page=PAGE_SIZE,
        **{k: v for k, v in filters.items() if v not in ("", None)},
    )
    context = {
        "page": page,
        "form": form,
        "queue": queue,
        "title": pages.QUEUE_TITLES[queue],
        "tabs": pages.queue_tabs(request.user, queue),
        "can_receive": request.user.has_role(Role.CLERK),
    }
    return render(request, "documents/incoming/list.html", context)


@login_required
def incoming_create(request):
    if not request.user.has_role(Role.CLERK):
        raise PermissionDenied
    form = forms.IncomingForm(request.POST or None, request.FILES or None, user=request.user)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        try:
            document = services.incoming_receive(by=request.user, **form.service_kwargs())
        except services.DuplicateWarning as exc:
            duplicates = exc.duplicates
            form.add_error(None, exc)
        except ValidationError as exc:
            add_form_errors(form, exc, rename=DUE_FIELD)
        else:
            messages.success(request, pages.received_message(document))
            return redirect(document)
    return render(request, "documents/incoming/form.html", {"form": form, "duplicates": duplicates})


@login_required
def incoming_detail(request, pk: int):
    document = selectors.incoming_access(user=request.user, pk=pk)
    services.incoming_view_logged(document=document, user=request.user)
    audit.record_access(user=request.user, kind="incoming", object_id=document.pk)
    return render(request, "documents/incoming/detail.html", pages.detail_context(request, document))


@login_required
@xframe_options_sameorigin
def incoming_file(request, pk: int):
    document = selectors.incoming_access(user=request.user, pk=pk)
    if not document.file:  # destroyed on the sender's recall (III.8.b)
        raise Http404
    services.incoming_view_logged(document=document, user=request.user, what=_("Mở tệp văn bản"))
    return serve_field_file(
        document.file,
        filename=document.file_name
        if document.file_name.lower().endswith(".pdf")
        else f"{document.file_name}.pdf",
        **audit.record_file_access(request, kind="incoming", object_id=document.pk),
    )


@login_required
@xframe_options_sameorigin
def attachment_file(request, pk: int, attachment_pk: int):
    document = selectors.incoming_access(user=request.user, pk=pk)
    attachment = selectors.attachment_on(document=document, pk=attachment_pk)
    if not attachment.file:  # destroyed on the sender's recall (III.8.b)
        raise Http404
    services.incoming_view_logged(document=document, user=request.user, what=attachment.name)
    return serve_field_file(
        attachment.file,
        filename=attachment.name,
        **audit.record_file_access(request, kind="incoming", object_id=document.pk),
    )


@login_required
def incoming_slip(request, pk: int):
    """Phiếu giải quyết văn bản đến, as PDF, for anyone who may see the document."""
    document = selectors.incoming_access(user=request.user, pk=pk)
    services.incoming_view_logged(document=document, user=request.user, what=_("In phiếu giải quyết"))
    response = HttpResponse(slip.render(document), content_type="application/pdf")
    disposition = "attachment" if request.GET.get("download") else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{slip.filename(document)}"'
    return response
