"""Every write of the documents app: keyword-only, one transaction, row lock, right checked, history.

Flow of an incoming document (NĐ 30 Điều 20–24):
receive (clerk; NEW) → register: incoming number (RECEIVED, "chờ chỉ đạo") → direct: instruction, lead,
coordinators, informed, deadline (ASSIGNED) → the head hands the unit's part to an officer → progress
(PROCESSING) → finish (ARCHIVED); side exits: return to sender (RETURNED); the leader can reopen.

A document delivered electronically by an outgoing document of this installation arrives NEW with no
receiving person (``documents.outgoing.delivery``); each step above is reported back to the sender in the
same transaction (``_sync``). A document recalled by its sender (``recalled_at``) accepts no further step
except the clerk's confirmation of the recall.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.common import Channel, Confidentiality, SignatureStatus, TextStatus, Urgency
from documents.files import MainFile, check_attachment, prepare_main_file, removed_on_error
from documents.incoming.models import (
    INCOMING_OPEN_STATES,
    IncomingAttachment,
    IncomingDocument,
    IncomingDocumentUserObjectPermission,
    can_direct,
    holds_lead,
    incoming_content_type,
)
from documents.incoming.selectors import duplicates_of, incoming_access
from documents.outgoing.models import DeliveryStatus
from documents.registers import numbering
from documents.registers.models import DocumentType, Register
from documents.search.extract import mark_and_queue, queue_extraction
from eoffice.models import Agency, Department, Role, User
from eoffice.services import notify
from workflow import calendar
from workflow import services as wf
from workflow.models import Assignment, HistoryEntry, WorkflowState, held_by_q

logger = logging.getLogger(__name__)

# Default processing time by urgency, in working days (configurable: DOCUMENTS_DEADLINE_WORKING_DAYS).
DEFAULT_DEADLINE_DAYS = {Urgency.NORMAL: 10, Urgency.URGENT: 3, Urgency.VERY_URGENT: 2, Urgency.FLASH: 1}


class DuplicateWarning(ValidationError):
    """Likely duplicates exist; the clerk may confirm and go on (the link is kept)."""

    def __init__(self, duplicates: Sequence[IncomingDocument]):
        self.duplicates = list(duplicates)
        super().__init__(
            _("Văn bản có thể trùng với %(n)d văn bản đã tiếp nhận.") % {"n": len(self.duplicates)},
            code="duplicate",
        )


def default_due_at(*, urgency: int, received_at: datetime) -> datetime:
    days = getattr(settings, "DOCUMENTS_DEADLINE_WORKING_DAYS", None) or DEFAULT_DEADLINE_DAYS
    n = int(days.get(urgency, days.get(int(urgency), 10)))
    return calendar.add_working_days(received_at, n, end_of_day=True)


def _marks(due_at: datetime | None, start: datetime):
    soon, _escalate = wf.deadline_marks(due_at=due_at, start=start)
    return soon


def verify_signatures(data: bytes) -> tuple[str, dict]:
    """(status, report) by the signing app's verify_pdf when it is installed; never raises."""
    try:
        from signing.verification import verify_pdf
    except ImportError:  # pragma: no cover - signing not installed
        return SignatureStatus.UNCHECKED, {}
    try:
        report = verify_pdf(data)
    except Exception:  # a verifier failure must not block the registration
        logger.exception("signature verification failed")
        return SignatureStatus.UNCHECKED, {"error": _("Không kiểm tra được chữ ký số.")}
    if not report.signed and not report.error:
        return SignatureStatus.UNSIGNED, report.as_dict()
    return (SignatureStatus.VALID if report.all_ok else SignatureStatus.INVALID), report.as_dict()


# --- rights ------------------------------------------------------------------------------------------


def _require_clerk(by: User, agency_id: int | None) -> None:
    if not (by.agency_id and by.agency_id == agency_id and by.has_role(Role.CLERK)):
        raise PermissionDenied(_("Chỉ văn thư của cơ quan được tiếp nhận, vào sổ văn bản đến."))


def _require_active(document: IncomingDocument) -> None:
    """No step on a document its sender has recalled (only the recall's confirmation)."""
    if document.recalled_at is not None:
        raise ValidationError(_("Văn bản đã bị nơi gửi thu hồi, không thể xử lý tiếp."), code="recalled")


