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
import hashlib
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed, has_transition_perm

from complaints import deadlines, rules, selectors
from complaints.models import (
    Case,
    CaseDocument,
    CaseKind,
    CaseMember,
    CaseState,
    CaseStep,
    Complexity,
    FormCode,
    Identity,
    Stage,
)
from complaints.services.common import case_history, sync_clock
from complaints.services.drafting import ISSUED_HANDLERS, case_document_draft
from eoffice.models import Department, User
from eoffice.uploads import check_upload
from workflow import services as wf
from workflow.models import HistoryEntry, WorkflowState

__all__ = [
    "COMPLAINT_RESULTS",
    "DENUNCIATION_RESULTS",
    "STEP_KINDS_FILE",
    "case_answer_draft",
    "case_close",
    "case_conclusion_draft",
    "case_continue",
    "case_decision_draft",
    "case_deliver",
    "case_denouncer_notice_draft",
    "case_dialogue_minutes",
    "case_dialogue_schedule",
    "case_extend",
    "case_handling_add",
    "case_mark_complex",
    "case_publish",
    "case_route",
    "case_second_instance_open",
    "case_step_add",
    "case_stop",
    "case_suspend",
    "case_verification_assign",
    "case_withdraw",
    "case_withdraw_partial",
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
_RESOLVING = (CaseKind.COMPLAINT, CaseKind.DENUNCIATION)
_PETITIONS = (CaseKind.PETITION, CaseKind.FEEDBACK)
_STEP_FILE_KINDS = ("pdf", "png", "jpeg", "docx", "xlsx", "odt", "ods")


# ---- helpers ----------------------------------------------------------------------------------------------


def _locked(case: Case | int, by: User) -> Case:
    return selectors.case_access(user=by, pk=case if isinstance(case, int) else case.pk, lock=True)


def _need(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDenied(message or _("Bạn không có quyền thực hiện thao tác này đối với vụ việc."))


def _need_state(case: Case, *states: str) -> None:
    if case.state not in states:
        raise ValidationError(
            _("Vụ việc đang ở trạng thái “%(state)s”: không thực hiện được thao tác này.")
            % {"state": case.get_state_display()},
            code="bad_state",
        )


def _need_kind(case: Case, *kinds: str) -> None:
    if case.kind not in kinds:
        raise ValidationError(
            _("Thao tác này không áp dụng cho loại đơn “%(kind)s”.") % {"kind": case.get_kind_display()},
            code="bad_kind",
        )


def _text(value: str, message: str, limit: int = 20000) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message, code="required")
    if len(value) > limit:
        raise ValidationError(_("Nội dung quá dài (tối đa %(n)s ký tự).") % {"n": limit}, code="too_long")
    return value


def _transition(
    case: Case, by: User | None, name: str, *, comment: str = "", check_perm: bool = True
) -> None:
    """Run the FSM transition ``name`` on the locked ``case`` and write its history row."""
    method = getattr(case, name)
    if not can_proceed(method):
        _need_state(case)  # raises with the state's label
    if check_perm and not has_transition_perm(method, by):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này đối với vụ việc."))
    before = case.state
    method()
    case.save()
    wf.history_add(
        record=case,
        event=HistoryEntry.Event.TRANSITION,
        actor=by,
        action=name,
        from_state=before,
        to_state=case.state,
        comment=comment,
    )


def _store_file(step: CaseStep, upload) -> None:
    if not upload:
        return
    check_upload(upload, kinds=_STEP_FILE_KINDS)
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    step.sha256 = hashlib.sha256(data).hexdigest()
    name = (getattr(upload, "name", "") or "tep").strip()[-255:]
    step.file_name = f"{step.kind}-{step.sha256[:8]}" + ("." + name.rsplit(".", 1)[-1] if "." in name else "")
    if not step.case.protected:
        step.file_name = name
    step.file.save(f"{step.sha256[:16]}-{step.kind}", upload, save=False)


def _step(
    case: Case,
    by: User,
    kind: str,
    title: str,
    *,
    text: str = "",
    upload=None,
    happened_on: dt.date | None = None,
    scheduled_at: dt.datetime | None = None,
    data: dict | None = None,
) -> CaseStep:
    step = CaseStep(
        case=case,
        kind=kind,
        title=title[:500],
        text=text,
        happened_on=happened_on or timezone.localdate(),
        scheduled_at=scheduled_at,
        data=data or {},
        created_by=by,
    )
    _store_file(step, upload)
    step.save()
    return step


def _pending(case: Case, form: str) -> bool:
    """A draft of ``form`` for the case that is neither issued nor cancelled."""
    return (
        CaseDocument.objects.filter(case=case, form=form, issued_at__isnull=True)
        .exclude(
            document__state__in=[WorkflowState.CANCELLED, WorkflowState.REJECTED, WorkflowState.RECALLED]
        )
        .exists()
    )


def _draft(case: Case, by: User, form: str, *, context: dict | None = None, step: CaseStep | None = None):
    if _pending(case, form):
        raise ValidationError(
            _("Đã có dự thảo “%(form)s” đang trình: hoàn tất hoặc hủy dự thảo đó trước.")
            % {"form": FormCode(form).label},
            code="pending_draft",
        )
    return case_document_draft(case=case, form=form, by=by, context=context or {}, step=step)


def _user_of_agency(user: User | None, case: Case, what: str) -> User:
    if user is None or user.agency_id != case.agency_id or not user.is_active:
        raise ValidationError(
            _("%(what)s phải là cán bộ đang làm việc của cơ quan.") % {"what": what}, code="bad_user"
        )
    return user


def dialogue_minutes_exist(case: Case) -> bool:
    return CaseStep.objects.filter(case=case, kind=CaseStep.Kind.DIALOGUE, data__minutes=True).exists()


def withdrawn_identity_ids(case: Case) -> set[int]:
    """The people of the letter who withdrew their complaint (partial withdrawals)."""
    ids: set[int] = set()
    for data in CaseStep.objects.filter(case=case, kind=CaseStep.Kind.WITHDRAWAL).values_list(
        "data", flat=True
    ):
        ids.update(int(pk) for pk in (data or {}).get("identities", []))
    return ids


# ---- verification and the case file ---------------------------------------------------------------------


def case_verification_assign(
    *, case: Case, by: User, lead: User, members: Sequence[User] = (), order: bool = False, note: str = ""
) -> Case:
    """Name the verifier (``lead``) or the verification team (``members`` besides); the previous team is
    replaced. ``order``: also draft the Quyết định giao nhiệm vụ xác minh."""
    with transaction.atomic():
        locked = _locked(case, by)
        _need(rules.can_resolve(by, locked))
        _need_kind(locked, *_RESOLVING)
        _need_state(locked, CaseState.ACCEPTED)
        lead = _user_of_agency(lead, locked, _("Người xác minh"))
        team = {lead.pk: CaseMember.Role.LEAD}
        for member in members:
            member = _user_of_agency(member, locked, _("Thành viên tổ xác minh"))
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
            _draft(
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
        locked = _locked(case, by)
        allowed = (
            rules.can_resolve(by, locked) if kind in _STEP_KINDS_RESOLVER else rules.can_verify(by, locked)
        )
        _need(allowed)
        _need_state(locked, CaseState.ACCEPTED, CaseState.SUSPENDED, CaseState.RESOLVED)
        title = _text(title, _("Vui lòng nhập tiêu đề tài liệu."), 500)
        if happened_on and happened_on > timezone.localdate():
            raise ValidationError(_("Ngày của tài liệu không được sau hôm nay."), code="future")
        step = _step(
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
        locked = _locked(case, by)
        _need(rules.can_resolve(by, locked))
        _need_kind(locked, CaseKind.COMPLAINT)
        _need_state(locked, CaseState.ACCEPTED)
        place = _text(place, _("Vui lòng nhập địa điểm đối thoại."), 500)
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
        step = _step(
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
        locked = _locked(case, by)
        _need(rules.can_resolve(by, locked))
        _need_kind(locked, CaseKind.COMPLAINT)
        _need_state(locked, CaseState.ACCEPTED)
        text = _text(text, _("Vui lòng nhập nội dung biên bản đối thoại."), 50000)
        if held_on > timezone.localdate():
            raise ValidationError(_("Ngày đối thoại không được sau hôm nay."), code="future")
        step = _step(
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
            _draft(
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
    locked.result_summary = _text(summary, _("Vui lòng nhập tóm tắt kết quả giải quyết."), 20000)


def case_decision_draft(*, case: Case, by: User, result: str, summary: str) -> CaseDocument:
    """Draft the Quyết định giải quyết khiếu nại; at the second instance only after the dialogue minutes.
    Issued (outgoing flow) → the case is resolved and the sending clock starts."""
    with transaction.atomic():
        locked = _locked(case, by)
        _need(rules.can_resolve(by, locked))
        _need_kind(locked, CaseKind.COMPLAINT)
        _need_state(locked, CaseState.ACCEPTED)
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
        row = _draft(locked, by, FormCode.COMPLAINT_DECISION, context={"result": COMPLAINT_RESULTS[result]})
        sync_clock(locked, by=by)
    return row


def case_conclusion_draft(*, case: Case, by: User, result: str, summary: str) -> CaseDocument:
    """Draft the Kết luận nội dung tố cáo. Issued → resolved; handling and notifying the denouncer follow."""
    with transaction.atomic():
        locked = _locked(case, by)
        _need(rules.can_resolve(by, locked))
        _need_kind(locked, CaseKind.DENUNCIATION)
        _need_state(locked, CaseState.ACCEPTED)
        _result(locked, result, summary, DENUNCIATION_RESULTS)
        locked.stage = Stage.DECISION
        locked.save(update_fields=["result", "result_summary", "stage"])
        row = _draft(
            locked, by, FormCode.DENUNCIATION_CONCLUSION, context={"result": DENUNCIATION_RESULTS[result]}
        )
        sync_clock(locked, by=by)
    return row


def case_handling_add(*, case: Case, by: User, measure: str, text: str = "", upload=None) -> CaseStep:
    """A handling measure after the conclusion (discipline, transfer to the police, recovery …)."""
    with transaction.atomic():
        locked = _locked(case, by)
        _need(rules.can_resolve(by, locked))
        _need_kind(locked, CaseKind.DENUNCIATION)
        _need_state(locked, CaseState.RESOLVED)
        measure = _text(measure, _("Vui lòng nhập biện pháp xử lý."), 500)
        step = _step(locked, by, CaseStep.Kind.HANDLING, measure, text=(text or "").strip(), upload=upload)
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
        locked = _locked(case, by)
        _need(rules.can_resolve(by, locked))
        _need_kind(locked, CaseKind.DENUNCIATION)
        _need_state(locked, CaseState.RESOLVED)
        locked.stage = Stage.DELIVERY
        locked.save(update_fields=["stage"])
        row = _draft(locked, by, FormCode.DENOUNCER_NOTICE)
        sync_clock(locked, by=by)
    return row


def case_route(*, case: Case, by: User, department: Department | None, handler: User | None = None) -> Case:
    """A petition or feedback: routed to the competent unit (and its officer)."""
    with transaction.atomic():
        locked = _locked(case, by)
        _need(rules.can_intake(by, locked) or rules.can_resolve(by, locked))
        _need_kind(locked, *_PETITIONS)
        _need_state(locked, CaseState.REGISTERED, CaseState.ACCEPTED)
        if department is None and handler is None:
            raise ValidationError(_("Vui lòng chọn đơn vị hoặc cán bộ giải quyết."), code="required")
        if department is not None and department.agency_id != locked.agency_id:
            raise ValidationError(_("Đơn vị giải quyết phải thuộc cơ quan."), code="bad_department")
        if handler is not None:
            handler = _user_of_agency(handler, locked, _("Cán bộ giải quyết"))
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
        locked = _locked(case, by)
        _need(rules.can_resolve(by, locked))
        _need_kind(locked, *_PETITIONS)
        _need_state(locked, CaseState.ACCEPTED)
        locked.result = "answered"
        locked.result_summary = _text(summary, _("Vui lòng nhập nội dung trả lời."), 20000)
        locked.publish_consent = bool(publish_consent)
        locked.stage = Stage.ANSWER
        locked.save(update_fields=["result", "result_summary", "publish_consent", "stage"])
        row = _draft(locked, by, FormCode.PETITION_ANSWER, context={"answer": locked.result_summary})
        sync_clock(locked, by=by)
    return row


def case_deliver(*, case: Case, by: User, delivered_on: dt.date, recipients: str, note: str = "") -> CaseStep:
    """The decision (conclusion) was sent to those concerned: recorded; publication follows."""
    with transaction.atomic():
        locked = _locked(case, by)
        _need(rules.can_resolve(by, locked))
        _need_state(locked, CaseState.RESOLVED)
        recipients = _text(recipients, _("Vui lòng nhập nơi nhận."), 2000)
        if delivered_on > timezone.localdate():
            raise ValidationError(_("Ngày gửi không được sau hôm nay."), code="future")
        step = _step(
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
        locked = _locked(case, by)
        _need(rules.can_resolve(by, locked))
        _need_state(locked, CaseState.RESOLVED)
        method = _text(method, _("Vui lòng nhập hình thức công khai."), 500)
        if published_on > timezone.localdate():
            raise ValidationError(_("Ngày công khai không được sau hôm nay."), code="future")
        step = _step(locked, by, CaseStep.Kind.PUBLICATION, method, happened_on=published_on)
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
        locked = _locked(case, by)
        _transition(locked, by, "close", comment=(note or "").strip()[:2000])
        locked.closed_at = timezone.now()
        locked.save(update_fields=["closed_at"])
        sync_clock(locked, by=by)
    return locked


# ---- the decisions that move the clock ------------------------------------------------------------------


def case_suspend(*, case: Case, by: User, ground: str) -> Case:
    """Tạm đình chỉ: the clock stops (``paused_at``); the decision is drafted (SUSPENSION)."""
    with transaction.atomic():
        locked = _locked(case, by)
        _need_kind(locked, *_RESOLVING)
        ground = _text(ground, _("Vui lòng nhập căn cứ tạm đình chỉ."))
        _transition(locked, by, "suspend", comment=ground)
        locked.paused_at = timezone.now()
        locked.save(update_fields=["paused_at"])
        step = _step(locked, by, CaseStep.Kind.SUSPENSION, _("Tạm đình chỉ giải quyết"), text=ground)
        sync_clock(locked, by=by)
        _draft(locked, by, FormCode.SUSPENSION, context={"ground": ground}, step=step)
    return locked


def case_continue(*, case: Case, by: User, ground: str = "") -> Case:
    """Tiếp tục giải quyết: the time suspended is added to ``paused_days`` (in the unit of the rule) and the
    clock restarts; the decision is drafted (CONTINUE)."""
    with transaction.atomic():
        locked = _locked(case, by)
        ground = (ground or "").strip() or _("Lý do tạm đình chỉ không còn")
        _transition(locked, by, "resume", comment=ground)
        now = timezone.now()
        rule = deadlines.resolution_deadline(locked).rule
        paused = deadlines.paused_length(locked.paused_at, now, rule.unit) if locked.paused_at and rule else 0
        locked.paused_days += paused
        locked.paused_at = None
        locked.save(update_fields=["paused_days", "paused_at"])
        step = _step(
            locked,
            by,
            CaseStep.Kind.CONTINUATION,
            _("Tiếp tục giải quyết"),
            text=ground,
            data={"paused": paused},
        )
        sync_clock(locked, by=by, now=now)
        _draft(locked, by, FormCode.CONTINUE, context={"ground": ground, "paused": paused}, step=step)
    return locked


def case_stop(*, case: Case, by: User, ground: str) -> Case:
    """Đình chỉ giải quyết: the case ends; the decision is drafted (STOP)."""
    with transaction.atomic():
        locked = _locked(case, by)
        _need_kind(locked, *_RESOLVING)
        ground = _text(ground, _("Vui lòng nhập căn cứ đình chỉ."))
        _transition(locked, by, "stop", comment=ground)
        locked.paused_at = None
        locked.closed_at = timezone.now()
        locked.save(update_fields=["paused_at", "closed_at"])
        step = _step(locked, by, CaseStep.Kind.STOP, _("Đình chỉ giải quyết"), text=ground)
        sync_clock(locked, by=by)
        _draft(locked, by, FormCode.STOP, context={"ground": ground}, step=step)
    return locked


def case_mark_complex(*, case: Case, by: User, ground: str, level: str = Complexity.COMPLEX) -> Case:
    """Record in writing that the case is complex (or very complex) and why: the resolution deadline of a
    complaint changes; a denunciation may then be extended."""
    with transaction.atomic():
        locked = _locked(case, by)
        _need(rules.can_decide(by, locked), _("Chỉ người giải quyết xác định vụ việc phức tạp."))
        _need_kind(locked, *_RESOLVING)
        _need_state(locked, CaseState.ACCEPTED, CaseState.SUSPENDED)
        if level not in (Complexity.COMPLEX, Complexity.VERY_COMPLEX):
            raise ValidationError(_("Mức độ phức tạp không hợp lệ."), code="bad_level")
        ground = _text(ground, _("Vui lòng nhập căn cứ xác định vụ việc phức tạp."))
        before = locked.due_at
        locked.complexity = level
        locked.complexity_ground = ground
        locked.save(update_fields=["complexity", "complexity_ground"])
        step = _step(
            locked,
            by,
            CaseStep.Kind.COMPLEXITY,
            str(Complexity(level).label),
            text=ground,
            data={"level": level},
        )
        deadline = sync_clock(locked, by=by)
        case_history(
            case=locked,
            by=by,
            action="complexity",
            comment=ground[:2000],
            data={
                "step": step.pk,
                "level": level,
                "due_before": before.isoformat() if before else None,
                "due": deadline.due_at.isoformat() if deadline.due_at else None,
            },
        )
    return locked


def case_extend(*, case: Case, by: User, ground: str) -> Case:
    """Extend the resolution of a denunciation (once when complex, twice when very complex), in writing:
    the EXTENSION decision is drafted."""
    with transaction.atomic():
        locked = _locked(case, by)
        _need(rules.can_decide(by, locked), _("Chỉ người giải quyết tố cáo quyết định gia hạn."))
        _need_kind(locked, CaseKind.DENUNCIATION)
        _need_state(locked, CaseState.ACCEPTED, CaseState.SUSPENDED)
        ground = _text(ground, _("Vui lòng nhập căn cứ gia hạn."))
        allowed = deadlines.max_extensions(locked)
        if locked.extension_count >= allowed:
            rule = deadlines.rule_in_force(
                deadlines.RuleCode.DENUNCIATION_RESOLVE, on=locked.letter.received_on
            )
            if allowed == 0:
                message = _("Chỉ gia hạn khi vụ việc được xác định là phức tạp (%(source)s).")
            else:
                message = _("Đã gia hạn đủ %(n)s lần được phép (%(source)s).")
            raise ValidationError(message % {"n": allowed, "source": rule.source}, code="no_more_extensions")
        locked.extension_count += 1
        locked.save(update_fields=["extension_count"])
        step = _step(
            locked,
            by,
            CaseStep.Kind.EXTENSION,
            _("Gia hạn lần %(n)s") % {"n": locked.extension_count},
            text=ground,
            data={"n": locked.extension_count},
        )
        deadline = sync_clock(locked, by=by)
        case_history(
            case=locked,
            by=by,
            action="extension",
            comment=ground[:2000],
            data={"step": step.pk, "n": locked.extension_count, "due": deadline.due_at.isoformat()},
        )
        _draft(
            locked, by, FormCode.EXTENSION, context={"ground": ground, "n": locked.extension_count}, step=step
        )
    return locked


# ---- withdrawals ----------------------------------------------------------------------------------------


def case_withdraw_partial(*, case: Case, by: User, identities: Sequence[Identity], ground: str) -> CaseStep:
    """Some of the many complainants withdraw: recorded; resolution continues for the others."""
    with transaction.atomic():
        locked = _locked(case, by)
        _need(rules.can_resolve(by, locked))
        _need_state(locked, CaseState.REGISTERED, CaseState.ACCEPTED, CaseState.SUSPENDED)
        ground = _text(ground, _("Vui lòng nhập nội dung đơn rút."))
        people = {p.pk for p in locked.letter.people.all()}
        chosen = {i.pk for i in identities}
        if not chosen or not chosen <= people:
            raise ValidationError(
                _("Vui lòng chọn người rút đơn trong số người đứng đơn."), code="bad_people"
            )
        gone = withdrawn_identity_ids(locked)
        if chosen & gone:
            raise ValidationError(_("Có người đã rút đơn trước đó."), code="already")
        remaining = len(people - gone - chosen)
        if remaining == 0:
            raise ValidationError(
                _("Tất cả người đứng đơn đều rút đơn: dùng chức năng “Rút đơn” để kết thúc vụ việc."),
                code="all_withdrew",
            )
        step = _step(
            locked,
            by,
            CaseStep.Kind.WITHDRAWAL,
            _("Rút đơn một phần"),
            text=ground,
            data={"identities": sorted(chosen), "remaining": remaining},
        )
        case_history(
            case=locked,
            by=by,
            action="partial_withdrawal",
            comment=_("%(n)s người rút đơn, còn %(m)s người") % {"n": len(chosen), "m": remaining},
            data={"step": step.pk, "withdrawn": len(chosen), "remaining": remaining},
        )
        sync_clock(locked, by=by)
    return step


def case_withdraw(
    *, case: Case, by: User, ground: str, continue_resolution: bool = False, violation_ground: str = ""
) -> Case:
    """The letter is withdrawn in writing: the case ends (WITHDRAWN). For a denunciation whose act shows
    signs of a violation, resolution continues (``continue_resolution`` with its ground): recorded only."""
    with transaction.atomic():
        locked = _locked(case, by)
        ground = _text(ground, _("Vui lòng nhập nội dung đơn rút."))
        if continue_resolution:
            _need(rules.can_resolve(by, locked))
            _need_kind(locked, CaseKind.DENUNCIATION)
            _need_state(locked, CaseState.ACCEPTED, CaseState.SUSPENDED)
            violation_ground = _text(
                violation_ground, _("Vui lòng nêu dấu hiệu vi phạm pháp luật để tiếp tục giải quyết.")
            )
            step = _step(
                locked,
                by,
                CaseStep.Kind.WITHDRAWAL,
                _("Rút tố cáo — tiếp tục giải quyết do có dấu hiệu vi phạm"),
                text=f"{ground}\n{violation_ground}",
                data={"continued": True},
            )
            case_history(
                case=locked,
                by=by,
                action="withdrawal_continued",
                comment=_("Người tố cáo rút tố cáo; tiếp tục giải quyết: %(ground)s")
                % {"ground": violation_ground[:1500]},
                data={"step": step.pk, "kind": CaseStep.Kind.WITHDRAWAL, "continued": True},
            )
        else:
            _transition(locked, by, "withdraw", comment=ground)
            locked.paused_at = None
            locked.closed_at = timezone.now()
            locked.save(update_fields=["paused_at", "closed_at"])
            _step(locked, by, CaseStep.Kind.WITHDRAWAL, _("Rút đơn"), text=ground)
        sync_clock(locked, by=by)
    return locked


# ---- second instance ------------------------------------------------------------------------------------


def case_second_instance_open(
    *,
    case: Case,
    by: User,
    received_on: dt.date,
    summary: str,
    content: str = "",
    source: str = "in_person",
    decision_received_on: dt.date | None = None,
    people: Sequence | None = None,
    files=(),
) -> Case:
    """A complaint against the first decision: a new letter (the same complainants) and a case at the second
    instance linked to the first. Refused when the first is not decided yet, or (when the day the decision
    was received is given) after the lodging period."""
    from complaints import crypto
    from complaints.services.identity import PersonInput
    from complaints.services.letters import ContentInput, letter_register

    with transaction.atomic():
        first = _locked(case, by)
        _need(rules.can_register(by), _("Chỉ cán bộ tiếp công dân, xử lý đơn được vào sổ đơn."))
        _need_kind(first, CaseKind.COMPLAINT)
        if first.instance != 1:
            raise ValidationError(_("Vụ việc này đã là giải quyết lần hai."), code="second")
        _need_state(first, CaseState.RESOLVED, CaseState.CLOSED)
        if first.next_instances.exists():
            raise ValidationError(_("Đã có vụ việc khiếu nại lần hai của vụ việc này."), code="exists")
        if decision_received_on is not None:
            limit = deadlines.lodging_deadline(
                kind_code=deadlines.RuleCode.COMPLAINT_LODGE_2,
                known_on=decision_received_on,
                remote=first.remote_area or rules.settings_for(first.agency_id).remote_area,
            )
            if deadlines.local_date(limit.due_at) < received_on:
                raise ValidationError(
                    _("Đã quá thời hạn khiếu nại lần hai (%(label)s).") % {"label": limit.label},
                    code="out_of_time",
                )
        if people is None and first.letter.people.filter(protected=True).exists():
            raise ValidationError(
                _("Người khiếu nại được giữ bí mật: vui lòng nhập lại thông tin người khiếu nại."),
                code="people",
            )
        people = (
            list(people)
            if people is not None
            else [
                PersonInput(
                    **{
                        f: crypto.decrypt(getattr(p, f"{f}_enc"))
                        for f in ("name", "id_number", "address", "phone", "email")
                    },
                    role=p.role,
                    protected=p.protected,
                )
                for p in first.letter.people.all()
                if p.pk not in withdrawn_identity_ids(first)
            ]
        )
        letter = letter_register(
            by=by,
            received_on=received_on,
            source=source,
            summary=summary,
            people=people,
            contents=[
                ContentInput(
                    kind=CaseKind.COMPLAINT,
                    content=(content or summary).strip(),
                    field=first.field,
                    subject=first.subject,
                    act_known_on=decision_received_on,
                    instance=2,
                    previous=first,
                )
            ],
            files=files,
            protected=first.protected,
        )
        second = letter.cases.get()
        case_history(
            case=first,
            by=by,
            action="case_step",
            comment=_("Khiếu nại lần hai: vụ việc %(code)s") % {"code": second.code},
            data={"second": second.pk},
        )
    return second


# ---- issued documents -----------------------------------------------------------------------------------


def _on_result_issued(row: CaseDocument, by: User) -> None:
    """The decision / conclusion / answer was issued: the case is resolved; the sending clock starts."""
    case = Case.objects.select_for_update().select_related("letter").get(pk=row.case_id)
    if case.state != CaseState.ACCEPTED:
        return
    _transition(case, by, "resolve", check_perm=False)
    case.resolved_at = timezone.now()
    if case.kind == CaseKind.DENUNCIATION:
        case.stage = Stage.HANDLING
    elif case.kind in _PETITIONS:
        case.stage = Stage.PUBLICATION if case.publish_consent else Stage.DONE
    case.save(update_fields=["resolved_at", "stage"])
    sync_clock(case, by=by)


def _on_denouncer_notified(row: CaseDocument, by: User) -> None:
    case = Case.objects.select_for_update().get(pk=row.case_id)
    if case.state != CaseState.RESOLVED:
        return
    _step(case, by, CaseStep.Kind.DELIVERY, _("Đã thông báo kết quả giải quyết cho người tố cáo"))
    case.stage = Stage.DONE
    case.save(update_fields=["stage"])
    sync_clock(case, by=by)


ISSUED_HANDLERS[FormCode.COMPLAINT_DECISION] = _on_result_issued
ISSUED_HANDLERS[FormCode.DENUNCIATION_CONCLUSION] = _on_result_issued
ISSUED_HANDLERS[FormCode.PETITION_ANSWER] = _on_result_issued
ISSUED_HANDLERS[FormCode.DENOUNCER_NOTICE] = _on_denouncer_notified
