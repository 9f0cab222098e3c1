"""Celery tasks of the workflow engine; each imports its service in its body, calls it, and is safe to run
twice (services queue these tasks with ``transaction.on_commit``, never the reverse)."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def scan_reminders() -> dict:
    from workflow.services import reminders_scan

    result = reminders_scan()
    logger.info("reminder scan: %s", result)
    return result


@shared_task(acks_late=True, ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def deliver_reminders(mark_ids: list[int]) -> int:
    from workflow.services import reminders_deliver

    return reminders_deliver(mark_ids=mark_ids)


@shared_task(acks_late=True, ignore_result=True)
def send_daily_digest() -> int:
    from workflow.services import digest_send

    return digest_send()
