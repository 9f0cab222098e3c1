"""Signs of life of the Celery processes, and the tasks that failed (issue 21), wired to Celery's signals
(imported by eoffice/celery.py, so that every worker and beat process has them).

- A worker writes its ``ServiceHeartbeat`` (kind "worker", its node name) when it is ready and then every
  ``EOFFICE_HEARTBEAT_SECONDS`` (15) from a daemon thread, one upsert each time; a clean shutdown deletes
  the row. A worker killed outright leaves its row, which ages: ``/readyz`` goes red after
  ``EOFFICE_WORKER_HEARTBEAT_MAX_AGE`` seconds (eoffice.health), green again at a worker's first beat.
- Beat writes its heartbeat from its scheduler's tick (``eoffice.beat.Scheduler``).
- A task that raises writes a ``FailedTask`` (celery's ``task_failure``): the task, its queue, its
  arguments, and the error's class and message (no traceback, no local variables). A task whose arguments
  carry a secret (``eoffice_secret_args = True`` on the task, e.g. the PIN token of a signing batch) is
  stored without them and cannot be sent again from the status page. Eager runs (tests, the embedded mode)
  raise to their caller and are not recorded.

A heartbeat or a failure row that cannot be written (database down) is logged and skipped: it never stops
the worker or beat.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading

from celery.signals import task_failure, worker_ready, worker_shutdown

logger = logging.getLogger(__name__)

ERROR_MAX = 1000


def interval() -> float:
    from django.conf import settings

    value = getattr(settings, "EOFFICE_HEARTBEAT_SECONDS", None)
    return float(value if value is not None else os.environ.get("EOFFICE_HEARTBEAT_SECONDS", 15))


def write_heartbeat(*, kind: str, hostname: str, queues: str = "", started_at=None) -> bool:
    """Upsert the heartbeat of (kind, hostname): one INSERT … ON CONFLICT DO UPDATE. ``started_at`` is set
    at a process's first beat (a restarted worker starts afresh). False when the database refused."""
    from django.db import connection
    from django.utils import timezone

    from eoffice.models import ServiceHeartbeat

    now = timezone.now()
    row = ServiceHeartbeat(
        kind=kind,
        hostname=hostname[:255],
        pid=os.getpid(),
        queues=queues[:255],
        started_at=started_at or now,
        seen_at=now,
    )
    fields = ["pid", "queues", "seen_at"] + (["started_at"] if started_at is not None else [])
    try:
        ServiceHeartbeat.objects.bulk_create(
            [row], update_conflicts=True, unique_fields=["kind", "hostname"], update_fields=fields
        )
        return True
    except Exception as exc:  # noqa: BLE001 — the database may be down; the next beat tries again
        logger.warning("heartbeat of %s %s not written: %s", kind, hostname, type(exc).__name__)
        connection.close()
        return False


def delete_heartbeat(*, kind: str, hostname: str) -> None:
    from django.db import connection

    from eoffice.models import ServiceHeartbeat

    try:
        ServiceHeartbeat.objects.filter(kind=kind, hostname=hostname).delete()
    except Exception as exc:  # noqa: BLE001
        logger.warning("heartbeat of %s %s not removed: %s", kind, hostname, type(exc).__name__)
        connection.close()


class _WorkerBeat:
    def __init__(self) -> None:
        self.stop = threading.Event()
        self.thread: threading.Thread | None = None
        self.hostname = ""

    def start(self, *, hostname: str, queues: str) -> None:
        from django.utils import timezone

        self.hostname = hostname
        self.stop.clear()
        started = timezone.now()

        def run() -> None:
            from django.db import connection

            first = True
            try:
                while True:
                    if write_heartbeat(
                        kind="worker", hostname=hostname, queues=queues, started_at=started if first else None
                    ):
                        first = False
                    if self.stop.wait(interval()):
                        break
            finally:
                connection.close()

        self.thread = threading.Thread(target=run, name="eoffice-heartbeat", daemon=True)
        self.thread.start()

    def shutdown(self) -> None:
        if self.thread is None:
            return
        self.stop.set()
        self.thread.join(5)
        self.thread = None
        delete_heartbeat(kind="worker", hostname=self.hostname)


worker_beat = _WorkerBeat()


@worker_ready.connect(dispatch_uid="eoffice.heartbeat.worker_ready")
def on_worker_ready(sender=None, **kwargs) -> None:
    hostname = getattr(sender, "hostname", None) or f"celery@{socket.gethostname()}"
    try:
        queues = ",".join(sorted(q.name for q in sender.task_consumer.queues))
    except Exception:  # noqa: BLE001
        queues = ""
    worker_beat.start(hostname=hostname, queues=queues)


@worker_shutdown.connect(dispatch_uid="eoffice.heartbeat.worker_shutdown")
def on_worker_shutdown(sender=None, **kwargs) -> None:
    worker_beat.shutdown()


def _json_or_none(value):
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return None
    return value


def error_text(exception: BaseException) -> str:
    message = str(exception).strip()
    text = type(exception).__name__ + (f": {message}" if message else "")
    return text if len(text) <= ERROR_MAX else text[: ERROR_MAX - 1] + "…"


def record_failure(*, task, task_id: str, exception: BaseException, args, kwargs) -> None:
    """Write the FailedTask of a task that raised (see the module's docstring)."""
    from django.db import connection

    from eoffice.models import FailedTask

    request = getattr(task, "request", None)
    if request is not None and getattr(request, "is_eager", False):
        return
    delivery = (getattr(request, "delivery_info", None) or {}) if request is not None else {}
    queue = delivery.get("routing_key") or delivery.get("exchange") or ""
    secret = bool(getattr(task, "eoffice_secret_args", False))
    args = None if secret else _json_or_none(list(args or ()))
    kwargs = None if secret else _json_or_none(dict(kwargs or {}))
    try:
        FailedTask.objects.create(
            task_id=str(task_id or "")[:255],
            task=getattr(task, "name", "") or "",
            args=args or [],
            kwargs=kwargs or {},
            queue=str(queue)[:50],
            retryable=not secret and args is not None and kwargs is not None,
            error=error_text(exception),
        )
    except Exception as exc:  # noqa: BLE001
        logger.warning("failed task %s not recorded: %s", task_id, type(exc).__name__)
        connection.close()


@task_failure.connect(dispatch_uid="eoffice.heartbeat.task_failure")
def on_task_failure(sender=None, task_id=None, exception=None, args=None, kwargs=None, **extra) -> None:
    record_failure(task=sender, task_id=task_id, exception=exception, args=args, kwargs=kwargs)
