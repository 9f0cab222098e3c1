"""The case page's follow-up actions (``eoffice.actions``): keeping a letter and following it (the outcome
with its follow-up date, which is then its clock; moving that date; ending the follow-up), printing the
Phiếu đề xuất lưu đơn, theo dõi, and the notice of acceptance owed to a denouncer (its due step and its
draft). Each posts to one service of ``complaints.services.intake``, which decides; ``when`` only chooses
what the page offers.

``keep`` replaces the intake area's action of the same key (``ActionSet`` keeps the last of a key): the
follow-up date is required on the page. ``keep_print`` is never offered on the action card: the intake
section posts to it (a POST that answers with the PDF)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints import render, rules, services
from complaints.models import CaseKind, CaseState, FormCode
from documents.forms import DateInput
from eoffice.actions import Action


def _follow_up_field() -> forms.DateField:
    return forms.DateField(
        label=gettext_lazy("Theo dõi đến ngày"),
        widget=DateInput,
        help_text=gettext_lazy("Sau ngày hôm nay; được nhắc hạn như các thời hạn khác."),
        error_messages={"required": gettext_lazy("Vui lòng chọn ngày theo dõi.")},
    )


def _after_today(day: dt.date) -> dt.date:
    if day <= timezone.localdate():
        raise forms.ValidationError(_("Ngày theo dõi phải sau ngày hôm nay."))
    return day


class KeepForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Lý do lưu đơn"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": gettext_lazy("Vui lòng ghi lý do lưu đơn.")},
    )
    follow_up_on = _follow_up_field()

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)

    def clean_follow_up_on(self):
        return _after_today(self.cleaned_data["follow_up_on"])


class FollowUpForm(forms.Form):
    follow_up_on = _follow_up_field()
    note = forms.CharField(label=gettext_lazy("Ghi chú"), required=False, max_length=2000)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)

    def clean_follow_up_on(self):
        return _after_today(self.cleaned_data["follow_up_on"])


class FollowUpEndForm(forms.Form):
    result = forms.CharField(
        label=gettext_lazy("Kết quả theo dõi"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": gettext_lazy("Vui lòng ghi kết quả theo dõi.")},
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)


class NoticeForm(forms.Form):
    """No field: carries the due step the action's template shows."""

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.step = services.denunciation_notice_step(case)


def _case_kwargs(case, user, **kw) -> dict:
    return {"case": case}


def _follower(case, user) -> bool:
    return rules.can_intake(user, case) or rules.can_resolve(user, case)


# ---- when ------------------------------------------------------------------------------------------------


def _w_keep(case, user, names) -> bool:
    return "accept" in (names or ())


def _w_kept(case, user, names) -> bool:
    return case.state == CaseState.KEPT and _follower(case, user)


def _w_end(case, user, names) -> bool:
    return case.state == CaseState.KEPT and "close" in (names or ())


def _w_notice(case, user, names) -> bool:
    if case.kind != CaseKind.DENUNCIATION or case.accepted_at is None:
        return False
    if case.state not in (CaseState.ACCEPTED, CaseState.SUSPENDED, CaseState.RESOLVED):
        return False
    if not _follower(case, user):
        return False
    step = services.denunciation_notice_step(case)
    return step is not None and not step.done


# ---- runs ------------------------------------------------------------------------------------------------


def _keep(case, user, form) -> str:
    d = form.cleaned_data
    services.case_keep(case=case, by=user, reason=d["reason"], follow_up_on=d["follow_up_on"])
    return _("Đã lưu đơn, theo dõi đến ngày %(day)s; in phiếu đề xuất lưu đơn trong mục Xử lý đơn.") % {
        "day": d["follow_up_on"].strftime("%d/%m/%Y")
    }


def _follow_up(case, user, form) -> str:
    d = form.cleaned_data
    services.case_follow_up_set(case=case, by=user, follow_up_on=d["follow_up_on"], note=d["note"])
    return _("Đã đặt hạn theo dõi đến ngày %(day)s.") % {"day": d["follow_up_on"].strftime("%d/%m/%Y")}


def _follow_up_end(case, user, form) -> str:
    services.case_follow_up_end(case=case, by=user, result=form.cleaned_data["result"])
    return _("Đã kết thúc theo dõi, lưu hồ sơ.")


def _keep_print(case, user, form) -> HttpResponse:
    """The Phiếu đề xuất lưu đơn, theo dõi of a kept case, for whoever handles its intake or resolution."""
    if not _follower(case, user):
        raise PermissionDenied(_("Bạn không có quyền in phiếu của vụ việc này."))
    if case.outcome != "keep":
        raise PermissionDenied(_("Vụ việc không lưu đơn, theo dõi."))
    context = services.form_context(
        case,
        reason=case.outcome_reason,
        follow_up_on=services.follow_up_on(case) or "",
        officer=case.handler or user,
    )
    data = render.form_pdf(FormCode.KEEP, on=case.letter.received_on, context=context)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="phieu-luu-don-{case.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def _notice(case, user, form) -> str:
    row = services.case_denunciation_notice_draft(case=case, by=user)
    return _("Đã soạn dự thảo “%(form)s”: mở văn bản đi để trình duyệt, ký và phát hành.") % {
        "form": row.get_form_display()
    }


ACTIONS: list = [
    Action(
        "keep",
        run=_keep,
        form=KeepForm,
        form_kwargs=_case_kwargs,
        when=_w_keep,
        title=gettext_lazy("Lưu đơn, theo dõi"),
        button=gettext_lazy("Lưu đơn"),
        tone="secondary",
        more=True,
        prefix="keep",
        hint=gettext_lazy(
            "TT 05/2021/TT-TTCP không quy định số ngày theo dõi: ngày theo dõi là thời hạn của vụ việc."
        ),
    ),
    Action(
        "follow_up",
        run=_follow_up,
        form=FollowUpForm,
        form_kwargs=_case_kwargs,
        when=_w_kept,
        title=gettext_lazy("Đặt hạn theo dõi"),
        button=gettext_lazy("Lưu hạn theo dõi"),
        tone="secondary",
    ),
    Action(
        "follow_up_end",
        run=_follow_up_end,
        form=FollowUpEndForm,
        form_kwargs=_case_kwargs,
        when=_w_end,
        title=gettext_lazy("Kết thúc theo dõi"),
        button=gettext_lazy("Kết thúc, lưu hồ sơ"),
        tone="secondary",
        more=True,
    ),
    Action("keep_print", run=_keep_print, when=lambda case, user, names: False),
    Action(
        "accept_notice",
        run=_notice,
        form=NoticeForm,
        form_kwargs=_case_kwargs,
        when=_w_notice,
        title=gettext_lazy("Thông báo việc thụ lý tố cáo"),
        button=gettext_lazy("Soạn thông báo thụ lý"),
        template="complaints/case/_accept_notice_action.html",
    ),
]
