"""Thin views of outgoing documents: parse, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from documents.forms import DUE_FIELD
from documents.incoming import selectors as incoming_selectors
from documents.models import DocumentType
from documents.outgoing import forms, pages, rules, selectors, services
from documents.outgoing import render as pdf_render
from documents.outgoing.models import Relation
from eoffice import audit
from eoffice.actions import error_text
from eoffice.db import page_of
from eoffice.files import serve_field_file
from eoffice.forms import add_form_errors
from eoffice.params import int_param
from workflow.services import RecordChanged

PAGE_SIZE = 25


@login_required
def outgoing_list(request, queue: str = "all"):
    if queue not in selectors.QUEUES:
        raise Http404
    form = forms.FilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.outgoing_list(
        user=request.user,
        queue=queue,
        text=filters.get("q") or "",
        doc_type=filters["doc_type"].pk if filters.get("doc_type") else None,
    )
    page = page_of(qs, request.GET.get("page"), PAGE_SIZE)
    context = {
        "page": page,
        "form": form,
        "queue": queue,
        "title": pages.QUEUE_TITLES[queue],
        "tabs": pages.queue_tabs(request.user, queue),
    }
    return render(request, "documents/outgoing/list.html", context)


def _sources(request):
    """The incoming document a draft answers, the issued document it replaces/corrects (from the query)."""
    reply_to = related = None
    relation = request.GET.get("relation", "")
    if request.GET.get("reply_to"):
        reply_to = incoming_selectors.incoming_access(user=request.user, pk=_int(request.GET["reply_to"]))
    if request.GET.get("related") and relation in (Relation.REPLACE, Relation.CORRECT):
        related = selectors.outgoing_access(user=request.user, pk=_int(request.GET["related"]))
    return reply_to, related, relation if related else ""


def _int(value: str) -> int:
    """An id from the query (``eoffice.params.int_param``); a malformed one is a 404."""
    pk = int_param(value)
    if pk is None:
        raise Http404
    return pk


@login_required
def outgoing_create(request):
    if not rules.can_draft(request.user):
        raise PermissionDenied
    reply_to, related, relation = _sources(request)
    doc_type = None
    if request.GET.get("type"):
        doc_type = get_object_or_404(DocumentType, pk=_int(request.GET["type"]), is_active=True)
    if request.method == "GET" and doc_type is None and related is None:
        return render(
            request,
            "documents/outgoing/choose_type.html",
            {"types": pages.type_cards(), "reply_to": reply_to, "query": request.GET.urlencode()},
        )
    initial = pages.initial_for(user=request.user, doc_type=doc_type, reply_to=reply_to, related=related)
    form = forms.DraftForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.draft_create(
                by=request.user,
                fields=form.draft_fields(),
                upload=form.cleaned_data.get("upload"),
                reply_to=reply_to,
                relation=relation,
                related=related,
            )
        except ValidationError as exc:
            add_form_errors(form, exc, rename=DUE_FIELD)
        else:
            messages.success(request, _("Đã lưu dự thảo (phiên bản 1)."))
            return redirect(document)
    context = {
        "form": form,
        "reply_to": reply_to,
        "related": related,
        "relation": relation,
        "document": None,
        "docx_available": pdf_render.converter_available(),
    }
    return render(request, "documents/outgoing/form.html", context)


@login_required
def outgoing_edit(request, pk: int):
    document = selectors.outgoing_access(user=request.user, pk=pk)
    if not rules.can_edit(document, request.user):
        raise PermissionDenied
    form = forms.DraftForm(
        request.POST or None, request.FILES or None, user=request.user, initial=forms.initial_from(document)
    )
    if request.method == "POST" and form.is_valid():
        try:
            document = services.draft_update(
                document=document,
                by=request.user,
                fields=form.draft_fields(),
                upload=form.cleaned_data.get("upload"),
                note=form.cleaned_data.get("note") or "",
            )
        except ValidationError as exc:
            add_form_errors(form, exc, rename=DUE_FIELD)
        except (PermissionDenied, RecordChanged) as exc:
            messages.error(request, error_text(exc))
            return redirect(document)
        else:
            messages.success(request, _("Đã lưu phiên bản mới của dự thảo."))
            return redirect(document)
    context = {"form": form, "document": document, "docx_available": pdf_render.converter_available()}
    return render(request, "documents/outgoing/form.html", context)


def _text_response(text: str, status: int) -> HttpResponse:
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


@login_required
@require_POST
@xframe_options_sameorigin
def outgoing_preview(request):
    """The PDF of the form as it is now, without saving (the "Xem trước" button). The work is bounded: the
    form's limits on the body, a render time limit (``render.render_bounded``) and one preview at a time
    per person."""
    form = forms.DraftForm(request.POST, user=request.user)
    if not form.is_valid():
        return _text_response(
            _("Chưa xem trước được: %(errors)s")
            % {"errors": " ".join(str(e) for errs in form.errors.values() for e in errs)},
            400,
        )
    key = f"outgoing-preview:{request.user.pk}"
    if not cache.add(key, 1, timeout=pdf_render.STARTUP_SECONDS + pdf_render.PREVIEW_SECONDS):
        response = _text_response(
            _("Bạn đang có một bản xem trước chưa xong. Vui lòng chờ bản đó hiện ra rồi thử lại."), 429
        )
        response["Retry-After"] = "5"
        return response
    try:
        pdf = services.preview_pdf(fields=form.draft_fields(), by=request.user)
    except ValidationError as exc:
        return _text_response(error_text(exc), 400)
    except pdf_render.RenderTimeout:
        return _text_response(
            _(
                "Văn bản quá phức tạp để xem trước trong thời gian cho phép. Hãy rút gọn nội dung hoặc "
                "đưa bảng, danh sách dài vào tệp đính kèm."
            ),
            503,
        )
    finally:
        cache.delete(key)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="xem-truoc.pdf"'
    return response


@login_required
def outgoing_detail(request, pk: int):
    document = selectors.outgoing_access(user=request.user, pk=pk)
    audit.record_access(user=request.user, kind="outgoing", object_id=document.pk)
    return render(request, "documents/outgoing/detail.html", pages.detail_context(request, document))


@login_required
@xframe_options_sameorigin
def version_file(request, pk: int, number: int):
    version = selectors.version_get(user=request.user, document_pk=pk, number=number)
    name = f"{version.document.number_symbol or 'du-thao'}-v{version.number}.pdf".replace("/", "_")
    access = audit.record_file_access(request, kind="outgoing", object_id=version.document_id)
    return serve_field_file(version.file, filename=name, **access)
