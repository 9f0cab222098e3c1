"""The intake outcomes of a registered case (xử lý đơn): accept (thụ lý), refuse with the reason, forward to
the competent body (once for the same content), return with guidance, keep and follow. Each moves the FSM
state through ``workflow.services.record_transition`` (lock, right, history), produces its form (a drafted
outgoing document, or a printed form) and restarts the clock (``sync_clock``).

Keep and follow (lưu đơn, theo dõi): the law gives no day count, so the clock is the follow-up date the
officer sets (after today; moved later with ``case_follow_up_set``, ended with ``case_follow_up_end``), and
the Phiếu đề xuất lưu đơn, theo dõi is printed. After a denunciation is accepted, the denouncer is told of
it within the rule ``denunciation_notify`` (Luật Tố cáo Đ29: 05 working days from the acceptance
decision): ``denunciation_notice_step`` is that step, ``case_denunciation_notice_draft`` drafts the notice,
and its issue marks the step done."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import deadlines, rules, selectors
from complaints.models import (
    Case,
    CaseDocument,
    CaseKind,
    CaseState,
    CaseStep,
    FormCode,
    IntakeOutcome,
    RuleCode,
)
from complaints.services.casework import add_step, draft_pending
from complaints.services.common import FOLLOW_UP_KEY, case_history, sync_clock
from complaints.services.drafting import ISSUED_HANDLERS, case_document_draft
from complaints.services.identity import identity_label
from eoffice.models import Agency, Department, User
from workflow import services as wf

__all__ = [
    "NoticeStep",
    "case_accept",
    "case_denunciation_notice_draft",
    "case_follow_up_end",
    "case_follow_up_set",
    "case_forward",
    "case_guide",
    "case_keep",
    "case_refuse",
    "denunciation_notice_step",
    "intake_documents",
]


def _locked(case: Case | int, by: User) -> Case:
    locked = selectors.case_access(user=by, pk=case if isinstance(case, int) else case.pk, lock=True)
    if not rules.can_intake(by, locked):
        raise PermissionDenied(_("Bạn không có quyền xử lý đơn này."))
    if locked.state != CaseState.REGISTERED:
        raise ValidationError(_("Vụ việc đã có kết quả xử lý đơn."), code="not_registered")
    return locked


def _transition(locked: Case, *, action: str, by: User, comment: str, data: dict | None = None) -> Case:
    """The FSM transition with its history row, then the outcome's time and the clock."""
    moved = wf.record_transition(record=locked, action=action, by=by, comment=comment, data=data)
    moved = Case.objects.select_related("letter", "agency").get(pk=moved.pk)
    moved.outcome_at = timezone.now()
    moved.save(update_fields=["outcome_at"])
    sync_clock(moved, by=by)
    return moved


def _addressees(case: Case) -> str:
    """The external recipients of a notice to the letter's people: their display names, one a line; never
    a protected person (the notice to a protected denouncer is handed over without a name)."""
    if case.protected:
        return ""
    return "\n".join(identity_label(p) for p in case.letter.people.all() if not p.protected)


def _require_handleable(case: Case) -> None:
    if case.duplicate_of_id:
        raise ValidationError(
            _("Đơn trùng với vụ việc %(code)s: không xử lý lại.") % {"code": case.duplicate_of.code},
            code="duplicate",
        )


