"""The detail page's actions: minutes and conclusions.

They are shown inside the page's minutes section (``templates/meetings/detail/_minutes.html``), which binds
them itself (``views.minutes.section_context``); none is offered among the page's general buttons (``when``
is never true). Each posts to one service, which decides."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eoffice.actions import Action
from meetings import services
from meetings.forms import minutes as forms
from meetings.models import Minutes


def _never(meeting, user, state) -> bool:
    return False  # bound by the minutes section


def _minutes(meeting) -> Minutes:
    return Minutes.objects.get(meeting=meeting)


def _start(meeting, user, form) -> str:
    data = form.cleaned_data
    services.minutes_start(
        meeting=meeting, by=user, secretary=data["secretary"], presider=data.get("presider") or None
    )
    return _("Đã lập dự thảo biên bản từ thông tin cuộc họp; thư ký hoàn thiện nội dung rồi trình ký.")


def _submit(meeting, user, form) -> str:
    minutes = services.minutes_submit(minutes=_minutes(meeting), by=user)
    return _("Đã trình ký biên bản: chờ thư ký %(name)s ký.") % {"name": minutes.secretary.get_full_name()}


def _withdraw(meeting, user, form) -> str:
    services.minutes_withdraw(minutes=_minutes(meeting), by=user)
    return _("Đã rút lại biên bản để sửa; cần trình ký lại.")


def _notice(meeting, user, form) -> str:
    services.conclusion_notice_draft(meeting=meeting, by=user)
    return _("Đã soạn dự thảo Thông báo kết luận: mở dự thảo để trình duyệt, ký và phát hành như văn bản đi.")


ACTIONS: list = [
    Action(
        "minutes_start",
        run=_start,
        form=forms.MinutesStartForm,
        form_kwargs=lambda meeting, user, **kw: {"meeting": meeting},
        when=_never,
        title=gettext_lazy("Lập biên bản"),
        button=gettext_lazy("Lập biên bản"),
    ),
    Action(
        "minutes_submit",
        run=_submit,
        when=_never,
        title=gettext_lazy("Trình ký biên bản"),
        button=gettext_lazy("Trình ký biên bản"),
        confirm=gettext_lazy("Trình ký biên bản? Sau khi trình ký, muốn sửa phải rút lại."),
    ),
    Action(
        "minutes_withdraw",
        run=_withdraw,
        when=_never,
        title=gettext_lazy("Rút lại biên bản"),
        button=gettext_lazy("Rút lại để sửa"),
        tone="secondary",
        confirm=gettext_lazy("Rút lại biên bản? Chữ ký đã có (nếu có) sẽ không còn, cần ký lại."),
    ),
    Action(
        "conclusion_notice",
        run=_notice,
        when=_never,
        title=gettext_lazy("Soạn thông báo kết luận"),
        button=gettext_lazy("Soạn thông báo kết luận"),
    ),
]
