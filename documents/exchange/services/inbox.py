"""The inbox: what the poller (or this installation's node) received, stored once, imported once.

- ``inbox_store``: keep the bytes as they came, once per (transport, remote id) — two pollers storing the
  same message get the same row — and queue the import after commit.
- ``inbox_poll``: the transport's list of received messages; each new one fetched and stored, each one
  stored before but never imported (a poller killed mid-import) queued again, each one imported but not
  yet acknowledged acknowledged again.
- ``inbox_import``: the row locked with ``SKIP LOCKED`` (two workers never import it twice), parsed; a
  status is applied to the recipient row of the document it answers, a package becomes an incoming document
  in "chờ vào sổ" or applies its recall, update or replacement (``changes``). A package already imported
  (same content hash, or same sender and DocumentId) is marked a duplicate, linked, not imported again;
  the agency's clerks are notified once per original, with a link to the exchange log (III.1h).
  A message the parser refuses is kept with its reason. The transport is told after commit.
"""

from __future__ import annotations

import datetime as dt
import logging
from urllib.parse import urlencode

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

import documents.exchange.services.changes as changes
import documents.exchange.services.common as common
from documents.exchange.edxml import parse
from documents.exchange.edxml.types import EdxmlError, ParsedPackage, ParsedStatus, StatusCode
from documents.exchange.models import InboxMessage, MessageKind, OutboxMessage
from documents.files import sha256_bytes
from documents.outgoing.models import DeliveryEvent, DeliveryStatus, OutgoingRecipient
from eoffice.services import notify

logger = logging.getLogger(__name__)

DUPLICATE_KIND = "documents.exchange_duplicate"

# The status codes received from a recipient, as the sender's recipient row shows them.
RECIPIENT_STATUSES = {
    StatusCode.ARRIVED: DeliveryStatus.ARRIVED,
    StatusCode.REFUSED: DeliveryStatus.REFUSED,
    StatusCode.ACCEPTED: DeliveryStatus.REGISTERED,
    StatusCode.ASSIGNED: DeliveryStatus.ASSIGNED,
    StatusCode.PROCESSING: DeliveryStatus.PROCESSING,
    StatusCode.FINISHED: DeliveryStatus.DONE,
    StatusCode.CHANGE_ACCEPTED: DeliveryStatus.RECALL_ACCEPTED,
    StatusCode.CHANGE_REFUSED: DeliveryStatus.RECALL_REFUSED,
}