def _locked(document: IncomingDocument, by: User, *, active: bool = True) -> IncomingDocument:
    """The document reloaded through its access helper with the row locked (inside the caller's
    transaction). One the actor may not see is refused as any step they may not take; ``active``: no step
    on a document its sender has recalled."""
    try:
        locked = incoming_access(user=by, pk=document.pk, lock=True)
    except Http404:
        raise PermissionDenied(_("Bạn không có quyền với văn bản này.")) from None
    if active:
        _require_active(locked)
    return locked


def _sync(document: IncomingDocument, status: str, by: User | None, note: str = "") -> None:
    """Tell the sender (an outgoing document of this installation) what happened to its document."""
    from documents.outgoing.delivery import sync_from_incoming

    sync_from_incoming(incoming=document, status=status, by=by, note=note)


def _view_permission() -> Permission:
    return Permission.objects.get(content_type=incoming_content_type(), codename="view_incomingdocument")


def _grant(document: IncomingDocument, users: Sequence[User | None]) -> list[User]:
    """Give explicit view rights on a secret document (direct-FK guardian table); returns the new ones."""
    if not document.is_secret:
        return []
    perm = _view_permission()
    wanted = {u.pk: u for u in users if u is not None and u.pk}
    have = set(
        IncomingDocumentUserObjectPermission.objects.filter(
            content_object=document, permission=perm, user_id__in=list(wanted)
        ).values_list("user_id", flat=True)
    )
    fresh = [u for pk, u in wanted.items() if pk not in have]
    IncomingDocumentUserObjectPermission.objects.bulk_create(
        [
            IncomingDocumentUserObjectPermission(user=u, permission=perm, content_object=document)
            for u in fresh
        ],
        ignore_conflicts=True,
    )
    return fresh


def _heads(department_ids) -> list[User]:
    ids = {d for d in department_ids if d}
    if not ids:
        return []
    return list(
        User.objects.filter(
            department_id__in=ids, is_active=True, groups__agency_role__role=Role.DEPARTMENT_HEAD
        ).distinct()
    )


def _leaders(agency_id: int) -> list[User]:
    return list(
        User.objects.filter(
            agency_id=agency_id, is_active=True, groups__agency_role__role=Role.LEADER
        ).distinct()
    )


def _label(document: IncomingDocument) -> str:
    prefix = ""
    if document.urgency > Urgency.NORMAL:
        prefix = f"[{Urgency(document.urgency).label}] "
    return f"{prefix}{document.number_symbol} — {document.summary[:120]}"


# --- receive and register -----------------------------------------------------------------------------


