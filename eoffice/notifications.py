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
    return _email_choices([(user, kind)]).get((user.pk, kind), False)


def _email_choices(pairs: Sequence[tuple]) -> dict[tuple[int, str], bool]:
    """{(user id, kind): wants email} for many pairs in one query."""
    from eoffice.models import NotificationPreference

    wanted = {(user.pk, kind) for user, kind in pairs if user.email}
    if not wanted:
        return {}
    user_ids = {pk for pk, _kind in wanted}
    kinds = {kind for _pk, kind in wanted}
    prefs = {
        (row["user_id"], row["kind"]): row["email"]
        for row in NotificationPreference.objects.filter(user_id__in=user_ids, kind__in=kinds).values(
            "user_id", "kind", "email"
        )
    }
    return {
        pair: prefs.get(pair, bool(KINDS.get(pair[1]) and KINDS[pair[1]].email_default)) for pair in wanted
    }


def dispatch_email(notifications: Sequence) -> None:
    """Queue the email copies after the surrounding transaction commits."""
    choices = _email_choices([(n.recipient, n.kind) for n in notifications if n.pk])
    ids = [n.pk for n in notifications if choices.get((n.recipient_id, n.kind))]
    if not ids:
        return
    from eoffice.tasks import send_notification_emails

    transaction.on_commit(lambda: send_notification_emails.delay(ids))
