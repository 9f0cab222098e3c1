"""Thin views: parse, call one service or selector, render."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from documents import forms, pages, reports, selectors, services
from documents.models import IncomingAttachment
from documents.outgoing import selectors as outgoing_selectors
from eoffice.db import page_of
from eoffice.files import serve_field_file
from eoffice.models import Role
from eoffice.params import int_param
from workflow.models import Assignment

PAGE_SIZE = 25


def error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or _("Bạn không có quyền thực hiện thao tác này.")


def add_form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            name = {"due_at": "due_date"}.get(field, field)
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
    else:
        form.add_error(None, exc)


@login_required
def incoming_list(request, queue: str = "all"):
    if queue not in selectors.QUEUES:
        raise Http404
    form = forms.FilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.incoming_list(
        user=request.user, queue=queue, **{k: v for k, v in filters.items() if v not in ("", None)}
    )
    page = page_of(qs, request.GET.get("page"), PAGE_SIZE)
    context = {
        "page": page,
        "form": form,
        "queue": queue,
        "title": pages.QUEUE_TITLES[queue],
        "tabs": pages.queue_tabs(request.user, queue),
        "can_receive": request.user.has_role(Role.CLERK),
    }
    return render(request, "documents/incoming_list.html", context)


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
            add_form_errors(form, exc)
        else:
            messages.success(request, pages.received_message(document))
            return redirect(document)
    return render(request, "documents/incoming_form.html", {"form": form, "duplicates": duplicates})


@login_required
def incoming_detail(request, pk: int):
    document = selectors.incoming_get(user=request.user, pk=pk)
    services.incoming_view_logged(document=document, user=request.user)
    return render(request, "documents/incoming_detail.html", pages.detail_context(request, document))


@login_required
@xframe_options_sameorigin
def incoming_file(request, pk: int):
    document = selectors.incoming_get(user=request.user, pk=pk)
    services.incoming_view_logged(document=document, user=request.user, what=_("Mở tệp văn bản"))
    inline = request.GET.get("download") != "1"
    return serve_field_file(
        document.file,
        filename=document.file_name
        if document.file_name.lower().endswith(".pdf")
        else f"{document.file_name}.pdf",
        inline=inline,
    )


@login_required
@xframe_options_sameorigin
def attachment_file(request, pk: int, attachment_pk: int):
    document = selectors.incoming_get(user=request.user, pk=pk)
    attachment = get_object_or_404(IncomingAttachment, pk=attachment_pk, document=document)
    services.incoming_view_logged(document=document, user=request.user, what=attachment.name)
    return serve_field_file(
        attachment.file, filename=attachment.name, inline=request.GET.get("download") != "1"
    )


def post_action(
    request,
    pk: int,
    form_class,
    call: Callable,
    success: str,
    *,
    get: Callable | None = None,
    prefix: str | None = None,
    **form_kwargs,
):
    """The shared shape of the detail page's forms: visible document, valid form, service, message.
    ``get(user=, pk=)`` loads the record the user may see (default: an incoming document); ``prefix`` is
    the form's prefix on the page (``pages.FORM_PREFIXES``: every form of a page has its own ids)."""
    document = (get or selectors.incoming_get)(user=request.user, pk=pk)
    if form_class is not None and prefix is None:
        prefix = pages.FORM_PREFIXES.get(form_class)
    form = (
        form_class(request.POST, request.FILES or None, prefix=prefix, **form_kwargs) if form_class else None
    )
    if form is not None and not form.is_valid():
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, " ".join(errors) or _("Yêu cầu không hợp lệ."))
        return redirect(document)
    try:
        call(document, form)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, success)
    return redirect(document)


@login_required
@require_POST
def incoming_action(request, pk: int):
    def call(doc, form):
        services.incoming_action(document=doc, by=request.user, **form.cleaned_data)

    return post_action(request, pk, forms.ActionForm, call, _("Đã cập nhật văn bản."))


@login_required
@require_POST
def incoming_register(request, pk: int):
    """Register a secret document that arrived without its named leader: the clerk names one."""

    def call(doc, form):
        leader_id = int_param(request.POST.get("directing_leader"))
        leaders = selectors.leaders_of(doc.agency_id)
        leader = leaders.filter(pk=leader_id).first() if leader_id is not None else None
        if leader is None:
            raise ValidationError(_("Vui lòng chọn lãnh đạo chỉ đạo."))
        services.incoming_register(document=doc, by=request.user, directing_leader=leader)

    return post_action(request, pk, None, call, _("Đã vào sổ văn bản đến."))


@login_required
@require_POST
def incoming_confirm_recall(request, pk: int):
    def call(doc, form):
        services.incoming_confirm_recall(document=doc, by=request.user)

    return post_action(request, pk, None, call, _("Đã xác nhận thu hồi văn bản."))


@login_required
@require_POST
def incoming_direct(request, pk: int):
    def call(doc, form):
        services.incoming_direct(document=doc, by=request.user, **form.service_kwargs())

    return post_action(
        request,
        pk,
        forms.DirectForm,
        call,
        _("Đã chỉ đạo, giao xử lý văn bản."),
        agency_id=request.user.agency_id,
    )


