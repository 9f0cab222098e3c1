"""Celery tasks of the meetings module: the calendar e-mails of a meeting and the reminder scan (beat,
``migrations/0002_periodic_tasks``). Each task imports its service in its body and calls it."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def send_invitations(
    meeting_id: int, method: str, user_ids: list[int] | None = None, reason: str = ""
) -> int:
    from meetings.services.invitations import invitations_send

    return invitations_send(meeting_id=meeting_id, method=method, user_ids=user_ids, reason=reason)


@shared_task(acks_late=True, ignore_result=True)
def scan_reminders() -> dict:
    from meetings.services.reminders import reminders_scan

    result = reminders_scan()
    logger.info("meetings reminder scan: %s", result)
    return result
