"""Every write of the one-stop module: reception, hand-offs, the clock, outcomes, the return, ratings.

Each service is one transaction: it locks the dossier, checks the actor's right (through the FSM
transition's permission), moves the state, writes the history row and the hand-off log (form 06), and
queues the applicant's email with ``transaction.on_commit``.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice.models import Agency, Department, Role, User
from eoffice.services import notify
from workflow import calendar
from workflow import services as wf
from workflow.files import sha256_of, sniff, validate_upload
from workflow.models import HistoryEntry

from .models import (
    Channel,
    CutoffRule,
    CutoffScope,
    Dossier,
    DossierCounter,
    DossierPaper,
    DossierState,
    DossierStep,
    EmailCode,
    OnestopConfig,
    Outcome,
    Procedure,
    ProcedureStep,
    RequiredPaper,
    StepKind,
    SupplementRequest,
    timing_of,
)
from .rules import has_review
from .selectors import dossier_access, staff_with_role

# ---------------------------------------------------------------------------------------------------
# Configuration, codes and the clock
# ---------------------------------------------------------------------------------------------------


def config_for(agency: Agency) -> OnestopConfig:
    config, _created = OnestopConfig.objects.get_or_create(
        agency=agency, defaults={"counter_address": agency.address, "counter_phone": agency.phone}
    )
    return config


def next_code(*, prefix: str, day: date) -> str:
    """``prefix-YYMMDD-NNNN``: the day's next number, taken by an atomic upsert (no two counters get the
    same number; a rolled-back reception gives its number back)."""
    table = connection.ops.quote_name(DossierCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (prefix, day, last) VALUES (%s, %s, 1) "  # noqa: S608 - table name is ours
            f"ON CONFLICT (prefix, day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [prefix, day],
        )
        number = cursor.fetchone()[0]
    return f"{prefix}-{day:%y%m%d}-{number:04d}"


def cutoff_for(*, procedure: Procedure, config: OnestopConfig | None) -> time | None:
    """The cut-off hour that applies to a reception of ``procedure``, or None: the procedure's own choice
    when it has one, else the agency's scope (by default only procedures counted in office hours, settled
    within the day; see ``OnestopConfig.cutoff_scope``). No configuration yet: the model's defaults."""
    config = config or OnestopConfig()
    if procedure.cutoff_rule == CutoffRule.APPLY:
        return config.cutoff
    if procedure.cutoff_rule == CutoffRule.SKIP:
        return None
    if config.cutoff_scope == CutoffScope.ALL:
        return config.cutoff
    if config.cutoff_scope == CutoffScope.HOURS and procedure.counted_in_hours:
        return config.cutoff
    return None


def received_off_hours(at: datetime) -> bool:
    """Outside working time: a day off (weekend, holiday, a day taken off), before opening or after close."""
    local = timezone.localtime(at)
    hours = calendar.office_hours()
    return not (calendar.is_working_day(local.date()) and hours[0][0] <= local.time() < hours[-1][1])


def clock_start(*, received_at: datetime, cutoff: time | None) -> datetime:
    """When the legal time starts counting: at receipt during office hours (before the cut-off, when one
    applies); otherwise at the opening of the next working day (after the cut-off, after hours, on a day
    off). Before opening on a working day: that day's opening."""
    local = timezone.localtime(received_at)
    day = local.date()
    hours = calendar.office_hours()
    opening, closing = hours[0][0], hours[-1][1]
    tz = calendar.local_tz()
    last = min(cutoff, closing) if cutoff is not None else closing
    if calendar.is_working_day(day) and local.time() < last:
        if local.time() < opening:
            return datetime.combine(day, opening, tzinfo=tz)
        return local
    day += timedelta(days=1)
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return datetime.combine(day, opening, tzinfo=tz)


def appointment(*, procedure: Procedure, start: datetime) -> datetime:
    """The date and time to return the result: whole working days end at the close of office on the last
    day; hours (or half days) are counted in office time."""
    if not procedure.counted_in_hours:
        return calendar.add_working_days(start, int(procedure.time_value), end_of_day=True)
    return calendar.add_working_hours(start, float(procedure.legal_hours))


def _step_hours(procedure_id: int) -> dict[str, ProcedureStep]:
    return {
        s.kind: s
        for s in ProcedureStep.objects.filter(procedure_id=procedure_id).select_related("department")
    }


