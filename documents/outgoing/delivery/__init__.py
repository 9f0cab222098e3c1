"""Delivery of an issued outgoing document (văn bản đi) and the statuses the sender sees per recipient.

- Internal recipients (agencies of this installation): an incoming document is created at once in the
  recipient's "chờ vào sổ" queue, with a copy of the sealed PDF and its verified signatures; the
  recipient's clerks are notified. What the recipient then does with it (register, refuse, direct,
  process, finish, reopen, confirm a recall) comes back as QCVN 102 status codes (``sync_from_incoming``,
  called by the incoming services in the same transaction).
- E-mail recipients: the PDF is e-mailed by a Celery task (queue "notifications") after commit.
- Paper recipients: pending until the clerk marks them sent (``recipient_mark_sent``).

A recall (``recall_propagate``) takes the recipients' incoming documents out of every active list,
cancels their open assignments and tells the people concerned; e-mail recipients get a recall notice.
A reply (``close_reply``) closes the incoming document it answers.

A package: ``internal`` (deliver, close_reply), ``email``, ``tracking`` (statuses, sync_from_incoming,
recipient_mark_sent), ``recall``, ``common``.

Every function joins the caller's transaction (or opens one) and writes a ``DeliveryEvent`` per change.
"""

from documents.outgoing.delivery.email import (
    EMAIL_QUEUE,
    email_deliver,
    email_recall_deliver,
    email_resend,
)
from documents.outgoing.delivery.internal import close_reply, deliver
from documents.outgoing.delivery.recall import recall_propagate
from documents.outgoing.delivery.tracking import (
    INCOMING_STATUSES,
    RANK,
    may_move,
    recipient_mark_sent,
    sync_from_incoming,
)

__all__ = [
    "EMAIL_QUEUE",
    "INCOMING_STATUSES",
    "RANK",
    "close_reply",
    "deliver",
    "email_deliver",
    "email_recall_deliver",
    "email_resend",
    "may_move",
    "recall_propagate",
    "recipient_mark_sent",
    "sync_from_incoming",
]
