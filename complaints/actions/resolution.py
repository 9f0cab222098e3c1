"""The case page's resolution actions (``eoffice.actions``): each a form posting to one service of
``complaints.services.resolution``, which decides. ``when`` only chooses what the page offers: the case's
kind, state and stage, and the user's right (``complaints.rules``)."""

from __future__ import annotations

from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints import rules, services
from complaints.forms import resolution as forms
from complaints.models import CaseKind, CaseState, Stage
from eoffice.actions import Action

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


# ---- runs -------------------------------------------------------------------------------------------------


def _verification(case, user, form) -> str:
    d = form.cleaned_data
    services.case_verification_assign(
        case=case,
        by=user,
        lead=d["lead"],
        members=list(d["members"] or []),
        order=d.get("order", False),
        note=d["note"],
    )
    return _("Đã giao xác minh.")


def _step(case, user, form) -> str:
    d = form.cleaned_data
    services.case_step_add(
        case=case,
        by=user,
        kind=d["kind"],
        title=d["title"],
        text=d["text"],
        upload=d.get("file"),
        happened_on=d["happened_on"],
    )
    return _("Đã cập nhật hồ sơ giải quyết.")


def _dialogue(case, user, form) -> str:
    d = form.cleaned_data
    services.case_dialogue_schedule(
        case=case, by=user, at=d["at"], place=d["place"], notified_on=d.get("notified_on"), note=d["note"]
    )
    return _("Đã lên lịch đối thoại.")


def _minutes(case, user, form) -> str:
    d = form.cleaned_data
    services.case_dialogue_minutes(
        case=case, by=user, held_on=d["held_on"], text=d["text"], upload=d.get("file"), draft=d["draft"]
    )
    return _("Đã lưu biên bản đối thoại.")


def _decision(case, user, form) -> str:
    d = form.cleaned_data
    if case.kind == CaseKind.DENUNCIATION:
        row = services.case_conclusion_draft(case=case, by=user, result=d["result"], summary=d["summary"])
    else:
        row = services.case_decision_draft(case=case, by=user, result=d["result"], summary=d["summary"])
    return _draft_message(row)


def _handling(case, user, form) -> str:
    d = form.cleaned_data
    services.case_handling_add(case=case, by=user, measure=d["measure"], text=d["text"], upload=d.get("file"))
    return _("Đã ghi nhận biện pháp xử lý.")


def _notice(case, user, form) -> str:
    return _draft_message(services.case_denouncer_notice_draft(case=case, by=user))


def _route(case, user, form) -> str:
    d = form.cleaned_data
    services.case_route(case=case, by=user, department=d.get("department"), handler=d.get("handler"))
    return _("Đã chuyển đơn vị, cán bộ giải quyết.")


def _answer(case, user, form) -> str:
    d = form.cleaned_data
    row = services.case_answer_draft(
        case=case, by=user, summary=d["summary"], publish_consent=d["publish_consent"]
    )
    return _draft_message(row)


def _deliver(case, user, form) -> str:
    d = form.cleaned_data
    services.case_deliver(
        case=case, by=user, delivered_on=d["delivered_on"], recipients=d["recipients"], note=d["note"]
    )
    return _("Đã ghi nhận việc gửi quyết định, kết luận.")


def _publish(case, user, form) -> str:
    d = form.cleaned_data
    services.case_publish(case=case, by=user, published_on=d["published_on"], method=d["method"])
    return _("Đã ghi nhận việc công khai.")


def _close(case, user, form) -> str:
    services.case_close(case=case, by=user, note=form.cleaned_data["note"])
    return _("Đã kết thúc vụ việc, lưu hồ sơ.")


def _suspend(case, user, form) -> str:
    services.case_suspend(case=case, by=user, ground=form.cleaned_data["ground"])
    return _("Đã tạm đình chỉ; dự thảo quyết định tạm đình chỉ đã được tạo.")


