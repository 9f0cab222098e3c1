"""The five buckets of the statistics and the one classification that counts and lists them.

See the package docstring (``documents.stats.selectors``) for what each bucket means."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    F,
    Func,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy

from documents.models import INCOMING_OPEN_Q
from workflow.models import (
    WORKITEM_OPEN,
    Assignment,
    WorkflowState,
)

BUCKETS = ("early", "ontime", "late", "open", "overdue")
GROUPS = {"finished": ("early", "ontime", "late"), "progress": ("open", "overdue"), "all": BUCKETS}
LIST_BUCKETS = (*BUCKETS, *GROUPS)

BUCKET_LABELS = {
    "early": gettext_lazy("Hoàn thành trước hạn"),
    "ontime": gettext_lazy("Hoàn thành đúng hạn"),
    "late": gettext_lazy("Hoàn thành quá hạn"),
    "open": gettext_lazy("Đang xử lý trong hạn"),
    "overdue": gettext_lazy("Đang xử lý quá hạn"),
    "finished": gettext_lazy("Đã hoàn thành"),
    "progress": gettext_lazy("Đang xử lý"),
    "all": gettext_lazy("Tổng số"),
}
# Short labels under a group heading (the table and the chart legend).
BUCKET_SHORT = {
    "early": gettext_lazy("Trước hạn"),
    "ontime": gettext_lazy("Đúng hạn"),
    "late": gettext_lazy("Quá hạn"),
    "open": gettext_lazy("Trong hạn"),
    "overdue": gettext_lazy("Quá hạn"),
}
# CSS tones (static/css/app.css, statistics): the pill of a row and the colour of a chart segment.
BUCKET_TONES = {"early": "early", "ontime": "ontime", "late": "late", "open": "open", "overdue": "overdue"}
BUCKET_PILLS = {
    "early": "pill-done",
    "ontime": "pill-ontime",
    "late": "pill-duesoon",
    "open": "pill-muted",
    "overdue": "pill-overdue",
}

KINDS = ("incoming", "work")
KIND_CHOICES = [
    ("all", gettext_lazy("Văn bản đến và công việc")),
    ("incoming", gettext_lazy("Văn bản đến")),
    ("work", gettext_lazy("Công việc (giao việc)")),
]


def kinds_of(kind: str) -> tuple[str, ...]:
    return KINDS if kind not in KINDS else (kind,)


@dataclass(frozen=True)
class Source:
    """How the rows of one table fall into the buckets: done, open and (for parts) paused."""

    done_q: Q
    open_q: Q
    paused_q: Q | None = None
    running_q: Q = field(default_factory=Q)

    @property
    def counted_q(self) -> Q:
        """What is counted at all: finished or open (cancelled, returned, not yet registered: not)."""
        return self.done_q | self.open_q


INCOMING = Source(done_q=Q(state=WorkflowState.ARCHIVED), open_q=INCOMING_OPEN_Q)
WORK = Source(done_q=Q(state=WorkflowState.APPROVED), open_q=WORKITEM_OPEN)
PARTS = Source(
    done_q=Q(status=Assignment.Status.DONE),
    open_q=Q(status=Assignment.Status.OPEN),
    paused_q=Q(paused_at__isnull=False),
    running_q=Q(paused_at__isnull=True),
)


def local_midnight(field: str) -> Func:
    """The start (00:00, local time) of the day of a timestamp: ``date_trunc('day', field, zone)``."""
    return Func(
        Value("day"),
        F(field),
        Value(timezone.get_current_timezone_name()),
        function="DATE_TRUNC",
        output_field=DateTimeField(),
    )


def bucket_q(source: Source, bucket: str, *, now: datetime) -> Q:
    """The rows of ``bucket`` (or of a group of buckets); the same filter counts and lists them."""
    if bucket in GROUPS:
        q = Q(pk__in=[])
        for one in GROUPS[bucket]:
            q |= bucket_q(source, one, now=now)
        return q
    # completed on a day before the day of the deadline ⇔ before 00:00 of that day (local time)
    due_day = local_midnight("due_at")
    if bucket == "early":
        return source.done_q & Q(completed_at__lt=due_day)
    if bucket == "ontime":
        return source.done_q & (
            Q(due_at__isnull=True)
            | Q(completed_at__isnull=True)
            | Q(completed_at__lte=F("due_at"), completed_at__gte=due_day)
        )
    if bucket == "late":
        return source.done_q & Q(completed_at__gt=F("due_at"))
    paused = source.paused_q if source.paused_q is not None else Q(pk__in=[])
    if bucket == "open":
        return source.open_q & (Q(due_at__isnull=True) | Q(due_at__gte=now) | paused)
    if bucket == "overdue":
        return source.open_q & source.running_q & Q(due_at__lt=now)
    raise ValueError(bucket)


def bucket_case(source: Source, *, now: datetime) -> Case:
    """The bucket of each row, computed once per row (the lists, and the grouped counts).

    The branches are tried in order, so each may leave out what an earlier one took: the result is the
    bucket whose ``bucket_q`` the row meets (the buckets do not overlap and cover every counted row)."""
    return Case(
        When(source.open_q & source.running_q & Q(due_at__lt=now), then=Value("overdue")),
        When(source.open_q, then=Value("open")),
        When(source.done_q & Q(completed_at__gt=F("due_at")), then=Value("late")),
        When(source.done_q & Q(completed_at__lt=local_midnight("due_at")), then=Value("early")),
        When(source.done_q, then=Value("ontime")),
        default=Value(""),
        output_field=CharField(),
    )


def grouped(qs: QuerySet, source: Source, *, now: datetime, by: tuple = (), **extra) -> list[dict]:
    """One query: the rows of ``qs`` counted per bucket (and per the ``by`` fields and ``extra``)."""
    return list(
        qs.annotate(stat_bucket=bucket_case(source, now=now), **extra)
        .values(*by, *extra, "stat_bucket")
        .annotate(stat_n=Count("pk"))
        .order_by()
    )


def tally(rows: list[dict], key: str | None = None) -> dict:
    """{key value: Counts} from ``grouped`` rows (one Counts under None when there is no key)."""
    result: dict = {}
    for row in rows:
        bucket = row["stat_bucket"]
        if bucket not in BUCKETS:
            continue
        counts = result.setdefault(row[key] if key else None, Counts())
        setattr(counts, bucket, getattr(counts, bucket) + row["stat_n"])
    return result


@dataclass
class Counts:
    early: int = 0
    ontime: int = 0
    late: int = 0
    open: int = 0
    overdue: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(**{b: getattr(self, b) + getattr(other, b) for b in BUCKETS})

    @property
    def finished(self) -> int:
        return self.early + self.ontime + self.late

    @property
    def progress(self) -> int:
        return self.open + self.overdue

    @property
    def total(self) -> int:
        return self.finished + self.progress

    @property
    def rate(self) -> float | None:
        """On-time rate in percent: (early + on time) / finished; None when nothing is finished."""
        if not self.finished:
            return None
        return round(100 * (self.early + self.ontime) / self.finished, 1)

    def get(self, bucket: str) -> int:
        if bucket == "all":
            return self.total
        return getattr(self, bucket)
