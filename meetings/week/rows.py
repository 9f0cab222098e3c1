"""Reads of the weekly schedule (lịch công tác tuần): the week asked for, the scope (the agency, one leader,
one unit, "my week"), and the meetings of that week grouped by day with what each viewer may read of them.

What a viewer may read is decided in SQL (``rules.visible_q`` as an annotation): a secret meeting the
viewer may not open comes back masked ("Lịch họp", its time only) and the page never receives its content.
The number of queries does not depend on the number of meetings (one query for the meetings, one for their
participants).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import BooleanField, Case, Exists, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eoffice.models import Agency, Department, Role, User
from eoffice.params import int_param
from meetings import rules
from meetings.models import (
    Meeting,
    Participant,
)
from workflow.models import WorkflowState

WEEKDAY_LABELS = (
    gettext_lazy("Thứ Hai"),
    gettext_lazy("Thứ Ba"),
    gettext_lazy("Thứ Tư"),
    gettext_lazy("Thứ Năm"),
    gettext_lazy("Thứ Sáu"),
    gettext_lazy("Thứ Bảy"),
    gettext_lazy("Chủ nhật"),
)
MASKED_TITLE = gettext_lazy("Lịch họp")
MINE_STATES = (WorkflowState.APPROVED, WorkflowState.SUBMITTED)
# What a row prints, and nothing else (a schedule reads no passwords, files or JSON).
MEETING_FIELDS = (
    "id",
    "state",
    "agency_id",
    "agency__name",
    "title",
    "start_at",
    "end_at",
    "room_id",
    "room__name",
    "place",
    "chair_id",
    "chair__full_name",
    "chair__username",
    "chair__position",
    "chair_text",
    "secret",
    "notes",
    "changed_at",
    "postponed_at",
    "postpone_reason",
)
PARTICIPANT_FIELDS = (
    "id",
    "meeting_id",
    "user_id",
    "user__full_name",
    "user__username",
    "department_id",
    "department__name",
    "agency_id",
    "agency__name",
    "name",
    "role",
    "prepare",
    "substitute_id",
    "substitute__full_name",
    "substitute__username",
    "substitute_status",
    "order",
)
AFTERNOON = dt.time(12, 0)
EVENING = dt.time(18, 0)
# Far enough for any real schedule; a date outside this range shows the current week.
MIN_YEAR, MAX_YEAR = 2000, 2100


# ---- the week ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Week:
    """A week from Monday ``start`` to Sunday."""

    start: dt.date

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=6)

    @property
    def days(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=i) for i in range(7)]

    @property
    def previous(self) -> dt.date:
        return self.start - dt.timedelta(days=7)

    @property
    def next(self) -> dt.date:
        return self.start + dt.timedelta(days=7)

    @property
    def number(self) -> int:
        return self.start.isocalendar()[1]

    @property
    def is_current(self) -> bool:
        return self.start == rules.week_start(timezone.localdate())

    @property
    def range_label(self) -> str:
        """ "từ ngày 11/11/2024 đến ngày 17/11/2024"."""
        return _("từ ngày %(start)s đến ngày %(end)s") % {
            "start": self.start.strftime("%d/%m/%Y"),
            "end": self.end.strftime("%d/%m/%Y"),
        }

    @property
    def title(self) -> str:
        """ "Tuần 46 (11/11 – 17/11/2024)"."""
        return _("Tuần %(n)s (%(start)s – %(end)s)") % {
            "n": self.number,
            "start": self.start.strftime("%d/%m"),
            "end": self.end.strftime("%d/%m/%Y"),
        }

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        tz = timezone.get_current_timezone()
        start = dt.datetime.combine(self.start, dt.time.min, tz)
        return start, start + dt.timedelta(days=7)


def parse_week(raw: str | None) -> Week:
    """The week of the day ``raw`` (``YYYY-MM-DD``, any day of the week); the current week when it is
    missing or not a date."""
    day = None
    if raw:
        try:
            day = parse_date(str(raw).strip()[:10])
        except ValueError:
            day = None
    if day is None or not MIN_YEAR <= day.year <= MAX_YEAR:
        day = timezone.localdate()
    return Week(rules.week_start(day))


def day_label(day: dt.date) -> str:
    """ "Thứ Hai 11/11"."""
    return f"{WEEKDAY_LABELS[day.weekday()]} {day:%d/%m}"


def session_label(at: dt.time) -> str:
    if at < AFTERNOON:
        return _("Sáng")
    if at < EVENING:
        return _("Chiều")
    return _("Tối")


# ---- the scope -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Whose week: ``agency`` (the agency's schedule), ``leader`` (one leader's part of it), ``unit`` (one
    unit's part of it) or ``mine`` (the meetings the viewer takes part in, across agencies)."""

    kind: str
    agency: Agency | None
    leader: User | None = None
    unit: Department | None = None
    viewer: User | None = None

    @property
    def label(self) -> str:
        if self.kind == "leader":
            return _("Lịch công tác của %(name)s") % {"name": self.leader.get_full_name()}
        if self.kind == "unit":
            return _("Lịch công tác của %(unit)s") % {"unit": self.unit.name}
        if self.kind == "mine":
            return _("Lịch của tôi")
        return _("Lịch công tác tuần")

    @property
    def query(self) -> dict:
        """The query-string parameters that keep this scope across links."""
        if self.kind == "leader":
            return {"leader": self.leader.pk}
        if self.kind == "unit":
            return {"unit": self.unit.pk}
        return {}


