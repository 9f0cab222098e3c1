"""Reads of the "Tình trạng hệ thống" page (issue 21), for the installation's administrators (superusers,
as the backup page): the Celery queues and their lengths in Redis, the workers' and beat's heartbeats, the
failed tasks, the periodic tasks and their last run, the task outbox, the sections other apps register
(``eoffice.status.register_section``: the exchange outbox) and the disk use of the media store.

Every read answers even when a part is down: Redis away is a line "không kết nối được Redis", not an error.
The page runs a fixed number of queries whatever the number of rows (tests/eoffice/test_status.py)."""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from eoffice import health
from eoffice.backup.selectors import can_see_backups
from eoffice.models import FailedTask, ServiceHeartbeat, TaskOutbox
from eoffice.status import Section, section_funcs

logger = logging.getLogger(__name__)

DEFAULT_QUEUES = ("celery", "signing", "pdf", "notifications")
# kombu's Redis transport keeps a queue's messages of priority > 0 under "<queue>\x06\x16<step>"
PRIORITY_SEPARATOR = "\x06\x16"
PRIORITY_STEPS = (3, 6, 9)
DISK_WARN_PERCENT = 90
FAILED_PER_PAGE = 20


def can_see_status(user) -> bool:
    """The whole installation's processes and queues: its administrators (superusers) only."""
    return can_see_backups(user)


def _check(user) -> None:
    if not can_see_status(user):
        raise PermissionDenied


def queue_names() -> list[str]:
    return list(getattr(settings, "EOFFICE_STATUS_QUEUES", None) or DEFAULT_QUEUES)


@dataclass
class Queues:
    reachable: bool
    lengths: list[tuple[str, int]]
    unacked: int | None = None


def queues(*, user) -> Queues:
    """Each queue's waiting messages (LLEN over its priority lists) and the messages taken by a worker and
    not yet acknowledged (kombu's "unacked" hash), in one Redis round trip."""
    _check(user)
    names = queue_names()
    try:
        client = health.redis_client()
        try:
            pipe = client.pipeline(transaction=False)
            for name in names:
                pipe.llen(name)
                for step in PRIORITY_STEPS:
                    pipe.llen(f"{name}{PRIORITY_SEPARATOR}{step}")
            pipe.hlen("unacked")
            counts = pipe.execute()
        finally:
            client.close()
    except Exception as exc:  # noqa: BLE001 — Redis away: say so on the page
        logger.warning("status page: Redis not reachable (%s)", type(exc).__name__)
        return Queues(reachable=False, lengths=[(name, 0) for name in names])
    per = 1 + len(PRIORITY_STEPS)
    lengths = [(name, sum(counts[i * per : (i + 1) * per])) for i, name in enumerate(names)]
    return Queues(reachable=True, lengths=lengths, unacked=counts[-1])


def heartbeats(*, user) -> list[ServiceHeartbeat]:
    """Every worker and beat that wrote a heartbeat, each with ``age`` (seconds) and ``ok`` (within the
    max age /readyz allows)."""
    _check(user)
    now = timezone.now()
    limits = {
        ServiceHeartbeat.Kind.WORKER: health.worker_max_age(),
        ServiceHeartbeat.Kind.BEAT: health.beat_max_age(),
    }
    rows = list(ServiceHeartbeat.objects.order_by("kind", "-seen_at", "hostname"))
    for row in rows:
        row.age = max(0, int((now - row.seen_at).total_seconds()))
        row.ok = row.age <= limits.get(row.kind, 0)
    return rows


def readiness_summary(rows: list[ServiceHeartbeat]) -> dict[str, bool]:
    """Whether some worker and beat are alive, from the rows of ``heartbeats``."""
    return {kind: any(r.ok for r in rows if r.kind == kind) for kind in ServiceHeartbeat.Kind.values}


def failed_tasks(*, user, page: object = 1) -> tuple[Page, int]:
    """The failed tasks, newest first, paginated; and how many are not sent again yet."""
    _check(user)
    qs = FailedTask.objects.select_related("retried_by").order_by("-failed_at", "-pk")
    open_count = FailedTask.objects.filter(retried_at__isnull=True).count()
    return Paginator(qs, FAILED_PER_PAGE).get_page(page), open_count


