"""The case page's resolution actions (``eoffice.actions``): each a form posting to one service of
``complaints.services.resolution``, which decides. ``when`` only chooses what the page offers: the case's
kind, state and stage, and the user's right (``complaints.rules``)."""

from __future__ import annotations

from functools import partial

from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints import rules, services
from complaints.forms import resolution as forms
from complaints.models import CaseKind, CaseState, Stage
from eoffice.actions import service_action

RESOLVING = (CaseKind.COMPLAINT, CaseKind.DENUNCIATION)
PETITIONS = (CaseKind.PETITION, CaseKind.FEEDBACK)


def _case_kwargs(case, user, **kw) -> dict:
    return {"case": case}


def _resolver(case, user) -> bool:
    return rules.can_resolve(user, case)


def _draft_message(row) -> str:
    return _("Đã soạn dự thảo “%(form)s”: mở văn bản đi để trình duyệt, ký và phát hành.") % {
        "form": row.get_form_display()
    }


# ---- runs: the few that are more than one service's call --------------------------------------------------


def _decision_draft(*, case, by, result, summary):
    """A denunciation's conclusion, any other case's decision."""
    if case.kind == CaseKind.DENUNCIATION:
        return services.case_conclusion_draft(case=case, by=by, result=result, summary=summary)
    return services.case_decision_draft(case=case, by=by, result=result, summary=summary)


def _drafted(row, d) -> str:
    return _draft_message(row)


def _withdrawn(result, d) -> str:
    if d.get("continue_resolution"):
        return _("Đã ghi nhận việc rút tố cáo; tiếp tục giải quyết do có dấu hiệu vi phạm.")
    return _("Đã ghi nhận rút đơn; vụ việc kết thúc.")


def _upload(d):
    return d.get("file")


# ---- when -------------------------------------------------------------------------------------------------


def _w_verify(case, user, state) -> bool:
    return case.kind in RESOLVING and case.state == CaseState.ACCEPTED and _resolver(case, user)


def _w_step(case, user, state) -> bool:
    return (
        case.kind in RESOLVING
        and case.state in (CaseState.ACCEPTED, CaseState.SUSPENDED)
        and rules.can_verify(user, case)
    )


def _w_dialogue(case, user, state) -> bool:
    return case.kind == CaseKind.COMPLAINT and case.state == CaseState.ACCEPTED and _resolver(case, user)


def _w_decision(case, user, state) -> bool:
    return _w_verify(case, user, state)


def _w_handling(case, user, state) -> bool:
    return case.kind == CaseKind.DENUNCIATION and case.state == CaseState.RESOLVED and _resolver(case, user)


def _w_route(case, user, state) -> bool:
    return (
        case.kind in PETITIONS
        and case.state in (CaseState.REGISTERED, CaseState.ACCEPTED)
        and (rules.can_intake(user, case) or _resolver(case, user))
    )


def _w_answer(case, user, state) -> bool:
    return case.kind in PETITIONS and case.state == CaseState.ACCEPTED and _resolver(case, user)


def _w_deliver(case, user, state) -> bool:
    return (
        case.kind == CaseKind.COMPLAINT
        and case.state == CaseState.RESOLVED
        and case.stage == Stage.DELIVERY
        and _resolver(case, user)
    )


def _w_publish(case, user, state) -> bool:
    return (
        case.kind == CaseKind.COMPLAINT
        and case.state == CaseState.RESOLVED
        and case.stage == Stage.PUBLICATION
        and _resolver(case, user)
    )


def _w_close(case, user, state) -> bool:
    return case.state == CaseState.RESOLVED and "close" in state


def _w_complex(case, user, state) -> bool:
    return (
        case.kind in RESOLVING
        and case.state in (CaseState.ACCEPTED, CaseState.SUSPENDED)
        and rules.can_decide(user, case)
    )


def _w_extend(case, user, state) -> bool:
    return (
        _w_complex(case, user, state) and case.kind == CaseKind.DENUNCIATION and case.complexity != "normal"
    )


def _w_withdraw_partial(case, user, state) -> bool:
    return (
        case.state in (CaseState.ACCEPTED, CaseState.SUSPENDED)
        and case.letter.signer_count > 1
        and _resolver(case, user)
    )


def _w_withdraw(case, user, state) -> bool:
    return "withdraw" in state and case.state != CaseState.REGISTERED


