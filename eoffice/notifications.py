"""Notification kinds and email delivery (in-app notifications are rows of eoffice.Notification).

Apps register the kinds they send so that each person can choose which kinds also go to email:

    from eoffice.notifications import register_kind
    register_kind("workflow.overdue", _("Việc quá hạn"), email_default=True)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

KINDS: dict[str, NotificationKind] = {}


@dataclass(frozen=True)
class NotificationKind:
    code: str
    label: object
    email_default: bool = False


def register_kind(code: str, label, *, email_default: bool = False) -> NotificationKind:
    KINDS[code] = NotificationKind(code, label, email_default)
    return KINDS[code]


def wants_email(user, kind: str) -> bool:
    if not user.email:
        return False
    from eoffice.models import NotificationPreference

    pref = NotificationPreference.objects.filter(user=user, kind=kind).values_list("email", flat=True).first()
    if pref is not None:
        return pref
    registered = KINDS.get(kind)
    return bool(registered and registered.email_default)


def dispatch_email(notifications: Sequence) -> None:
    """Queue the email copies after the surrounding transaction commits."""
    ids = [n.pk for n in notifications if n.pk and wants_email(n.recipient, n.kind)]
    if not ids:
        return
    from eoffice.tasks import send_notification_emails

    transaction.on_commit(lambda: send_notification_emails.delay(ids))
