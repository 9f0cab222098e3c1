"""Celery tasks of the exchange: each imports its service in its body and calls it. The beat runs
``outbox_scan`` every minute, ``inbox_poll_all`` every EXCHANGE_POLL_SECONDS (one ``inbox_poll`` per
transport) and ``directory_sync_all`` daily (documents migration 0007)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings


@shared_task(acks_late=True)
def outbox_send(message_id: int) -> str:
    from documents.exchange.services import outbox

    return outbox.outbox_send(message_id=message_id)


@shared_task(acks_late=True)
def outbox_scan() -> int:
    from documents.exchange.services import outbox

    return outbox.outbox_scan()


@shared_task(acks_late=True)
def inbox_poll(transport: str) -> int:
    from documents.exchange.services import inbox

    return inbox.inbox_poll(transport=transport)


@shared_task(acks_late=True)
def inbox_poll_all() -> int:
    """One poll task per configured transport."""
    keys = sorted(settings.EXCHANGE_TRANSPORTS)
    for key in keys:
        inbox_poll.apply_async(args=(key,))
    return len(keys)


@shared_task(acks_late=True)
def inbox_import(message_id: int) -> str:
    from documents.exchange.services import inbox

    return inbox.inbox_import(message_id=message_id)


@shared_task(acks_late=True)
def directory_sync(transport: str) -> int:
    from documents.exchange.services import directory

    return directory.directory_sync(transport=transport).pk


@shared_task(acks_late=True)
def directory_sync_all() -> int:
    keys = sorted(settings.EXCHANGE_TRANSPORTS)
    for key in keys:
        directory_sync.apply_async(args=(key,))
    return len(keys)