def case_accept(
    *,
    case: Case,
    by: User,
    handler: User | None = None,
    department: Department | None = None,
    decider: User | None = None,
    note: str = "",
) -> Case:
    """Thụ lý: the case gets its handler, resolving unit and decider, ``accepted_at``, the resolution clock;
    a complaint's acceptance notice (ACCEPT_NOTICE) or a denunciation's acceptance decision
    (DENUNCIATION_ACCEPT) is drafted as an outgoing document. An anonymous denunciation is not handled as
    a denunciation: it may only be accepted for management inspection, with the ground in ``note``."""
    note = (note or "").strip()
    with transaction.atomic():
        locked = _locked(case, by)
        _require_handleable(locked)
        if locked.processable is False:
            raise ValidationError(
                _("Đơn không đủ điều kiện xử lý (%(reason)s): không thể thụ lý.")
                % {"reason": locked.get_not_processable_reason_display()},
                code="not_processable",
            )
        if locked.competent is False:
            raise ValidationError(
                _("Đơn không thuộc thẩm quyền: chuyển đơn đến %(body)s.")
                % {"body": locked.competent_body or _("cơ quan có thẩm quyền")},
                code="not_competent",
            )
        anonymous = locked.kind == CaseKind.DENUNCIATION and locked.letter.anonymous
        if anonymous and not note:
            raise ValidationError(
                _(
                    "Tố cáo nặc danh không được xử lý như tố cáo: chỉ thụ lý để thanh tra, kiểm tra phục vụ "
                    "quản lý khi có nội dung cụ thể, chứng cứ; ghi rõ căn cứ."
                ),
                code="anonymous",
            )
        agency_id = locked.agency_id
        if handler is not None and (handler.agency_id != agency_id or not handler.is_active):
            raise ValidationError(_("Cán bộ xử lý phải thuộc cơ quan này."), code="bad_handler")
        if department is not None and department.agency_id != agency_id:
            raise ValidationError(_("Đơn vị giải quyết phải thuộc cơ quan này."), code="bad_department")
        if decider is not None and not rules.is_decider(decider, agency_id):
            raise ValidationError(_("Người được chọn không có thẩm quyền giải quyết."), code="bad_decider")
        locked.handler = handler or locked.handler or by
        locked.department = department or locked.department
        locked.decider = decider or locked.decider or rules.default_decider(agency_id)
        locked.accepted_at = timezone.now()
        locked.processable = True
        locked.competent = True
        locked.save(
            update_fields=["handler", "department", "decider", "accepted_at", "processable", "competent"]
        )
        moved = _transition(
            locked,
            action="accept",
            by=by,
            comment=note,
            data={"management_inspection": True} if anonymous else None,
        )
        form = None
        if moved.kind == CaseKind.COMPLAINT:
            form = FormCode.ACCEPT_NOTICE
        elif moved.kind == CaseKind.DENUNCIATION and not anonymous:
            form = FormCode.DENUNCIATION_ACCEPT
        if form is not None:
            deadline = deadlines.current(moved)
            when = timezone.localtime(deadline.due_at).strftime("%d/%m/%Y") if deadline.due_at else ""
            case_document_draft(
                case=moved,
                form=form,
                by=by,
                context={"deadline": f"{when} ({deadline.label})" if when else "", "note": note},
                external_recipients=_addressees(moved) if form == FormCode.ACCEPT_NOTICE else "",
            )
    return moved


