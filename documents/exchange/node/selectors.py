"""What the node answers a peer with: what that peer sent us, and this installation's agencies."""

from __future__ import annotations

from django.db.models import QuerySet

from documents.exchange.models import InboxMessage, MessageKind
from eoffice.models import Agency

SENT_LIST_LIMIT = 500


def peer_messages(*, transport: str) -> QuerySet[InboxMessage]:
    """Every message received by the transport the peer is reached by (its pushes to our node)."""
    return InboxMessage.objects.filter(transport=transport).select_related("agency")


def peer_message(*, transport: str, remote_id: str) -> InboxMessage | None:
    if not remote_id:
        return None
    return peer_messages(transport=transport).filter(remote_id=remote_id[:100]).first()


def sent_list(*, transport: str, remote_id: str = "") -> list[dict]:
    messages = peer_messages(transport=transport).order_by("-received_at", "-pk")
    if remote_id:
        messages = messages.filter(remote_id=remote_id[:100])
    return [
        {
            "docId": m.remote_id,
            "serviceType": "eDoc",
            "messageType": "status" if m.kind == MessageKind.STATUS else "edoc" if m.kind else "",
            "receiveStatus": m.state,
            "receiveStatusDesc": m.error_message or str(m.get_state_display()),
            "errorCode": m.error_code,
            "receivedTime": m.received_at.isoformat(),
            "processedTime": m.processed_at.isoformat() if m.processed_at else "",
            "senderDocId": m.document_id,
            "statusCode": m.status_code,
            "fromCode": m.sender_code,
            "toCode": m.agency.code if m.agency else "",
            "sha256": m.sha256,
        }
        for m in messages[:SENT_LIST_LIMIT]
    ]


def agencies() -> list[dict]:
    """This installation's active agencies, as ``getAgenciesList`` gives them."""
    rows = Agency.objects.filter(is_active=True).select_related("parent").order_by("code", "pk")
    return [
        {
            "code": a.code,
            "code_qd20": a.code_qd20 or "",
            "name": a.name,
            "parent_code": a.parent.code if a.parent else "",
            "parent_name": a.parent.name if a.parent else "",
            "address": a.address,
            "email": a.email,
            "phone": a.phone,
        }
        for a in rows
    ]
