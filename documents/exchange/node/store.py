"""Hand a received message to the inbox (``documents.exchange.services.inbox.inbox_store``).

Stand-in: until the inbox service is committed, a message is kept as RECEIVED the same way (once per
transport and remote id), without queueing its import — the poller's scan of RECEIVED rows imports it.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from documents.exchange.models import InboxMessage
from documents.files import sha256_bytes


def store(*, transport: str, remote_id: str, data: bytes) -> InboxMessage:
    try:
        from documents.exchange.services.inbox import inbox_store
    except ImportError:
        return _stand_in(transport=transport, remote_id=remote_id, data=data)
    return inbox_store(transport=transport, remote_id=remote_id, data=data)


def _stand_in(*, transport: str, remote_id: str, data: bytes) -> InboxMessage:
    existing = InboxMessage.objects.filter(transport=transport, remote_id=remote_id).first()
    if existing is not None:
        return existing
    digest = sha256_bytes(data)
    message = InboxMessage(transport=transport, remote_id=remote_id, sha256=digest, size=len(data))
    message.file.save(f"{digest[:16]}.edxml", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:
        message.file.delete(save=False)
        return InboxMessage.objects.get(transport=transport, remote_id=remote_id)
    return message
