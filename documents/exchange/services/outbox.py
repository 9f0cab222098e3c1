"""The outbox: packages and statuses written in the transaction of the business change, sent by a worker.

- ``package_enqueue``: an issued document's recipients reached by exchange, one row each (a recall, update
  or replacement is the same package with its business type and reason); a secret document never leaves
  by this route — its recipients are marked "gửi lỗi" with the reason and no row is written.
- ``status_enqueue``: a step of an incoming document that came by exchange, reported to its sender.
- ``outbox_send``: the worker. Builds and signs the message on the first attempt and commits it (kept:
  every retry sends the same bytes), sends it, records the attempt; on failure waits with exponential
  backoff, and after the last attempt the row is "gửi lỗi" with the reason. The row is locked with
  ``SKIP LOCKED`` for the whole attempt, so two workers never send it twice.
- ``outbox_resend``: a clerk of the sending agency puts a failed row back in the queue.
- ``outbox_scan``: the beat's safety net, queueing due rows whose task was lost.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import documents.exchange.services.common as common
from documents.common import Confidentiality
from documents.exchange.edxml import build, sign
from documents.exchange.edxml.from_outgoing import organ_for_agency, package_for_outgoing
from documents.exchange.edxml.types import (
    Business,
    BusinessDocType,
    EdxmlError,
    Organ,
    ResponseFor,
    StaffInfo,
    StatusCode,
    StatusMessage,
)
from documents.exchange.models import InboxMessage, MessageKind, OutboxAttempt, OutboxMessage
from documents.files import sha256_bytes
from documents.incoming.models import IncomingDocument
from documents.outgoing.models import DeliveryStatus, OutgoingDocument, OutgoingRecipient
from eoffice.models import Role, User

logger = logging.getLogger(__name__)

SECRET_REFUSED = _("Văn bản mật không được gửi qua trục liên thông văn bản; hãy gửi theo chế độ văn bản mật.")


def _set_recipient(recipients, status: str, *, by: User | None, note: str, error: str | None = None) -> None:
    from documents.outgoing.delivery.tracking import set_status

    set_status(list(recipients), status, actor=by, note=note, error=error)


def package_enqueue(
    *,
    document: OutgoingDocument,
    recipients: Iterable[OutgoingRecipient],
    by: User | None,
    business_type: int = 0,
    reason: str = "",
) -> list[OutboxMessage]:
    """One outbox row per recipient reached by exchange (in the caller's transaction); the worker sends
    them after commit. A secret document, or a recipient without an active outside agency, is refused:
    the recipient shows "gửi lỗi" with the reason, nothing is queued."""
    business_type = int(BusinessDocType(business_type))
    wanted = [r for r in recipients if r.channel == OutgoingRecipient.Channel.EXCHANGE]
    if not wanted:
        return []
    with transaction.atomic(savepoint=False):
        if document.confidentiality > Confidentiality.NORMAL:
            message = str(SECRET_REFUSED)
            _set_recipient(wanted, DeliveryStatus.FAILED, by=by, note=message, error=message)
            return []
        refused = [r for r in wanted if r.external_agency_id is None or not r.external_agency.active]
        if refused:
            message = _("Cơ quan nhận ngoài hệ thống không xác định hoặc không còn hoạt động.")
            _set_recipient(refused, DeliveryStatus.FAILED, by=by, note=message, error=message)
        rows = [
            OutboxMessage(
                kind=MessageKind.PACKAGE,
                agency_id=document.agency_id,
                external_agency=r.external_agency,
                transport=r.external_agency.transport,
                recipient=r,
                business_type=business_type,
                description=reason.strip(),
                staff_name=(by.full_name if by is not None else "")[:255],
                created_by=by if by is not None and by.pk else None,
            )
            for r in wanted
            if r not in refused
        ]
        OutboxMessage.objects.bulk_create(rows)
        common.queue_task("outbox_send", [(m.pk,) for m in rows])
    return rows


def status_enqueue(
    *, incoming: IncomingDocument, code: str, by: User | None, description: str = ""
) -> OutboxMessage | None:
    """Report a step of an incoming document to its outside sender (in the caller's transaction); nothing
    for a document that did not come by exchange."""
    code = str(StatusCode(code))
    inbox = (
        InboxMessage.objects.filter(incoming_id=incoming.pk)
        .only("pk", "transport", "sender_code", "sender_name", "document_id")
        .first()
    )
    if inbox is None:
        return None
    with transaction.atomic(savepoint=False):
        external = common.external_for_sender(
            code=inbox.sender_code, name=inbox.sender_name, transport_key=inbox.transport
        )
        message = OutboxMessage.objects.create(
            kind=MessageKind.STATUS,
            agency_id=incoming.agency_id,
            external_agency=external,
            transport=inbox.transport,
            incoming=incoming,
            status_code=code,
            description=(description or "").strip(),
            staff_name=(by.full_name if by is not None else "")[:255],
            document_id=inbox.document_id,
            created_by=by if by is not None and by.pk else None,
        )
        common.queue_task("outbox_send", [(message.pk,)])
    return message


# --- the worker ------------------------------------------------------------------------------------------


def _external_organ(external) -> Organ:
    return Organ(
        organ_id=external.organ_id,
        organ_name=external.name,
        organization_in_charge=external.parent_name or external.name,
        address=external.address,
        email=external.email,
        telephone=external.phone,
    )


def _package_bytes(message: OutboxMessage, now) -> bytes:
    recipient = message.recipient
    document = recipient.document
    if document.confidentiality > Confidentiality.NORMAL:
        raise EdxmlError("outgoing_secret", str(SECRET_REFUSED))
    business = Business()
    if message.business_type:
        package = package_for_outgoing(
            document=document, recipients=[_external_organ(message.external_agency)], now=now
        )
        business = Business(
            doc_type=BusinessDocType(message.business_type),
            document_id=package.document_id,
            reason=message.description,
            staff=StaffInfo(staff=message.staff_name) if message.staff_name else None,
        )
    package = package_for_outgoing(
        document=document, recipients=[_external_organ(message.external_agency)], business=business, now=now
    )
    message.document_id = package.document_id
    return sign.sign_for_agency(build.package_xml(package), agency=document.agency)


def _status_bytes(message: OutboxMessage, now) -> bytes:
    incoming = message.incoming
    status = StatusMessage(
        sender=organ_for_agency(message.agency),
        response_for=ResponseFor(
            organ_id=message.external_agency.organ_id,
            code=incoming.number_symbol,
            promulgation_date=incoming.issued_date,
            document_id=message.document_id,
        ),
        code=StatusCode(message.status_code),
        timestamp=now,
        description=message.description,
        staff=StaffInfo(staff=message.staff_name) if message.staff_name else None,
    )
    return sign.sign_for_agency(build.status_xml(status), agency=message.agency)


def _build(message: OutboxMessage, now) -> bytes:
    data = (
        _package_bytes(message, now) if message.kind == MessageKind.PACKAGE else _status_bytes(message, now)
    )
    if len(data) > settings.EXCHANGE_MAX_PACKAGE_BYTES:
        raise EdxmlError(
            "package_too_large",
            _("Gói tin %(size)d MB vượt giới hạn %(limit)d MB.")
            % {
                "size": len(data) // (1024 * 1024),
                "limit": settings.EXCHANGE_MAX_PACKAGE_BYTES // (1024 * 1024),
            },
        )
    message.sha256 = sha256_bytes(data)
    message.size = len(data)
    message.file.save(f"{message.sha256[:16]}.edxml", ContentFile(data), save=False)
    return data


def _is_first_delivery(message: OutboxMessage) -> bool:
    return message.kind == MessageKind.PACKAGE and message.business_type == BusinessDocType.NEW


def _fail(message: OutboxMessage, error: str, *, now, permanent: bool) -> str:
    message.attempts += 1
    message.last_error = error[:2000]
    if permanent or message.attempts >= common.max_attempts():
        message.state = OutboxMessage.State.FAILED
        if _is_first_delivery(message):
            _set_recipient([message.recipient], DeliveryStatus.FAILED, by=None, note=error, error=error)
        outcome = "failed"
    else:
        message.next_attempt_at = now + common.backoff(message.attempts)
        common.queue_task(
            "outbox_send", [(message.pk,)], countdown=(message.next_attempt_at - now).total_seconds()
        )
        outcome = "retry"
    message.save()
    return outcome


def outbox_send(*, message_id: int) -> str:
    """Send one outbox row (the worker). Returns what happened: "sent", "retry", "failed", or "skipped"
    (sent already, cancelled, not due yet, or another worker holds it).

    The message is built, signed and committed first (its DocumentId known before anything leaves: an
    answer may come back before the send returns), then sent under the row's lock."""
    with transaction.atomic():
        message = _due(message_id)
        if message is None:
            return "skipped"
        if not message.file:
            now = timezone.now()
            try:
                _build(message, now)
            except EdxmlError as error:
                OutboxAttempt.objects.create(
                    message=message, at=now, ok=False, error=f"{error.code}: {error.message}"
                )
                return _fail(message, error.message, now=now, permanent=True)
            message.save(update_fields=["file", "sha256", "size", "document_id"])
    with transaction.atomic():
        message = _due(message_id)
        if message is None:
            return "skipped"
        now = timezone.now()
        data = _read(message)
        started = time.monotonic()
        try:
            remote_id = common.transport(message.transport).send(
                data,
                kind="edoc" if message.kind == MessageKind.PACKAGE else "status",
                from_code=message.agency.code or message.agency.code_qd20,
            )
        except Exception as error:  # any transport failure is one failed attempt, retried
            logger.warning("exchange: sending outbox %s failed: %s", message.pk, error)
            OutboxAttempt.objects.create(
                message=message,
                at=now,
                ok=False,
                http_status=_http_status(error),
                error=str(error)[:2000] or error.__class__.__name__,
                duration_ms=int((time.monotonic() - started) * 1000),
            )
            # a refusal (bad settings, a package too large, 4xx): not retried; a timeout or a 5xx: retried
            return _fail(
                message,
                _("Gửi không thành công: %(error)s") % {"error": error},
                now=now,
                permanent=getattr(error, "retryable", True) is False,
            )
        OutboxAttempt.objects.create(
            message=message, at=now, ok=True, duration_ms=int((time.monotonic() - started) * 1000)
        )
        message.attempts += 1
        message.state = OutboxMessage.State.SENT
        message.remote_id = str(remote_id or "")[:100]
        message.sent_at = timezone.now()
        message.last_error = ""
        message.save()
        if _is_first_delivery(message):
            from documents.outgoing.delivery.tracking import may_move

            recipient = OutgoingRecipient.objects.select_for_update(of=("self",)).get(pk=message.recipient_id)
            if may_move(recipient.status, DeliveryStatus.SENT) or recipient.status == DeliveryStatus.FAILED:
                _set_recipient(
                    [recipient],
                    DeliveryStatus.SENT,
                    by=None,
                    note=_("Đã gửi lên trục liên thông."),
                    error="",
                )
    return "sent"


def _due(message_id: int) -> OutboxMessage | None:
    """The pending row, due, locked — or None when sent, cancelled, not due, or held by another worker."""
    message = (
        OutboxMessage.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("agency", "external_agency", "recipient__document", "incoming")
        .filter(pk=message_id, state=OutboxMessage.State.PENDING)
        .first()
    )
    if message is None or message.next_attempt_at > timezone.now():
        return None
    return message


def _read(message: OutboxMessage) -> bytes:
    with message.file.open("rb") as handle:
        return handle.read()


def _http_status(error: Exception) -> int | None:
    for name in ("http_status", "status_code", "status", "code"):
        value = getattr(error, name, None)
        if isinstance(value, int) and 100 <= value <= 599:
            return value
    return None


def outbox_resend(*, message: OutboxMessage, by: User) -> OutboxMessage:
    """A clerk of the sending agency sends a failed row again (from a fresh count of attempts)."""
    with transaction.atomic():
        locked = (
            OutboxMessage.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=message.pk)
            .first()
        )
        if locked is None or not (
            by.is_superuser or (by.agency_id == locked.agency_id and by.has_role(Role.CLERK))
        ):
            raise PermissionDenied(_("Chỉ văn thư của cơ quan gửi được gửi lại gói tin."))
        if locked.state != OutboxMessage.State.FAILED:
            raise ValidationError(_("Chỉ gửi lại được gói tin gửi lỗi."))
        if locked.kind == MessageKind.PACKAGE and locked.recipient.document.confidentiality:
            raise ValidationError(SECRET_REFUSED)
        locked.state = OutboxMessage.State.PENDING
        locked.attempts = 0
        locked.next_attempt_at = timezone.now()
        locked.save(update_fields=["state", "attempts", "next_attempt_at"])
        if _is_first_delivery(locked) and locked.recipient.status == DeliveryStatus.FAILED:
            _set_recipient(
                [locked.recipient],
                DeliveryStatus.PENDING,
                by=by,
                note=_("Văn thư gửi lại gói tin liên thông."),
                error="",
            )
        common.queue_task("outbox_send", [(locked.pk,)])
    return locked


def outbox_scan(*, grace_seconds: int = 60) -> int:
    """Queue the pending rows due for a while (their task lost with a worker); returns how many."""
    due = timezone.now() - dt.timedelta(seconds=grace_seconds)
    ids = list(
        OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING, next_attempt_at__lte=due)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:1000]
    )
    with transaction.atomic():
        common.queue_task("outbox_send", [(pk,) for pk in ids])
    return len(ids)
