"""The statuses the sender sees per recipient (QCVN 102 codes): an event per change, a status never moving
back (except a reopen), the statuses coming back from the recipient's incoming document, paper copies
marked sent."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.models import (
    Channel,
    IncomingDocument,
)
from documents.outgoing.delivery.common import outgoing_url
from documents.outgoing.models import (
    DeliveryEvent,
    DeliveryStatus,
    OutgoingRecipient,
    is_clerk,
)
from eoffice.models import User
from eoffice.services import notify
from workflow import services as wf
from workflow.models import WorkflowState

# How far along a recipient is: a status never moves back to a lower rank (except a reopen, 06 → 05).
RANK = {
    DeliveryStatus.PENDING: 0,
    DeliveryStatus.FAILED: 1,
    DeliveryStatus.SENT: 2,
    DeliveryStatus.ARRIVED: 3,
    DeliveryStatus.REGISTERED: 4,
    DeliveryStatus.ASSIGNED: 5,
    DeliveryStatus.PROCESSING: 6,
    DeliveryStatus.DONE: 7,
    DeliveryStatus.REFUSED: 8,
    DeliveryStatus.RECALL_REQUESTED: 9,
    DeliveryStatus.RECALL_REFUSED: 10,
    DeliveryStatus.RECALL_ACCEPTED: 10,
}


INCOMING_STATUSES = frozenset(
    {
        DeliveryStatus.REFUSED,
        DeliveryStatus.REGISTERED,
        DeliveryStatus.ASSIGNED,
        DeliveryStatus.PROCESSING,
        DeliveryStatus.DONE,
        DeliveryStatus.RECALL_ACCEPTED,
        DeliveryStatus.RECALL_REFUSED,
    }
)


def may_move(current: str, new: str) -> bool:
    """A status only moves forward; the one way back is a reopened document (done → processing)."""
    if current == new:
        return False
    if current == DeliveryStatus.DONE and new == DeliveryStatus.PROCESSING:
        return True
    return RANK.get(new, 0) > RANK.get(current, 0)


def event(recipient: OutgoingRecipient, status: str, *, actor: User | None, note: str = "", at=None):
    return DeliveryEvent(
        recipient=recipient,
        status=status,
        at=at or timezone.now(),
        actor=actor if actor is not None and actor.pk else None,
        note=note[:500],
    )


def set_status(
    recipients: Sequence[OutgoingRecipient],
    status: str,
    *,
    actor: User | None,
    note: str = "",
    error: str | None = None,
    extra_fields: Iterable[str] = (),
) -> None:
    """Move ``recipients`` to ``status`` and write one event each (two queries whatever their number)."""
    if not recipients:
        return
    now = timezone.now()
    fields = ["status", "status_at", *extra_fields]
    for r in recipients:
        r.status = status
        r.status_at = now
        if error is not None:
            r.error = error[:2000]
    if error is not None:
        fields.append("error")
    OutgoingRecipient.objects.bulk_update(list(recipients), fields)
    DeliveryEvent.objects.bulk_create([event(r, status, actor=actor, note=note, at=now) for r in recipients])


def sync_from_incoming(*, incoming: IncomingDocument, status: str, by: User | None, note: str = "") -> None:
    """What the recipient did with a delivered document, as the sender sees it (QCVN 102 codes).

    Call it inside the transaction of the incoming change. A document that came from an outside agency
    by exchange gets an outbox status row for its sender instead (``documents.exchange``). One query for a
    document that came from neither; never moves a status back (except a reopen).
    """
    if status not in INCOMING_STATUSES:
        raise ValueError(f"not a recipient status: {status}")
    if incoming.channel != Channel.ELECTRONIC:
        return
    with transaction.atomic(savepoint=False):
        if incoming.received_by_id is None and incoming.issuer_agency_id is None:
            # arrived with no receiving person from no agency of ours: it came by exchange, and the
            # status goes back to its outside sender
            from documents.exchange.services import outbox

            if outbox.status_enqueue(incoming=incoming, code=status, by=by, description=note) is not None:
                return
        recipient = (
            OutgoingRecipient.objects.select_for_update(of=("self",))
            .filter(incoming_id=incoming.pk)
            .select_related("document")
            .first()
        )
        if recipient is None or not may_move(recipient.status, status):
            return
        set_status([recipient], status, actor=by, note=note)
        if status == DeliveryStatus.REFUSED:
            document = recipient.document
            notify(
                recipients=[document.drafted_by] if document.drafted_by_id else [],
                kind="documents.returned",
                title=_("Văn bản %(symbol)s bị %(agency)s trả lại")
                % {"symbol": document.number_symbol, "agency": recipient.name},
                body=note,
                url=outgoing_url(document),
            )


def recipient_mark_sent(*, recipient: OutgoingRecipient, by: User, note: str = "") -> OutgoingRecipient:
    """The clerk records that the paper copy went out (post, hand delivery)."""
    with transaction.atomic():
        locked = (
            OutgoingRecipient.objects.select_for_update(of=("self",))
            .select_related("document")
            .get(pk=recipient.pk)
        )
        document = locked.document
        if not is_clerk(document, by):
            raise PermissionDenied(_("Chỉ văn thư của cơ quan ban hành được cập nhật việc gửi văn bản."))
        if locked.channel != OutgoingRecipient.Channel.PAPER:
            raise ValidationError(_("Chỉ đánh dấu đã gửi cho nơi nhận bản giấy."))
        if document.state != WorkflowState.ISSUED:
            raise ValidationError(_("Văn bản chưa phát hành hoặc đã bị thu hồi."))
        if locked.status != DeliveryStatus.PENDING:
            raise wf.RecordChanged(_("Nơi nhận này đã được đánh dấu đã gửi."))
        set_status([locked], DeliveryStatus.SENT, actor=by, note=note.strip() or _("Đã gửi bản giấy."))
    return locked