def case_refuse(*, case: Case, by: User, reason: str) -> Case:
    """Không thụ lý, with the reason; the notice (REFUSE_NOTICE) is drafted as an outgoing document."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Vui lòng ghi lý do không thụ lý."), code="no_reason")
    with transaction.atomic():
        locked = _locked(case, by)
        locked.outcome_reason = reason
        locked.save(update_fields=["outcome_reason"])
        moved = _transition(locked, action="refuse", by=by, comment=reason)
        case_document_draft(
            case=moved,
            form=FormCode.REFUSE_NOTICE,
            by=by,
            context={"reason": reason},
            external_recipients=_addressees(moved),
        )
    return moved


def _already_forwarded(case: Case) -> Case | None:
    """This case's content already forwarded: the case itself, the case it duplicates, or another
    duplicate of that one."""
    original_id = case.duplicate_of_id or case.pk
    return (
        Case.objects.filter(outcome=IntakeOutcome.FORWARD)
        .filter(Q(pk=original_id) | Q(duplicate_of_id=original_id))
        .exclude(pk=case.pk)
        .first()
    )


def case_forward(
    *, case: Case, by: User, agency: Agency | None = None, body_name: str = "", reason: str
) -> Case:
    """Chuyển đơn to the competent body: an agency of this installation (the Phiếu chuyển đơn is delivered
    to it as an outgoing document) or a named body outside it (delivered on paper). Only once for the same
    content: refused when this case or the case it duplicates was already forwarded."""
    reason = (reason or "").strip()
    body_name = " ".join((body_name or "").split())
    if not reason:
        raise ValidationError(_("Vui lòng ghi lý do chuyển đơn."), code="no_reason")
    if (agency is None) == (not body_name):
        raise ValidationError(
            _("Chọn một cơ quan trong hệ thống, hoặc ghi tên cơ quan có thẩm quyền bên ngoài (chỉ một)."),
            code="no_body",
        )
    with transaction.atomic():
        locked = _locked(case, by)
        if agency is not None and agency.pk == locked.agency_id:
            raise ValidationError(_("Không thể chuyển đơn cho chính cơ quan mình."), code="self")
        earlier = _already_forwarded(locked)
        if earlier is not None:
            raise ValidationError(
                _("Nội dung này đã được chuyển đơn (vụ việc %(code)s): chỉ chuyển một lần.")
                % {"code": earlier.code},
                code="already_forwarded",
            )
        target = agency.name if agency is not None else body_name
        locked.forwarded_agency = agency
        locked.competent = False
        locked.competent_body = target[:255]
        locked.outcome_reason = reason
        locked.save(update_fields=["forwarded_agency", "competent", "competent_body", "outcome_reason"])
        moved = _transition(
            locked,
            action="forward",
            by=by,
            comment=_("Chuyển đến %(body)s: %(reason)s") % {"body": target, "reason": reason},
            data={"agency": agency.pk if agency else None},
        )
        case_document_draft(
            case=moved,
            form=FormCode.FORWARD,
            by=by,
            context={"forwarded_to": target, "reason": reason},
            recipient_agencies=[agency] if agency is not None else (),
            external_recipients=body_name,
        )
    return moved


def case_guide(*, case: Case, by: User, guidance: str) -> Case:
    """Hướng dẫn, trả đơn: the guidance is recorded and the Phiếu hướng dẫn (GUIDANCE) is printed from the
    case page (a printed form: no outgoing document)."""
    guidance = (guidance or "").strip()
    if not guidance:
        raise ValidationError(_("Vui lòng nhập nội dung hướng dẫn."), code="no_guidance")
    with transaction.atomic():
        locked = _locked(case, by)
        locked.outcome_reason = guidance
        locked.save(update_fields=["outcome_reason"])
        moved = _transition(locked, action="guide", by=by, comment=guidance)
        CaseDocument.objects.create(case=moved, form=FormCode.GUIDANCE, created_by=by)
    return moved


def _check_follow_up(day: dt.date | None) -> None:
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        raise ValidationError(_("Vui lòng chọn ngày theo dõi."), code="no_follow_up")
    if day <= timezone.localdate():
        raise ValidationError(_("Ngày theo dõi phải sau ngày hôm nay."), code="follow_up_past")


def case_keep(*, case: Case, by: User, reason: str, follow_up_on: dt.date | None = None) -> Case:
    """Lưu đơn, theo dõi (a letter sent to the competent body too, one handled elsewhere …), with the reason
    and the date until which the officer follows it (after today): that date is the case's clock, reminded
    like any deadline; the keeping officer becomes its handler when it has none. Without a date the letter
    is only filed (an anonymous letter, a duplicate). The Phiếu đề xuất lưu đơn, theo dõi (KEEP) is
    printed from the case page."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Vui lòng ghi lý do lưu đơn."), code="no_reason")
    if follow_up_on is not None:
        _check_follow_up(follow_up_on)
    with transaction.atomic():
        locked = _locked(case, by)
        locked.outcome_reason = reason
        locked.handler = locked.handler or by
        locked.save(update_fields=["outcome_reason", "handler"])
        data = {FOLLOW_UP_KEY: follow_up_on.isoformat()} if follow_up_on else None
        moved = _transition(locked, action="keep", by=by, comment=reason, data=data)
        CaseDocument.objects.create(case=moved, form=FormCode.KEEP, created_by=by)
    return moved


