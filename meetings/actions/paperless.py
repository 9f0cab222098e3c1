"""The detail page's actions: the paperless meeting (files, comments, roll call, substitutes, votes).

Every one of them is shown inside the page's paperless section
(``templates/meetings/detail/_paperless.html``), which binds them itself
(``views.paperless.section_context``), several per file, participant or vote with ``part``; none is
offered among the page's general buttons (``when`` is never true). Each posts to one service, which
decides."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eoffice.actions import Action
from meetings import services
from meetings.forms import paperless as forms


def _never(meeting, user, state) -> bool:
    return False  # bound by the paperless section


def _upload(meeting, user, form) -> str:
    data = form.cleaned_data
    row = services.file_upload(
        meeting=meeting,
        by=user,
        upload=data["file"],
        name=data["name"],
        restricted=data["restricted"],
        viewers=data["viewers"] if data["restricted"] else (),
    )
    return _("Đã tải lên tài liệu “%(name)s”.") % {"name": row.name}


def _comment(meeting, user, form, *, part: int) -> str:
    services.file_comment_add(meeting=meeting, file_id=part, by=user, text=form.cleaned_data["text"])
    return _("Đã gửi ý kiến.")


def _check_in(meeting, user, form) -> str:
    services.roll_call_check_in(meeting=meeting, by=user)
    return _("Đã điểm danh: có mặt.")


def _mark(meeting, user, form, *, part: int) -> str:
    row = services.roll_call_mark(
        meeting=meeting,
        participant_id=part,
        by=user,
        attendance=form.cleaned_data["attendance"],
        reason=form.cleaned_data["reason"],
    )
    return _("Đã điểm danh %(who)s: %(what)s.") % {"who": row.label, "what": row.get_attendance_display()}


def _substitute_request(meeting, user, form) -> str:
    services.substitute_request(meeting=meeting, by=user, substitute=form.cleaned_data["substitute"])
    return _("Đã gửi đề nghị cử người dự thay; người đăng ký lịch sẽ xem xét.")


def _substitute_decide(meeting, user, form, *, part: int) -> str:
    approve = form.cleaned_data["decision"] == "approve"
    services.substitute_decide(
        meeting=meeting, participant_id=part, by=user, approve=approve, comment=form.cleaned_data["comment"]
    )
    return _("Đã đồng ý người dự thay.") if approve else _("Đã không đồng ý người dự thay.")


def _vote_create(meeting, user, form) -> str:
    data = form.cleaned_data
    services.vote_create(
        meeting=meeting,
        by=user,
        question=data["question"],
        options=data["options"],
        anonymous=data["anonymous"],
    )
    return _("Đã tạo nội dung biểu quyết; mở biểu quyết khi cuộc họp diễn ra.")


def _vote_open(meeting, user, form, *, part: int) -> str:
    services.vote_open(meeting=meeting, vote_id=part, by=user)
    return _("Đã mở biểu quyết.")


def _vote_close(meeting, user, form, *, part: int) -> str:
    services.vote_close(meeting=meeting, vote_id=part, by=user)
    return _("Đã kết thúc biểu quyết; kết quả đã được lưu.")


def _ballot(meeting, user, form, *, part: int) -> str:
    services.ballot_cast(meeting=meeting, vote_id=part, option_id=form.cleaned_data["option"], by=user)
    return _("Đã ghi nhận biểu quyết của bạn.")


def _meeting_kwargs(meeting, user, **url_kwargs) -> dict:
    return {"meeting": meeting}


def _substitute_kwargs(meeting, user, **url_kwargs) -> dict:
    return {"meeting": meeting, "user": user}


ACTIONS: list = [
    Action(
        "file_upload",
        run=_upload,
        form=forms.FileUploadForm,
        form_kwargs=_meeting_kwargs,
        title=gettext_lazy("Tải lên tài liệu"),
        button=gettext_lazy("Tải lên"),
        multipart=True,
        prefix="pl-up",
        when=_never,
    ),
    Action(
        "file_comment",
        run=_comment,
        form=forms.CommentForm,
        title=gettext_lazy("Góp ý"),
        button=gettext_lazy("Gửi ý kiến"),
        prefix="pl-cm",
        when=_never,
    ),
    Action(
        "check_in",
        run=_check_in,
        title=gettext_lazy("Điểm danh"),
        button=gettext_lazy("Điểm danh"),
        when=_never,
    ),
    Action(
        "roll_call_mark",
        run=_mark,
        form=forms.MarkForm,
        title=gettext_lazy("Điểm danh hộ"),
        button=gettext_lazy("Ghi nhận"),
        prefix="pl-rc",
        when=_never,
    ),
    Action(
        "substitute_request",
        run=_substitute_request,
        form=forms.SubstituteRequestForm,
        form_kwargs=_substitute_kwargs,
        title=gettext_lazy("Cử người dự thay"),
        button=gettext_lazy("Gửi đề nghị"),
        prefix="pl-sub",
        when=_never,
    ),
    Action(
        "substitute_decide",
        run=_substitute_decide,
        form=forms.SubstituteDecideForm,
        title=gettext_lazy("Duyệt người dự thay"),
        prefix="pl-sd",
        when=_never,
    ),
    Action(
        "vote_create",
        run=_vote_create,
        form=forms.VoteForm,
        title=gettext_lazy("Tạo biểu quyết"),
        button=gettext_lazy("Tạo biểu quyết"),
        prefix="pl-vote",
        when=_never,
    ),
    Action(
        "vote_open",
        run=_vote_open,
        title=gettext_lazy("Mở biểu quyết"),
        button=gettext_lazy("Mở biểu quyết"),
        when=_never,
    ),
    Action(
        "vote_close",
        run=_vote_close,
        title=gettext_lazy("Kết thúc biểu quyết"),
        button=gettext_lazy("Kết thúc"),
        confirm=gettext_lazy("Kết thúc biểu quyết? Sau đó không ai biểu quyết thêm được."),
        tone="danger",
        when=_never,
    ),
    Action(
        "ballot",
        run=_ballot,
        form=forms.BallotForm,
        title=gettext_lazy("Biểu quyết"),
        button=gettext_lazy("Gửi biểu quyết"),
        prefix="pl-bal",
        when=_never,
    ),
]
