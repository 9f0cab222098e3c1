"""The transactional outbox: Celery tasks that must not be lost while Redis (the broker) is away.

Why an outbox: a service used to queue its task with ``transaction.on_commit(lambda: task.delay(...))``.
With Redis down, ``delay`` raised (the change was committed, the e-mail never went) or hung the request
in kombu's retries. ``enqueue`` instead writes the task as a ``TaskOutbox`` row in the caller's
transaction: the task exists exactly when the change that needs it was committed, and it is in
PostgreSQL, which the change needed anyway.

- After the commit, one immediate attempt publishes the row (no retry, short broker timeouts, skipped for
  a few seconds after a failure), so a request never waits on a broker that is away.
- ``relay`` (beat every 30 s: ``eoffice.tasks.outbox_relay``, and at each worker's start) takes pending
  rows ``FOR UPDATE SKIP LOCKED``, publishes them in order and marks them sent in the same transaction;
  it stops at the first broker error (the rest wait for the next run).
- Delivery is at least once: a crash between the publish and the commit publishes the row again. The tasks
  are idempotent (their per-record markers: a notification's e-mail flag, a reminder's delivered mark…).
- Once published, the task is in Redis, which keeps it on disk (``appendonly yes``, docker-compose.yml);
  a task is "sent" when Redis accepted it, not when it ran.
- Arguments can be personal data (an address, a one-time code): a sent row keeps only the task's name and
  times (its arguments are cleared), the published message shows redacted ``argsrepr``/``kwargsrepr`` to
  monitors, and sent rows are deleted after ``KEEP_SENT_DAYS``.
- With ``CELERY_TASK_ALWAYS_EAGER`` (tests, benches) there is no broker: the task runs after the commit, as
  ``delay`` did, and no row is written."""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from eoffice.celery import app
from eoffice.models import TaskOutbox

logger = logging.getLogger(__name__)

KEEP_SENT_DAYS = 7
PAUSE_SECONDS = 5.0
"""After a failed immediate attempt, later commits leave their rows to the relay for this long."""

_state = {"pause_until": 0.0, "down": False}
_lock = threading.Lock()


def _name(task) -> str:
    return task if isinstance(task, str) else task.name


def enqueue(
    task,
    *,
    args: Iterable = (),
    kwargs: dict | None = None,
    queue: str | None = None,
    countdown: float | None = None,
) -> TaskOutbox | None:
    """Queue ``task`` (a Celery task or its name) with the caller's transaction: a ``TaskOutbox`` row now,
    published after the commit (or by the relay later); nothing if the transaction rolls back."""
    name = _name(task)
    args = list(args)
    kwargs = dict(kwargs or {})
    if app.conf.task_always_eager:
        runner = task if not isinstance(task, str) else app.tasks[name]
        transaction.on_commit(
            lambda: runner.apply_async(args=args, kwargs=kwargs, queue=queue, countdown=countdown)
        )
        return None
    row = TaskOutbox.objects.create(
        task=name,
        args=args,
        kwargs=kwargs,
        queue=queue or "",
        not_before=timezone.now() + timedelta(seconds=countdown) if countdown else None,
    )
    pk = row.pk
    transaction.on_commit(lambda: _publish_now(pk), robust=True)
    return row


def _publish_now(pk: int) -> None:
    if time.monotonic() < _state["pause_until"]:
        return  # the broker failed a moment ago: the relay sends it
    relay(pks=[pk])


def _redact(value) -> str:
    if value is None or isinstance(value, bool | int | float):
        return repr(value)
    if isinstance(value, list | tuple) and all(isinstance(v, int) for v in value):
        return repr(list(value)) if len(value) <= 20 else f"[{len(value)} ids]"
    return "'…'"


_URL_AUTH = re.compile(r"(\w+://)[^@/\s]*@")


def _error_text(error: BaseException) -> str:
    return _URL_AUTH.sub(r"\1…@", f"{type(error).__name__}: {error}")[:500]


def publish(row: TaskOutbox) -> None:
    """Send one row to the broker now (no retry: an error is raised at once)."""
    options = {}
    if row.not_before and row.not_before > timezone.now():
        options["eta"] = row.not_before
    app.send_task(
        row.task,
        args=row.args,
        kwargs=row.kwargs,
        queue=row.queue or None,
        task_id=f"outbox-{row.pk}-{row.attempts + 1}",
        retry=False,
        argsrepr="(" + ", ".join(_redact(v) for v in row.args) + ")",
        kwargsrepr="{" + ", ".join(f"{k!r}: {_redact(v)}" for k, v in row.kwargs.items()) + "}",
        **options,
    )


def _broker_failed(error: BaseException) -> None:
    with _lock:
        _state["pause_until"] = time.monotonic() + PAUSE_SECONDS
        first = not _state["down"]
        _state["down"] = True
    if first:
        logger.warning("outbox: broker unreachable (%s); tasks kept for the relay", type(error).__name__)


def _broker_ok() -> None:
    if _state["down"]:
        with _lock:
            was, _state["down"] = _state["down"], False
        if was:
            logger.warning("outbox: broker reachable again")


def relay(*, limit: int = 1000, batch: int = 100, pks: Iterable[int] | None = None) -> dict:
    """Publish pending rows (oldest first, at most ``limit``; only ``pks`` when given), each marked sent in
    the transaction that published it; stop at the first broker error. Deletes sent rows older than
    ``KEEP_SENT_DAYS``. Returns counts: sent, failed, deleted."""
    result = {"sent": 0, "failed": 0, "deleted": 0}
    if pks is None:
        cutoff = timezone.now() - timedelta(days=KEEP_SENT_DAYS)
        result["deleted"], _ = TaskOutbox.objects.filter(sent_at__lt=cutoff).delete()
    while result["sent"] < limit:
        with transaction.atomic():
            pending = TaskOutbox.objects.select_for_update(skip_locked=True).filter(sent_at__isnull=True)
            if pks is not None:
                pending = pending.filter(pk__in=list(pks))
            rows = list(pending.order_by("created_at", "id")[: min(batch, limit - result["sent"])])
            for row in rows:
                try:
                    publish(row)
                except Exception as error:  # the broker's errors vary by transport; none may escape
                    TaskOutbox.objects.filter(pk=row.pk).update(
                        attempts=row.attempts + 1, last_error=_error_text(error)
                    )
                    result["failed"] += 1
                    _broker_failed(error)
                    return result
                TaskOutbox.objects.filter(pk=row.pk).update(
                    sent_at=timezone.now(), attempts=row.attempts + 1, last_error="", args=[], kwargs={}
                )
                result["sent"] += 1
        if rows:
            _broker_ok()
        if len(rows) < batch or pks is not None:
            break
    return result