@login_required
@require_POST
def incoming_delegate(request, pk: int):
    def call(doc, form):
        services.incoming_delegate(document=doc, by=request.user, **form.cleaned_data)

    return post_action(
        request,
        pk,
        forms.DelegateForm,
        call,
        _("Đã chuyển lãnh đạo khác chỉ đạo."),
        agency_id=request.user.agency_id,
        exclude=request.user.pk,
    )


def _assignment(doc, assignment_pk: int) -> Assignment:
    return get_object_or_404(Assignment.objects.for_record(doc), pk=assignment_pk)


@login_required
@require_POST
def incoming_forward(request, pk: int, assignment_pk: int):
    def call(doc, form):
        services.incoming_forward(
            document=doc,
            assignment=_assignment(doc, assignment_pk),
            by=request.user,
            to_user=form.cleaned_data["to_user"],
            instruction=form.cleaned_data["instruction"],
            due_at=forms.end_of_office_day(form.cleaned_data.get("due_date")),
        )

    people = selectors.people_of(request.user.agency_id).filter(department_id=request.user.department_id)
    return post_action(
        request,
        pk,
        forms.ForwardForm,
        call,
        _("Đã giao chuyên viên xử lý."),
        prefix=pages.part_prefix("forward", assignment_pk),
        people=people,
    )


@login_required
@require_POST
def incoming_progress(request, pk: int):
    def call(doc, form):
        services.incoming_progress(document=doc, by=request.user, **form.cleaned_data)

    return post_action(request, pk, forms.ProgressForm, call, _("Đã cập nhật tiến độ."))


@login_required
@require_POST
def incoming_request_input(request, pk: int):
    def call(doc, form):
        services.incoming_request_input(document=doc, by=request.user, **form.service_kwargs())

    return post_action(
        request,
        pk,
        forms.RequestInputForm,
        call,
        _("Đã gửi xin ý kiến phối hợp."),
        agency_id=request.user.agency_id,
    )


@login_required
@require_POST
def incoming_reply(request, pk: int, assignment_pk: int):
    def call(doc, form):
        services.incoming_coordinate_reply(
            document=doc, assignment=_assignment(doc, assignment_pk), by=request.user, **form.cleaned_data
        )

    return post_action(
        request,
        pk,
        forms.ReplyForm,
        call,
        _("Đã gửi ý kiến phối hợp."),
        prefix=pages.part_prefix("reply", assignment_pk),
    )


@login_required
@require_POST
def incoming_propose(request, pk: int):
    def call(doc, form):
        services.incoming_propose(document=doc, by=request.user, **form.cleaned_data)

    return post_action(request, pk, forms.ProposeForm, call, _("Đã ghi đề xuất giải quyết."))


@login_required
@require_POST
def incoming_link_reply(request, pk: int):
    def call(doc, form):
        services.incoming_link_reply(document=doc, by=request.user, **form.cleaned_data)

    return post_action(request, pk, forms.LinkReplyForm, call, _("Đã cập nhật văn bản trả lời."))


@login_required
@require_POST
def incoming_finish(request, pk: int):
    def call(doc, form):
        services.incoming_finish(document=doc, by=request.user, **form.cleaned_data)

    return post_action(request, pk, forms.FinishForm, call, _("Đã hoàn thành xử lý văn bản."))


@login_required
@require_POST
def incoming_attachments(request, pk: int):
    def call(doc, form):
        services.incoming_add_attachments(document=doc, by=request.user, files=form.cleaned_data["files"])

    return post_action(request, pk, forms.AttachmentsForm, call, _("Đã thêm tệp đính kèm."))


@login_required
@require_POST
def incoming_grant(request, pk: int):
    def call(doc, form):
        services.incoming_grant(document=doc, by=request.user, users=list(form.cleaned_data["users"]))

    return post_action(
        request, pk, forms.GrantForm, call, _("Đã cấp quyền xem."), agency_id=request.user.agency_id
    )


@login_required
@require_POST
def incoming_case_file(request, pk: int):
    def call(doc, form):
        services.case_file_add(case_file=form.cleaned_data["case_file"], document=doc, by=request.user)

    return post_action(
        request, pk, forms.AddToCaseFileForm, call, _("Đã đưa văn bản vào hồ sơ."), user=request.user
    )


@login_required
def registers(request):
    if not request.user.has_role(Role.CLERK, Role.LEADER, Role.DEPARTMENT_HEAD):
        raise PermissionDenied
    form = forms.RegisterReportForm(request.GET or None, user=request.user)
    if not form.is_valid():
        return render(request, "documents/registers.html", {"form": form})
    d = form.cleaned_data
    # The outgoing register reads the lead's outgoing selector; the incoming ones this app's.
    source = outgoing_selectors if d["kind"] == "outgoing" else selectors
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
    return render(request, "documents/registers.html", context)


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
    return render(request, "documents/casefile_list.html", {"files": files, "form": form, "year": year})


@login_required
def casefile_detail(request, pk: int):
    case_file = selectors.case_file_get(user=request.user, pk=pk)
    documents = selectors.case_file_documents(user=request.user, case_file=case_file)
    return render(request, "documents/casefile_detail.html", {"case_file": case_file, "documents": documents})


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
    document = selectors.incoming_get(user=request.user, pk=document_pk)
    try:
        services.case_file_remove(case_file=case_file, document=document, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    return redirect(case_file)