def _locked_kept(case: Case, by: User) -> Case:
    locked = selectors.case_access(user=by, pk=case.pk, lock=True)
    if not (rules.can_intake(by, locked) or rules.can_resolve(by, locked)):
        raise PermissionDenied(_("Bạn không có quyền theo dõi đơn này."))
    if locked.state != CaseState.KEPT:
        raise ValidationError(_("Vụ việc không ở trạng thái lưu đơn, theo dõi."), code="not_kept")
    return locked


def case_follow_up_set(*, case: Case, by: User, follow_up_on: dt.date, note: str = "") -> Case:
    """Set or move the follow-up date of a kept case (after today); a new round of reminders follows it."""
    _check_follow_up(follow_up_on)
    note = (note or "").strip()
    with transaction.atomic():
        locked = _locked_kept(case, by)
        locked.handler = locked.handler or by
        locked.save(update_fields=["handler"])
        case_history(
            case=locked,
            by=by,
            action="follow_up",
            comment=note,
            data={FOLLOW_UP_KEY: follow_up_on.isoformat()},
        )
        sync_clock(locked, by=by)
    return locked


def case_follow_up_end(*, case: Case, by: User, result: str) -> Case:
    """End the follow-up of a kept case with what came of it (the competent body's answer …): the case is
    closed and filed (kết thúc, lưu hồ sơ); its clock and assignment close."""
    result = (result or "").strip()
    if not result:
        raise ValidationError(_("Vui lòng ghi kết quả theo dõi."), code="no_result")
    with transaction.atomic():
        locked = _locked_kept(case, by)
        moved = wf.record_transition(record=locked, action="close", by=by, comment=result[:2000])
        moved.closed_at = timezone.now()
        moved.save(update_fields=["closed_at"])
        sync_clock(moved, by=by)
    return moved


# ---- the denunciation's acceptance notice (Luật Tố cáo Đ29 khoản 3) ----------------------------------------


@dataclass(frozen=True)
class NoticeStep:
    """A step the law times after acceptance: its deadline, its legal label and where it stands."""

    title: str
    due_at: dt.datetime
    label: str  # "05 ngày làm việc — Luật Tố cáo Đ29"
    decision_issued: bool  # the clock runs from the decision's issue (from acceptance until then)
    draft: CaseDocument | None  # the notice drafted, not issued yet
    done_at: dt.datetime | None  # the notice issued

    @property
    def done(self) -> bool:
        return self.done_at is not None

    @property
    def late(self) -> bool:
        """Overdue now, or issued after its deadline."""
        return (self.done_at or timezone.now()) > self.due_at

    @property
    def status(self) -> str:
        if self.done:
            return "late" if self.late else "done"
        return "overdue" if self.late else "due"


def denunciation_notice_step(case: Case) -> NoticeStep | None:
    """The notice of acceptance owed to the denouncer: for a denunciation accepted by a decision (not an
    anonymous letter taken for management inspection), due ``denunciation_notify`` after the decision was
    issued (after the acceptance while it is not)."""
    if case.kind != CaseKind.DENUNCIATION or case.accepted_at is None:
        return None
    rows = list(
        CaseDocument.objects.filter(
            case=case, form__in=[FormCode.DENUNCIATION_ACCEPT, FormCode.DENUNCIATION_ACCEPT_NOTICE]
        ).order_by("pk")
    )
    decision = next((r for r in rows if r.form == FormCode.DENUNCIATION_ACCEPT), None)
    if decision is None:
        return None
    rule = deadlines.rule_in_force(RuleCode.DENUNCIATION_NOTIFY, on=case.letter.received_on)
    start = decision.issued_at or case.accepted_at
    notices = [r for r in rows if r.form == FormCode.DENUNCIATION_ACCEPT_NOTICE]
    issued = next((r for r in notices if r.issued_at), None)
    return NoticeStep(
        title=str(FormCode.DENUNCIATION_ACCEPT_NOTICE.label),
        due_at=deadlines.add_period(start, rule.days, rule.unit),
        label=f"{rule.days:02d} {rule.get_unit_display()} — {rule.source}",
        decision_issued=decision.issued_at is not None,
        draft=None if issued else (notices[-1] if notices else None),
        done_at=issued.issued_at if issued else None,
    )


