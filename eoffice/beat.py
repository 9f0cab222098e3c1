"""Beat's scheduler: django-celery-beat's database scheduler that also writes beat's heartbeat (kind "beat")
from its tick, at most every ``EOFFICE_HEARTBEAT_SECONDS``, so that ``/readyz`` and the status page see
beat's loop itself running, not only its process (settings: ``CELERY_BEAT_SCHEDULER =
"eoffice.beat.Scheduler"``)."""

from __future__ import annotations

import socket
import time

from django.utils import timezone
from django_celery_beat.schedulers import DatabaseScheduler

from eoffice.heartbeat import interval, write_heartbeat


class Scheduler(DatabaseScheduler):
    _heartbeat_at: float | None = None
    _started_at = None

    def tick(self, *args, **kwargs):
        wait = super().tick(*args, **kwargs)
        now = time.monotonic()
        every = interval()
        if self._heartbeat_at is None or now - self._heartbeat_at >= every:
            first = self._started_at is None
            if first:
                self._started_at = timezone.now()
            written = write_heartbeat(
                kind="beat",
                hostname=f"beat@{socket.gethostname()}",
                started_at=self._started_at if first else None,
            )
            if written:
                self._heartbeat_at = now
            elif first:
                self._started_at = None
        return min(wait, every) if wait is not None else wait
