"""Celery tasks of the core (queue "notifications"); each imports its service in its body and calls it."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification_emails(notification_ids: list[int]) -> int:
    """Send each notification's email once (``services.notification_emails_send``)."""
    from eoffice.services import notification_emails_send

    return notification_emails_send(notification_ids=notification_ids)


@shared_task(acks_late=True, ignore_result=True)
def retry_failed_emails(ids: list[int] | None = None) -> dict:
    """Send again the emails that failed (beat: every few minutes; the admin's "Gửi lại" with ``ids``)."""
    from eoffice.services import email_failures_retry, notification_emails_sweep

    result = email_failures_retry(ids=ids)
    if ids is None and (swept := notification_emails_sweep()):  # the emails a killed worker left
        result["swept"] = swept
    if any(result.values()):
        logger.info("failed emails retried: %s", result)
    return result


@shared_task(
    name="eoffice.otp.send_code_email",
    acks_late=True,
    autoretry_for=(ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
    eoffice_secret_args=True,  # a one-time code and an address: not stored with a failure
)
def send_code_email(email: str, code: str) -> bool:
    """A one-time code of a public page (``eoffice.otp``); retried while the mail server is away."""
    from eoffice.otp import code_email_send

    return code_email_send(email=email, code=code)


@shared_task(acks_late=False, ignore_result=True)
def backup_scheduled(scheduled: bool = True) -> int | None:
    """Back up the database and the files (beat: daily at 02:00; the admin's "Sao lưu ngay" with
    ``scheduled=False``); ``eoffice.backup.services.backup_run``. Returns the BackupRun's id."""
    from eoffice.backup.services import backup_run

    run = backup_run(scheduled=scheduled)
    return run.pk if run else None


@shared_task(acks_late=True, ignore_result=True)
def access_rollup() -> dict:
    """Sum the finished days of access events into the daily table (beat: nightly; ``eoffice.audit``)."""
    from eoffice.audit import access_rollup as rollup

    result = rollup()
    logger.info("access roll-up: %s", result)
    return result


@shared_task(acks_late=False, ignore_result=True)
def outbox_relay(limit: int = 1000) -> dict:
    """Publish the outbox's pending tasks, written while the broker was away (beat: every 30 s; also at
    each worker's start); ``eoffice.outbox.relay``."""
    from eoffice.outbox import relay

    result = relay(limit=limit)
    if result["sent"] or result["failed"]:
        logger.info("outbox relay: %s", result)
    return result


@shared_task(acks_late=True, ignore_result=True)
def orphan_files_sweep() -> dict:
    """Delete the stored files that no row references, older than the grace period (beat: nightly at
    03:30; ``eoffice.orphans.orphan_files_sweep``)."""
    from eoffice.orphans import orphan_files_sweep as sweep

    return sweep()