def agency_leaders(agency_id: int) -> QuerySet[User]:
    """The agency's leaders (role Lãnh đạo), the ones with a title starting "Phó" after the others."""
    return (
        User.objects.filter(
            agency_id=agency_id,
            is_active=True,
            groups__agency_role__role=Role.LEADER,
            groups__agency_role__agency_id=agency_id,
        )
        .distinct()
        .order_by("full_name", "pk")
    )


def agency_units(agency_id: int) -> QuerySet[Department]:
    return Department.objects.filter(agency_id=agency_id, is_active=True).order_by("order", "name")


def resolve_scope(*, user: User, params) -> Scope:
    """The scope asked for by ``?leader=<id>`` or ``?unit=<id>`` in the viewer's agency; the agency's week
    otherwise. An id outside the viewer's agency is a 404."""
    if not user.agency_id:
        raise Http404
    agency = user.agency
    leader_id = int_param(params.get("leader"))
    if leader_id:
        leader = User.objects.filter(pk=leader_id, agency_id=user.agency_id, is_active=True).first()
        if leader is None:
            raise Http404
        return Scope("leader", agency, leader=leader, viewer=user)
    unit_id = int_param(params.get("unit"))
    if unit_id:
        unit = Department.objects.filter(pk=unit_id, agency_id=user.agency_id).first()
        if unit is None:
            raise Http404
        return Scope("unit", agency, unit=unit, viewer=user)
    return Scope("agency", agency, viewer=user)


def mine_scope(user: User) -> Scope:
    return Scope("mine", user.agency if user.agency_id else None, viewer=user)


# ---- the meetings of a week ----------------------------------------------------------------------------


def _person_q(user_id: int) -> Q:
    listed = Participant.objects.filter(meeting=OuterRef("pk")).filter(
        Q(user_id=user_id) | Q(substitute_id=user_id, substitute_status=Participant.Substitute.APPROVED)
    )
    return Q(chair_id=user_id) | Q(Exists(listed))


def _unit_q(unit_id: int) -> Q:
    listed = Participant.objects.filter(meeting=OuterRef("pk")).filter(
        Q(department_id=unit_id) | Q(user__department_id=unit_id)
    )
    return Q(department_id=unit_id) | Q(chair__department_id=unit_id) | Q(Exists(listed))


