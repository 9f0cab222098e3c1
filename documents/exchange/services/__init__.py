"""Writes of the exchange with outside agencies (ARCHITECTURE.md: keyword-only, one transaction):

- ``outbox``: packages and statuses queued in the business change's transaction, the worker that sends
  them with retries and backoff, the clerk's resend, the beat's scan;
- ``inbox``: what the poller or the node received, stored once and imported once, statuses applied to
  the recipient rows, acknowledgements;
- ``changes``: a received package as an incoming document in "chờ vào sổ", a recall, update or
  replacement applied or put to the clerk (``change_answer``: 15 or 16);
- ``directory``: the outside agencies synchronised from a transport;
- ``common``: the transport a key names, the retry policy, agencies by code, after-commit queueing.
"""

from documents.exchange.services.changes import change_answer, pending_change
from documents.exchange.services.directory import directory_sync
from documents.exchange.services.inbox import acknowledge, inbox_import, inbox_poll, inbox_store
from documents.exchange.services.outbox import (
    outbox_resend,
    outbox_scan,
    outbox_send,
    package_enqueue,
    status_enqueue,
)

__all__ = [
    "acknowledge",
    "change_answer",
    "directory_sync",
    "inbox_import",
    "inbox_poll",
    "inbox_store",
    "outbox_resend",
    "outbox_scan",
    "outbox_send",
    "package_enqueue",
    "pending_change",
    "status_enqueue",
]