def _continue(case, user, form) -> str:
    services.case_continue(case=case, by=user, ground=form.cleaned_data["ground"])
    return _("Đã tiếp tục giải quyết; thời hạn được tính lại.")


def _stop(case, user, form) -> str:
    services.case_stop(case=case, by=user, ground=form.cleaned_data["ground"])
    return _("Đã đình chỉ giải quyết; dự thảo quyết định đình chỉ đã được tạo.")


def _complex(case, user, form) -> str:
    d = form.cleaned_data
    services.case_mark_complex(case=case, by=user, ground=d["ground"], level=d["level"])
    return _("Đã xác định vụ việc phức tạp; thời hạn được tính lại.")


def _extend(case, user, form) -> str:
    services.case_extend(case=case, by=user, ground=form.cleaned_data["ground"])
    return _("Đã gia hạn; dự thảo quyết định gia hạn đã được tạo.")


def _withdraw_partial(case, user, form) -> str:
    d = form.cleaned_data
    services.case_withdraw_partial(case=case, by=user, identities=list(d["people"]), ground=d["ground"])
    return _("Đã ghi nhận rút đơn một phần; tiếp tục giải quyết đối với những người còn lại.")


def _withdraw(case, user, form) -> str:
    d = form.cleaned_data
    services.case_withdraw(
        case=case,
        by=user,
        ground=d["ground"],
        continue_resolution=d.get("continue_resolution", False),
        violation_ground=d.get("violation_ground", ""),
    )
    if d.get("continue_resolution"):
        return _("Đã ghi nhận việc rút tố cáo; tiếp tục giải quyết do có dấu hiệu vi phạm.")
    return _("Đã ghi nhận rút đơn; vụ việc kết thúc.")


def _second(case, user, form):
    d = form.cleaned_data
    second = services.case_second_instance_open(
        case=case,
        by=user,
        received_on=d["received_on"],
        decision_received_on=d.get("decision_received_on"),
        summary=d["summary"],
    )
    return redirect(second)


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


