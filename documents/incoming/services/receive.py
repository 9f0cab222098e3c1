"""Receive an incoming document (the clerk; or delivered electronically), register it with its incoming
number, return it to its sender, add attachments, confirm its recall by the sender."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.common import Channel, Confidentiality, SignatureStatus, TextStatus, Urgency
from documents.files import MainFile, check_attachment, prepare_main_file, removed_on_error
from documents.incoming.models import IncomingAttachment, IncomingDocument
from documents.incoming.rules import (
    check_receive,
    default_due_at,
    due_soon_mark,
    notice_label,
    require_clerk,
)
from documents.incoming.selectors import duplicates_of, leaders_of
from documents.incoming.services.common import grant_view, locked_for, sync_sender
from documents.incoming.services.recall_files import recall_destroy_files
from documents.outgoing.models import DeliveryStatus
from documents.registers import numbering, secrecy
from documents.registers.models import DocumentType, Register
from documents.search.extract import mark_and_queue, queue_extraction
from eoffice.models import Agency, Role, User
from eoffice.services import notify
from workflow import services as wf
from workflow.models import HistoryEntry, WorkflowState

logger = logging.getLogger(__name__)

# A secret document held as metadata only: no bytes, no name, no hash (so no duplicate by content).
NO_FILE = MainFile(data=b"", name="", sha256="", pages=1)


class DuplicateWarning(ValidationError):
    """Likely duplicates exist; the clerk may confirm and go on (the link is kept)."""

    def __init__(self, duplicates: Sequence[IncomingDocument]):
        self.duplicates = list(duplicates)
        super().__init__(
            _("Văn bản có thể trùng với %(n)d văn bản đã tiếp nhận.") % {"n": len(self.duplicates)},
            code="duplicate",
        )


def verify_signatures(data: bytes, *, report=None) -> tuple[str, dict]:
    """(status, report) by the signing app's verify_pdf when it is installed; never raises. ``report``: a
    ``verify_pdf(data)`` the caller already made (the issue verifies its sealed PDF once for the public page
    and the internal recipients): only the status rule is applied to it."""
    if report is None:
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
    paper_location: str = "",
) -> IncomingDocument:
    """The clerk receives a document (and by default registers it at once, giving the incoming number).
    A secret document at or above the agency's metadata-only level is registered without any file: its
    metadata and ``paper_location`` only."""
    agency_id = by.agency_id
    require_clerk(by, agency_id)
    paper_location = paper_location.strip()
    no_file = secrecy.metadata_only(agency=by.agency, confidentiality=confidentiality)
    if no_file:
        errors = {}
        if main_files or attachments:
            errors["main_files"] = secrecy.no_file_message(agency=by.agency, confidentiality=confidentiality)
        if not paper_location:
            errors["paper_location"] = secrecy.paper_location_required_message()
        if errors:
            raise ValidationError(errors)
    now = timezone.now()
    received_at = received_at or now
    issuer_name = (issuer_agency.name if issuer_agency else issuer_name).strip()
    check_receive(
        agency_id=agency_id,
        issuer_name=issuer_name,
        number_symbol=number_symbol,
        summary=summary,
        issued_date=issued_date,
        received_at=received_at,
        urgency=urgency,
        confidentiality=confidentiality,
        channel=channel,
        due_at=due_at,
        directing_leader=directing_leader,
        register=register,
        now=now,
    )
    main: MainFile = NO_FILE if no_file else prepare_main_file(main_files)
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
    status, report = (SignatureStatus.UNCHECKED, {}) if no_file else verify_signatures(main.data)
    register = numbering.incoming_register_for(
        agency=by.agency, register=register, secret=confidentiality > Confidentiality.NORMAL
    )
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
            paper_location=paper_location,
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
            text_status=TextStatus.NONE if no_file else TextStatus.PENDING,
        )
        document.due_soon_at = due_soon_mark(document.due_at, received_at)
        if not no_file:
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
        if not no_file:
            queue_extraction(IncomingDocument, [document.pk])
        grant_view(document, [by, directing_leader])
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
    locked = locked_for(document, by)
    if locked.state != WorkflowState.NEW:
        raise wf.RecordChanged
    if directing_leader is not None:
        if not (directing_leader.agency_id == locked.agency_id and directing_leader.has_role(Role.LEADER)):
            raise ValidationError(_("Người chỉ đạo phải là lãnh đạo của cơ quan."))
        locked.directing_leader = directing_leader
        locked.save(update_fields=["directing_leader"])
        grant_view(locked, [directing_leader])
    if locked.is_secret and not locked.directing_leader_id:
        raise ValidationError(_("Văn bản mật phải trình đích danh một lãnh đạo."), code="leader_required")
    # A secret document takes its number from the secret incoming register (its own series), whatever
    # register it arrived in (the exchange and internal delivery file everything in the default one).
    register = numbering.incoming_register_for(
        agency=locked.agency, register=locked.register, secret=locked.is_secret
    )
    year, number = numbering.issue(register=register)
    IncomingDocument.objects.filter(pk=locked.pk).update(year=year, number=number, register=register)
    locked.register = register
    document = wf.record_transition(
        record=locked,
        action="register_number",
        by=by,
        data={"number": number, "year": year, "register": register.pk},
    )
    recipients = (
        [document.directing_leader] if document.directing_leader_id else list(leaders_of(document.agency_id))
    )
    notify(
        recipients=[u for u in recipients if u.pk != by.pk],
        kind="documents.incoming",
        title=_("Văn bản đến chờ chỉ đạo: %(label)s") % {"label": notice_label(document)},
        body=_("Số đến %(number)s · %(issuer)s")
        % {"number": document.number_display, "issuer": document.issuer_name},
        url=document.get_absolute_url(),
    )
    sync_sender(
        document, DeliveryStatus.REGISTERED, by, _("Số đến %(number)s") % {"number": document.number_display}
    )
    return document


def incoming_register(
    *, document: IncomingDocument, by: User, directing_leader: User | None = None
) -> IncomingDocument:
    """Give a received (NEW) document its incoming number; a secret one needs its named leader (given
    here when it arrived electronically without one)."""
    require_clerk(by, document.agency_id)
    with transaction.atomic():
        return _register(document=document, by=by, directing_leader=directing_leader)


def incoming_return(*, document: IncomingDocument, by: User, reason: str) -> IncomingDocument:
    """Return a misaddressed or invalid document to its sender, with the reason (NĐ 30 Điều 21.2.b)."""
    if not reason.strip():
        raise ValidationError(_("Vui lòng nêu lý do trả lại."))
    require_clerk(by, document.agency_id)
    with transaction.atomic():
        locked_for(document, by)
        document = wf.record_transition(record=document, action="send_back", by=by, comment=reason.strip())
        document.return_reason = reason.strip()
        document.save(update_fields=["return_reason"])
        sync_sender(document, DeliveryStatus.REFUSED, by, reason.strip())
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
    require_clerk(by, document.agency_id)
    if secrecy.held_without_file(document):
        raise ValidationError(
            secrecy.no_file_message(agency=by.agency, confidentiality=document.confidentiality)
        )
    hashes = [check_attachment(f) for f in files]
    created = []
    with removed_on_error() as stored, transaction.atomic():
        locked = locked_for(document, by)
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


def incoming_confirm_recall(*, document: IncomingDocument, by: User) -> IncomingDocument:
    """The clerk confirms that the document recalled by its sender has been taken out of use (status 15)."""
    require_clerk(by, document.agency_id)
    with transaction.atomic():
        locked = locked_for(document, by, active=False)
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
        recall_destroy_files(document=locked, by=by)
        sync_sender(locked, DeliveryStatus.RECALL_ACCEPTED, by, comment)
    return locked