def incoming_receive(
    *,
    by: User,
    main_files: Sequence,
    attachments: Sequence = (),
    issuer_agency: Agency | None = None,
    issuer_name: str = "",
    number_symbol: str,
    issued_date: date,
    doc_type: DocumentType,
    summary: str,
    signer_name: str = "",
    urgency: int = Urgency.NORMAL,
    confidentiality: int = Confidentiality.NORMAL,
    page_count: int | None = None,
    received_at: datetime | None = None,
    channel: str = Channel.PAPER,
    due_at: datetime | None = None,
    register: Register | None = None,
    directing_leader: User | None = None,
    note: str = "",
    register_now: bool = True,
    allow_duplicate: bool = False,
) -> IncomingDocument:
    """The clerk receives a document (and by default registers it at once, giving the incoming number)."""
    agency_id = by.agency_id
    _require_clerk(by, agency_id)
    now = timezone.now()
    received_at = received_at or now
    issuer_name = (issuer_agency.name if issuer_agency else issuer_name).strip()
    errors: dict[str, str] = {}
    if not issuer_name:
        errors["issuer_name"] = _("Vui lòng chọn hoặc nhập cơ quan ban hành.")
    if not number_symbol.strip():
        errors["number_symbol"] = _("Vui lòng nhập số, ký hiệu của văn bản.")
    if not summary.strip():
        errors["summary"] = _("Vui lòng nhập trích yếu nội dung.")
    if received_at > now + timezone.timedelta(minutes=5):
        errors["received_at"] = _("Thời gian nhận không được ở tương lai.")
    if issued_date > timezone.localtime(received_at).date():
        errors["issued_date"] = _("Ngày ban hành không được sau ngày nhận văn bản.")
    if urgency not in Urgency.values:
        errors["urgency"] = _("Độ khẩn không hợp lệ.")
    if confidentiality not in Confidentiality.values:
        errors["confidentiality"] = _("Độ mật không hợp lệ.")
    if channel not in Channel.values:
        errors["channel"] = _("Hình thức nhận không hợp lệ.")
    if due_at is not None and due_at <= received_at:
        errors["due_at"] = _("Hạn xử lý phải sau thời gian nhận.")
    if directing_leader is not None and not (
        directing_leader.agency_id == agency_id and directing_leader.has_role(Role.LEADER)
    ):
        errors["directing_leader"] = _("Người chỉ đạo phải là lãnh đạo của cơ quan.")
    if confidentiality > Confidentiality.NORMAL and directing_leader is None:
        errors["directing_leader"] = _("Văn bản mật phải trình đích danh một lãnh đạo.")
    if register is not None and (register.agency_id != agency_id or register.kind != Register.Kind.INCOMING):
        errors["register"] = _("Sổ văn bản đến không hợp lệ.")
    if errors:
        raise ValidationError(errors)
    main: MainFile = prepare_main_file(main_files)
    attachment_hashes = [check_attachment(f) for f in attachments]
    if not allow_duplicate:
        dups = duplicates_of(
            agency_id=agency_id,
            number_symbol=number_symbol,
            issuer_name=issuer_name,
            issuer_agency_id=issuer_agency.pk if issuer_agency else None,
            sha256=main.sha256,
        )[:5]
        if dups:
            raise DuplicateWarning(dups)
    status, report = verify_signatures(main.data)
    register = register or numbering.default_register(agency=by.agency)
    with removed_on_error() as stored, transaction.atomic():
        duplicate = duplicates_of(
            agency_id=agency_id,
            number_symbol=number_symbol,
            issuer_name=issuer_name,
            issuer_agency_id=issuer_agency.pk if issuer_agency else None,
            sha256=main.sha256,
        ).first()
        document = IncomingDocument(
            agency_id=agency_id,
            register=register,
            issuer_agency=issuer_agency,
            issuer_name=issuer_name,
            number_symbol=number_symbol.strip(),
            issued_date=issued_date,
            doc_type=doc_type,
            summary=summary.strip(),
            signer_name=signer_name.strip(),
            urgency=urgency,
            confidentiality=confidentiality,
            page_count=page_count or main.pages,
            received_at=received_at,
            channel=channel,
            due_at=due_at or default_due_at(urgency=urgency, received_at=received_at),
            file_name=main.name[-255:],
            file_sha256=main.sha256,
            file_size=len(main.data),
            signature_status=status,
            signature_report=report,
            duplicate_of=duplicate,
            received_by=by,
            directing_leader=directing_leader,
            note=note.strip(),
            text_status=TextStatus.PENDING,
        )
        document.due_soon_at = _marks(document.due_at, received_at)
        document.file.save(main.name, ContentFile(main.data), save=False)
        stored.append(document.file.name)
        document.save()
        for upload, digest in zip(attachments, attachment_hashes, strict=True):
            att = IncomingAttachment(
                document=document, name=upload.name[-255:], sha256=digest, size=upload.size, uploaded_by=by
            )
            att.file.save(upload.name, upload, save=False)
            stored.append(att.file.name)
            att.save()
        queue_extraction(IncomingDocument, [document.pk])
        _grant(document, [by, directing_leader])
        wf.history_add(
            record=document,
            event=HistoryEntry.Event.CREATED,
            actor=by,
            to_state=document.state,
            data={
                "signature": status,
                "duplicate_of": duplicate.pk if duplicate else None,
                "converted_from_images": main.converted,
            },
        )
        if register_now:
            document = _register(document=document, by=by)
    return document


def _register(
    *, document: IncomingDocument, by: User, directing_leader: User | None = None
) -> IncomingDocument:
    locked = _locked(document, by)
    if locked.state != WorkflowState.NEW:
        raise wf.RecordChanged
    if directing_leader is not None:
        if not (directing_leader.agency_id == locked.agency_id and directing_leader.has_role(Role.LEADER)):
            raise ValidationError(_("Người chỉ đạo phải là lãnh đạo của cơ quan."))
        locked.directing_leader = directing_leader
        locked.save(update_fields=["directing_leader"])
        _grant(locked, [directing_leader])
    if locked.is_secret and not locked.directing_leader_id:
        raise ValidationError(_("Văn bản mật phải trình đích danh một lãnh đạo."), code="leader_required")
    year, number = numbering.issue(register=locked.register)
    IncomingDocument.objects.filter(pk=locked.pk).update(year=year, number=number)
    document = wf.record_transition(
        record=locked,
        action="register_number",
        by=by,
        data={"number": number, "year": year, "register": locked.register_id},
    )
    recipients = [document.directing_leader] if document.directing_leader_id else _leaders(document.agency_id)
    notify(
        recipients=[u for u in recipients if u.pk != by.pk],
        kind="documents.incoming",
        title=_("Văn bản đến chờ chỉ đạo: %(label)s") % {"label": _label(document)},
        body=_("Số đến %(number)s · %(issuer)s")
        % {"number": document.number_display, "issuer": document.issuer_name},
        url=document.get_absolute_url(),
    )
    _sync(
        document, DeliveryStatus.REGISTERED, by, _("Số đến %(number)s") % {"number": document.number_display}
    )
    return document


