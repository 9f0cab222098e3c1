"""The dashboard widget: the last months by bucket and the open work now by deadline status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import (
    Case,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from documents.stats.selectors.buckets import (
    BUCKETS,
    INCOMING,
    PARTS,
    WORK,
    Counts,
    Source,
    grouped,
    kinds_of,
)
from documents.stats.selectors.periods import Period, month_bounds
from documents.stats.selectors.querysets import incoming_qs, parts_qs, work_qs
from documents.stats.selectors.scopes import Scope, headed_unit, sees_agency
from eoffice.models import Role, User
from workflow.models import (
    DeadlineStatus,
    deadline_status_expression,
)

OPEN_STATUSES = (
    (DeadlineStatus.ON_TIME, "open"),
    (DeadlineStatus.DUE_SOON, "duesoon"),
    (DeadlineStatus.OVERDUE, "overdue"),
    (DeadlineStatus.NO_DEADLINE, "none"),
    (DeadlineStatus.PAUSED, "paused"),
)
STATUS_KEYS = {str(status): key for status, key in OPEN_STATUSES}


@dataclass
class Dashboard:
    scope: Scope
    months: list[Period]
    series: list[Counts]
    open_now: dict[str, int]

    @property
    def this_month(self) -> Counts:
        return self.series[-1]

    @property
    def empty(self) -> bool:
        return not any(c.total for c in self.series) and not any(self.open_now.values())


def dashboard_scope(user: User) -> Scope | None:
    """A leader: the agency; a head: the unit; anyone else of an agency: themselves."""
    if not user.agency_id:
        return None
    if user.has_role(Role.LEADER) or (user.is_superuser and sees_agency(user)):
        return Scope("agency", user.agency)
    unit_id = headed_unit(user)
    if unit_id:
        return Scope("unit", user.agency, unit=user.department)
    return Scope("person", user.agency, person=user)


def dashboard(
    *, user: User, months: int = 6, now: datetime | None = None, kind: str = "all"
) -> Dashboard | None:
    """The last ``months`` months by bucket and the open work now by deadline status: one query per table."""
    scope = dashboard_scope(user)
    if scope is None:
        return None
    now = now or timezone.now()
    today = timezone.localdate(now)
    periods = [Period(*month_bounds(today, back)) for back in range(months - 1, -1, -1)]
    kinds = kinds_of(kind)
    series = [Counts() for _p in periods]
    open_now = {key: 0 for _status, key in OPEN_STATUSES}

    def collect(qs: QuerySet, source: Source, date_field: str) -> None:
        """One grouped query per table: (month, bucket, deadline status now) → number of rows."""
        month = Case(
            *(
                When(Q(**{f"{date_field}__gte": p.start, f"{date_field}__lt": p.end}), then=Value(i))
                for i, p in enumerate(periods)
            ),
            default=Value(-1),
            output_field=IntegerField(),
        )
        status = deadline_status_expression(now=now, open_q=source.open_q, paused_q=source.paused_q)
        rows = grouped(
            qs.filter(Q(**{f"{date_field}__gte": periods[0].start}) | source.open_q),
            source,
            now=now,
            stat_month=month,
            stat_status=status,
        )
        for row in rows:
            if row["stat_month"] >= 0 and row["stat_bucket"] in BUCKETS:
                counts = series[row["stat_month"]]
                setattr(counts, row["stat_bucket"], getattr(counts, row["stat_bucket"]) + row["stat_n"])
            key = STATUS_KEYS.get(row["stat_status"])
            if key:
                open_now[key] += row["stat_n"]

    if scope.level == "agency":
        if "incoming" in kinds:
            collect(incoming_qs(user, scope.agency.pk), INCOMING, "received_at")
        if "work" in kinds:
            collect(work_qs(user, scope.agency.pk), WORK, "created_at")
    else:
        collect(parts_qs(user, scope, kinds), PARTS, "assigned_at")
    return Dashboard(scope=scope, months=periods, series=series, open_now=open_now)
