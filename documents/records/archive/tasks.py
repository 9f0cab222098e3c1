"""The archive's daily scans (beat entries in documents/migrations/0009_records_beat.py); each imports its
service in its body and is safe to run twice or on two workers at once."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def transfer_warning_scan() -> int:
    """Warn owners of closed files due for transfer within 30 days, weekly until transferred (III.5b)."""
    from documents.records.archive import scans

    sent = scans.transfer_warnings_scan()
    logger.info("transfer warnings sent: %s", sent)
    return sent


@shared_task(acks_late=True, ignore_result=True)
def retention_scan() -> int:
    """Tell the archivists about archived files whose fixed retention has ended (once per file)."""
    from documents.records.archive import scans

    told = scans.retention_scan()
    logger.info("files past their retention: %s", told)
    return told
