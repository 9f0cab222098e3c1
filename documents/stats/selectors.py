"""Processing statistics: what was received or given in a period and where it stands now.

Three levels, one classification (the five *buckets*):

- agency (cơ quan): the incoming documents of the agency received in the period — registered, not
  returned to the sender, not recalled — and, when the kind includes them, its work items (giao việc)
  given in the period (not cancelled); each by the record's own state and deadline;
- unit (đơn vị): the lead parts given to the unit in the period: the top-level lead assignment whose unit
  is that unit. A leader who gives the lead to a person directly gives it to the person's unit too (the
  engine stores the person's unit on the assignment), so such a part counts for that unit; a part given
  to a person of no unit (a leader, usually) counts under "không thuộc đơn vị";
- person (cá nhân): the lead parts the person holds (assignee), given directly or handed on by the head.

Buckets, by the record's (or the part's) **current** state: finished early (completed on a day before
the day of the deadline), on time (completed by the deadline, or no deadline), late (completed after
it); in progress on time (open, not past its deadline now; a paused part counts here, its clock is
stopped) and overdue (open, deadline passed). Received = the five buckets.

Every count is one SQL aggregate with conditional ``Count(filter=…)``, grouped per unit or person;
every count includes only what the viewer may see (a secret document not granted to them is not
counted), and the list behind each number (``records``) is the same queryset filtered by the bucket.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents.models import INCOMING_OPEN_Q, Confidentiality, IncomingDocument
from documents.selectors import ACTIVE_Q, visible_incoming, visible_q
from eoffice.models import Agency, Department, Role, User
from workflow.models import (
    WORKITEM_OPEN,
    Assignment,
    DeadlineStatus,
    WorkflowState,
    WorkItem,
    deadline_status_expression,
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


# --- the classification -------------------------------------------------------------------------------


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


# --- periods --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    date_from: date
    date_to: date
    preset: str = "custom"

    @property
    def start(self) -> datetime:
        return datetime.combine(self.date_from, time.min, tzinfo=timezone.get_current_timezone())

    @property
    def end(self) -> datetime:
        """Exclusive: midnight after the last day."""
        return datetime.combine(
            self.date_to + timedelta(days=1), time.min, tzinfo=timezone.get_current_timezone()
        )

    @property
    def label(self) -> str:
        return _("Từ ngày %(a)s đến ngày %(b)s") % {
            "a": self.date_from.strftime("%d/%m/%Y"),
            "b": self.date_to.strftime("%d/%m/%Y"),
        }

    def query(self) -> dict:
        return {
            "period": "custom",
            "date_from": self.date_from.isoformat(),
            "date_to": self.date_to.isoformat(),
        }


def month_bounds(day: date, back: int = 0) -> tuple[date, date]:
    year, month = day.year, day.month - back
    while month < 1:
        month += 12
        year -= 1
    return date(year, month, 1), date(year, month, monthrange(year, month)[1])


def preset_period(preset: str, today: date | None = None) -> Period:
    today = today or timezone.localdate()
    if preset == "last_month":
        first, last = month_bounds(today, 1)
    elif preset == "quarter":
        q_month = 3 * ((today.month - 1) // 3) + 1
        first = date(today.year, q_month, 1)
        last = month_bounds(date(today.year, q_month + 2, 1))[1]
    elif preset == "year":
        first, last = date(today.year, 1, 1), date(today.year, 12, 31)
    else:
        preset = "month"
        first, last = month_bounds(today)
    return Period(first, last, preset)


# --- scopes and who may see them ------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    level: str  # "agency", "unit" or "person"
    agency: Agency
    unit: Department | None = None  # level "unit" with no unit: the parts of people of no unit
    person: User | None = None

    @property
    def key(self) -> str:
        if self.level == "unit":
            return f"unit-{self.unit.pk if self.unit else 'none'}"
        if self.level == "person":
            return f"person-{self.person.pk}"
        return "agency"

    @property
    def name(self) -> str:
        if self.level == "unit":
            return self.unit.name if self.unit else str(_("Không thuộc đơn vị nào"))
        if self.level == "person":
            return self.person.get_full_name()
        return self.agency.name


def sees_agency(user: User) -> bool:
    """Leaders and clerks (and a superuser of an agency) see the whole agency, its units and people."""
    return bool(user.agency_id) and (user.is_superuser or user.has_role(Role.LEADER, Role.CLERK))


def headed_unit(user: User) -> int | None:
    return user.department_id if user.department_id and user.has_role(Role.DEPARTMENT_HEAD) else None


def default_scope_key(user: User) -> str:
    if sees_agency(user):
        return "agency"
    if headed_unit(user):
        return f"unit-{user.department_id}"
    return f"person-{user.pk}"


_SCOPE_RE = re.compile(r"(unit|person)-([0-9]{1,12}|none)")


def resolve_scope(user: User, key: str = "") -> Scope | None:
    """The scope ``key`` if the user may see it; None for a user of no agency asking nothing; else 404.

    Nobody sees another agency; a head sees their unit and its people; anyone else only themselves.
    """
    if not user.agency_id:
        if key:
            raise Http404
        return None
    key = key or default_scope_key(user)
    agency = user.agency
    wide = sees_agency(user)
    if key == "agency":
        if not wide:
            raise Http404
        return Scope("agency", agency)
    match = _SCOPE_RE.fullmatch(key)
    if not match:
        raise Http404
    level, ident = match.groups()
    if level == "unit":
        if ident == "none":
            if not wide:
                raise Http404
            return Scope("unit", agency)
        unit = Department.objects.filter(pk=int(ident), agency_id=agency.pk).first()
        if unit is None or not (wide or headed_unit(user) == unit.pk):
            raise Http404
        return Scope("unit", agency, unit=unit)
    if ident == "none":
        raise Http404
    person = User.objects.filter(pk=int(ident), agency_id=agency.pk).select_related("department").first()
    if person is None:
        raise Http404
    allowed = (
        wide or person.pk == user.pk or (headed_unit(user) and headed_unit(user) == person.department_id)
    )
    if not allowed:
        raise Http404
    return Scope("person", agency, person=person)


def parent_scopes(user: User, scope: Scope) -> list[Scope]:
    """The scopes above ``scope`` that the user may open (the breadcrumb)."""
    chain = []
    if scope.level != "agency" and sees_agency(user):
        chain.append(Scope("agency", scope.agency))
    if scope.level == "person":
        unit = scope.person.department
        if unit and (sees_agency(user) or headed_unit(user) == unit.pk):
            chain.append(Scope("unit", scope.agency, unit=unit))
    return chain


def scope_choices(user: User) -> list[tuple[str, str]]:
    """The scopes offered in the chooser: agency and its units, or the head's unit and its people."""
    if not user.agency_id:
        return []
    if sees_agency(user):
        choices = [("agency", _("Toàn cơ quan"))]
        for unit, depth in _units_in_order(user.agency_id):
            if unit.is_active:
                choices.append((f"unit-{unit.pk}", ("— " * (depth + 1)) + unit.name))
        choices.append(("unit-none", "— " + _("Không thuộc đơn vị nào")))
        return choices
    unit_id = headed_unit(user)
    if unit_id:
        choices = [(f"unit-{unit_id}", str(user.department))]
        for person in User.objects.filter(department_id=unit_id, is_active=True).order_by("full_name"):
            choices.append((f"person-{person.pk}", "— " + person.get_full_name()))
        return choices
    return [(f"person-{user.pk}", user.get_full_name())]


