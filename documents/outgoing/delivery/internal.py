"""Internal recipients: an incoming document created at once in each recipient agency's "chờ vào sổ" queue
(sealed PDF and the attached files signed by the agency, all signatures verified, clerks told); and a reply
closing the incoming document it answers."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.files import pdf_pages, removed_on_error, sha256_bytes
from documents.models import IncomingAttachment
from documents.outgoing.attachments.selectors import delivered_files
from documents.outgoing.delivery.common import Arrival, default_registers, users_by_agency
from documents.outgoing.delivery.email import queue_emails
from documents.outgoing.delivery.tracking import set_status
from documents.outgoing.models import (
    DeliveryStatus,
    OutgoingAttachment,
    OutgoingDocument,
    OutgoingRecipient,
)
from eoffice.models import Role, User
from workflow.models import WorkflowState

if TYPE_CHECKING:
    from signing.verification import VerificationReport


def deliver(
    *, document: OutgoingDocument, pdf: bytes, by: User, report: VerificationReport | None = None
) -> None:
    """Deliver an issued document to its pending recipients (inside the issuance transaction).

    ``report``: the issue's own verification of ``pdf`` (verified once per issue); verified here otherwise.

    Internal recipients get an incoming document at once (status 01, their clerks notified); e-mails are
    queued after commit; outside agencies get an outbox row each (``documents.exchange``); paper
    recipients wait for the clerk. A few queries per internal recipient.
    """
    from documents.incoming import services as incoming_services

    if document.state != WorkflowState.ISSUED:
        raise ValidationError(_("Chỉ gửi được văn bản đã phát hành."))
    with transaction.atomic():
        recipients = list(
            document.recipients.select_for_update(of=("self",))
            .filter(status=DeliveryStatus.PENDING)
            .select_related("agency", "external_agency")
            .order_by("id")
        )
        internal = [r for r in recipients if r.channel == OutgoingRecipient.Channel.INTERNAL]
        emails = [r for r in recipients if r.channel == OutgoingRecipient.Channel.EMAIL]
        exchange = [r for r in recipients if r.channel == OutgoingRecipient.Channel.EXCHANGE]
        if internal:
            _deliver_internal(
                document=document, recipients=internal, pdf=pdf, by=by, svc=incoming_services, report=report
            )
        queue_emails("send_outgoing_email", [r.pk for r in emails])
        if exchange:  # outside agencies: an outbox row each, sent by the worker after commit
            from documents.exchange.services import outbox

            outbox.package_enqueue(document=document, recipients=exchange, by=by)


def _attached_files(document: OutgoingDocument, svc) -> list[tuple[OutgoingAttachment, bytes, dict]]:
    """Each attached file as delivered (the copy signed at issuance), read and verified once for all the
    recipients: (attachment, bytes, the row kept in the incoming document's signature report)."""
    files = []
    for attachment, data in delivered_files(document):
        status, report = svc.verify_signatures(data)
        row = {
            "sha256": sha256_bytes(data),
            "name": attachment.title,
            "status": status,
            "signatures": report.get("signatures", []) if isinstance(report, dict) else [],
        }
        files.append((attachment, data, row))
    return files


def _attachment_name(attachment: OutgoingAttachment) -> str:
    """The name the recipient sees: the attachment's title (no path characters), as a PDF."""
    title = re.sub(r"[\\/:*?\"<>|]+", "-", attachment.title).strip(" -.") or "tep-kem-theo"
    return f"{title[:240]}.pdf"


def _deliver_internal(*, document, recipients, pdf: bytes, by: User, svc, report=None) -> None:
    refused = []
    deliverable = []
    for r in recipients:
        if r.incoming_id:
            continue  # delivered already
        if r.agency_id is None or r.agency_id == document.agency_id:
            refused.append(
                (r, _("Không gửi liên thông cho chính cơ quan ban hành hoặc nơi nhận không xác định."))
            )
        elif not r.agency.is_active:
            refused.append((r, _("Cơ quan nhận không còn hoạt động.")))
        else:
            deliverable.append(r)
    for r, error in refused:
        set_status([r], DeliveryStatus.FAILED, actor=by, note=error, error=error)
    if not deliverable:
        return

    status, report = svc.verify_signatures(pdf, report=report)
    version = document.current_version if document.current_version_id else None
    attached = _attached_files(document, svc)
    if attached:
        report = {**report, "attachments": [row for _a, _d, row in attached]}
    arrival = Arrival(
        sender=document.agency,
        number_symbol=document.number_symbol,
        issued_date=timezone.localtime(document.issued_at).date()
        if document.issued_at
        else timezone.localdate(),
        doc_type_id=document.doc_type_id,
        summary=document.summary,
        signer_name=document.signer.full_name if document.signer_id else "",
        urgency=document.urgency,
        confidentiality=document.confidentiality,
        page_count=version.pages if version is not None and version.pages else pdf_pages(pdf),
        pdf=pdf,
        signature_status=status,
        signature_report=report,
        note=_("Nhận liên thông điện tử từ %(sender)s.") % {"sender": document.agency.name},
    )
    registers = default_registers([r.agency for r in deliverable])
    clerks = users_by_agency([r.agency_id for r in deliverable], Role.CLERK)

    with removed_on_error() as stored:
        for r in deliverable:
            r.incoming = arrival.create(agency_id=r.agency_id, register=registers[r.agency_id], stored=stored)
            for attachment, data, row in attached:
                copy = IncomingAttachment(
                    document=r.incoming,
                    name=_attachment_name(attachment),
                    sha256=row["sha256"],
                    size=len(data),
                    uploaded_by=by,
                )
                copy.file.save(copy.name, ContentFile(data), save=False)
                stored.append(copy.file.name)
                copy.save()
        set_status(
            deliverable,
            DeliveryStatus.ARRIVED,
            actor=by,
            note=_("Đã chuyển đến văn thư nơi nhận."),
            extra_fields=["incoming"],
        )
        arrival.tell_clerks(
            [r.incoming for r in deliverable], clerks, title=_("Văn bản đến liên thông chờ vào sổ: %(label)s")
        )


def close_reply(*, document: OutgoingDocument, by: User) -> None:
    """The issued ``document`` answers ``document.reply_to``: record its number there and, if that incoming
    document is still open, finish its processing (a system transition in the issuing clerk's name)."""
    from documents.incoming import services as incoming_services

    if not document.reply_to_id:
        return
    incoming_services.incoming_close_by_reply(
        document=document.reply_to, by=by, reply_number_symbol=document.number_symbol
    )