def periodic_tasks(*, user) -> list:
    """django-celery-beat's periodic tasks with their schedule and last run; each has ``schedule_text``, the
    schedule in the interface's language ("Mỗi 5 phút", "Hằng ngày lúc 03:30")."""
    _check(user)
    from django_celery_beat.models import PeriodicTask

    tasks = list(
        PeriodicTask.objects.select_related("interval", "crontab", "solar", "clocked").order_by("name")
    )
    for task in tasks:
        task.schedule_text = schedule_text(task)
    return tasks


_PERIODS = {
    "days": lambda n: ngettext("Mỗi %(n)d ngày", "Mỗi %(n)d ngày", n),
    "hours": lambda n: ngettext("Mỗi %(n)d giờ", "Mỗi %(n)d giờ", n),
    "minutes": lambda n: ngettext("Mỗi %(n)d phút", "Mỗi %(n)d phút", n),
    "seconds": lambda n: ngettext("Mỗi %(n)d giây", "Mỗi %(n)d giây", n),
    "microseconds": lambda n: ngettext("Mỗi %(n)d micro giây", "Mỗi %(n)d micro giây", n),
}
_WEEKDAYS = {"1-5": gettext_lazy("Từ thứ Hai đến thứ Sáu"), "1-6": gettext_lazy("Từ thứ Hai đến thứ Bảy")}


def schedule_text(task) -> str:
    """A periodic task's schedule in words; a crontab that is not a plain daily or weekday time is shown as
    its cron expression (the administrator's own notation)."""
    if task.interval_id:
        every, period = task.interval.every, task.interval.period
        return _PERIODS[period](every) % {"n": every} if period in _PERIODS else str(task.interval)
    if task.crontab_id:
        cron = task.crontab
        fixed = cron.minute.isdigit() and cron.hour.isdigit()
        if fixed and cron.day_of_month == "*" and cron.month_of_year == "*":
            at = f"{int(cron.hour):02d}:{int(cron.minute):02d}"
            if cron.day_of_week == "*":
                return _("Hằng ngày lúc %(time)s") % {"time": at}
            if cron.day_of_week in _WEEKDAYS:
                return _("%(days)s lúc %(time)s") % {"days": _WEEKDAYS[cron.day_of_week], "time": at}
        expression = f"{cron.minute} {cron.hour} {cron.day_of_month} {cron.month_of_year} {cron.day_of_week}"
        return _("Theo lịch cron %(expression)s") % {"expression": expression}
    if task.clocked_id:
        moment = timezone.localtime(task.clocked.clocked_time).strftime("%d/%m/%Y %H:%M")
        return _("Một lần, lúc %(moment)s") % {"moment": moment}
    if task.solar_id:
        return str(task.solar)
    return ""


def task_outbox(*, user) -> dict:
    """The tasks written to the outbox and not sent to the broker yet: how many, the oldest's age."""
    _check(user)
    row = TaskOutbox.objects.aggregate(
        pending=Count("pk", filter=Q(sent_at__isnull=True)),
        oldest=Min("created_at", filter=Q(sent_at__isnull=True)),
        failing=Count("pk", filter=Q(sent_at__isnull=True, attempts__gt=0)),
    )
    oldest = row["oldest"]
    row["oldest_age"] = int((timezone.now() - oldest).total_seconds()) if oldest else None
    return row


def sections(*, user) -> list[Section]:
    _check(user)
    result = []
    for func in section_funcs():
        try:
            result.append(func())
        except Exception:  # a broken block must not take the page down
            logger.exception("status section %s failed", getattr(func, "__qualname__", func))
    return result


@dataclass
class Disk:
    path: str
    total: int = 0
    used: int = 0
    free: int = 0
    percent: float = 0.0
    available: bool = True

    @property
    def warn(self) -> bool:
        return self.available and self.percent >= DISK_WARN_PERCENT


def media_disk(*, user) -> Disk:
    """The disk use of the file system holding the media store (MEDIA_ROOT)."""
    _check(user)
    path = Path(settings.MEDIA_ROOT)
    existing = next((p for p in (path, *path.parents) if p.exists()), None)  # not created yet: its disk
    try:
        usage = shutil.disk_usage(existing or path)
    except (OSError, ValueError):
        return Disk(path=str(path), available=False)
    percent = round(usage.used * 100 / usage.total, 1) if usage.total else 0.0
    return Disk(path=str(path), total=usage.total, used=usage.used, free=usage.free, percent=percent)