def _open_step(
    *,
    dossier: Dossier,
    kind: str,
    giver: User | None,
    now: datetime,
    receiver: User | None = None,
    department: Department | None = None,
    giver_name: str = "",
    note: str = "",
) -> DossierStep:
    configured = _step_hours(dossier.procedure_id).get(kind)
    hours = configured.hours if configured else Decimal(0)
    return DossierStep.objects.create(
        dossier=dossier,
        kind=kind,
        name=configured.label if configured else str(StepKind(kind).label),
        giver=giver,
        giver_name=giver_name or (str(giver) if giver else ""),
        receiver=receiver,
        receiver_department=department,
        started_at=now,
        hours=hours,
        due_at=calendar.add_working_hours(now, float(hours)),
        note=note,
    )


def _finish_step(*, dossier: Dossier, now: datetime) -> DossierStep | None:
    step = DossierStep.objects.select_for_update().filter(dossier=dossier, finished_at__isnull=True).first()
    if step is None:
        return None
    step.finished_at = now
    step.timing = timing_of(now, step.due_at)
    step.save(update_fields=["finished_at", "timing"])
    return step


def _hand_off(
    *,
    dossier: Dossier,
    kind: str,
    by: User,
    now: datetime,
    receiver: User | None = None,
    department: Department | None = None,
    note: str = "",
) -> DossierStep:
    _finish_step(dossier=dossier, now=now)
    return _open_step(
        dossier=dossier, kind=kind, giver=by, now=now, receiver=receiver, department=department, note=note
    )


def lock_dossier(dossier: Dossier, *, by: User | None, state: str | None = None) -> Dossier:
    """The dossier's row, locked until the end of the caller's transaction.

    A person acting gets it through the access helper (someone who may not see a dossier may not act on
    it); the applicant or a task (``by`` None) by a plain locked fetch. With ``state`` the dossier must still
    be in it: otherwise someone else acted first (``RecordChanged``: "reload the page")."""
    if by is None:
        locked = wf.lock_record(Dossier, dossier.pk)
    else:
        try:
            locked = dossier_access(user=by, pk=dossier.pk, lock=True)
        except Http404:
            raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này.")) from None
    if state is not None and locked.state != state:
        raise wf.RecordChanged
    return locked


def counter_department(agency_id: int) -> Department | None:
    """The unit of the agency's one-stop officers (where results come back to)."""
    officer = staff_with_role(agency_id, Role.ONESTOP_OFFICER, department__isnull=False).first()
    return officer.department if officer else None


# ---------------------------------------------------------------------------------------------------
# Reception
# ---------------------------------------------------------------------------------------------------


@dataclass
class Applicant:
    name: str
    kind: str = "person"
    id_number: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""


@dataclass
class PaperInput:
    """One line of the reception checklist: a catalogue paper (or a free one) with what came in."""

    name: str
    required: RequiredPaper | None = None
    kind: str = "original"
    quantity: int = 1
    received: bool = True
    file: object | None = None


OUTCOME_VALID, OUTCOME_INCOMPLETE, OUTCOME_INELIGIBLE = "valid", "incomplete", "ineligible"


def _reference() -> str:
    return "TN-" + secrets.token_hex(4).upper()


SCAN_KINDS = {"pdf", "png", "jpeg"}


def validate_scan(upload) -> None:
    """A scan of a paper: PDF, PNG or JPEG, recognised by content, within the upload size limit."""
    validate_upload(upload)
    try:
        upload.seek(0)
        kind = sniff(upload.read(16), upload)
    finally:
        upload.seek(0)
    if kind not in SCAN_KINDS:
        raise ValidationError(_("Bản quét giấy tờ phải là tệp PDF, PNG hoặc JPEG."), code="bad_type")


def _attach(paper: DossierPaper, upload) -> None:
    validate_scan(upload)
    paper.sha256 = sha256_of(upload)
    paper.size = upload.size
    paper.file_name = upload.name[-255:]
    paper.file.save(f"{secrets.token_hex(8)}-{upload.name[-80:]}", upload, save=False)


def _add_papers(
    dossier: Dossier, papers: list[PaperInput], *, supplement: SupplementRequest | None = None, now=None
) -> None:
    for item in papers:
        if not item.name.strip():
            continue
        paper = DossierPaper(
            dossier=dossier,
            required=item.required,
            name=item.name.strip()[:500],
            kind=item.kind,
            quantity=max(1, int(item.quantity or 1)),
            received=item.received or bool(item.file),
            supplement=supplement,
            added_at=now or timezone.now(),
        )
        if item.file:
            _attach(paper, item.file)
        paper.save()


def missing_mandatory(dossier: Dossier) -> list[str]:
    """The mandatory catalogue papers not received (names), for form 02 and the check of a valid outcome."""
    got = set(
        dossier.papers.filter(received=True, required__isnull=False).values_list("required_id", flat=True)
    )
    return [p.name for p in dossier.procedure.papers.filter(mandatory=True) if p.pk not in got]


