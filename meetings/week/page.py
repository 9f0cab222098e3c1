"""The week's page as a whole: the duty roster, the citizen-reception days (ours and other modules'),
the publication and the lock window, and the public page's week."""

import datetime as dt
from dataclasses import dataclass

from django.http import Http404
from django.utils import timezone

from eoffice import schedule_sources
from eoffice.models import Agency, User
from meetings import rules
from meetings.models import (
    DutyShift,
    PublishedWeek,
    ReceptionDay,
    ScheduleSettings,
    UnitUnlock,
)
from meetings.week.rows import (
    Day,
    Scope,
    Week,
    day_label,
    group_days,
    make_row,
    week_queryset,
)

# ---- the roster, the reception days, the publication ------------------------------------------------


@dataclass(frozen=True)
class Reception:
    """A reception session on the schedule: entered here (``pk``) or given by another module."""

    date: dt.date
    start_time: dt.time | None
    end_time: dt.time | None
    leader: str
    place: str
    note: str
    source: str = ""
    pk: int | None = None

    @property
    def day_label(self) -> str:
        return day_label(self.date)

    @property
    def time(self) -> str:
        if self.start_time and self.end_time:
            return f"{self.start_time:%H:%M} – {self.end_time:%H:%M}"
        return f"{self.start_time:%H:%M}" if self.start_time else ""


def duty_shifts(scope: Scope, week: Week) -> list[DutyShift]:
    if scope.agency is None:
        return []
    qs = DutyShift.objects.filter(agency_id=scope.agency.pk, date__range=(week.start, week.end))
    if scope.kind == "leader":
        qs = qs.filter(person_id=scope.leader.pk)
    elif scope.kind == "mine":
        qs = qs.filter(person_id=scope.viewer.pk)
    elif scope.kind == "unit":
        qs = qs.filter(person__department_id=scope.unit.pk)
    return list(qs.select_related("person").order_by("date", "id"))


def receptions(scope: Scope, week: Week) -> list[Reception]:
    """The week's reception days: the ones entered on the schedule and the registered sources' (the
    complaints module's), for the agency, or only the leader's (the viewer's on "my week")."""
    if scope.agency is None:
        return []
    person = scope.leader if scope.kind == "leader" else scope.viewer if scope.kind == "mine" else None
    qs = ReceptionDay.objects.filter(agency_id=scope.agency.pk, date__range=(week.start, week.end))
    if person is not None:
        qs = qs.filter(leader_id=person.pk)
    elif scope.kind == "unit":
        qs = qs.filter(leader__department_id=scope.unit.pk)
    rows = [
        Reception(
            r.date, r.start_time, r.end_time, r.leader.get_full_name(), r.place, r.note, r.source, pk=r.pk
        )
        for r in qs.select_related("leader")
    ]
    for r in schedule_sources.reception_rows(scope.agency.pk, week.start, week.end):
        if person is not None and r.leader_id != person.pk:
            continue
        if scope.kind == "unit":
            continue  # a source's rows name a leader, not a unit
        rows.append(Reception(r.date, r.start_time, r.end_time, r.leader_name, r.place, r.note, r.source))
    return sorted(rows, key=lambda r: (r.date, r.start_time or dt.time.min, r.leader))


def published_week(agency_id: int, week: Week) -> PublishedWeek | None:
    return (
        PublishedWeek.objects.filter(agency_id=agency_id, week_start=week.start)
        .select_related("published_by")
        .first()
    )


def lock_state(config: ScheduleSettings, week: Week, now: dt.datetime | None = None) -> dict | None:
    """The lock window of ``week`` when it is running now: {"start", "end"} (local times)."""
    window = rules.lock_window(config, week.start)
    now = now or timezone.now()
    if window is None or not window[0] <= now < window[1]:
        return None
    return {"start": timezone.localtime(window[0]), "end": timezone.localtime(window[1])}


def unlocked_units(agency_id: int, week: Week) -> list[UnitUnlock]:
    return list(
        UnitUnlock.objects.filter(agency_id=agency_id, week_start=week.start)
        .select_related("department", "unlocked_by")
        .order_by("department__name")
    )


# ---- the page's whole content -----------------------------------------------------------------------


@dataclass
class WeekView:
    week: Week
    scope: Scope
    days: list[Day]
    duty: list[DutyShift]
    receptions: list[Reception]
    published: PublishedWeek | None
    count: int

    @property
    def agency(self) -> Agency | None:
        return self.scope.agency


def week_view(*, scope: Scope, week: Week, viewer: User | None, seen_at=None) -> WeekView:
    """Everything the week page, its exports and the public page print. ``viewer`` None: the public
    (only non-secret meetings are read, no notes, preparations or outsiders' names)."""
    public = viewer is None
    meetings = week_queryset(scope, week, viewer=viewer)
    viewer_agency = viewer.agency_id if viewer is not None else None
    rows = [make_row(m, viewer_agency_id=viewer_agency, seen_at=seen_at, public=public) for m in meetings]
    duty = duty_shifts(scope, week)
    return WeekView(
        week=week,
        scope=scope,
        days=group_days(week, rows, duty),
        duty=duty,
        receptions=receptions(scope, week),
        published=published_week(scope.agency.pk, week) if scope.agency is not None else None,
        count=len(rows),
    )


# ---- the public page -------------------------------------------------------------------------------


def public_agency(code: str) -> Agency:
    """The agency with this code that publishes its schedule without login; 404 otherwise."""
    agency = (
        Agency.objects.filter(code=code, is_active=True, schedule_settings__publish_public=True)
        .select_related("parent")
        .first()
    )
    if agency is None:
        raise Http404
    return agency


def public_week_view(*, agency: Agency, week: Week) -> WeekView:
    """The public page's week: nothing but the publication notice until the agency published the week."""
    scope = Scope("agency", agency)
    published = published_week(agency.pk, week)
    if published is None:
        return WeekView(week, scope, days=[], duty=[], receptions=[], published=None, count=0)
    view = week_view(scope=scope, week=week, viewer=None)
    view.published = published
    return view