def _mine_ids(user: User, start: dt.datetime, end: dt.datetime) -> QuerySet:
    """The ids of the meetings starting in [start, end) that ``user`` takes part in (``rules.involved_q``),
    as one UNION of indexed look-ups: organiser, chair or contact; listed in person, as a substitute,
    through their unit or through their agency."""
    week = Q(start_at__gte=start, start_at__lt=end)
    listed_week = Q(meeting__start_at__gte=start, meeting__start_at__lt=end)
    parts = [
        Meeting.objects.filter(week, organiser_id=user.pk).values("pk"),
        Meeting.objects.filter(week, chair_id=user.pk).values("pk"),
        Meeting.objects.filter(week, contact_id=user.pk).values("pk"),
        Participant.objects.filter(listed_week, user_id=user.pk).values("meeting_id"),
        Participant.objects.filter(listed_week, substitute_id=user.pk).values("meeting_id"),
    ]
    if user.department_id:
        parts.append(
            Participant.objects.filter(listed_week, department_id=user.department_id).values("meeting_id")
        )
    if user.agency_id:
        parts.append(Participant.objects.filter(listed_week, agency_id=user.agency_id).values("meeting_id"))
    return parts[0].union(*parts[1:])


def scope_meetings(scope: Scope, week: Week) -> QuerySet[Meeting]:
    """The meetings a scope shows in ``week``: the agency's approved meetings put in the weekly schedule
    (narrowed to a leader or a unit), or, for "my week", every open meeting the viewer takes part in,
    pending ones included."""
    start, end = week.bounds()
    if scope.kind == "mine":
        ids = list(_mine_ids(scope.viewer, start, end).values_list("pk", flat=True))
        return Meeting.objects.filter(pk__in=ids, state__in=MINE_STATES)
    qs = Meeting.objects.filter(
        agency_id=scope.agency.pk,
        start_at__gte=start,
        start_at__lt=end,
        state=WorkflowState.APPROVED,
        in_weekly=True,
    )
    if scope.kind == "leader":
        qs = qs.filter(_person_q(scope.leader.pk))
    elif scope.kind == "unit":
        qs = qs.filter(_unit_q(scope.unit.pk))
    return qs


def week_queryset(scope: Scope, week: Week, *, viewer: User | None) -> QuerySet[Meeting]:
    """The scope's meetings starting in ``week``, with ``can_see``: whether ``viewer`` may read the content
    (always False for the public page, where only non-secret meetings are read), and what a row prints
    joined or prefetched.

    The week's ids are found first (on the agency and start index, or the UNION of "my week"), then the
    rows are read by id with their joins: the planner then joins a handful of users by key instead of
    hashing the whole user table."""
    readable = Q(secret=False) if viewer is None else rules.visible_q(viewer)
    participants = (
        Participant.objects.select_related("user", "department", "agency", "substitute")
        .only(*PARTICIPANT_FIELDS)
        .order_by("order", "id")
    )
    if scope.kind == "mine":
        start, end = week.bounds()
        ids, states = list(_mine_ids(scope.viewer, start, end).values_list("pk", flat=True)), MINE_STATES
    else:
        ids, states = list(scope_meetings(scope, week).values_list("pk", flat=True)), [WorkflowState.APPROVED]
    return (
        Meeting.objects.filter(pk__in=ids, state__in=states)
        .annotate(
            can_see=Case(When(readable, then=Value(True)), default=Value(False), output_field=BooleanField())
        )
        .select_related("room", "chair", "agency")
        .only(*MEETING_FIELDS)
        .prefetch_related(Prefetch("participants", queryset=participants))
        .order_by("start_at", "end_at", "id")
    )


@dataclass
class Preparer:
    label: str
    what: str
    main: bool


@dataclass
class Row:
    """One line of the schedule, as printed: only what the viewer may read (a masked row carries its time
    and nothing else)."""

    pk: int
    start: dt.datetime
    end: dt.datetime
    session: str
    time: str
    title: str
    masked: bool
    chair: str = ""
    people: list[str] = field(default_factory=list)
    place: str = ""
    preparers: list[Preparer] = field(default_factory=list)
    notes: str = ""
    pending: bool = False
    postponed: bool = False
    postpone_reason: str = ""
    changed: bool = False
    secret: bool = False
    other_agency: str = ""
    url: str = ""

    @property
    def people_text(self) -> str:
        return "; ".join(self.people)

    @property
    def prepare_text(self) -> str:
        return "; ".join(f"{p.label}: {p.what}" if p.what else p.label for p in self.preparers)

    @property
    def marks(self) -> list[str]:
        marks = []
        if self.pending:
            marks.append(str(_("Chờ duyệt")))
        if self.postponed:
            marks.append(str(_("Hoãn")))
        if self.changed:
            marks.append(str(_("Đã thay đổi")))
        return marks


