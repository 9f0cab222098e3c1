"""Reception: a dossier brought to the counter (or by post) and the counter's check of an online submission,
with the same three outcomes: valid (a code and an appointment, form 01), incomplete (form 02) or not
eligible (form 03). The papers of the checklist and their scans."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice.models import Role, User
from onestop.models import (
    Channel,
    Dossier,
    DossierCounter,
    DossierPaper,
    DossierState,
    Procedure,
    RequiredPaper,
    StepKind,
    SupplementRequest,
)
from onestop.rules import appointment, clock_start, cutoff_for, missing_mandatory
from onestop.selectors import config_for
from onestop.services.core import email_applicant, lock_dossier, open_step, transition_locked
from workflow import services as wf
from workflow.files import sha256_of, sniff, validate_upload
from workflow.models import HistoryEntry


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


def new_reference() -> str:
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


def add_papers(
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


def check_procedure(procedure: Procedure) -> None:
    if not procedure.is_active:
        raise ValidationError(_("Thủ tục này đã ngừng áp dụng."))


def apply_applicant(dossier: Dossier, applicant: Applicant) -> None:
    if not applicant.name.strip():
        raise ValidationError(_("Vui lòng nhập họ tên người nộp hồ sơ."))
    dossier.applicant_kind = applicant.kind
    dossier.applicant_name = applicant.name.strip()[:255]
    dossier.applicant_id_number = applicant.id_number.strip()[:20]
    dossier.applicant_address = applicant.address.strip()[:500]
    dossier.applicant_phone = applicant.phone.strip()[:20]
    dossier.applicant_email = applicant.email.strip()[:254]


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
    check_procedure(procedure)
    with transaction.atomic():
        dossier = Dossier(
            agency_id=procedure.agency_id,
            procedure=procedure,
            reference=new_reference(),
            channel=channel,
            summary=summary.strip()[:500],
            note=note.strip(),
            submitted_at=now or timezone.now(),
        )
        apply_applicant(dossier, applicant)
        dossier.save()
        wf.history_add(
            record=dossier, event=HistoryEntry.Event.CREATED, actor=by, to_state=dossier.state, at=now
        )
        add_papers(dossier, papers, now=now)
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
        open_step(
            dossier=dossier,
            kind=StepKind.RECEIVE,
            giver=None,
            giver_name=dossier.applicant_name,
            receiver=by,
            department=by.department,
            now=now,
        )
        email_applicant(dossier, "received")
    elif outcome == OUTCOME_INCOMPLETE:
        text = missing.strip() or "\n".join(missing_mandatory(dossier))
        if not text:
            raise ValidationError(_("Vui lòng ghi rõ các giấy tờ cần bổ sung, hoàn thiện."))
        transition_locked(dossier, "ask_complete", by, comment=text, at=now)
        dossier.missing_papers = text
        dossier.received_by = by
        dossier.save()
        email_applicant(dossier, "incomplete")
    elif outcome == OUTCOME_INELIGIBLE:
        if not reasons.strip():
            raise ValidationError(_("Vui lòng nêu rõ lý do từ chối tiếp nhận."))
        transition_locked(dossier, "refuse_reception", by, comment=reasons.strip(), at=now)
        dossier.refusal_reason = reasons.strip()
        dossier.received_by = by
        dossier.save()
        email_applicant(dossier, "refused_reception")
    else:
        raise ValidationError(_("Kết quả kiểm tra hồ sơ không hợp lệ."))
    return dossier