ACTIONS: list = [
    Action(
        "verification",
        run=_verification,
        form=forms.VerificationForm,
        form_kwargs=_case_kwargs,
        when=_w_verify,
        title=gettext_lazy("Giao xác minh"),
        button=gettext_lazy("Giao xác minh"),
    ),
    Action(
        "case_step",
        run=_step,
        form=forms.StepForm,
        when=_w_step,
        multipart=True,
        title=gettext_lazy("Cập nhật hồ sơ: kế hoạch, chứng cứ, báo cáo"),
        button=gettext_lazy("Lưu vào hồ sơ"),
    ),
    Action(
        "dialogue",
        run=_dialogue,
        form=forms.DialogueScheduleForm,
        when=_w_dialogue,
        more=True,
        title=gettext_lazy("Lên lịch đối thoại"),
        button=gettext_lazy("Lên lịch"),
    ),
    Action(
        "dialogue_minutes",
        run=_minutes,
        form=forms.DialogueMinutesForm,
        when=_w_dialogue,
        multipart=True,
        more=True,
        title=gettext_lazy("Biên bản đối thoại"),
        button=gettext_lazy("Lưu biên bản"),
    ),
    Action(
        "decision",
        run=_decision,
        form=forms.ResultForm,
        form_kwargs=_case_kwargs,
        when=_w_decision,
        title=gettext_lazy("Soạn quyết định giải quyết / kết luận"),
        button=gettext_lazy("Soạn dự thảo"),
    ),
    Action(
        "handling",
        run=_handling,
        form=forms.HandlingForm,
        when=_w_handling,
        multipart=True,
        title=gettext_lazy("Xử lý sau kết luận"),
        button=gettext_lazy("Ghi nhận"),
    ),
    Action(
        "denouncer_notice",
        run=_notice,
        when=_w_handling,
        title=gettext_lazy("Thông báo kết quả cho người tố cáo"),
        button=gettext_lazy("Soạn thông báo"),
        hint=gettext_lazy("Văn bản không ghi họ tên, địa chỉ người tố cáo ở phần nơi nhận."),
    ),
    Action(
        "route",
        run=_route,
        form=forms.RouteForm,
        form_kwargs=_case_kwargs,
        when=_w_route,
        more=True,
        title=gettext_lazy("Chuyển đơn vị giải quyết"),
        button=gettext_lazy("Chuyển"),
    ),
    Action(
        "answer",
        run=_answer,
        form=forms.AnswerForm,
        when=_w_answer,
        title=gettext_lazy("Soạn văn bản trả lời"),
        button=gettext_lazy("Soạn dự thảo"),
    ),
    Action(
        "deliver",
        run=_deliver,
        form=forms.DeliverForm,
        when=_w_deliver,
        title=gettext_lazy("Gửi quyết định"),
        button=gettext_lazy("Ghi nhận đã gửi"),
    ),
    Action(
        "publish",
        run=_publish,
        form=forms.PublishForm,
        when=_w_publish,
        title=gettext_lazy("Công khai quyết định"),
        button=gettext_lazy("Ghi nhận công khai"),
    ),
    Action(
        "case_close",
        run=_close,
        form=forms.CloseForm,
        when=_w_close,
        title=gettext_lazy("Kết thúc, lưu hồ sơ"),
        button=gettext_lazy("Kết thúc"),
        tone="secondary",
        confirm=gettext_lazy("Kết thúc vụ việc và lưu hồ sơ?"),
    ),
    Action(
        "complex",
        run=_complex,
        form=forms.ComplexForm,
        when=_w_complex,
        more=True,
        title=gettext_lazy("Xác định vụ việc phức tạp"),
        button=gettext_lazy("Xác định"),
    ),
    Action(
        "extend",
        run=_extend,
        form=forms.GroundForm,
        when=_w_extend,
        more=True,
        title=gettext_lazy("Gia hạn giải quyết tố cáo"),
        button=gettext_lazy("Gia hạn"),
    ),
    Action(
        "suspend",
        run=_suspend,
        form=forms.GroundForm,
        when=lambda case, user, state: "suspend" in state and case.kind in RESOLVING,
        more=True,
        title=gettext_lazy("Tạm đình chỉ"),
        button=gettext_lazy("Tạm đình chỉ"),
        tone="secondary",
    ),
    Action(
        "resume",
        run=_continue,
        form=forms.OptionalGroundForm,
        when=lambda case, user, state: "resume" in state,
        title=gettext_lazy("Tiếp tục giải quyết"),
        button=gettext_lazy("Tiếp tục giải quyết"),
    ),
    Action(
        "stop",
        run=_stop,
        form=forms.GroundForm,
        when=lambda case, user, state: "stop" in state and case.kind in RESOLVING,
        more=True,
        title=gettext_lazy("Đình chỉ giải quyết"),
        button=gettext_lazy("Đình chỉ"),
        tone="danger",
        confirm=gettext_lazy("Đình chỉ giải quyết vụ việc?"),
    ),
    Action(
        "withdraw_partial",
        run=_withdraw_partial,
        form=forms.PartialWithdrawForm,
        form_kwargs=_case_kwargs,
        when=_w_withdraw_partial,
        more=True,
        title=gettext_lazy("Rút đơn một phần"),
        button=gettext_lazy("Ghi nhận"),
    ),
    Action(
        "withdraw",
        run=_withdraw,
        form=forms.WithdrawForm,
        form_kwargs=_case_kwargs,
        when=_w_withdraw,
        more=True,
        title=gettext_lazy("Rút đơn"),
        button=gettext_lazy("Ghi nhận rút đơn"),
        tone="danger",
    ),
    Action(
        "second_instance",
        run=_second,
        form=forms.SecondInstanceForm,
        when=_w_second,
        more=True,
        title=gettext_lazy("Vào sổ khiếu nại lần hai"),
        button=gettext_lazy("Vào sổ"),
    ),
]