def incoming_register(
    *, document: IncomingDocument, by: User, directing_leader: User | None = None
) -> IncomingDocument:
    """Give a received (NEW) document its incoming number; a secret one needs its named leader (given
    here when it arrived electronically without one)."""
    _require_clerk(by, document.agency_id)
    with transaction.atomic():
        return _register(document=document, by=by, directing_leader=directing_leader)


def incoming_return(*, document: IncomingDocument, by: User, reason: str) -> IncomingDocument:
    """Return a misaddressed or invalid document to its sender, with the reason (NĐ 30 Điều 21.2.b)."""
    if not reason.strip():
        raise ValidationError(_("Vui lòng nêu lý do trả lại."))
    _require_clerk(by, document.agency_id)
    with transaction.atomic():
        _locked(document, by)
        document = wf.record_transition(record=document, action="send_back", by=by, comment=reason.strip())
        document.return_reason = reason.strip()
        document.save(update_fields=["return_reason"])
        _sync(document, DeliveryStatus.REFUSED, by, reason.strip())
        if document.issuer_agency_id:
            clerks = User.objects.filter(
                agency_id=document.issuer_agency_id, is_active=True, groups__agency_role__role=Role.CLERK
            ).distinct()
            notify(
                recipients=list(clerks),
                kind="documents.returned",
                title=_("Văn bản %(symbol)s bị trả lại") % {"symbol": document.number_symbol},
                body=_("%(agency)s trả lại văn bản: %(reason)s")
                % {"agency": by.agency.name, "reason": reason.strip()},
            )
    return document


def incoming_add_attachments(
    *, document: IncomingDocument, by: User, files: Sequence
) -> list[IncomingAttachment]:
    _require_clerk(by, document.agency_id)
    hashes = [check_attachment(f) for f in files]
    created = []
    with removed_on_error() as stored, transaction.atomic():
        locked = _locked(document, by)
        for upload, digest in zip(files, hashes, strict=True):
            att = IncomingAttachment(
                document=locked, name=upload.name[-255:], sha256=digest, size=upload.size, uploaded_by=by
            )
            att.file.save(upload.name, upload, save=False)
            stored.append(att.file.name)
            att.save()
            created.append(att)
        mark_and_queue(IncomingDocument, [locked.pk])
        wf.history_add(
            record=locked,
            event=HistoryEntry.Event.COMMENT,
            actor=by,
            comment=_("Bổ sung tệp đính kèm: %(names)s") % {"names": ", ".join(a.name for a in created)},
        )
    return created


# --- direction --------------------------------------------------------------------------------------------


def incoming_delegate(
    *, document: IncomingDocument, by: User, to_leader: User, note: str = ""
) -> IncomingDocument:
    """The leader hands the direction of the document to a deputy."""
    with transaction.atomic():
        locked = _locked(document, by)
        if locked.state != WorkflowState.RECEIVED:
            raise wf.RecordChanged
        if not can_direct(locked, by):
            raise PermissionDenied(_("Bạn không có quyền chỉ đạo văn bản này."))
        if (
            to_leader.pk == by.pk
            or to_leader.agency_id != locked.agency_id
            or not to_leader.has_role(Role.LEADER)
        ):
            raise ValidationError(_("Chỉ chuyển cho một lãnh đạo khác của cơ quan."))
        locked.directing_leader = to_leader
        locked.delegated_by = by
        locked.save(update_fields=["directing_leader", "delegated_by"])
        _grant(locked, [to_leader])
        wf.history_add(
            record=locked,
            event=HistoryEntry.Event.COMMENT,
            actor=by,
            action="delegate",
            comment=note.strip(),
            data={"delegate_to": str(to_leader)},
        )
        notify(
            recipients=[to_leader],
            kind="documents.incoming",
            title=_("Được giao chỉ đạo văn bản đến: %(label)s") % {"label": _label(locked)},
            body=_("Người giao: %(name)s") % {"name": by},
            url=locked.get_absolute_url(),
        )
    return locked


