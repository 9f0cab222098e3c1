"""Thin views: parse, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from documents.incoming import forms, pages, selectors, services
from documents.incoming.models import IncomingAttachment
from documents.records import forms as records_forms
from documents.records import services as records_services
from documents.views import add_form_errors, post_action
from eoffice.db import page_of
from eoffice.files import serve_field_file
from eoffice.models import Role
from eoffice.params import int_param
from workflow.models import Assignment

PAGE_SIZE = 25


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
    document = selectors.incoming_access(user=request.user, pk=pk)
    services.incoming_view_logged(document=document, user=request.user)
    return render(request, "documents/incoming_detail.html", pages.detail_context(request, document))


@login_required
@xframe_options_sameorigin
def incoming_file(request, pk: int):
    document = selectors.incoming_access(user=request.user, pk=pk)
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
    document = selectors.incoming_access(user=request.user, pk=pk)
    attachment = get_object_or_404(IncomingAttachment, pk=attachment_pk, document=document)
    services.incoming_view_logged(document=document, user=request.user, what=attachment.name)
    return serve_field_file(
        attachment.file, filename=attachment.name, inline=request.GET.get("download") != "1"
    )


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
        records_services.case_file_add(
            case_file=form.cleaned_data["case_file"], document=doc, by=request.user
        )

    return post_action(
        request, pk, records_forms.AddToCaseFileForm, call, _("Đã đưa văn bản vào hồ sơ."), user=request.user
    )