def _decision_ref(case: Case) -> str:
    row = (
        CaseDocument.objects.filter(case=case, form=FormCode.DENUNCIATION_ACCEPT, issued_at__isnull=False)
        .select_related("document")
        .first()
    )
    if row is None or row.document is None:
        return ""
    day = timezone.localtime(row.issued_at).strftime("%d/%m/%Y")
    return _("số %(number)s ngày %(day)s") % {"number": row.document.number_symbol or "…", "day": day}


def case_denunciation_notice_draft(*, case: Case, by: User) -> CaseDocument:
    """Draft the Thông báo việc thụ lý tố cáo (NĐ 31/2019 Mẫu 05) through the outgoing flow, addressed to
    "Người tố cáo" and with no recipient named (the officer who took the letter delivers it); its issue
    marks the step done. Once per case, unless an earlier draft was cancelled."""
    with transaction.atomic():
        locked = selectors.case_access(user=by, pk=case.pk, lock=True)
        if not (rules.can_resolve(by, locked) or rules.can_intake(by, locked)):
            raise PermissionDenied(_("Bạn không có quyền soạn văn bản cho vụ việc này."))
        if locked.state not in (CaseState.ACCEPTED, CaseState.SUSPENDED, CaseState.RESOLVED):
            raise ValidationError(
                _("Chỉ thông báo việc thụ lý khi tố cáo đang giải quyết."), code="bad_state"
            )
        step = denunciation_notice_step(locked)
        if step is None:
            raise ValidationError(
                _("Vụ việc không phải tố cáo đã có quyết định thụ lý: không có thông báo thụ lý."),
                code="no_decision",
            )
        if step.done:
            raise ValidationError(_("Thông báo việc thụ lý tố cáo đã được phát hành."), code="done")
        if draft_pending(locked, FormCode.DENUNCIATION_ACCEPT_NOTICE):
            raise ValidationError(
                _("Đã có dự thảo thông báo việc thụ lý tố cáo: mở văn bản đi để trình ký, phát hành."),
                code="drafted",
            )
        deadline = deadlines.current(locked)
        when = timezone.localtime(deadline.due_at).strftime("%d/%m/%Y") if deadline.due_at else ""
        return case_document_draft(
            case=locked,
            form=FormCode.DENUNCIATION_ACCEPT_NOTICE,
            by=by,
            context={
                "accept_decision": _decision_ref(locked),
                "deadline": f"{when} ({deadline.label})" if when else "",
            },
        )


def _on_accept_notice_issued(row: CaseDocument, by: User) -> None:
    """The notice was issued: the step is done, recorded in the case file (late or not)."""
    case = Case.objects.select_for_update().select_related("letter").get(pk=row.case_id)
    step = denunciation_notice_step(case)
    late = bool(step and step.late)
    due = timezone.localtime(step.due_at).strftime("%d/%m/%Y") if step else ""
    add_step(
        case,
        by,
        CaseStep.Kind.DELIVERY,
        _("Đã thông báo việc thụ lý tố cáo cho người tố cáo"),
        text=(_("Hạn %(due)s (%(label)s)") % {"due": due, "label": step.label}) if step else "",
        data={"form": row.form, "due_at": step.due_at.isoformat() if step else None, "late": late},
    )


ISSUED_HANDLERS[FormCode.DENUNCIATION_ACCEPT_NOTICE] = _on_accept_notice_issued


def intake_documents(case: Case):
    """The documents of the intake outcomes drafted or printed for ``case`` (for its page)."""
    forms = [
        FormCode.ACCEPT_NOTICE,
        FormCode.DENUNCIATION_ACCEPT,
        FormCode.REFUSE_NOTICE,
        FormCode.FORWARD,
        FormCode.GUIDANCE,
        FormCode.KEEP,
        FormCode.DENUNCIATION_ACCEPT_NOTICE,
    ]
    return CaseDocument.objects.filter(case=case, form__in=forms).select_related("document")