def inbox_store(*, transport: str, remote_id: str, data: bytes) -> InboxMessage:
    """Keep a received message once per (transport, remote id) and queue its import after commit."""
    remote_id = str(remote_id)[:100]
    existing = InboxMessage.objects.filter(transport=transport, remote_id=remote_id).first()
    if existing is not None:
        return existing
    digest = sha256_bytes(data)
    message = InboxMessage(transport=transport, remote_id=remote_id, sha256=digest, size=len(data))
    message.file.save(f"{digest[:16]}.edxml", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            message.save()
            common.queue_task("inbox_import", [(message.pk,)])
    except IntegrityError:  # another poller stored it first: theirs is the one
        message.file.delete(save=False)
        return InboxMessage.objects.get(transport=transport, remote_id=remote_id)
    return message


def _remote_id(item) -> str:
    if not isinstance(item, dict):
        return str(item)
    for key in ("remote_id", "id", "docId", "doc_id", "documentId"):
        if item.get(key):
            return str(item[key])
    return ""


def inbox_poll(*, transport: str) -> int:
    """Fetch what the transport holds for us; returns how many new messages were stored."""
    client = common.transport(transport)
    stored = 0
    for item in client.received_list():
        remote_id = _remote_id(item)
        if not remote_id:
            continue
        known = InboxMessage.objects.filter(transport=transport, remote_id=remote_id[:100]).first()
        if known is None:
            try:
                data = client.fetch(remote_id)
            except Exception as error:  # this one is fetched at the next poll; the others go on
                logger.warning("exchange: fetching %s from %s failed: %s", remote_id, transport, error)
                continue
            inbox_store(transport=transport, remote_id=remote_id, data=data)
            stored += 1
        elif known.state == InboxMessage.State.RECEIVED:
            with transaction.atomic():
                common.queue_task("inbox_import", [(known.pk,)])
        elif known.acknowledged_at is None:
            acknowledge(message_id=known.pk)
    # rows stored by the node's sendEdoc view, or left by a worker that died mid-import
    stale = list(
        InboxMessage.objects.filter(
            transport=transport,
            state=InboxMessage.State.RECEIVED,
            received_at__lt=timezone.now() - dt.timedelta(seconds=60),
        ).values_list("pk", flat=True)[:500]
    )
    with transaction.atomic():
        common.queue_task("inbox_import", [(pk,) for pk in stale])
    return stored


def acknowledge(*, message_id: int) -> bool:
    """Tell the transport the message was taken (its ``updateStatus``); kept for the next poll on error."""
    message = InboxMessage.objects.filter(pk=message_id, acknowledged_at__isnull=True).first()
    if message is None or message.state == InboxMessage.State.RECEIVED:
        return False
    try:
        common.transport(message.transport).acknowledge(message.remote_id)
    except Exception as error:  # retried at the next poll
        logger.warning("exchange: acknowledging %s failed: %s", message.pk, error)
        return False
    InboxMessage.objects.filter(pk=message.pk).update(acknowledged_at=timezone.now())
    return True


def inbox_import(*, message_id: int) -> str:
    """Import one received message exactly once; returns its state after ("skipped" if another worker
    holds it or it was imported before)."""
    with transaction.atomic():
        message = (
            InboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, state=InboxMessage.State.RECEIVED)
            .first()
        )
        if message is None:
            return "skipped"
        with message.file.open("rb") as handle:
            data = handle.read()
        try:
            parsed = parse.parse_any(data)
        except EdxmlError as error:
            logger.info("exchange: inbox %s refused: %s", message.pk, error.code)
            _refuse(message, error.code, error.message)
        else:
            try:
                with transaction.atomic():
                    if isinstance(parsed, ParsedStatus):
                        _import_status(message, parsed)
                    else:
                        _import_package(message, parsed)
            except EdxmlError as error:  # rolled back to the savepoint: nothing of it is kept
                logger.info("exchange: inbox %s refused: %s", message.pk, error.code)
                message.incoming = None
                message.duplicate_of = None
                _refuse(message, error.code, error.message)
        message.processed_at = timezone.now()
        message.save()
        state = message.state
        transaction.on_commit(lambda: acknowledge(message_id=message_id))
    return state


def _refuse(message: InboxMessage, code: str, text: str) -> None:
    message.state = InboxMessage.State.REFUSED
    message.error_code = code[:60]
    message.error_message = text


def _checks(message: InboxMessage, parsed) -> None:
    xml = parsed.xml_signature
    message.xml_signature = {
        "present": xml.present,
        "valid": xml.valid,
        "trusted": xml.trusted,
        "algorithm": xml.algorithm,
        "canonicalization": xml.canonicalization,
        "signer": xml.signer,
        "code": xml.code,
        "message": xml.message,
    }
    message.notices = [{"code": n.code, "message": n.message} for n in parsed.notices]


def _notify_duplicate(message: InboxMessage, before: InboxMessage) -> None:
    """Tell the agency's clerks (III.1h) that a package came again with the DocumentId of one received
    before, with a link to the exchange log's entry. Once per original: a sender resending the same
    document many times makes one notification, not one per copy (the later copies are in the log)."""
    from django.urls import reverse

    from documents.outgoing.delivery.common import users_by_agency
    from eoffice.models import Role

    if (
        InboxMessage.objects.filter(duplicate_of=before, state=InboxMessage.State.DUPLICATE)
        .exclude(pk=message.pk)
        .exists()
    ):
        return
    query = urlencode(
        {"direction": "in", "state": InboxMessage.State.DUPLICATE, "agency": message.sender_code}
    )
    notify(
        recipients=users_by_agency([message.agency_id], Role.CLERK).get(message.agency_id, []),
        kind=DUPLICATE_KIND,
        title=_("Văn bản liên thông nhận trùng: %(sender)s gửi lại mã định danh %(document_id)s")
        % {"sender": message.sender_name or message.sender_code, "document_id": message.document_id},
        body=_("Gói tin trùng với gói đã nhận lúc %(when)s; không tạo văn bản đến mới.")
        % {"when": timezone.localtime(before.received_at).strftime("%H:%M %d/%m/%Y")},
        url=f"{reverse('documents:exchange_log')}?{query}#in-{message.pk}",
    )


# --- statuses --------------------------------------------------------------------------------------------


