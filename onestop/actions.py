"""The dossier page's actions (the shared pattern of ``eoffice.actions``): what each person may do now,
each a form posting to one service through ``DOSSIER_ACTIONS.view``.

``when`` decides what the page offers (from the FSM transitions this user may run now); the service stays
the authority. Actions with a body of their own (the online check, the approval, the hand-over, the
submission of a draft result) render ``templates/onestop/actions/<key>.html`` inside the generic form.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eoffice.actions import Action, ActionSet

from . import forms, rules, selectors, services
from .models import Dossier, DossierState


def transition_names(dossier: Dossier, user) -> set[str]:
    """The FSM transitions this user may run on the dossier now (computed once per page)."""
    return {t.name for t in dossier.get_available_user_state_transitions(user)}


def _url(dossier: Dossier, action: Action) -> str:
    if action.key == "check":
        return reverse("onestop:check", args=[dossier.pk])
    return reverse("onestop:act", args=[dossier.pk, action.key])


def _of(dossier: Dossier, user, **url_kwargs) -> dict:
    return {"dossier": dossier}


# ---- the services each action calls ---------------------------------------------------------------


def _check(d, by, f):
    dossier = services.dossier_check(dossier=d, by=by, **f.decision_kwargs())
    return rules.received_message(dossier)


def _hand_to_unit(d, by, f):
    c = f.cleaned_data
    services.dossier_hand_to_unit(dossier=d, by=by, department=c["department"], note=c["note"])
    return _("Đã chuyển hồ sơ cho %(unit)s.") % {"unit": c["department"].name}


def _assign(d, by, f):
    c = f.cleaned_data
    services.dossier_assign(dossier=d, by=by, officer=c["officer"], note=c["note"])
    return _("Đã giao %(name)s thụ lý hồ sơ.") % {"name": c["officer"].full_name}


def _submit(d, by, f):
    c = f.cleaned_data
    services.dossier_submit(
        dossier=d,
        by=by,
        leader=c.get("leader"),
        result_file=c.get("result_file") or None,
        result_number=c["result_number"],
        note=c["note"],
    )
    return _("Đã trình kết quả giải quyết.")


def _forward(d, by, f):
    c = f.cleaned_data
    services.dossier_forward(dossier=d, by=by, leader=c["leader"], note=c["note"])
    return _("Đã trình lãnh đạo %(name)s phê duyệt.") % {"name": c["leader"].full_name}


def _send_back(d, by, f):
    services.dossier_send_back(dossier=d, by=by, note=f.cleaned_data["note"])
    return _("Đã trả lại chuyên viên để hoàn thiện.")


def _approve(d, by, f):
    c = f.cleaned_data
    sign = c["mode"] == "sign"
    services.dossier_approve(dossier=d, by=by, sign=sign, note=c["note"])
    if sign:
        return _("Đã phê duyệt; kết quả đang chờ ký số. Bấm “Ký số ngay” để ký.")
    return _("Đã phê duyệt; kết quả chuyển về bộ phận một cửa để trả.")


def _cancel_signing(d, by, f):
    services.dossier_cancel_signing(dossier=d, by=by, note=f.cleaned_data["note"])
    return _("Đã rút lại yêu cầu ký; hồ sơ trở lại chờ phê duyệt.")


def _refuse(d, by, f):
    services.dossier_refuse(dossier=d, by=by, reasons=f.cleaned_data["reasons"])
    return _("Đã chuyển hồ sơ về bộ phận một cửa để trả lại người nộp kèm lý do.")


def _supplement(d, by, f):
    services.dossier_request_supplement(dossier=d, by=by, content=f.cleaned_data["content"])
    return _("Đã gửi yêu cầu bổ sung; thời hạn giải quyết tạm dừng.")


def _supplement_received(d, by, f):
    services.dossier_supplement_received(dossier=d, by=by, papers=f.papers(), note=f.cleaned_data["note"])
    return _("Đã ghi nhận hồ sơ bổ sung; thời hạn giải quyết được tính tiếp.")


def _extend(d, by, f):
    c = f.cleaned_data
    dossier = services.dossier_extend(dossier=d, by=by, reason=c["reason"], due_at=c["due_at"])
    return _("Đã hẹn lại ngày trả kết quả: %(due)s.") % {
        "due": timezone.localtime(dossier.due_at).strftime("%H:%M %d/%m/%Y")
    }


def _stop(d, by, f):
    services.dossier_stop(dossier=d, by=by, reason=f.cleaned_data["reason"])
    return _("Đã dừng xử lý hồ sơ.")


def _hand_over(d, by, f):
    c = f.cleaned_data
    services.dossier_hand_over(
        dossier=d,
        by=by,
        returned_to=c["returned_to"],
        note=c["note"],
        rating=c.get("rating"),
        comment=c["comment"],
    )
    return _("Đã trả kết quả cho %(name)s.") % {"name": c["returned_to"]}


# ---- when the page offers each ----------------------------------------------------------------------


def _offers_submit(d: Dossier, user, names: set[str]) -> bool:
    """The submission of the draft result: to review when the procedure has that step (the holder's
    ``submit_review``), else to approval (``submit_approval``: the holder's or the unit's head's). The holder
    may run both, so the procedure is asked (one query) only for someone who may only submit to approval."""
    if d.state != DossierState.PROCESSING or not names & {"submit_review", "submit_approval"}:
        return False
    return "submit_review" in names or not rules.has_review(d.procedure)


def _submit_kwargs(d: Dossier, user, **url_kwargs) -> dict:
    """The form's path (to review or to a leader), the same on the page and on the post."""
    return {"dossier": d, "review": rules.submits_to_review(d, user)}


DOSSIER_ACTIONS = ActionSet(
    access=selectors.dossier_access,
    state=transition_names,
    url=_url,
    actions=[
        # What this person is expected to do now (in the order of the dossier's path) …
        Action(
            "check",
            run=_check,
            form=forms.CheckForm,
            form_kwargs=_of,
            initial=lambda d, user: {"missing": "\n".join(rules.missing_mandatory(d))},
            when=lambda d, user, names: bool(names & {"accept", "ask_complete", "refuse_reception"}),
            title=gettext_lazy("Kiểm tra hồ sơ nộp trực tuyến"),
            button=gettext_lazy("Ghi nhận kết quả kiểm tra"),
            prefix="",
            template="onestop/actions/check.html",
        ),
        Action(
            "hand_to_unit",
            run=_hand_to_unit,
            form=forms.HandToUnitForm,
            form_kwargs=_of,
            when=lambda d, user, names: "hand_to_unit" in names,
            title=gettext_lazy("Chuyển phòng chuyên môn giải quyết"),
            button=gettext_lazy("Chuyển hồ sơ"),
            hint=gettext_lazy(
                "Chuyển trong ngày; hồ sơ nhận sau giờ chốt chuyển đầu giờ ngày làm việc tiếp theo."
            ),
            prefix="",
        ),
        Action(
            "assign",
            run=_assign,
            form=forms.AssignForm,
            form_kwargs=_of,
            when=lambda d, user, names: "assign_officer" in names,
            title=gettext_lazy("Phân công thụ lý"),
            button=gettext_lazy("Giao thụ lý"),
            prefix="",
        ),
        Action(
            "submit",
            run=_submit,
            form=forms.SubmitForm,
            form_kwargs=_submit_kwargs,
            when=_offers_submit,
            title=gettext_lazy("Trình kết quả giải quyết"),
            prefix="",
            multipart=True,
            template="onestop/actions/submit.html",
        ),
        Action(
            "forward",
            run=_forward,
            form=forms.ForwardForm,
            form_kwargs=_of,
            when=lambda d, user, names: "forward_approval" in names,
            title=gettext_lazy("Xem xét, trình ký"),
            button=gettext_lazy("Trình lãnh đạo phê duyệt"),
            prefix="",
            template="onestop/actions/forward.html",
        ),
        Action(
            "approve",
            run=_approve,
            form=forms.ApproveForm,
            form_kwargs=_of,
            when=lambda d, user, names: "approve" in names and d.state == DossierState.APPROVAL,
            title=gettext_lazy("Phê duyệt kết quả"),
            prefix="",
            template="onestop/actions/approve.html",
        ),
        Action(
            "supplement_received",
            run=_supplement_received,
            form=forms.SupplementReceivedForm,
            form_kwargs=_of,
            when=lambda d, user, names: "supplement_received" in names,
            title=gettext_lazy("Ghi nhận hồ sơ đã bổ sung"),
            button=gettext_lazy("Đã nhận bổ sung – tiếp tục giải quyết"),
            hint=gettext_lazy("Thời hạn giải quyết được tính tiếp, cộng thêm thời gian tạm dừng."),
            prefix="",
            multipart=True,
        ),
        Action(
            "hand_over",
            run=_hand_over,
            form=forms.HandOverForm,
            form_kwargs=_of,
            when=lambda d, user, names: "hand_over" in names,
            title=gettext_lazy("Trả kết quả cho người nộp"),
            button=gettext_lazy("Đã trả kết quả"),
            prefix="",
            template="onestop/actions/hand_over.html",
        ),
        # … and the others they may take (under "Thao tác khác").
        Action(
            "cancel_signing",
            run=_cancel_signing,
            form=forms.CancelSigningForm,
            form_kwargs=_of,
            when=lambda d, user, names: "cancel_signing" in names and d.leader_id == user.pk,
            title=gettext_lazy("Rút lại yêu cầu ký số"),
            button=gettext_lazy("Rút lại"),
            tone="secondary",
            hint=gettext_lazy("Hồ sơ trở lại chờ phê duyệt; có thể trả lại chuyên viên để sửa kết quả."),
            more=True,
            prefix="",
        ),
        Action(
            "send_back",
            run=_send_back,
            form=forms.SendBackForm,
            form_kwargs=_of,
            when=lambda d, user, names: "send_back" in names,
            title=gettext_lazy("Trả lại chuyên viên hoàn thiện"),
            button=gettext_lazy("Trả lại"),
            tone="secondary",
            more=True,
            prefix="",
        ),
        Action(
            "supplement",
            run=_supplement,
            form=forms.SupplementForm,
            form_kwargs=_of,
            when=lambda d, user, names: "ask_supplement" in names,
            title=gettext_lazy("Yêu cầu người nộp bổ sung hồ sơ"),
            button=gettext_lazy("Gửi yêu cầu bổ sung"),
            tone="secondary",
            more=True,
            prefix="",
        ),
        Action(
            "extend",
            run=_extend,
            form=forms.ExtendForm,
            form_kwargs=_of,
            initial=lambda d, user: {"due_at": rules.extend_suggestion(d)},
            when=lambda d, user, names: rules.may_extend(d, user),
            title=gettext_lazy("Xin lỗi và hẹn lại ngày trả (mẫu 04)"),
            button=gettext_lazy("Hẹn lại ngày trả"),
            tone="secondary",
            more=True,
            prefix="",
        ),
        Action(
            "refuse",
            run=_refuse,
            form=forms.RefuseForm,
            form_kwargs=_of,
            when=lambda d, user, names: "refuse" in names,
            title=gettext_lazy("Không giải quyết, trả lại hồ sơ có lý do"),
            button=gettext_lazy("Không giải quyết"),
            tone="danger",
            confirm=gettext_lazy("Hồ sơ sẽ được trả lại người nộp với lý do đã nêu. Tiếp tục?"),
            more=True,
            prefix="",
        ),
        Action(
            "stop",
            run=_stop,
            form=forms.StopForm,
            form_kwargs=_of,
            when=lambda d, user, names: "stop" in names,
            title=gettext_lazy("Dừng xử lý hồ sơ (mẫu 05)"),
            button=gettext_lazy("Dừng xử lý"),
            tone="danger",
            confirm=gettext_lazy("Dừng xử lý hồ sơ này? Thao tác không hoàn tác được."),
            more=True,
            prefix="",
        ),
    ],
)