def incoming_direct(
    *,
    document: IncomingDocument,
    by: User,
    instruction: str,
    lead_user: User | None = None,
    lead_department: Department | None = None,
    coordinators: Sequence[User] = (),
    coordinator_departments: Sequence[Department] = (),
    informed: Sequence[User] = (),
    due_at: datetime | None = None,
    expected_state: str | None = WorkflowState.RECEIVED,
    grant_lead_head: bool = False,
) -> IncomingDocument:
    """The leader's direction: instruction, lead, coordinators, informed and the deadline (Điều 23).

    One history row: the "assign" transition, with the lead, coordinators and informed in its data. On a
    secret document exactly the people named are granted it: the persons assigned, and for a unit assigned
    the heads who hold its part; the head of a person's unit only when the leader says so
    (``grant_lead_head``: the lead is a person whose head should follow or hand on the work)."""
    if not instruction.strip():
        raise ValidationError(_("Vui lòng nhập ý kiến chỉ đạo."))
    if due_at is not None and due_at <= timezone.now():
        raise ValidationError(_("Hạn xử lý phải sau thời điểm hiện tại."))
    with transaction.atomic():
        locked = _locked(document, by)
        document, created = wf.record_assign(
            record=locked,
            by=by,
            instruction=instruction.strip(),
            expected_state=expected_state,
            lead=lead_user,
            lead_department=lead_department,
            coordinators=coordinators,
            coordinator_departments=coordinator_departments,
            informed=informed,
            due_at=due_at or locked.due_at,
        )
        document.instruction = instruction.strip()
        document.directed_by = by
        if due_at is not None:
            document.due_at = due_at
            document.due_soon_at = _marks(due_at, timezone.now())
        document.save(update_fields=["instruction", "directed_by", "due_at", "due_soon_at"])
        if document.is_secret:
            people = [a.assignee for a in created if a.assignee_id]
            people += _heads(a.department_id for a in created if not a.assignee_id)
            _grant(document, people)
            if grant_lead_head and lead_user is not None:
                heads = [u for u in _heads([lead_user.department_id]) if u.pk != lead_user.pk]
                fresh = _grant(document, heads)
                if fresh:
                    wf.history_add(
                        record=document,
                        event=HistoryEntry.Event.COMMENT,
                        actor=by,
                        action="grant",
                        comment=_("Cấp quyền xem: %(names)s") % {"names": ", ".join(str(u) for u in fresh)},
                        data={"granted": [u.pk for u in fresh], "lead_head": True},
                    )
        _sync(document, DeliveryStatus.ASSIGNED, by)
    return document


def incoming_forward(
    *,
    document: IncomingDocument,
    assignment: Assignment,
    by: User,
    to_user: User,
    instruction: str = "",
    due_at: datetime | None = None,
) -> Assignment:
    """The head of the assigned unit hands the unit's part to an officer (workflow notifies the officer)."""
    with transaction.atomic():
        locked = _locked(document, by)
        if assignment.content_type_id != incoming_content_type().pk or assignment.object_id != locked.pk:
            raise PermissionDenied
        if not locked.is_open:
            raise wf.RecordChanged(_("Văn bản đã kết thúc xử lý."))
        child = wf.assignment_forward(
            assignment=assignment, to_user=to_user, by=by, instruction=instruction.strip(), due_at=due_at
        )
        _grant(locked, [to_user])
    return child


# --- processing ---------------------------------------------------------------------------------------------


def _my_parts(document: IncomingDocument, by: User) -> list[Assignment]:
    return list(
        Assignment.objects.for_record(document)
        .select_for_update()
        .filter(held_by_q(by), status=Assignment.Status.OPEN)
        .exclude(role=Assignment.Kind.INFORM)
        .exclude(children__status=Assignment.Status.OPEN)
        .order_by("role", "id")
    )


def incoming_start(
    *, document: IncomingDocument, by: User, expected_state: str | None = WorkflowState.ASSIGNED
) -> IncomingDocument:
    with transaction.atomic():
        _locked(document, by)
        document = wf.record_transition(record=document, action="start", by=by, expected_state=expected_state)
        _sync(document, DeliveryStatus.PROCESSING, by)
    return document


