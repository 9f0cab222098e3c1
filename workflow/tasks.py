"""Celery tasks of the workflow engine; each calls a service and is safe to run twice."""

from __future__ import annotations

import logging

from celery import shared_task

from workflow import services

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def scan_reminders() -> dict:
    result = services.reminders_scan()
    logger.info("reminder scan: %s", result)
    return result


@shared_task(acks_late=True, ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def deliver_reminders(mark_ids: list[int]) -> int:
    return services.reminders_deliver(mark_ids=mark_ids)


@shared_task(acks_late=True, ignore_result=True)
def send_daily_digest() -> int:
    return services.digest_send()
