from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Exists, OuterRef

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification_emails(notification_ids: list[int]) -> int:
    """Send each notification's email once: the row is locked and marked before the next one. A message
    that fails is kept (``EmailFailure``, retried by ``retry_failed_emails``) and the others still go."""
    from eoffice.models import EmailFailure, Notification
    from eoffice.notifications import send_email

    sent = 0
    for pk in notification_ids:
        with transaction.atomic():
            note = (
                Notification.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related("recipient")
                .filter(pk=pk, emailed_at__isnull=True)
                .exclude(Exists(EmailFailure.objects.filter(notification=OuterRef("pk"))))
                .first()
            )
            if note is None or not note.recipient.email:
                continue
            link = f"{settings.EOFFICE_BASE_URL}{note.url}" if note.url else settings.EOFFICE_BASE_URL
            message = EmailMessage(
                subject=note.title,
                body=f"{note.body}\n\n{link}".strip(),
                to=[note.recipient.email],
            )
            if send_email(message, source="notification", notification=note):
                note.mark_emailed()
                sent += 1
    logger.info("notification emails sent: %s of %s", sent, len(notification_ids))
    return sent


@shared_task(acks_late=True, ignore_result=True)
def retry_failed_emails(ids: list[int] | None = None) -> dict:
    """Send again the emails that failed (beat: every few minutes; the admin's "Gửi lại" with ``ids``)."""
    from eoffice.services import email_failures_retry

    result = email_failures_retry(ids=ids)
    if any(result.values()):
        logger.info("failed emails retried: %s", result)
    return result