def incoming_progress(
    *, document: IncomingDocument, by: User, note: str, percent: int | None = None, attachment=None
) -> IncomingDocument:
    """A progress note (with a file) on the user's part; the lead's first note starts the processing."""
    if not note.strip():
        raise ValidationError(_("Vui lòng nhập nội dung cập nhật tiến độ."))
    with transaction.atomic():
        locked = _locked(document, by)
        if not locked.is_open or locked.state == WorkflowState.RECEIVED:
            raise wf.RecordChanged(_("Văn bản không ở trạng thái đang xử lý."))
        parts = _my_parts(locked, by)
        if not parts:
            raise PermissionDenied(_("Bạn không được giao xử lý văn bản này."))
        part = parts[0]
        if part.role == Assignment.Kind.LEAD and locked.state == WorkflowState.ASSIGNED:
            locked = wf.record_transition(record=locked, action="start", by=by)
            _sync(locked, DeliveryStatus.PROCESSING, by)
        wf.assignment_report_progress(
            assignment=part,
            by=by,
            percent=part.progress if percent is None else percent,
            note=note.strip(),
            attachment=attachment,
        )
    return locked


def incoming_request_input(
    *,
    document: IncomingDocument,
    by: User,
    coordinators: Sequence[User] = (),
    coordinator_departments: Sequence[Department] = (),
    note: str,
    due_at: datetime | None = None,
) -> list[Assignment]:
    """The lead asks people or units for their input: new coordinate parts (the engine's
    ``assignments_add`` writes the history and notifies them); by default due with the document."""
    if not coordinators and not coordinator_departments:
        raise ValidationError(_("Vui lòng chọn người hoặc đơn vị phối hợp."))
    if not note.strip():
        raise ValidationError(_("Vui lòng nêu nội dung cần phối hợp."))
    now = timezone.now()
    if due_at is not None and due_at <= now:
        raise ValidationError(_("Hạn phối hợp phải sau thời điểm hiện tại."))
    with transaction.atomic():
        locked = _locked(document, by)
        if not locked.is_open or not holds_lead(locked, by):
            raise PermissionDenied(_("Chỉ người chủ trì xử lý được xin ý kiến phối hợp."))
        if due_at is None and locked.due_at and locked.due_at > now:
            due_at = locked.due_at
        created = wf.assignments_add(
            record=locked,
            by=by,
            role=Assignment.Kind.COORDINATE,
            users=coordinators,
            departments=coordinator_departments,
            due_at=due_at,
            instruction=note.strip(),
        )
        recipients = [a.assignee for a in created if a.assignee_id]
        recipients += _heads(a.department_id for a in created if not a.assignee_id)
        _grant(locked, recipients)
    return created


def incoming_coordinate_reply(
    *, document: IncomingDocument, assignment: Assignment, by: User, note: str, attachment=None
) -> Assignment:
    """A coordinator gives their input and closes their part (the requester is notified by workflow)."""
    if not note.strip():
        raise ValidationError(_("Vui lòng nhập ý kiến phối hợp."))
    if assignment.object_id != document.pk or assignment.role != Assignment.Kind.COORDINATE:
        raise PermissionDenied
    with transaction.atomic():
        _locked(document, by)
        return wf.assignment_complete(assignment=assignment, by=by, note=note.strip(), attachment=attachment)


def incoming_propose(*, document: IncomingDocument, by: User, proposal: str) -> IncomingDocument:
    """The lead officer proposes the result (Phiếu giải quyết văn bản đến, part 3)."""
    if not proposal.strip():
        raise ValidationError(_("Vui lòng nhập ý kiến đề xuất."))
    with transaction.atomic():
        locked = _locked(document, by)
        if not locked.is_open or not holds_lead(locked, by):
            raise PermissionDenied(_("Chỉ người chủ trì xử lý được đề xuất kết quả."))
        locked.proposal = proposal.strip()
        locked.save(update_fields=["proposal"])
        wf.history_add(
            record=locked,
            event=HistoryEntry.Event.COMMENT,
            actor=by,
            action="propose",
            comment=proposal.strip(),
            data={"kind": "proposal"},
        )
        part = _my_parts(locked, by)
        giver = part[0].assigned_by if part and part[0].assigned_by_id else locked.directed_by
        if giver and giver.pk != by.pk:
            notify(
                recipients=[giver],
                kind="workflow.progress",
                title=_("Đề xuất giải quyết: %(label)s") % {"label": _label(locked)},
                body=proposal.strip(),
                url=locked.get_absolute_url(),
            )
    return locked


def incoming_link_reply(
    *, document: IncomingDocument, by: User, reply_number_symbol: str
) -> IncomingDocument:
    """Record the number and symbol of the reply (the outgoing module links its own record later)."""
    with transaction.atomic():
        locked = _locked(document, by)
        if not (holds_lead(locked, by) or (by.agency_id == locked.agency_id and by.has_role(Role.CLERK))):
            raise PermissionDenied(_("Bạn không có quyền cập nhật văn bản trả lời."))
        locked.reply_number_symbol = reply_number_symbol.strip()
        locked.save(update_fields=["reply_number_symbol"])
        wf.history_add(
            record=locked,
            event=HistoryEntry.Event.COMMENT,
            actor=by,
            action="link_reply",
            comment=_("Văn bản trả lời: %(symbol)s") % {"symbol": locked.reply_number_symbol or "—"},
        )
    return locked