def _time_text(start: dt.datetime, end: dt.datetime) -> str:
    if start.date() == end.date():
        return f"{start:%H:%M} – {end:%H:%M}"
    return f"{start:%H:%M} – {end:%H:%M %d/%m}"


def _chair_text(meeting: Meeting) -> str:
    if meeting.chair_id:
        name = meeting.chair.get_full_name()
        return f"{name} ({meeting.chair.position})" if meeting.chair.position else name
    return meeting.chair_text


def _participant_label(p: Participant, *, public: bool) -> str:
    if p.user_id:
        if p.substitute_id and p.substitute_status == Participant.Substitute.APPROVED:
            return _("%(sub)s (dự thay %(name)s)") % {
                "sub": p.substitute.get_full_name(),
                "name": p.user.get_full_name(),
            }
        return p.user.get_full_name()
    if p.department_id:
        return p.department.name
    if p.agency_id:
        return p.agency.name
    return "" if public else p.name


def detail_url(pk: int) -> str:
    return reverse("meetings:detail", args=[pk])


def make_row(meeting: Meeting, *, viewer_agency_id: int | None, seen_at, public: bool = False) -> Row:
    """The printed row of ``meeting`` (annotated with ``can_see``)."""
    start, end = timezone.localtime(meeting.start_at), timezone.localtime(meeting.end_at)
    common = {
        "pk": meeting.pk,
        "start": start,
        "end": end,
        "session": session_label(start.time()),
        "time": _time_text(start, end),
        "pending": meeting.state == WorkflowState.SUBMITTED,
        "postponed": meeting.postponed_at is not None,
    }
    if not meeting.can_see:
        return Row(title=str(MASKED_TITLE), masked=True, **common)
    participants = list(meeting.participants.all())
    return Row(
        title=meeting.title,
        masked=False,
        chair=_chair_text(meeting),
        people=[label for p in participants if (label := _participant_label(p, public=public))],
        place=meeting.place_label,
        preparers=[]
        if public
        else [
            Preparer(
                _participant_label(p, public=False),
                p.prepare,
                p.role == Participant.Role.PREPARE_MAIN,
            )
            for p in participants
            if p.is_preparer
        ],
        notes="" if public else meeting.notes,
        postpone_reason=meeting.postpone_reason,
        changed=bool(seen_at and meeting.changed_at and meeting.changed_at > seen_at),
        secret=meeting.secret,
        other_agency=meeting.agency.name
        if viewer_agency_id and meeting.agency_id != viewer_agency_id
        else "",
        url="" if public else detail_url(meeting.pk),
        **common,
    )


@dataclass
class Day:
    date: dt.date
    label: str
    rows: list[Row]
    duty: list = field(default_factory=list)

    @property
    def is_weekend(self) -> bool:
        return self.date.weekday() >= 5

    @property
    def is_today(self) -> bool:
        return self.date == timezone.localdate()


def group_days(week: Week, rows: Iterable[Row], duty: Iterable = ()) -> list[Day]:
    """Monday to Friday always; Saturday and Sunday when something happens on them."""
    by_day: dict[dt.date, list[Row]] = {d: [] for d in week.days}
    for row in rows:
        by_day.setdefault(row.start.date(), []).append(row)
    duty_by_day: dict[dt.date, list] = {}
    for shift in duty:
        duty_by_day.setdefault(shift.date, []).append(shift)
    return [
        Day(day, day_label(day), by_day.get(day, []), duty_by_day.get(day, []))
        for day in week.days
        if day.weekday() < 5 or by_day.get(day)
    ]
