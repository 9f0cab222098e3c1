"""Notification kinds and email delivery (in-app notifications are rows of eoffice.Notification).

Apps register the kinds they send so that each person can choose which kinds also go to email:

    from eoffice.notifications import register_kind
    register_kind("workflow.overdue", _("Việc quá hạn"), email_default=True)

Every email of the product leaves through ``send_email``: its subject is made one line (``subject_line``:
a summary typed on two lines or a CR/LF in a title would otherwise raise ``BadHeaderError``), and a message
that cannot be sent never raises: it is kept as an ``EmailFailure`` row, shown in the admin and sent again
by the beat-driven ``eoffice.tasks.retry_failed_emails`` (services.email_failures_retry).
"""

from __future__ import annotations

import base64
import logging
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.mail import EmailMessage

logger = logging.getLogger(__name__)

SUBJECT_MAX = 250

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
    return email_choices([(user, kind)]).get((user.pk, kind), False)


def email_choices(pairs: Sequence[tuple]) -> dict[tuple[int, str], bool]:
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
    choices = email_choices([(n.recipient, n.kind) for n in notifications if n.pk])
    ids = [n.pk for n in notifications if choices.get((n.recipient_id, n.kind))]
    if not ids:
        return
    from eoffice.outbox import enqueue
    from eoffice.tasks import send_notification_emails

    enqueue(send_notification_emails, args=(ids,))


# ---- sending -------------------------------------------------------------------------------------------


def subject_line(*parts: object, max_length: int = SUBJECT_MAX) -> str:
    """One header-safe line: the non-empty ``parts`` joined by " — ", every run of white space (CR, LF,
    tabs, Unicode line and paragraph separators) and control character made one space, cut to
    ``max_length`` with an ellipsis."""
    text = " — ".join(str(p) for p in parts if p is not None and str(p).strip())
    text = "".join(" " if unicodedata.category(ch) in {"Cc", "Zl", "Zp"} else ch for ch in text)
    text = " ".join(text.split())
    if len(text) > max_length:
        text = text[: max_length - 1].rstrip() + "…"
    return text


def notification_message_id(notification) -> str:
    """The Message-ID of a notification's email: the same at every sending, so that a copy sent again after
    a crash (between the SMTP server's 250 and the commit that marks it sent) is recognisable."""
    from email.utils import parseaddr

    from django.conf import settings

    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "eoffice.local"
    return f"<notification.{notification.pk}.{notification.recipient_id}@{domain}>"


def send_email(message: EmailMessage, *, source: str, notification=None, keep: bool = True) -> bool:
    """Send one message; True when it left. Never raises: a failure is logged on one line and kept as an
    ``EmailFailure`` (retried later, shown in the admin), so that one bad message or address never stops
    the others of a batch. ``keep=False`` for a message that holds a secret (a one-time code): it is not
    stored, and a later retry would be useless anyway (the code expires in minutes); the person asks again."""
    message.subject = subject_line(message.subject)
    try:
        message.send(fail_silently=False)
    except Exception as exc:  # SMTP, DNS, socket, refused address, bad header …
        error = f"{exc.__class__.__name__}: {exc}".strip().rstrip(":")
        logger.warning("email not sent (%s, %s): %s", source, ", ".join(message.to), subject_line(error))
        if keep:
            record_failure(message, source=source, error=error, notification=notification)
        return False
    return True


def record_failure(message: EmailMessage, *, source: str, error: str, notification=None):
    from django.utils import timezone

    from eoffice.models import EmailFailure

    now = timezone.now()
    return EmailFailure.objects.create(
        source=source[:50],
        recipients=", ".join(message.to)[:1000],
        subject=subject_line(message.subject, max_length=255),
        content=message_content(message),
        error=error[:2000],
        notification=notification,
        last_attempt_at=now,
        next_attempt_at=now + retry_delay(1),
    )


def retry_delay(attempts: int):
    """Wait before the next try after ``attempts`` failed ones: EOFFICE_EMAIL_RETRY_MINUTES doubled at each
    failure, at most six hours."""
    from datetime import timedelta

    from django.conf import settings

    minutes = settings.EOFFICE_EMAIL_RETRY_MINUTES * 2 ** max(attempts - 1, 0)
    return timedelta(minutes=min(minutes, 6 * 60))


def message_content(message: EmailMessage) -> dict:
    """What it takes to build the message again (attachments base64-encoded)."""
    attachments = []
    for item in message.attachments:
        if not isinstance(item, tuple):  # a MIME part built by hand: not used by the product
            continue
        filename, content, mimetype = item
        raw = content.encode() if isinstance(content, str) else bytes(content)
        attachments.append(
            {"filename": filename, "mimetype": mimetype, "content": base64.b64encode(raw).decode("ascii")}
        )
    return {
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": {k: v for k, v in message.extra_headers.items() if k.lower() == "message-id"},
        "body": message.body,
        "attachments": attachments,
    }


def message_from_content(subject: str, content: dict) -> EmailMessage:
    message = EmailMessage(
        subject=subject,
        body=content.get("body", ""),
        from_email=content.get("from_email"),
        to=content.get("to") or [],
        cc=content.get("cc") or [],
        bcc=content.get("bcc") or [],
        reply_to=content.get("reply_to") or [],
        headers=content.get("headers") or {},  # the Message-ID: a resend is the same message
    )
    for item in content.get("attachments", []):
        message.attach(item["filename"], base64.b64decode(item["content"]), item["mimetype"])
    return message