def incoming_finish(
    *, document: IncomingDocument, by: User, note: str = "", attachment=None
) -> IncomingDocument:
    """The lead's finish closes the document's processing; open coordinate parts are closed with it."""
    with transaction.atomic():
        locked = _locked(document, by)
        parts = [p for p in _my_parts(locked, by) if p.role == Assignment.Kind.LEAD]
        document = wf.record_transition(
            record=locked, action="finish", by=by, comment=note.strip(), attachment=attachment
        )
        notified = set()
        for part in parts:
            wf.assignment_complete(assignment=part, by=by, note=note.strip())
            notified.add(part.assigned_by_id)
        now = timezone.now()
        Assignment.objects.for_record(document).filter(
            status=Assignment.Status.OPEN, role__in=[Assignment.Kind.LEAD, Assignment.Kind.COORDINATE]
        ).update(status=Assignment.Status.DONE, completed_at=now)
        if document.directed_by_id and document.directed_by_id not in notified | {by.pk}:
            notify(
                recipients=[document.directed_by],
                kind="workflow.progress",
                title=_("Đã hoàn thành xử lý: %(label)s") % {"label": _label(document)},
                body=note.strip(),
                url=document.get_absolute_url(),
            )
        _sync(document, DeliveryStatus.DONE, by, note.strip())
    return document


def incoming_reopen(*, document: IncomingDocument, by: User, reason: str) -> IncomingDocument:
    if not reason.strip():
        raise ValidationError(_("Vui lòng nêu lý do mở lại."))
    with transaction.atomic():
        _locked(document, by)
        document = wf.record_transition(record=document, action="reopen", by=by, comment=reason.strip())
        leads = Assignment.objects.for_record(document).filter(role=Assignment.Kind.LEAD, superseded=False)
        leads.exclude(status=Assignment.Status.CANCELLED).update(
            status=Assignment.Status.OPEN, completed_at=None
        )
        holders = [a.assignee for a in leads.select_related("assignee") if a.assignee_id]
        holders += _heads(a.department_id for a in leads if not a.assignee_id)
        notify(
            recipients=[u for u in holders if u.pk != by.pk],
            kind="workflow.assigned",
            title=_("Mở lại xử lý: %(label)s") % {"label": _label(document)},
            body=reason.strip(),
            url=document.get_absolute_url(),
        )
        _sync(document, DeliveryStatus.PROCESSING, by, reason.strip())
    return document


def incoming_close_by_reply(
    *, document: IncomingDocument, by: User, reply_number_symbol: str
) -> IncomingDocument:
    """The reply to ``document`` was issued (``documents.outgoing.delivery.close_reply``, inside the issuance
    transaction): its number and symbol are recorded and, if the document is still open, its processing
    is finished as ``incoming_finish`` would (a system step in the issuing clerk's name: no lead check)."""
    symbol = reply_number_symbol.strip()
    with transaction.atomic():
        # A system step in the issuing clerk's name (no page of theirs loaded it): a plain locked fetch.
        locked = wf.lock_record(IncomingDocument, document.pk)
        if by.agency_id != locked.agency_id:
            raise PermissionDenied(_("Văn bản trả lời phải do chính cơ quan nhận văn bản ban hành."))
        locked.reply_number_symbol = symbol[:100]
        locked.save(update_fields=["reply_number_symbol"])
        wf.history_add(
            record=locked,
            event=HistoryEntry.Event.COMMENT,
            actor=by,
            action="link_reply",
            comment=_("Văn bản trả lời: %(symbol)s") % {"symbol": symbol or "—"},
            data={"reply": symbol, "by_issuance": True},
        )
        if locked.state not in INCOMING_OPEN_STATES or locked.recalled_at is not None:
            return locked
        now = timezone.now()
        before = locked.state
        IncomingDocument.objects.filter(pk=locked.pk).update(
            state=WorkflowState.ARCHIVED, completed_at=now, updated_at=now
        )
        locked.refresh_from_db()
        leads = list(
            Assignment.objects.for_record(locked)
            .filter(status=Assignment.Status.OPEN, role=Assignment.Kind.LEAD)
            .select_related("assignee")
        )
        Assignment.objects.for_record(locked).filter(
            status=Assignment.Status.OPEN, role__in=[Assignment.Kind.LEAD, Assignment.Kind.COORDINATE]
        ).update(status=Assignment.Status.DONE, completed_at=now)
        comment = _("Kết thúc xử lý do đã ban hành văn bản trả lời số %(symbol)s (%(name)s phát hành).") % {
            "symbol": symbol,
            "name": by,
        }
        wf.history_add(
            record=locked,
            event=HistoryEntry.Event.TRANSITION,
            actor=by,
            action="finish",
            from_state=before,
            to_state=locked.state,
            comment=comment,
            data={"reply": symbol, "system": True},
        )
        holders = [a.assignee for a in leads if a.assignee_id]
        holders += _heads(a.department_id for a in leads if not a.assignee_id)
        if locked.directed_by_id:
            holders.append(locked.directed_by)
        notify(
            recipients=[u for u in holders if u.pk != by.pk],
            kind="workflow.progress",
            title=_("Đã hoàn thành xử lý: %(label)s") % {"label": _label(locked)},
            body=comment,
            url=locked.get_absolute_url(),
        )
        _sync(locked, DeliveryStatus.DONE, by, comment)
    return locked