def _check_procedure(procedure: Procedure) -> None:
    if not procedure.is_active:
        raise ValidationError(_("Thủ tục này đã ngừng áp dụng."))


def _apply_applicant(dossier: Dossier, applicant: Applicant) -> None:
    if not applicant.name.strip():
        raise ValidationError(_("Vui lòng nhập họ tên người nộp hồ sơ."))
    dossier.applicant_kind = applicant.kind
    dossier.applicant_name = applicant.name.strip()[:255]
    dossier.applicant_id_number = applicant.id_number.strip()[:20]
    dossier.applicant_address = applicant.address.strip()[:500]
    dossier.applicant_phone = applicant.phone.strip()[:20]
    dossier.applicant_email = applicant.email.strip()[:254]


def dossier_receive(
    *,
    by: User,
    procedure: Procedure,
    applicant: Applicant,
    channel: str,
    papers: list[PaperInput],
    outcome: str,
    missing: str = "",
    reasons: str = "",
    summary: str = "",
    note: str = "",
    now: datetime | None = None,
) -> Dossier:
    """Record a dossier brought to the counter (or by post) and decide at once: valid (code and form 01),
    incomplete (form 02) or not eligible (form 03)."""
    if by.agency_id != procedure.agency_id or not by.has_role(Role.ONESTOP_OFFICER):
        raise PermissionDenied(_("Chỉ cán bộ một cửa của cơ quan được tiếp nhận hồ sơ."))
    if channel not in (Channel.COUNTER, Channel.POST):
        raise ValidationError(_("Hình thức nộp không hợp lệ."))
    _check_procedure(procedure)
    with transaction.atomic():
        dossier = Dossier(
            agency_id=procedure.agency_id,
            procedure=procedure,
            reference=_reference(),
            channel=channel,
            summary=summary.strip()[:500],
            note=note.strip(),
            submitted_at=now or timezone.now(),
        )
        _apply_applicant(dossier, applicant)
        dossier.save()
        wf.history_add(
            record=dossier, event=HistoryEntry.Event.CREATED, actor=by, to_state=dossier.state, at=now
        )
        _add_papers(dossier, papers, now=now)
        return _decide(dossier=dossier, by=by, outcome=outcome, missing=missing, reasons=reasons, now=now)


def dossier_check(
    *,
    dossier: Dossier,
    by: User,
    outcome: str,
    missing: str = "",
    reasons: str = "",
    now: datetime | None = None,
) -> Dossier:
    """The counter's check of an online submission: the same three outcomes as at the counter."""
    with transaction.atomic():
        locked = lock_dossier(dossier, by=by, state=DossierState.SUBMITTED)
        return _decide(dossier=locked, by=by, outcome=outcome, missing=missing, reasons=reasons, now=now)


def _decide(
    *, dossier: Dossier, by: User, outcome: str, missing: str, reasons: str, now: datetime | None
) -> Dossier:
    now = now or timezone.now()
    if outcome == OUTCOME_VALID:
        lacking = missing_mandatory(dossier)
        if lacking:
            raise ValidationError(
                _("Hồ sơ còn thiếu giấy tờ bắt buộc: %(names)s. Hãy chọn “Yêu cầu bổ sung”.")
                % {"names": "; ".join(lacking)}
            )
        transition_locked(dossier, "accept", by, at=now)
        config = config_for(dossier.agency)
        dossier.received_at = now
        dossier.received_by = by
        dossier.code = next_code(prefix=config.code_prefix, day=timezone.localtime(now).date())
        dossier.clock_start = clock_start(
            received_at=now, cutoff=cutoff_for(procedure=dossier.procedure, config=config)
        )
        dossier.due_at = dossier.original_due_at = appointment(
            procedure=dossier.procedure, start=dossier.clock_start
        )
        dossier.save()
        _open_step(
            dossier=dossier,
            kind=StepKind.RECEIVE,
            giver=None,
            giver_name=dossier.applicant_name,
            receiver=by,
            department=by.department,
            now=now,
        )
        _email(dossier, "received")
    elif outcome == OUTCOME_INCOMPLETE:
        text = missing.strip() or "\n".join(missing_mandatory(dossier))
        if not text:
            raise ValidationError(_("Vui lòng ghi rõ các giấy tờ cần bổ sung, hoàn thiện."))
        transition_locked(dossier, "ask_complete", by, comment=text, at=now)
        dossier.missing_papers = text
        dossier.received_by = by
        dossier.save()
        _email(dossier, "incomplete")
    elif outcome == OUTCOME_INELIGIBLE:
        if not reasons.strip():
            raise ValidationError(_("Vui lòng nêu rõ lý do từ chối tiếp nhận."))
        transition_locked(dossier, "refuse_reception", by, comment=reasons.strip(), at=now)
        dossier.refusal_reason = reasons.strip()
        dossier.received_by = by
        dossier.save()
        _email(dossier, "refused_reception")
    else:
        raise ValidationError(_("Kết quả kiểm tra hồ sơ không hợp lệ."))
    return dossier


