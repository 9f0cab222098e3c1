"""Emails to applicants (the ``notifications`` queue): receipts and every event of their dossier, and the
deadline scan (the one-time codes of the public pages are ``eoffice.tasks.send_code_email``). Each task
imports its service in its body and calls it."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_applicant_email(dossier_id: int, event: str) -> bool:
    from onestop.emails import applicant_send

    return applicant_send(dossier_id=dossier_id, event=event)


@shared_task(acks_late=True, ignore_result=True)
def scan_deadlines() -> dict:
    from onestop.reminders import scan

    result = scan()
    logger.info("onestop deadline scan: %s", result)
    return result
