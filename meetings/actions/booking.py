"""The meeting page's actions of the booking area: approve (taking the room when the agency head chairs
and the room is taken), reject and cancel (with a reason), and the link to the change form."""

from __future__ import annotations

from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eoffice.actions import Action
from meetings import rules, services
from meetings.forms import booking as forms


def _approve(m, by, f, **kw):
    services.meeting_approve(meeting=m, by=by, take_room=bool(f.cleaned_data.get("take_room")))
    return _("Đã duyệt lịch.")


def _reject(m, by, f, **kw):
    services.meeting_reject(meeting=m, by=by, reason=f.cleaned_data["reason"])
    return _("Đã từ chối lịch; người đăng ký đã được thông báo.")


def _cancel(m, by, f, **kw):
    services.meeting_cancel(meeting=m, by=by, reason=f.cleaned_data["reason"])
    return _("Đã hủy lịch.")


def _edit(m, by, f, **kw):
    return redirect("meetings:edit", m.pk)


def _meeting(m, user, **kw) -> dict:
    return {"meeting": m}


ACTIONS: list = [
    Action(
        "approve",
        run=_approve,
        form=forms.ApproveForm,
        form_kwargs=_meeting,
        when=lambda m, user, state: "approve" in state,
        title=gettext_lazy("Duyệt lịch"),
        button=gettext_lazy("Duyệt lịch"),
        template="meetings/detail/_booking_approve.html",
    ),
    Action(
        "reject",
        run=_reject,
        form=forms.RejectForm,
        when=lambda m, user, state: "reject" in state,
        title=gettext_lazy("Từ chối"),
        button=gettext_lazy("Từ chối lịch"),
        tone="danger",
    ),
    Action(
        "edit",
        run=_edit,
        when=lambda m, user, state: rules.can_change(user, m),
        title=gettext_lazy("Sửa lịch"),
        button=gettext_lazy("Sửa lịch"),
        tone="secondary",
        more=True,
    ),
    Action(
        "cancel",
        run=_cancel,
        form=forms.CancelForm,
        when=lambda m, user, state: "cancel" in state,
        title=gettext_lazy("Hủy lịch"),
        button=gettext_lazy("Hủy lịch"),
        tone="danger",
        more=True,
        confirm=gettext_lazy("Hủy lịch này? Thành phần tham dự sẽ được báo hủy."),
    ),
]