def transition_locked(
    dossier: Dossier, action: str, by: User, *, comment: str = "", data: dict | None = None, at=None
) -> str:
    """Run one FSM transition on an already locked dossier, with its permission check and history row."""
    available = {t.name: t for t in dossier.get_available_state_transitions()}
    if action not in available:
        raise wf.RecordChanged
    if not available[action].has_perm(dossier, by):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
    before = dossier.state
    getattr(dossier, action)()
    wf.history_add(
        record=dossier,
        event=HistoryEntry.Event.TRANSITION,
        actor=by,
        action=action,
        from_state=before,
        to_state=dossier.state,
        comment=comment,
        data=data,
        at=at,
    )
    return before


# ---------------------------------------------------------------------------------------------------
# Online submission
# ---------------------------------------------------------------------------------------------------

OTP_MINUTES = 10
OTP_ATTEMPTS = 5
OTP_PER_HOUR = 5


def _otp_hash(email: str, code: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"{email.lower()}:{code}".encode(), hashlib.sha256
    ).hexdigest()


def email_code_send(*, email: str) -> None:
    """Send a 6-digit code to ``email`` (at most ``OTP_PER_HOUR`` an hour)."""
    email = email.strip().lower()
    now = timezone.now()
    with transaction.atomic():
        recent = EmailCode.objects.filter(email=email, created_at__gte=now - timedelta(hours=1)).count()
        if recent >= OTP_PER_HOUR:
            raise ValidationError(_("Đã gửi quá nhiều mã tới địa chỉ này. Vui lòng thử lại sau một giờ."))
        code = f"{secrets.randbelow(10**6):06d}"
        EmailCode.objects.create(
            email=email, code_hash=_otp_hash(email, code), expires_at=now + timedelta(minutes=OTP_MINUTES)
        )
        transaction.on_commit(lambda: _send_code(email, code))


def _send_code(email: str, code: str) -> None:
    from .tasks import send_code_email

    send_code_email.delay(email, code)