def _units_in_order(agency_id: int) -> list[tuple[Department, int]]:
    """Every unit of the agency, each top-level one followed by its sub-units."""
    units = list(Department.objects.filter(agency_id=agency_id).order_by("order", "name"))
    children: dict[int | None, list[Department]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    ordered = []
    for unit in children.get(None, []):
        ordered.append((unit, 0))
        ordered += [(child, 1) for child in children.get(unit.pk, [])]
    known = {u.pk for u, _depth in ordered}
    ordered += [(u, 0) for u in units if u.pk not in known]
    return ordered


# --- querysets ------------------------------------------------------------------------------------------


def _content_types() -> dict[str, ContentType]:
    return {
        "incoming": ContentType.objects.get_for_model(IncomingDocument),
        "work": ContentType.objects.get_for_model(WorkItem),
    }


def incoming_qs(user: User, agency_id: int) -> QuerySet[IncomingDocument]:
    return visible_incoming(user).filter(INCOMING.counted_q, ACTIVE_Q, agency_id=agency_id)


def work_qs(user: User, agency_id: int) -> QuerySet[WorkItem]:
    return WorkItem.visible_to(user).filter(WORK.counted_q, agency_id=agency_id)


def _hidden_incoming(user: User, agency_id: int) -> QuerySet:
    """The documents of the agency with a part in a scope the user may see, yet not visible to them.

    Within such a scope an ordinary registered document is always visible to the viewer (a leader or
    clerk sees every one; a head is involved through the part given to their unit, ``parts_qs`` keeps a
    head to their unit's parts; anyone else holds the part); so only secret documents not granted to
    them and documents not yet registered can be hidden — a handful, found by their indexes, and the
    test ``test_parts_visibility_matches_the_documents_selector`` holds this against ``visible_q``.
    """
    return (
        IncomingDocument.objects.filter(
            Q(confidentiality__gt=Confidentiality.NORMAL) | Q(state=WorkflowState.NEW), agency_id=agency_id
        )
        .exclude(visible_q(user))
        .values("pk")
    )


def _visible_parts_q(user: User, kinds: tuple[str, ...], agency_id: int) -> Q:
    """Parts of records the user may see (a secret document not granted: not even counted).

    A part of a document recalled by its sender is cancelled by the recall (``_recall_incoming``): it is
    not counted, as no cancelled part is; a part finished before the recall stays finished."""
    cts = _content_types()
    q = Q(pk__in=[])
    if "incoming" in kinds:
        q |= Q(content_type=cts["incoming"]) & ~Q(object_id__in=_hidden_incoming(user, agency_id))
    if "work" in kinds:
        items = WorkItem.visible_to(user).filter(pk=OuterRef("object_id"))
        q |= Q(content_type=cts["work"]) & Q(Exists(items))
    return q


def parts_qs(user: User, scope: Scope, kinds: tuple[str, ...], *, by: str = "") -> QuerySet[Assignment]:
    """Lead parts of the scope: the agency's units' parts (``by="units"``), a unit's own parts, the parts
    held by the people of a unit (``by="people"``), or a person's parts. A head who is not also a leader
    or clerk sees the parts of their people given in their unit only (the documents they may see)."""
    qs = Assignment.objects.filter(
        _visible_parts_q(user, kinds, scope.agency.pk),
        PARTS.counted_q,
        agency_id=scope.agency.pk,
        role=Assignment.Kind.LEAD,
    )
    if scope.level == "agency":
        return qs.filter(parent__isnull=True)
    within_unit = {} if sees_agency(user) else {"department_id": headed_unit(user)}
    if scope.level == "unit":
        if by == "people" and scope.unit:
            return qs.filter(assignee__department_id=scope.unit.pk, **within_unit)
        return qs.filter(parent__isnull=True, department_id=scope.unit.pk if scope.unit else None)
    if scope.person.pk == user.pk:
        return qs.filter(assignee_id=user.pk)
    return qs.filter(assignee_id=scope.person.pk, **within_unit)


def _in_period(qs: QuerySet, date_field: str, period: Period) -> QuerySet:
    return qs.filter(**{f"{date_field}__gte": period.start, f"{date_field}__lt": period.end})


# --- the report of a page -------------------------------------------------------------------------------


@dataclass
class Row:
    label: str
    counts: Counts
    scope_key: str  # the drill-down of this row's numbers
    sub: str = ""
    depth: int = 0
    link: bool = True  # the label opens the row's own statistics


@dataclass
class Report:
    scope: Scope
    period: Period
    kind: str
    headline: Counts
    headline_by: str = ""  # the list behind the headline: "" for the scope itself
    rows: list[Row] = field(default_factory=list)
    rows_by: str = ""  # the list behind the totals row
    row_heading: str = ""
    now: datetime | None = None

    @property
    def totals(self) -> Counts:
        total = Counts()
        for row in self.rows:
            total = total + row.counts
        return total


def report(*, user: User, scope: Scope, period: Period, kind: str, now: datetime | None = None) -> Report:
    """The numbers of the statistics page: a constant number of queries, whatever the units or people."""
    now = now or timezone.now()
    kinds = kinds_of(kind)
    result = Report(scope=scope, period=period, kind=kind, headline=Counts(), now=now)
    if scope.level == "agency":
        result.headline = agency_counts(
            user=user, agency_id=scope.agency.pk, period=period, kinds=kinds, now=now
        )
        result.rows = _unit_rows(user, scope, period, kinds, now)
        result.rows_by = "units"
        result.row_heading = _("Đơn vị chủ trì")
    elif scope.level == "unit":
        own = _in_period(parts_qs(user, scope, kinds), "assigned_at", period)
        result.headline = tally(grouped(own, PARTS, now=now)).get(None, Counts())
        if scope.unit:
            result.rows = _people_rows(user, scope, period, kinds, now)
            result.rows_by = "people"
            result.row_heading = _("Cán bộ")
    else:
        own = _in_period(parts_qs(user, scope, kinds), "assigned_at", period)
        result.headline = tally(grouped(own, PARTS, now=now)).get(None, Counts())
        result.rows = [
            Row(
                label=scope.person.get_full_name(),
                sub=scope.person.position,
                counts=result.headline,
                scope_key=scope.key,
                link=False,
            )
        ]
        result.row_heading = _("Cán bộ")
    return result


def agency_counts(
    *, user: User, agency_id: int, period: Period, kinds: tuple[str, ...], now: datetime
) -> Counts:
    """One aggregate per table: incoming documents received, work items given in the period."""
    total = Counts()
    if "incoming" in kinds:
        qs = _in_period(incoming_qs(user, agency_id), "received_at", period)
        total = total + tally(grouped(qs, INCOMING, now=now)).get(None, Counts())
    if "work" in kinds:
        qs = _in_period(work_qs(user, agency_id), "created_at", period)
        total = total + tally(grouped(qs, WORK, now=now)).get(None, Counts())
    return total


def _unit_rows(user: User, scope: Scope, period: Period, kinds, now) -> list[Row]:
    qs = _in_period(parts_qs(user, scope, kinds), "assigned_at", period)
    by_unit = tally(grouped(qs, PARTS, now=now, by=("department_id",)), "department_id")
    rows = []
    for unit, depth in _units_in_order(scope.agency.pk):
        counts = by_unit.get(unit.pk, Counts())
        if unit.is_active or counts.total:
            rows.append(Row(label=unit.name, counts=counts, scope_key=f"unit-{unit.pk}", depth=depth))
    if None in by_unit:
        rows.append(
            Row(
                label=_("Không thuộc đơn vị nào"),
                sub=_("Giao trực tiếp cho người không thuộc đơn vị (thường là lãnh đạo)"),
                counts=by_unit[None],
                scope_key="unit-none",
            )
        )
    return rows


def _people_rows(user: User, scope: Scope, period: Period, kinds, now) -> list[Row]:
    qs = _in_period(parts_qs(user, scope, kinds, by="people"), "assigned_at", period)
    by_person = tally(grouped(qs, PARTS, now=now, by=("assignee_id",)), "assignee_id")
    people = User.objects.filter(department_id=scope.unit.pk).order_by("full_name")
    rows = []
    for person in people:
        counts = by_person.get(person.pk, Counts())
        if person.is_active or counts.total:
            rows.append(
                Row(
                    label=person.get_full_name(),
                    sub=person.position,
                    counts=counts,
                    scope_key=f"person-{person.pk}",
                )
            )
    return rows


# --- the list behind a number ---------------------------------------------------------------------------


@dataclass
class ListItem:
    kind: str  # "incoming" or "work"
    pk: int
    title: str
    ref: str
    day: datetime | None
    due_at: datetime | None
    completed_at: datetime | None
    bucket: str
    holder: str = ""

    @property
    def url(self) -> str:
        from django.urls import reverse

        if self.kind == "incoming":
            return reverse("documents:incoming_detail", args=[self.pk])
        return reverse("workflow:workitem_detail", args=[self.pk])

    @property
    def kind_label(self) -> str:
        return str(_("Văn bản đến") if self.kind == "incoming" else _("Công việc"))

    @property
    def bucket_label(self) -> str:
        return str(BUCKET_LABELS.get(self.bucket, ""))

    @property
    def pill(self) -> str:
        return BUCKET_PILLS.get(self.bucket, "pill-muted")


def records(
    *,
    user: User,
    scope: Scope,
    period: Period,
    kind: str,
    bucket: str,
    by: str = "",
    now: datetime | None = None,
) -> QuerySet:
    """The rows behind a number: the queryset the number counted, filtered by the bucket.

    At agency level (``by=""``) the documents and work items themselves (one ``values()`` queryset, a
    UNION when both kinds are asked); otherwise the lead parts (assignments)."""
    now = now or timezone.now()
    kinds = kinds_of(kind)
    if scope.level == "agency" and not by:
        parts = []
        if "incoming" in kinds:
            qs = _in_period(incoming_qs(user, scope.agency.pk), "received_at", period)
            parts.append(_as_rows(qs.filter(bucket_q(INCOMING, bucket, now=now)), INCOMING, "incoming", now))
        if "work" in kinds:
            qs = _in_period(work_qs(user, scope.agency.pk), "created_at", period)
            parts.append(_as_rows(qs.filter(bucket_q(WORK, bucket, now=now)), WORK, "work", now))
        combined = parts[0] if len(parts) == 1 else parts[0].union(*parts[1:], all=True)
        return combined.order_by("-r_day", "-r_pk")
    if by == "units" and scope.level != "agency":
        raise Http404
    if by == "people" and not (scope.level == "unit" and scope.unit):
        raise Http404
    qs = _in_period(parts_qs(user, scope, kinds, by=by), "assigned_at", period)
    return (
        qs.filter(bucket_q(PARTS, bucket, now=now))
        .annotate(bucket=bucket_case(PARTS, now=now))
        .select_related("assignee", "department", "content_type")
        .order_by("-assigned_at", "-id")
    )


def _as_rows(qs: QuerySet, source: Source, kind: str, now: datetime) -> QuerySet:
    if kind == "incoming":
        ref, title, day, number = F("number_symbol"), F("summary"), F("received_at"), F("number")
    else:
        ref, title, day = Value(""), F("title"), F("created_at")
        number = Value(None, output_field=IntegerField())
    # Every column an annotation, in the same order on both sides of the UNION.
    return qs.annotate(
        r_kind=Value(kind, output_field=CharField()),
        r_pk=F("pk"),
        r_ref=ref,
        r_number=number,
        r_title=title,
        r_day=day,
        r_due=F("due_at"),
        r_completed=F("completed_at"),
        r_bucket=bucket_case(source, now=now),
    ).values("r_kind", "r_pk", "r_ref", "r_number", "r_title", "r_day", "r_due", "r_completed", "r_bucket")


def list_items(page_rows, *, parts: bool) -> list[ListItem]:
    """The rows of one page as ``ListItem``; the holders (lead) of the page's records in one query each."""
    if parts:
        rows = list(page_rows)
        cts = _content_types()
        titles = _record_titles(
            incoming=[a.object_id for a in rows if a.content_type_id == cts["incoming"].pk],
            work=[a.object_id for a in rows if a.content_type_id == cts["work"].pk],
        )
        items = []
        for a in rows:
            kind = "incoming" if a.content_type_id == cts["incoming"].pk else "work"
            ref, title = titles.get((kind, a.object_id), ("", ""))
            holder = (
                a.assignee.get_full_name()
                if a.assignee_id
                else (a.department.name if a.department_id else "")
            )
            items.append(
                ListItem(
                    kind=kind,
                    pk=a.object_id,
                    title=title,
                    ref=ref,
                    day=a.assigned_at,
                    due_at=a.due_at,
                    completed_at=a.completed_at,
                    bucket=a.bucket,
                    holder=holder,
                )
            )
        return items
    rows = list(page_rows)
    holders = _lead_holders(
        incoming=[r["r_pk"] for r in rows if r["r_kind"] == "incoming"],
        work=[r["r_pk"] for r in rows if r["r_kind"] == "work"],
    )
    return [
        ListItem(
            kind=r["r_kind"],
            pk=r["r_pk"],
            title=r["r_title"],
            ref=_ref(r),
            day=r["r_day"],
            due_at=r["r_due"],
            completed_at=r["r_completed"],
            bucket=r["r_bucket"],
            holder=holders.get((r["r_kind"], r["r_pk"]), ""),
        )
        for r in rows
    ]


def _ref(row: dict) -> str:
    if row["r_kind"] != "incoming":
        return ""
    number = row.get("r_number")
    prefix = _("Số đến %(n)s") % {"n": f"{number:02d}"} if number else ""
    return " · ".join(part for part in (prefix, row["r_ref"]) if part)


def _record_titles(*, incoming: list[int], work: list[int]) -> dict:
    titles = {}
    if incoming:
        for pk, number, symbol, summary in IncomingDocument.objects.filter(pk__in=incoming).values_list(
            "pk", "number", "number_symbol", "summary"
        ):
            titles["incoming", pk] = (
                _ref({"r_kind": "incoming", "r_number": number, "r_ref": symbol}),
                summary,
            )
    if work:
        for pk, title in WorkItem.objects.filter(pk__in=work).values_list("pk", "title"):
            titles["work", pk] = ("", title)
    return titles


def _lead_holders(*, incoming: list[int], work: list[int]) -> dict:
    """The current holder of the top-level lead of each record: "unit" or "person (unit)"."""
    if not incoming and not work:
        return {}
    cts = _content_types()
    q = Q(pk__in=[])
    if incoming:
        q |= Q(content_type=cts["incoming"], object_id__in=incoming)
    if work:
        q |= Q(content_type=cts["work"], object_id__in=work)
    leads = (
        Assignment.objects.filter(q, role=Assignment.Kind.LEAD, parent__isnull=True)
        .exclude(status=Assignment.Status.CANCELLED)
        .select_related("assignee", "department")
    )
    result = {}
    for a in leads:
        kind = "incoming" if a.content_type_id == cts["incoming"].pk else "work"
        result[kind, a.object_id] = a.holder_name
    return result


# --- the dashboard --------------------------------------------------------------------------------------

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