def incoming_confirm_recall(*, document: IncomingDocument, by: User) -> IncomingDocument:
    """The clerk confirms that the document recalled by its sender has been taken out of use (status 15)."""
    _require_clerk(by, document.agency_id)
    with transaction.atomic():
        locked = _locked(document, by, active=False)
        if locked.recalled_at is None:
            raise ValidationError(_("Văn bản không bị nơi gửi thu hồi."))
        if locked.recall_confirmed_at is not None:
            raise wf.RecordChanged(_("Việc thu hồi văn bản đã được xác nhận."))
        locked.recall_confirmed_at = timezone.now()
        locked.save(update_fields=["recall_confirmed_at"])
        comment = _("Văn thư xác nhận đã thu hồi văn bản theo đề nghị của nơi gửi.")
        wf.history_add(
            record=locked,
            event=HistoryEntry.Event.COMMENT,
            actor=by,
            action="recall",
            comment=comment,
            data={"kind": "recall_confirmed"},
        )
        _sync(locked, DeliveryStatus.RECALL_ACCEPTED, by, comment)
    return locked


def incoming_action(
    *, document: IncomingDocument, by: User, action: str, comment: str = "", expected_state: str | None = None
) -> IncomingDocument:
    """The simple buttons of the detail page (those without their own form)."""
    if action == "send_back":
        return incoming_return(document=document, by=by, reason=comment)
    if action == "start":
        return incoming_start(document=document, by=by, expected_state=expected_state)
    if action == "reopen":
        return incoming_reopen(document=document, by=by, reason=comment)
    if action == "register_number":
        return incoming_register(document=document, by=by)
    raise ValidationError(_("Thao tác không hợp lệ."))


def incoming_grant(*, document: IncomingDocument, by: User, users: Sequence[User]) -> list[User]:
    """Give people of the agency the right to see a secret document; each change is logged and notified."""
    with transaction.atomic():
        locked = _locked(document, by, active=False)
        if not locked.is_secret:
            raise ValidationError(_("Chỉ cấp quyền xem riêng cho văn bản mật."))
        if not (by.agency_id == locked.agency_id and by.has_role(Role.LEADER, Role.CLERK)):
            raise PermissionDenied(_("Chỉ lãnh đạo hoặc văn thư được cấp quyền xem văn bản mật."))
        for user in users:
            if user.agency_id != locked.agency_id:
                raise ValidationError(_("Chỉ cấp quyền cho cán bộ của cơ quan."))
        fresh = _grant(locked, users)
        if fresh:
            wf.history_add(
                record=locked,
                event=HistoryEntry.Event.COMMENT,
                actor=by,
                action="grant",
                comment=_("Cấp quyền xem: %(names)s") % {"names": ", ".join(str(u) for u in fresh)},
                data={"granted": [u.pk for u in fresh]},
            )
            notify(
                recipients=fresh,
                kind="documents.incoming",
                title=_("Được cấp quyền xem văn bản mật: %(label)s") % {"label": _label(locked)},
                url=locked.get_absolute_url(),
            )
    return fresh


def incoming_view_logged(*, document: IncomingDocument, user: User, what: str = "") -> None:
    """Every view of a secret document is written to its history."""
    if document.is_secret:
        wf.record_view_log(record=document, user=user, reason=what)
