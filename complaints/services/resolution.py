"""Resolving an accepted case: verification (verifier or team, plan, evidence, report), dialogue and its
minutes, the decision / conclusion / answer drafted through the outgoing flow, and what follows its issue
(delivery, handling, notifying the denouncer, publication, close); the decisions that move the clock
(suspend, continue, stop, complexity, extension); withdrawals; the second instance of a complaint.

Every function: keyword-only, one transaction, the case locked through ``selectors.case_access``, the right
checked here, a history row (never a protected identity in it) and ``sync_clock`` after the change.
A drafted document is an outgoing document (``drafting.case_document_draft``); when it is issued the handlers
registered at the end of this module (``ISSUED_HANDLERS``) move the case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints import deadlines, rules
from complaints.models import (
    Case,
    CaseDocument,
    CaseKind,
    CaseMember,
    CaseState,
    CaseStep,
    FormCode,
    Stage,
)
from complaints.services.casework import (  # noqa: F401
    PETITIONS,
    RESOLVING,
    add_step,
    clean_text,
    dialogue_minutes_exist,
    draft_form,
    draft_pending,
    locked_case,
    need,
    need_kind,
    need_state,
    run_transition,
    store_step_file,
    user_of_agency,
    withdrawn_identity_ids,
)
from complaints.services.common import case_history, sync_clock
from complaints.services.drafting import ISSUED_HANDLERS
from eoffice.models import Department, User

__all__ = [
    "COMPLAINT_RESULTS",
    "DENUNCIATION_RESULTS",
    "STEP_KINDS_FILE",
    "case_answer_draft",
    "case_close",
    "case_conclusion_draft",
    "case_decision_draft",
    "case_deliver",
    "case_denouncer_notice_draft",
    "case_dialogue_minutes",
    "case_dialogue_schedule",
    "case_handling_add",
    "case_publish",
    "case_route",
    "case_step_add",
    "case_verification_assign",
    "dialogue_minutes_exist",
    "withdrawn_identity_ids",
]

# The result of a complaint decision and of a denunciation conclusion (``Case.result``).
COMPLAINT_RESULTS = {
    "right": gettext_lazy("Khiếu nại đúng"),
    "partly": gettext_lazy("Khiếu nại đúng một phần"),
    "wrong": gettext_lazy("Khiếu nại sai"),
}
DENUNCIATION_RESULTS = {
    "right": gettext_lazy("Tố cáo đúng"),
    "partly": gettext_lazy("Tố cáo đúng một phần"),
    "wrong": gettext_lazy("Tố cáo sai"),
}
# The case-file entries added through ``case_step_add`` (the others have their own service).
STEP_KINDS_FILE = (CaseStep.Kind.PLAN, CaseStep.Kind.EVIDENCE, CaseStep.Kind.REPORT, CaseStep.Kind.NOTE)
_STEP_KINDS_RESOLVER = (CaseStep.Kind.PLAN,)


# ---- verification and the case file ---------------------------------------------------------------------


def case_verification_assign(
    *, case: Case, by: User, lead: User, members: Sequence[User] = (), order: bool = False, note: str = ""
) -> Case:
    """Name the verifier (``lead``) or the verification team (``members`` besides); the previous team is
    replaced. ``order``: also draft the Quyết định giao nhiệm vụ xác minh."""
    with transaction.atomic():
        locked = locked_case(case, by)
        need(rules.can_resolve(by, locked))
        need_kind(locked, *RESOLVING)
        need_state(locked, CaseState.ACCEPTED)
        lead = user_of_agency(lead, locked, _("Người xác minh"))
        team = {lead.pk: CaseMember.Role.LEAD}
        for member in members:
            member = user_of_agency(member, locked, _("Thành viên tổ xác minh"))
            team.setdefault(member.pk, CaseMember.Role.MEMBER)
        now = timezone.now()
        current = {m.user_id: m for m in CaseMember.objects.filter(case=locked, removed_at__isnull=True)}
        for user_id, member in current.items():
            if team.get(user_id) != member.role:
                member.removed_at = now
                member.save(update_fields=["removed_at"])
        for user_id, role in team.items():
            if user_id not in current or current[user_id].role != role:
                CaseMember.objects.create(case=locked, user_id=user_id, role=role)
        locked.stage = Stage.VERIFICATION
        locked.save(update_fields=["stage"])
        case_history(
            case=locked,
            by=by,
            action="verification",
            comment=note.strip()[:2000],
            data={"lead": lead.pk, "members": [pk for pk in team if pk != lead.pk]},
        )
        sync_clock(locked, by=by)
        if order and locked.kind == CaseKind.COMPLAINT:  # a denunciation's team is in its acceptance decision
            names = [u.full_name for u in User.objects.filter(pk__in=list(team)).order_by("full_name")]
            draft_form(
                locked, by, FormCode.VERIFICATION_ORDER, context={"verifiers": names, "lead": lead.full_name}
            )
    return locked


def case_step_add(
    *, case: Case, by: User, kind: str, title: str, text: str = "", upload=None, happened_on=None
) -> CaseStep:
    """A verification plan (those who resolve), evidence, a report or a note (any verifier too)."""
    if kind not in STEP_KINDS_FILE:
        raise ValidationError(_("Loại tài liệu không hợp lệ."), code="bad_kind")
    with transaction.atomic():
        locked = locked_case(case, by)
        allowed = (
            rules.can_resolve(by, locked) if kind in _STEP_KINDS_RESOLVER else rules.can_verify(by, locked)
        )
        need(allowed)
        need_state(locked, CaseState.ACCEPTED, CaseState.SUSPENDED, CaseState.RESOLVED)
        title = clean_text(title, _("Vui lòng nhập tiêu đề tài liệu."), 500)
        if happened_on and happened_on > timezone.localdate():
            raise ValidationError(_("Ngày của tài liệu không được sau hôm nay."), code="future")
        step = add_step(
            locked, by, kind, title, text=(text or "").strip(), upload=upload, happened_on=happened_on
        )
        case_history(
            case=locked,
            by=by,
            action="case_step",
            comment=f"{CaseStep.Kind(kind).label}: {title}"[:2000],
            data={"step": step.pk, "kind": kind},
        )
        sync_clock(locked, by=by)
    return step


# ---- dialogue -------------------------------------------------------------------------------------------


def case_dialogue_schedule(
    *, case: Case, by: User, at: dt.datetime, place: str, notified_on: dt.date | None = None, note: str = ""
) -> CaseStep:
    """Schedule the dialogue of a complaint; the parties must be told at least ``dialogue_notice`` days
    ahead (the rule in force on the letter's received day)."""
    with transaction.atomic():
        locked = locked_case(case, by)
        need(rules.can_resolve(by, locked))
        need_kind(locked, CaseKind.COMPLAINT)
        need_state(locked, CaseState.ACCEPTED)
        place = clean_text(place, _("Vui lòng nhập địa điểm đối thoại."), 500)
        notified_on = notified_on or timezone.localdate()
        day = deadlines.local_date(at)
        if day < notified_on:
            raise ValidationError(_("Ngày đối thoại phải sau ngày thông báo."), code="past")
        broken = deadlines.dialogue_notice_ok(case=locked, notified_on=notified_on, dialogue_on=day)
        if broken is not None:
            raise ValidationError(
                _("Phải thông báo đối thoại trước ít nhất %(label)s: chọn ngày đối thoại muộn hơn.")
                % {"label": broken.label},
                code="notice_too_short",
            )
        step = add_step(
            locked,
            by,
            CaseStep.Kind.DIALOGUE,
            _("Lịch đối thoại"),
            text=(note or "").strip(),
            happened_on=notified_on,
            scheduled_at=at,
            data={"place": place, "notified_on": notified_on.isoformat()},
        )
        locked.stage = Stage.DIALOGUE
        locked.save(update_fields=["stage"])
        case_history(
            case=locked,
            by=by,
            action="case_step",
            comment=_("Lịch đối thoại: %(at)s tại %(place)s")
            % {"at": timezone.localtime(at).strftime("%H:%M %d/%m/%Y"), "place": place},
            data={"step": step.pk, "kind": CaseStep.Kind.DIALOGUE},
        )
        sync_clock(locked, by=by)
    return step


def case_dialogue_minutes(
    *, case: Case, by: User, held_on: dt.date, text: str, upload=None, draft: bool = False
) -> CaseStep:
    """The minutes of the dialogue (text and the signed scan); ``draft`` also drafts the Biên bản đối thoại
    as an outgoing document. Mandatory before the decision at the second instance."""
    with transaction.atomic():
        locked = locked_case(case, by)
        need(rules.can_resolve(by, locked))
        need_kind(locked, CaseKind.COMPLAINT)
        need_state(locked, CaseState.ACCEPTED)
        text = clean_text(text, _("Vui lòng nhập nội dung biên bản đối thoại."), 50000)
        if held_on > timezone.localdate():
            raise ValidationError(_("Ngày đối thoại không được sau hôm nay."), code="future")
        step = add_step(
            locked,
            by,
            CaseStep.Kind.DIALOGUE,
            _("Biên bản đối thoại"),
            text=text,
            upload=upload,
            happened_on=held_on,
            data={"minutes": True},
        )
        locked.stage = Stage.DIALOGUE
        locked.save(update_fields=["stage"])
        case_history(
            case=locked,
            by=by,
            action="case_step",
            comment=_("Biên bản đối thoại ngày %(day)s") % {"day": held_on.strftime("%d/%m/%Y")},
            data={"step": step.pk, "kind": CaseStep.Kind.DIALOGUE},
        )
        sync_clock(locked, by=by)
        if draft:
            draft_form(
                locked,
                by,
                FormCode.DIALOGUE_MINUTES,
                context={"minutes": text, "held_on": held_on},
                step=step,
            )
    return step


# ---- the result -----------------------------------------------------------------------------------------


def _result(locked: Case, result: str, summary: str, choices: dict) -> None:
    if result not in choices:
        raise ValidationError(_("Vui lòng chọn kết quả giải quyết."), code="bad_result")
    locked.result = result
    locked.result_summary = clean_text(summary, _("Vui lòng nhập tóm tắt kết quả giải quyết."), 20000)


def case_decision_draft(*, case: Case, by: User, result: str, summary: str) -> CaseDocument:
    """Draft the Quyết định giải quyết khiếu nại; at the second instance only after the dialogue minutes.
    Issued (outgoing flow) → the case is resolved and the sending clock starts."""
    with transaction.atomic():
        locked = locked_case(case, by)
        need(rules.can_resolve(by, locked))
        need_kind(locked, CaseKind.COMPLAINT)
        need_state(locked, CaseState.ACCEPTED)
        if locked.instance == 2 and not dialogue_minutes_exist(locked):
            raise ValidationError(
                _(
                    "Giải quyết khiếu nại lần hai phải tổ chức đối thoại: "
                    "ghi biên bản đối thoại trước khi ra quyết định."
                ),
                code="dialogue_required",
            )
        _result(locked, result, summary, COMPLAINT_RESULTS)
        locked.stage = Stage.DECISION
        locked.save(update_fields=["result", "result_summary", "stage"])
        row = draft_form(
            locked, by, FormCode.COMPLAINT_DECISION, context={"result": COMPLAINT_RESULTS[result]}
        )
        sync_clock(locked, by=by)
    return row


def case_conclusion_draft(*, case: Case, by: User, result: str, summary: str) -> CaseDocument:
    """Draft the Kết luận nội dung tố cáo. Issued → resolved; handling and notifying the denouncer follow."""
    with transaction.atomic():
        locked = locked_case(case, by)
        need(rules.can_resolve(by, locked))
        need_kind(locked, CaseKind.DENUNCIATION)
        need_state(locked, CaseState.ACCEPTED)
        _result(locked, result, summary, DENUNCIATION_RESULTS)
        locked.stage = Stage.DECISION
        locked.save(update_fields=["result", "result_summary", "stage"])
        row = draft_form(
            locked, by, FormCode.DENUNCIATION_CONCLUSION, context={"result": DENUNCIATION_RESULTS[result]}
        )
        sync_clock(locked, by=by)
    return row


def case_handling_add(*, case: Case, by: User, measure: str, text: str = "", upload=None) -> CaseStep:
    """A handling measure after the conclusion (discipline, transfer to the police, recovery …)."""
    with transaction.atomic():
        locked = locked_case(case, by)
        need(rules.can_resolve(by, locked))
        need_kind(locked, CaseKind.DENUNCIATION)
        need_state(locked, CaseState.RESOLVED)
        measure = clean_text(measure, _("Vui lòng nhập biện pháp xử lý."), 500)
        step = add_step(locked, by, CaseStep.Kind.HANDLING, measure, text=(text or "").strip(), upload=upload)
        case_history(
            case=locked,
            by=by,
            action="case_step",
            comment=f"{CaseStep.Kind.HANDLING.label}: {measure}"[:2000],
            data={"step": step.pk, "kind": CaseStep.Kind.HANDLING},
        )
        sync_clock(locked, by=by)
    return step


def case_denouncer_notice_draft(*, case: Case, by: User) -> CaseDocument:
    """Draft the Thông báo kết quả giải quyết tố cáo. Its recipients never name a protected denouncer: it is
    drafted without recipients; the officer who took the letter delivers it."""
    with transaction.atomic():
        locked = locked_case(case, by)
        need(rules.can_resolve(by, locked))
        need_kind(locked, CaseKind.DENUNCIATION)
        need_state(locked, CaseState.RESOLVED)
        locked.stage = Stage.DELIVERY
        locked.save(update_fields=["stage"])
        row = draft_form(locked, by, FormCode.DENOUNCER_NOTICE)
        sync_clock(locked, by=by)
    return row


def case_route(*, case: Case, by: User, department: Department | None, handler: User | None = None) -> Case:
    """A petition or feedback: routed to the competent unit (and its officer)."""
    with transaction.atomic():
        locked = locked_case(case, by)
        need(rules.can_intake(by, locked) or rules.can_resolve(by, locked))
        need_kind(locked, *PETITIONS)
        need_state(locked, CaseState.REGISTERED, CaseState.ACCEPTED)
        if department is None and handler is None:
            raise ValidationError(_("Vui lòng chọn đơn vị hoặc cán bộ giải quyết."), code="required")
        if department is not None and department.agency_id != locked.agency_id:
            raise ValidationError(_("Đơn vị giải quyết phải thuộc cơ quan."), code="bad_department")
        if handler is not None:
            handler = user_of_agency(handler, locked, _("Cán bộ giải quyết"))
            department = department or handler.department
        locked.department = department
        locked.handler = handler
        locked.save(update_fields=["department", "handler"])
        case_history(
            case=locked,
            by=by,
            action="handler",
            comment=", ".join(
                x for x in [department.name if department else "", handler.full_name if handler else ""] if x
            ),
            data={
                "department": department.pk if department else None,
                "handler": handler.pk if handler else None,
            },
        )
        sync_clock(locked, by=by)
    return locked


def case_answer_draft(*, case: Case, by: User, summary: str, publish_consent: bool = False) -> CaseDocument:
    """Draft the answer to a petition or feedback (within the agency's days); the sender's consent to publish
    it is recorded. Issued → resolved."""
    with transaction.atomic():
        locked = locked_case(case, by)
        need(rules.can_resolve(by, locked))
        need_kind(locked, *PETITIONS)
        need_state(locked, CaseState.ACCEPTED)
        locked.result = "answered"
        locked.result_summary = clean_text(summary, _("Vui lòng nhập nội dung trả lời."), 20000)
        locked.publish_consent = bool(publish_consent)
        locked.stage = Stage.ANSWER
        locked.save(update_fields=["result", "result_summary", "publish_consent", "stage"])
        row = draft_form(locked, by, FormCode.PETITION_ANSWER, context={"answer": locked.result_summary})
        sync_clock(locked, by=by)
    return row


def case_deliver(*, case: Case, by: User, delivered_on: dt.date, recipients: str, note: str = "") -> CaseStep:
    """The decision (conclusion) was sent to those concerned: recorded; publication follows."""
    with transaction.atomic():
        locked = locked_case(case, by)
        need(rules.can_resolve(by, locked))
        need_state(locked, CaseState.RESOLVED)
        recipients = clean_text(recipients, _("Vui lòng nhập nơi nhận."), 2000)
        if delivered_on > timezone.localdate():
            raise ValidationError(_("Ngày gửi không được sau hôm nay."), code="future")
        step = add_step(
            locked,
            by,
            CaseStep.Kind.DELIVERY,
            _("Gửi quyết định, kết luận"),
            text="\n".join(x for x in [recipients, (note or "").strip()] if x),
            happened_on=delivered_on,
        )
        locked.stage = Stage.PUBLICATION if locked.kind == CaseKind.COMPLAINT else Stage.DONE
        locked.save(update_fields=["stage"])
        case_history(
            case=locked,
            by=by,
            action="case_step",
            comment=_("Đã gửi ngày %(day)s") % {"day": delivered_on.strftime("%d/%m/%Y")},
            data={"step": step.pk, "kind": CaseStep.Kind.DELIVERY},
        )
        sync_clock(locked, by=by)
    return step


def case_publish(*, case: Case, by: User, published_on: dt.date, method: str) -> CaseStep:
    """The decision was made public (read at a meeting, posted at the office, on the website)."""
    with transaction.atomic():
        locked = locked_case(case, by)
        need(rules.can_resolve(by, locked))
        need_state(locked, CaseState.RESOLVED)
        method = clean_text(method, _("Vui lòng nhập hình thức công khai."), 500)
        if published_on > timezone.localdate():
            raise ValidationError(_("Ngày công khai không được sau hôm nay."), code="future")
        step = add_step(locked, by, CaseStep.Kind.PUBLICATION, method, happened_on=published_on)
        locked.stage = Stage.DONE
        locked.save(update_fields=["stage"])
        case_history(
            case=locked,
            by=by,
            action="publication",
            comment=method,
            data={"step": step.pk, "on": published_on.isoformat()},
        )
        sync_clock(locked, by=by)
    return step


def case_close(*, case: Case, by: User, note: str = "") -> Case:
    """End the case and file it (kết thúc, lưu hồ sơ)."""
    with transaction.atomic():
        locked = locked_case(case, by)
        run_transition(locked, by, "close", comment=(note or "").strip()[:2000])
        locked.closed_at = timezone.now()
        locked.save(update_fields=["closed_at"])
        sync_clock(locked, by=by)
    return locked


# ---- issued documents -----------------------------------------------------------------------------------


def _on_result_issued(row: CaseDocument, by: User) -> None:
    """The decision / conclusion / answer was issued: the case is resolved; the sending clock starts."""
    case = Case.objects.select_for_update().select_related("letter").get(pk=row.case_id)
    if case.state != CaseState.ACCEPTED:
        return
    run_transition(case, by, "resolve", check_perm=False)
    case.resolved_at = timezone.now()
    # lateness is recorded now, against the deadline as it stands (complexity, extensions, suspensions)
    case.resolution_due_at = deadlines.resolution_deadline(case).due_at
    case.resolved_late = case.resolution_due_at is not None and case.resolved_at > case.resolution_due_at
    if case.kind == CaseKind.DENUNCIATION:
        case.stage = Stage.HANDLING
    elif case.kind in PETITIONS:
        case.stage = Stage.PUBLICATION if case.publish_consent else Stage.DONE
    case.save(update_fields=["resolved_at", "resolution_due_at", "resolved_late", "stage"])
    sync_clock(case, by=by)


def _on_denouncer_notified(row: CaseDocument, by: User) -> None:
    case = Case.objects.select_for_update().get(pk=row.case_id)
    if case.state != CaseState.RESOLVED:
        return
    add_step(case, by, CaseStep.Kind.DELIVERY, _("Đã thông báo kết quả giải quyết cho người tố cáo"))
    case.stage = Stage.DONE
    case.save(update_fields=["stage"])
    sync_clock(case, by=by)


ISSUED_HANDLERS[FormCode.COMPLAINT_DECISION] = _on_result_issued
ISSUED_HANDLERS[FormCode.DENUNCIATION_CONCLUSION] = _on_result_issued
ISSUED_HANDLERS[FormCode.PETITION_ANSWER] = _on_result_issued
ISSUED_HANDLERS[FormCode.DENOUNCER_NOTICE] = _on_denouncer_notified