def _w_second(case, user, state) -> bool:
    return (
        case.kind == CaseKind.COMPLAINT
        and case.instance == 1
        and case.state in (CaseState.RESOLVED, CaseState.CLOSED)
        and rules.can_register(user)
    )


# ---- the actions: each one service's call (``eoffice.actions.service_action``) ---------------------------

_action = partial(service_action, record="case")

ACTIONS: list = [
    _action(
        "verification",
        services.case_verification_assign,
        fields=("lead", "order", "note"),
        computed={"members": lambda d: list(d["members"] or [])},
        message=gettext_lazy("Đã giao xác minh."),
        form=forms.VerificationForm,
        form_kwargs=_case_kwargs,
        when=_w_verify,
        title=gettext_lazy("Giao xác minh"),
        button=gettext_lazy("Giao xác minh"),
    ),
    _action(
        "case_step",
        services.case_step_add,
        fields=("kind", "title", "text", "happened_on"),
        computed={"upload": _upload},
        message=gettext_lazy("Đã cập nhật hồ sơ giải quyết."),
        form=forms.StepForm,
        when=_w_step,
        multipart=True,
        title=gettext_lazy("Cập nhật hồ sơ: kế hoạch, chứng cứ, báo cáo"),
        button=gettext_lazy("Lưu vào hồ sơ"),
    ),
    _action(
        "dialogue",
        services.case_dialogue_schedule,
        fields=("at", "place", "notified_on", "note"),
        message=gettext_lazy("Đã lên lịch đối thoại."),
        form=forms.DialogueScheduleForm,
        when=_w_dialogue,
        more=True,
        title=gettext_lazy("Lên lịch đối thoại"),
        button=gettext_lazy("Lên lịch"),
    ),
    _action(
        "dialogue_minutes",
        services.case_dialogue_minutes,
        fields=("held_on", "text", "draft"),
        computed={"upload": _upload},
        message=gettext_lazy("Đã lưu biên bản đối thoại."),
        form=forms.DialogueMinutesForm,
        when=_w_dialogue,
        multipart=True,
        more=True,
        title=gettext_lazy("Biên bản đối thoại"),
        button=gettext_lazy("Lưu biên bản"),
    ),
    _action(
        "decision",
        _decision_draft,
        fields=("result", "summary"),
        message=_drafted,
        form=forms.ResultForm,
        form_kwargs=_case_kwargs,
        when=_w_decision,
        title=gettext_lazy("Soạn quyết định giải quyết / kết luận"),
        button=gettext_lazy("Soạn dự thảo"),
    ),
    _action(
        "handling",
        services.case_handling_add,
        fields=("measure", "text"),
        computed={"upload": _upload},
        message=gettext_lazy("Đã ghi nhận biện pháp xử lý."),
        form=forms.HandlingForm,
        when=_w_handling,
        multipart=True,
        title=gettext_lazy("Xử lý sau kết luận"),
        button=gettext_lazy("Ghi nhận"),
    ),
    _action(
        "denouncer_notice",
        services.case_denouncer_notice_draft,
        message=_drafted,
        when=_w_handling,
        title=gettext_lazy("Thông báo kết quả cho người tố cáo"),
        button=gettext_lazy("Soạn thông báo"),
        hint=gettext_lazy("Văn bản không ghi họ tên, địa chỉ người tố cáo ở phần nơi nhận."),
    ),
    _action(
        "route",
        services.case_route,
        fields=("department", "handler"),
        message=gettext_lazy("Đã chuyển đơn vị, cán bộ giải quyết."),
        form=forms.RouteForm,
        form_kwargs=_case_kwargs,
        when=_w_route,
        more=True,
        title=gettext_lazy("Chuyển đơn vị giải quyết"),
        button=gettext_lazy("Chuyển"),
    ),
    _action(
        "answer",
        services.case_answer_draft,
        fields=("summary", "publish_consent"),
        message=_drafted,
        form=forms.AnswerForm,
        when=_w_answer,
        title=gettext_lazy("Soạn văn bản trả lời"),
        button=gettext_lazy("Soạn dự thảo"),
    ),
    _action(
        "deliver",
        services.case_deliver,
        fields=("delivered_on", "recipients", "note"),
        message=gettext_lazy("Đã ghi nhận việc gửi quyết định, kết luận."),
        form=forms.DeliverForm,
        when=_w_deliver,
        title=gettext_lazy("Gửi quyết định"),
        button=gettext_lazy("Ghi nhận đã gửi"),
    ),
    _action(
        "publish",
        services.case_publish,
        fields=("published_on", "method"),
        message=gettext_lazy("Đã ghi nhận việc công khai."),
        form=forms.PublishForm,
        when=_w_publish,
        title=gettext_lazy("Công khai quyết định"),
        button=gettext_lazy("Ghi nhận công khai"),
    ),
    _action(
        "case_close",
        services.case_close,
        fields=("note",),
        message=gettext_lazy("Đã kết thúc vụ việc, lưu hồ sơ."),
        form=forms.CloseForm,
        when=_w_close,
        title=gettext_lazy("Kết thúc, lưu hồ sơ"),
        button=gettext_lazy("Kết thúc"),
        tone="secondary",
        confirm=gettext_lazy("Kết thúc vụ việc và lưu hồ sơ?"),
    ),
    _action(
        "complex",
        services.case_mark_complex,
        fields=("ground", "level"),
        message=gettext_lazy("Đã xác định vụ việc phức tạp; thời hạn được tính lại."),
        form=forms.ComplexForm,
        when=_w_complex,
        more=True,
        title=gettext_lazy("Xác định vụ việc phức tạp"),
        button=gettext_lazy("Xác định"),
    ),
    _action(
        "extend",
        services.case_extend,
        fields=("ground",),
        message=gettext_lazy("Đã gia hạn; dự thảo quyết định gia hạn đã được tạo."),
        form=forms.GroundForm,
        when=_w_extend,
        more=True,
        title=gettext_lazy("Gia hạn giải quyết tố cáo"),
        button=gettext_lazy("Gia hạn"),
    ),
    _action(
        "suspend",
        services.case_suspend,
        fields=("ground",),
        message=gettext_lazy("Đã tạm đình chỉ; dự thảo quyết định tạm đình chỉ đã được tạo."),
        form=forms.GroundForm,
        when=lambda case, user, state: "suspend" in state and case.kind in RESOLVING,
        more=True,
        title=gettext_lazy("Tạm đình chỉ"),
        button=gettext_lazy("Tạm đình chỉ"),
        tone="secondary",
    ),
    _action(
        "resume",
        services.case_continue,
        fields=("ground",),
        message=gettext_lazy("Đã tiếp tục giải quyết; thời hạn được tính lại."),
        form=forms.OptionalGroundForm,
        when=lambda case, user, state: "resume" in state,
        title=gettext_lazy("Tiếp tục giải quyết"),
        button=gettext_lazy("Tiếp tục giải quyết"),
    ),
    _action(
        "stop",
        services.case_stop,
        fields=("ground",),
        message=gettext_lazy("Đã đình chỉ giải quyết; dự thảo quyết định đình chỉ đã được tạo."),
        form=forms.GroundForm,
        when=lambda case, user, state: "stop" in state and case.kind in RESOLVING,
        more=True,
        title=gettext_lazy("Đình chỉ giải quyết"),
        button=gettext_lazy("Đình chỉ"),
        tone="danger",
        confirm=gettext_lazy("Đình chỉ giải quyết vụ việc?"),
    ),
    _action(
        "withdraw_partial",
        services.case_withdraw_partial,
        fields=("ground",),
        computed={"identities": lambda d: list(d["people"])},
        message=gettext_lazy(
            "Đã ghi nhận rút đơn một phần; tiếp tục giải quyết đối với những người còn lại."
        ),
        form=forms.PartialWithdrawForm,
        form_kwargs=_case_kwargs,
        when=_w_withdraw_partial,
        more=True,
        title=gettext_lazy("Rút đơn một phần"),
        button=gettext_lazy("Ghi nhận"),
    ),
    _action(
        "withdraw",
        services.case_withdraw,
        fields=("ground", "continue_resolution", "violation_ground"),
        message=_withdrawn,
        form=forms.WithdrawForm,
        form_kwargs=_case_kwargs,
        when=_w_withdraw,
        more=True,
        title=gettext_lazy("Rút đơn"),
        button=gettext_lazy("Ghi nhận rút đơn"),
        tone="danger",
    ),
    _action(
        "second_instance",
        services.case_second_instance_open,
        fields=("received_on", "decision_received_on", "summary"),
        message=lambda second, d: redirect(second),
        form=forms.SecondInstanceForm,
        when=_w_second,
        more=True,
        title=gettext_lazy("Vào sổ khiếu nại lần hai"),
        button=gettext_lazy("Vào sổ"),
    ),
]
