"""Internal recipients: an incoming document created at once in each recipient agency's "chờ vào sổ" queue
(sealed PDF and the attached files signed by the agency, all signatures verified, clerks told); and a reply
closing the incoming document it answers."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.files import pdf_pages, removed_on_error, sha256_bytes
from documents.incoming import rules as incoming_rules
from documents.models import (
    Channel,
    IncomingAttachment,
    IncomingDocument,
    IncomingDocumentUserObjectPermission,
    SignatureStatus,
)
from documents.outgoing.delivery.common import attachment_name, default_registers, label, users_by_agency
from documents.outgoing.delivery.email import queue_emails
from documents.outgoing.delivery.tracking import set_status
from documents.outgoing.models import (
    DeliveryStatus,
    OutgoingAttachment,
    OutgoingDocument,
    OutgoingRecipient,
)
from eoffice.models import Role, User
from eoffice.services import notify
from workflow import services as wf
from workflow.models import HistoryEntry, WorkflowState


def deliver(*, document: OutgoingDocument, pdf: bytes, by: User) -> None:
    """Deliver an issued document to its pending recipients (inside the issuance transaction).

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
            _deliver_internal(document=document, recipients=internal, pdf=pdf, by=by, svc=incoming_services)
        queue_emails("send_outgoing_email", [r.pk for r in emails])
        if exchange:  # outside agencies: an outbox row each, sent by the worker after commit
            from documents.exchange.services import outbox

            outbox.package_enqueue(document=document, recipients=exchange, by=by)


def _attached_files(document: OutgoingDocument, svc) -> list[tuple[OutgoingAttachment, bytes, dict]]:
    """Each attached file as delivered (the copy signed at issuance), read and verified once for all the
    recipients: (attachment, bytes, the row kept in the incoming document's signature report)."""
    files = []
    for attachment in document.attachments.order_by("position", "id"):
        field = attachment.issued_file or attachment.file
        with field.open("rb") as handle:
            data = handle.read()
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


def _deliver_internal(*, document, recipients, pdf: bytes, by: User, svc) -> None:
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

    sender = document.agency
    now = timezone.now()
    issued_on = timezone.localtime(document.issued_at).date() if document.issued_at else timezone.localdate()
    status, report = svc.verify_signatures(pdf)
    digest = sha256_bytes(pdf)
    version = document.current_version if document.current_version_id else None
    pages = version.pages if version is not None and version.pages else pdf_pages(pdf)
    signer_name = document.signer.full_name if document.signer_id else ""
    due_at = incoming_rules.default_due_at(urgency=document.urgency, received_at=now)
    due_soon_at = incoming_rules.due_soon_mark(due_at, now)
    registers = default_registers([r.agency for r in deliverable])
    clerks = users_by_agency([r.agency_id for r in deliverable], Role.CLERK)
    file_name = attachment_name(document.number_symbol)
    arrived_note = _("Nhận liên thông điện tử từ %(sender)s.") % {"sender": sender.name}
    attached = _attached_files(document, svc)
    if attached:
        report = {**report, "attachments": [row for _a, _d, row in attached]}

    created: list[tuple[OutgoingRecipient, IncomingDocument]] = []
    with removed_on_error() as stored:
        for r in deliverable:
            incoming = IncomingDocument(
                agency_id=r.agency_id,
                register=registers[r.agency_id],
                issuer_agency=sender,
                issuer_name=sender.name,
                number_symbol=document.number_symbol,
                issued_date=issued_on,
                doc_type_id=document.doc_type_id,
                summary=document.summary,
                signer_name=signer_name,
                urgency=document.urgency,
                confidentiality=document.confidentiality,
                page_count=pages,
                received_at=now,
                channel=Channel.ELECTRONIC,
                due_at=due_at,
                due_soon_at=due_soon_at,
                file_name=file_name,
                file_sha256=digest,
                file_size=len(pdf),
                signature_status=status,
                signature_report=report,
                received_by=None,
            )
            incoming.file.save(file_name, ContentFile(pdf), save=False)
            stored.append(incoming.file.name)
            incoming.save()
            for attachment, data, row in attached:
                copy = IncomingAttachment(
                    document=incoming,
                    name=_attachment_name(attachment),
                    sha256=row["sha256"],
                    size=len(data),
                    uploaded_by=by,
                )
                copy.file.save(copy.name, ContentFile(data), save=False)
                stored.append(copy.file.name)
                copy.save()
            wf.history_add(
                record=incoming,
                event=HistoryEntry.Event.CREATED,
                actor=None,
                to_state=incoming.state,
                comment=arrived_note,
                data={"signature": status, "channel": Channel.ELECTRONIC, "sender": sender.name},
            )
            r.incoming = incoming
            created.append((r, incoming))

        secret = [(r, inc) for r, inc in created if inc.is_secret]
        if secret:
            perm = svc.view_permission()
            IncomingDocumentUserObjectPermission.objects.bulk_create(
                [
                    IncomingDocumentUserObjectPermission(user=u, permission=perm, content_object=inc)
                    for r, inc in secret
                    for u in clerks.get(r.agency_id, [])
                ],
                ignore_conflicts=True,
            )
        set_status(
            [r for r, _inc in created],
            DeliveryStatus.ARRIVED,
            actor=by,
            note=_("Đã chuyển đến văn thư nơi nhận."),
            extra_fields=["incoming"],
        )
        for r, incoming in created:
            notify(
                recipients=clerks.get(r.agency_id, []),
                kind="documents.incoming_arrived",
                title=_("Văn bản đến liên thông chờ vào sổ: %(label)s")
                % {
                    "label": label(
                        urgency=incoming.urgency,
                        number_symbol=incoming.number_symbol,
                        summary=incoming.summary,
                    )
                },
                body=_("Từ %(sender)s · %(signature)s")
                % {"sender": sender.name, "signature": SignatureStatus(status).label},
                url=incoming.get_absolute_url(),
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
