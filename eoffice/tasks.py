from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from eoffice.models import Notification

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification_emails(notification_ids: list[int]) -> int:
    """Send each notification's email once: the row is locked and marked before the message leaves."""
    sent = 0
    for pk in notification_ids:
        with transaction.atomic():
            note = (
                Notification.objects.select_for_update(skip_locked=True)
                .select_related("recipient")
                .filter(pk=pk, emailed_at__isnull=True)
                .first()
            )
            if note is None or not note.recipient.email:
                continue
            link = f"{settings.EOFFICE_BASE_URL}{note.url}" if note.url else settings.EOFFICE_BASE_URL
            send_mail(
                subject=note.title,
                message=f"{note.body}\n\n{link}".strip(),
                from_email=None,
                recipient_list=[note.recipient.email],
            )
            note.mark_emailed()
            sent += 1
    logger.info("notification emails sent: %s", sent)
    return sent