def email_code_verify(*, email: str, code: str) -> bool:
    """True once for the latest unexpired code of ``email``; wrong codes count against it."""
    email = email.strip().lower()
    now = timezone.now()
    with transaction.atomic():
        row = (
            EmailCode.objects.select_for_update()
            .filter(email=email, used_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at")
            .first()
        )
        if row is None or row.attempts >= OTP_ATTEMPTS:
            return False
        if not hmac.compare_digest(row.code_hash, _otp_hash(email, code.strip())):
            row.attempts += 1
            row.save(update_fields=["attempts"])
            return False
        row.used_at = now
        row.save(update_fields=["used_at"])
        return True


def online_submit(
    *,
    procedure: Procedure,
    applicant: Applicant,
    papers: list[PaperInput],
    summary: str = "",
    note: str = "",
    now: datetime | None = None,
) -> Dossier:
    """A dossier sent from the public page (the applicant's email already confirmed by the caller)."""
    _check_procedure(procedure)
    if not procedure.accepts_online:
        raise ValidationError(_("Thủ tục này không tiếp nhận hồ sơ trực tuyến."))
    if not applicant.email:
        raise ValidationError(_("Cần địa chỉ thư điện tử đã xác thực."))
    sent = {p.required.pk for p in papers if p.required is not None and p.file}
    lacking = [p.name for p in procedure.papers.filter(mandatory=True) if p.pk not in sent]
    if lacking:
        raise ValidationError(_("Vui lòng tải lên: %(names)s.") % {"names": "; ".join(lacking)})
    with transaction.atomic():
        dossier = Dossier(
            agency_id=procedure.agency_id,
            procedure=procedure,
            reference=_reference(),
            channel=Channel.ONLINE,
            summary=summary.strip()[:500],
            note=note.strip(),
            submitted_at=now or timezone.now(),
        )
        _apply_applicant(dossier, applicant)
        dossier.save()
        wf.history_add(
            record=dossier, event=HistoryEntry.Event.CREATED, actor=None, to_state=dossier.state, at=now
        )
        _add_papers(dossier, [p for p in papers if p.file], now=now)
        notify(
            recipients=staff_with_role(procedure.agency_id, Role.ONESTOP_OFFICER),
            kind="onestop.submitted",
            title=_("Hồ sơ trực tuyến mới: %(name)s") % {"name": procedure.name[:200]},
            body=_("Người nộp: %(name)s") % {"name": dossier.applicant_name},
            url=dossier.get_absolute_url(),
        )
        _email(dossier, "submitted")
    return dossier


# ---------------------------------------------------------------------------------------------------
# Processing
# ---------------------------------------------------------------------------------------------------


def _same_agency_user(user: User | None, agency_id: int, role: str, message: str) -> None:
    if user is None or user.agency_id != agency_id or not user.is_active or not user.has_role(role):
        raise ValidationError(message)


def dossier_hand_to_unit(
    *, dossier: Dossier, by: User, department: Department, note: str = "", now: datetime | None = None
) -> Dossier:
    """Counter → handling unit (the same day; after the cut-off, early the next working day)."""
    with transaction.atomic():
        locked = lock_dossier(dossier, by=by)
        if department is None or department.agency_id != locked.agency_id:
            raise ValidationError(_("Vui lòng chọn phòng chuyên môn của cơ quan."))
        transition_locked(locked, "hand_to_unit", by, comment=note, at=now)
        now = now or timezone.now()
        locked.department = department
        locked.holder = None
        locked.save()
        _hand_off(dossier=locked, kind=StepKind.ASSIGN, by=by, now=now, department=department, note=note)
        notify(
            recipients=staff_with_role(locked.agency_id, Role.DEPARTMENT_HEAD, department=department),
            kind="onestop.assigned",
            title=_("Hồ sơ %(code)s chờ phân công") % {"code": locked.code},
            body=locked.procedure.name[:250],
            url=locked.get_absolute_url(),
        )
    return locked


def dossier_assign(
    *, dossier: Dossier, by: User, officer: User, note: str = "", now: datetime | None = None
) -> Dossier:
    """The unit's head gives the dossier to an officer of the unit."""
    with transaction.atomic():
        locked = lock_dossier(dossier, by=by)
        _same_agency_user(
            officer, locked.agency_id, Role.OFFICER, _("Vui lòng chọn chuyên viên thụ lý của cơ quan.")
        )
        if officer.department_id != locked.department_id:
            raise ValidationError(_("Chuyên viên thụ lý phải thuộc đơn vị giải quyết hồ sơ."))
        transition_locked(locked, "assign_officer", by, comment=note, at=now)
        now = now or timezone.now()
        locked.holder = locked.officer = officer
        locked.save()
        _hand_off(
            dossier=locked,
            kind=StepKind.PROCESS,
            by=by,
            now=now,
            receiver=officer,
            department=officer.department,
            note=note,
        )
        _notify_holder(locked, officer, _("Hồ sơ %(code)s được giao cho bạn thụ lý"))
    return locked


def _notify_holder(dossier: Dossier, user: User, title) -> None:
    notify(
        recipients=[user],
        kind="onestop.assigned",
        title=title % {"code": dossier.code},
        body=dossier.procedure.name[:250],
        url=dossier.get_absolute_url(),
    )


def _set_result(dossier: Dossier, result_file, result_number: str) -> None:
    if result_file is not None:
        validate_upload(result_file)
        dossier.result_sha256 = sha256_of(result_file)
        dossier.result_file.save(f"{secrets.token_hex(8)}-{result_file.name[-80:]}", result_file, save=False)
        dossier.result_signed = False
    if result_number:
        dossier.result_number = result_number.strip()[:100]


def dossier_submit(
    *,
    dossier: Dossier,
    by: User,
    leader: User | None = None,
    result_file=None,
    result_number: str = "",
    note: str = "",
    now: datetime | None = None,
) -> Dossier:
    """The officer submits the draft result: to the unit's head for review when the procedure has that
    step, otherwise straight to the leader."""
    with transaction.atomic():
        locked = lock_dossier(dossier, by=by, state=DossierState.PROCESSING)
        _set_result(locked, result_file, result_number)
        if not locked.result_file:
            raise ValidationError(_("Vui lòng đính kèm dự thảo kết quả giải quyết."))
        now = now or timezone.now()
        if has_review(locked.procedure):
            transition_locked(locked, "submit_review", by, comment=note, at=now)
            locked.holder = None
            locked.save()
            _hand_off(
                dossier=locked, kind=StepKind.REVIEW, by=by, now=now, department=locked.department, note=note
            )
        else:
            _same_agency_user(leader, locked.agency_id, Role.LEADER, _("Vui lòng chọn lãnh đạo phê duyệt."))
            transition_locked(locked, "submit_approval", by, comment=note, at=now)
            locked.holder = locked.leader = leader
            locked.save()
            _hand_off(dossier=locked, kind=StepKind.APPROVE, by=by, now=now, receiver=leader, note=note)
            _notify_holder(locked, leader, _("Hồ sơ %(code)s chờ phê duyệt"))
    return locked


def dossier_forward(
    *, dossier: Dossier, by: User, leader: User, note: str = "", now: datetime | None = None
) -> Dossier:
    """The unit's head, having reviewed the draft result, submits it to a leader of the agency."""
    with transaction.atomic():
        locked = lock_dossier(dossier, by=by, state=DossierState.REVIEW)
        _same_agency_user(leader, locked.agency_id, Role.LEADER, _("Vui lòng chọn lãnh đạo phê duyệt."))
        transition_locked(locked, "forward_approval", by, comment=note, at=now)
        now = now or timezone.now()
        locked.holder = locked.leader = leader
        locked.save()
        _hand_off(dossier=locked, kind=StepKind.APPROVE, by=by, now=now, receiver=leader, note=note)
        _notify_holder(locked, leader, _("Hồ sơ %(code)s chờ phê duyệt"))
    return locked


def dossier_send_back(*, dossier: Dossier, by: User, note: str, now: datetime | None = None) -> Dossier:
    """Review or approval returns the draft to the officer with comments (the step clock goes on)."""
    if not note.strip():
        raise ValidationError(_("Vui lòng nhập ý kiến khi trả lại."))
    with transaction.atomic():
        locked = lock_dossier(dossier, by=by)
        transition_locked(locked, "send_back", by, comment=note.strip(), at=now)
        now = now or timezone.now()
        locked.holder = locked.officer
        locked.save()
        _hand_off(
            dossier=locked,
            kind=StepKind.PROCESS,
            by=by,
            now=now,
            receiver=locked.officer,
            department=locked.department,
            note=note.strip(),
        )
        if locked.officer:
            _notify_holder(locked, locked.officer, _("Hồ sơ %(code)s bị trả lại để hoàn thiện"))
    return locked


def _result_box(pdf: bytes):
    """Bottom right of the last page of the result (where the competent person signs)."""
    from pypdf import PdfReader

    from signing.appearance import StampBox

    reader = PdfReader(io.BytesIO(pdf))
    page = len(reader.pages) - 1
    box = reader.pages[page].mediabox
    right = float(box.right) - 50
    return StampBox(
        page=page, x1=right - 200, y1=float(box.bottom) + 70, x2=right, y2=float(box.bottom) + 160
    )


def dossier_approve(
    *, dossier: Dossier, by: User, sign: bool, note: str = "", now: datetime | None = None
) -> Dossier:
    """The leader approves. With ``sign`` the result PDF goes to the leader's signing queue and the dossier
    waits for the signature (``signflow.finish`` completes it); without, the result (signed on paper) goes
    back to the counter now."""
    from signing import services as signing
    from signing.models import SignatureRequest

    with transaction.atomic():
        locked = lock_dossier(dossier, by=by, state=DossierState.APPROVAL)
        if sign:
            if not locked.result_file:
                raise ValidationError(_("Chưa có tệp kết quả để ký số."))
            with locked.result_file.open("rb") as handle:
                data = handle.read()
            if not data.startswith(b"%PDF"):
                raise ValidationError(_("Chỉ ký số được kết quả ở định dạng PDF."))
            transition_locked(locked, "to_signing", by, comment=note, at=now)
            request = signing.signature_request_create(
                pdf=data,
                title=f"{locked.code} — {locked.procedure.result_name}",
                requested_by=by,
                kind=SignatureRequest.Kind.LEADER,
                signer=by,
                box=_result_box(data),
                stamp_text=locked.result_number,
                on_signed="onestop.signflow.finish",
                source_url=locked.get_absolute_url(),
            )
            locked.sign_request = request
            locked.save()
        else:
            transition_locked(locked, "approve", by, comment=note, at=now)
            resolve_locked(locked, outcome=Outcome.APPROVED, by=by, now=now or timezone.now(), note=note)
    return locked


def dossier_cancel_signing(
    *, dossier: Dossier, by: User, note: str = "", now: datetime | None = None
) -> Dossier:
    """The leader takes back a result sent to signing (e.g. to send it back): the request is cancelled and
    the dossier waits for approval again."""
    from signing.models import SignatureRequest

    with transaction.atomic():
        locked = lock_dossier(dossier, by=by, state=DossierState.SIGNING)
        if locked.leader_id != by.pk:
            raise PermissionDenied(_("Chỉ người ký được rút lại yêu cầu ký."))
        cancelled = SignatureRequest.objects.filter(
            pk=locked.sign_request_id,
            status__in=[
                SignatureRequest.Status.PENDING,
                SignatureRequest.Status.FAILED,
                SignatureRequest.Status.QUEUED,
            ],
        ).update(status=SignatureRequest.Status.CANCELLED)
        if locked.sign_request_id and not cancelled:
            raise ValidationError(_("Yêu cầu ký đang được xử lý hoặc đã ký xong; không thể rút lại."))
        transition_locked(locked, "cancel_signing", by, comment=note.strip(), at=now)
        locked.sign_request = None
        locked.save()
    return locked


def resolve_locked(dossier: Dossier, *, outcome: str, by: User, now: datetime, note: str = "") -> None:
    """The result is ready (or the refusal written): it goes back to the counter; the clock stops."""
    dossier.outcome = outcome
    dossier.resolved_at = now
    # Judged against the legal appointment (moved only by pauses for supplement): an apology with a new
    # date (form 04) does not make a late dossier on time.
    dossier.timing = timing_of(now, dossier.original_due_at or dossier.due_at)
    dossier.holder = None
    dossier.save()
    _hand_off(
        dossier=dossier,
        kind=StepKind.RETURN,
        by=by,
        now=now,
        department=counter_department(dossier.agency_id),
        note=note,
    )
    _email(dossier, "resolved" if outcome == Outcome.APPROVED else "refused")


def dossier_refuse(*, dossier: Dossier, by: User, reasons: str, now: datetime | None = None) -> Dossier:
    """Not resolvable: the dossier goes back to the counter with the written reasons."""
    if not reasons.strip():
        raise ValidationError(_("Vui lòng nêu rõ lý do không giải quyết."))
    with transaction.atomic():
        locked = lock_dossier(dossier, by=by)
        transition_locked(locked, "refuse", by, comment=reasons.strip(), at=now)
        locked.refusal_reason = reasons.strip()
        resolve_locked(
            locked, outcome=Outcome.REFUSED, by=by, now=now or timezone.now(), note=reasons.strip()
        )
    return locked


def dossier_request_supplement(
    *, dossier: Dossier, by: User, content: str, now: datetime | None = None
) -> SupplementRequest:
    """Ask the applicant for more papers: the clock stops until the answer is recorded."""
    if not content.strip():
        raise ValidationError(_("Vui lòng ghi rõ nội dung cần bổ sung."))
    with transaction.atomic():
        locked = lock_dossier(dossier, by=by)
        before = transition_locked(locked, "ask_supplement", by, comment=content.strip(), at=now)
        now = now or timezone.now()
        locked.paused_at = now
        locked.paused_state = before
        locked.save()
        request = SupplementRequest.objects.create(
            dossier=locked, content=content.strip(), requested_by=by, requested_at=now
        )
        _email(locked, "supplement")
    return request


def dossier_supplement_received(
    *,
    dossier: Dossier,
    by: User | None,
    papers: list[PaperInput],
    note: str = "",
    via: str = Channel.COUNTER,
    now: datetime | None = None,
) -> Dossier:
    """The applicant's answer (at the counter, or online): the clock restarts, moved by the paused time."""
    with transaction.atomic():
        locked = lock_dossier(dossier, by=by, state=DossierState.SUPPLEMENT)
        request = locked.supplements.filter(answered_at__isnull=True).order_by("-requested_at").first()
        if not any(p.file or p.received for p in papers) and not note.strip():
            raise ValidationError(_("Vui lòng ghi nhận giấy tờ đã bổ sung."))
        if by is not None:
            transition_locked(locked, "supplement_received", by, comment=note.strip(), at=now)
        else:
            before = locked.state
            locked.supplement_received()
            wf.history_add(
                record=locked, event=HistoryEntry.Event.TRANSITION, actor=None, action="supplement_received",
                from_state=before, to_state=locked.state, comment=note.strip(),
            )  # fmt: skip
        now = now or timezone.now()
        locked.due_at, paused = wf.clock_shift(
            due_at=locked.due_at, paused_at=locked.paused_at, resumed_at=now
        )
        if locked.original_due_at:
            locked.original_due_at = calendar.add_working_seconds(locked.original_due_at, paused)
        locked.paused_seconds += paused
        locked.paused_at = None
        locked.paused_state = ""
        locked.save()
        step = (
            DossierStep.objects.select_for_update().filter(dossier=locked, finished_at__isnull=True).first()
        )
        if step is not None:
            step.due_at = calendar.add_working_seconds(step.due_at, paused)
            step.save(update_fields=["due_at"])
        if request is not None:
            request.answered_at = now
            request.answered_via = via
            request.answer_note = note.strip()
            request.paused_seconds = paused
            request.save()
        _add_papers(locked, papers, supplement=request, now=now)
        if locked.holder_id:
            _notify_holder(locked, locked.holder, _("Hồ sơ %(code)s đã được công dân bổ sung"))
    return locked


def dossier_extend(
    *, dossier: Dossier, by: User, reason: str, due_at: datetime, now: datetime | None = None
) -> Dossier:
    """Form 04: the apology for lateness with the reason and a new appointment (allowed once)."""
    if not reason.strip():
        raise ValidationError(_("Vui lòng nêu lý do chậm trả kết quả."))
    with transaction.atomic():
        locked = lock_dossier(dossier, by=by)
        if not locked.is_open:
            raise ValidationError(_("Hồ sơ không còn trong quá trình giải quyết."))
        if not (
            by.agency_id == locked.agency_id
            and (
                by.has_role(Role.LEADER)
                or by.has_role(Role.ONESTOP_OFFICER)
                or locked.holder_id == by.pk
                or (by.has_role(Role.DEPARTMENT_HEAD) and by.department_id == locked.department_id)
            )
        ):
            raise PermissionDenied(_("Bạn không có quyền gia hạn hồ sơ này."))
        if locked.extended:
            raise ValidationError(_("Hồ sơ đã được hẹn lại một lần; không thể hẹn lại lần nữa."))
        if due_at <= max(locked.due_at, now or timezone.now()):
            raise ValidationError(_("Ngày hẹn mới phải sau ngày hẹn hiện tại."))
        old = locked.due_at
        locked.extended = True
        locked.extension_reason = reason.strip()
        locked.due_at = due_at
        locked.save()
        wf.history_add(
            record=locked,
            event=HistoryEntry.Event.DEADLINE,
            actor=by,
            action="extend",
            comment=reason.strip(),
            data={"old": old.isoformat(), "new": due_at.isoformat()},
            at=now,
        )
        _email(locked, "extended")
    return locked


def dossier_stop(*, dossier: Dossier, by: User, reason: str, now: datetime | None = None) -> Dossier:
    """Form 05: processing stops (e.g. the applicant withdrew, or never supplied what was asked)."""
    if not reason.strip():
        raise ValidationError(_("Vui lòng nêu lý do dừng xử lý."))
    with transaction.atomic():
        locked = lock_dossier(dossier, by=by)
        transition_locked(locked, "stop", by, comment=reason.strip(), at=now)
        now = now or timezone.now()
        locked.outcome = Outcome.STOPPED
        locked.stop_reason = reason.strip()
        locked.holder = None
        locked.paused_at = None
        locked.save()
        _finish_step(dossier=locked, now=now)
        _email(locked, "stopped")
    return locked


def dossier_hand_over(
    *,
    dossier: Dossier,
    by: User,
    returned_to: str,
    note: str = "",
    rating: int | None = None,
    comment: str = "",
    now: datetime | None = None,
) -> Dossier:
    """The counter hands the result (or the refusal) to the applicant; they may rate the service at once."""
    if not returned_to.strip():
        raise ValidationError(_("Vui lòng ghi tên người nhận kết quả."))
    with transaction.atomic():
        locked = lock_dossier(dossier, by=by, state=DossierState.RETURNING)
        transition_locked(locked, "hand_over", by, comment=note.strip(), at=now)
        now = now or timezone.now()
        locked.returned_at = now
        locked.returned_to = returned_to.strip()[:255]
        locked.save()
        _finish_step(dossier=locked, now=now)
        if rating is not None:
            _rate(locked, rating=rating, comment=comment, now=now)
    return locked


def _rate(dossier: Dossier, *, rating: int, comment: str, now=None) -> None:
    if dossier.state != DossierState.RETURNED:
        raise ValidationError(_("Chỉ đánh giá được khi đã nhận kết quả."))
    if dossier.rating is not None:
        raise ValidationError(_("Hồ sơ này đã được đánh giá."))
    if rating not in range(1, 6):
        raise ValidationError(_("Mức độ hài lòng từ 1 đến 5."))
    dossier.rating = rating
    dossier.rating_comment = comment.strip()[:2000]
    dossier.rated_at = now or timezone.now()
    dossier.save(update_fields=["rating", "rating_comment", "rated_at"])


def dossier_rate(*, dossier: Dossier, rating: int, comment: str = "") -> Dossier:
    """The applicant's satisfaction (public tracking page or the counter screen), once per dossier."""
    with transaction.atomic():
        locked = lock_dossier(dossier, by=None)
        _rate(locked, rating=rating, comment=comment)
    return locked


# ---------------------------------------------------------------------------------------------------
# Email to the applicant
# ---------------------------------------------------------------------------------------------------

EMAIL_EVENTS = (
    "submitted",
    "received",
    "incomplete",
    "refused_reception",
    "supplement",
    "extended",
    "resolved",
    "refused",
    "stopped",
)


def _email(dossier: Dossier, event: str) -> None:
    if not dossier.applicant_email:
        return
    pk = dossier.pk

    def _queue():
        from .tasks import send_applicant_email

        send_applicant_email.delay(pk, event)

    transaction.on_commit(_queue)