def _import_status(message: InboxMessage, parsed: ParsedStatus) -> None:
    status = parsed.status
    message.kind = MessageKind.STATUS
    message.status_code = str(status.code)
    message.sender_code = status.sender.organ_id[:35]
    message.sender_name = status.sender.organ_name[:255]
    message.document_id = status.response_for.document_id[:255]
    _checks(message, parsed)
    if status.code == StatusCode.CHANGE_REQUESTED:  # the sender asks, by a status, to recall its document
        changes.recall_by_status(message=message, status=status)
        message.state = InboxMessage.State.IMPORTED
        return
    sent = (
        OutboxMessage.objects.filter(
            kind=MessageKind.PACKAGE,
            document_id=status.response_for.document_id,
            recipient__isnull=False,
        )
        .select_related("external_agency")
        .order_by("-created_at")
    )
    outbox = next(
        (m for m in sent if common.same_code(m.external_agency.organ_id, status.sender.organ_id)), None
    )
    if outbox is None:
        raise EdxmlError(
            "unknown_document",
            _("Không tìm thấy văn bản đã gửi mà thông điệp trạng thái này trả lời (%(id)s).")
            % {"id": status.response_for.document_id},
        )
    message.agency_id = outbox.agency_id
    recipient = (
        OutgoingRecipient.objects.select_for_update(of=("self",))
        .select_related("document")
        .get(pk=outbox.recipient_id)
    )
    new = RECIPIENT_STATUSES[status.code]
    from documents.outgoing.delivery.tracking import may_move

    answers_change = new in (DeliveryStatus.RECALL_ACCEPTED, DeliveryStatus.RECALL_REFUSED)
    if not (may_move(recipient.status, new) or answers_change):
        message.state = InboxMessage.State.IMPORTED
        return
    now = timezone.now()
    recipient.status = new
    recipient.status_at = now
    fields = ["status", "status_at"]
    if new == DeliveryStatus.REFUSED:
        recipient.error = status.description[:2000]
        fields.append("error")
    recipient.save(update_fields=fields)
    staff = status.staff
    DeliveryEvent.objects.create(
        recipient=recipient,
        status=new,
        at=now,
        note=status.description[:500],
        actor_name=(staff.staff if staff else "")[:255],
    )
    if new == DeliveryStatus.REFUSED:
        document = recipient.document
        notify(
            recipients=[document.drafted_by] if document.drafted_by_id else [],
            kind="documents.returned",
            title=_("Văn bản %(symbol)s bị %(agency)s trả lại")
            % {"symbol": document.number_symbol, "agency": recipient.name},
            body=status.description,
            url=document.get_absolute_url(),
        )
    message.state = InboxMessage.State.IMPORTED


# --- packages --------------------------------------------------------------------------------------------


def _import_package(message: InboxMessage, parsed: ParsedPackage) -> None:
    package = parsed.package
    message.kind = MessageKind.PACKAGE
    message.sender_code = package.sender.organ_id[:35]
    message.sender_name = package.sender.organ_name[:255]
    message.document_id = package.document_id[:255]
    message.business_type = int(package.business.doc_type)
    _checks(message, parsed)
    message.pdf_signatures = [
        {
            "content_id": cid,
            "present": check.present,
            "valid": check.valid,
            "trusted": check.trusted,
            "signer": check.signer,
            "message": check.message,
        }
        for cid, check in parsed.pdf_signatures
    ]
    agency = next(
        (a for a in (common.local_agency(o.organ_id) for o in package.recipients) if a is not None), None
    )
    if agency is None:
        raise EdxmlError("not_addressed", _("Gói tin không gửi cho cơ quan nào của hệ thống này."))
    message.agency = agency
    common.external_for_sender(
        code=package.sender.organ_id, name=package.sender.organ_name, transport_key=message.transport
    )
    before = (
        InboxMessage.objects.filter(kind=MessageKind.PACKAGE, agency=agency)
        .filter(
            Q(sha256=message.sha256)
            | Q(
                sender_code=message.sender_code,
                document_id=message.document_id,
                business_type=message.business_type,
            )
        )
        .filter(state=InboxMessage.State.IMPORTED)
        .exclude(pk=message.pk)
        .order_by("pk")
        .first()
    )
    if before is not None:
        message.state = InboxMessage.State.DUPLICATE
        message.duplicate_of = before
        _notify_duplicate(message, before)
        return
    if message.business_type:
        changes.apply_change(message=message, parsed=parsed)
    else:
        message.incoming = changes.incoming_from_package(message=message, parsed=parsed, agency=agency)
    message.state = InboxMessage.State.IMPORTED
