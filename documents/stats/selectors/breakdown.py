"""The numbers of a statistics page: the headline and one row per unit or per person."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from documents.stats.selectors.buckets import INCOMING, PARTS, WORK, Counts, grouped, kinds_of, tally
from documents.stats.selectors.periods import Period, in_period
from documents.stats.selectors.querysets import incoming_qs, parts_qs, work_qs
from documents.stats.selectors.scopes import Scope, units_in_order
from eoffice.models import User


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
        own = in_period(parts_qs(user, scope, kinds), "assigned_at", period)
        result.headline = tally(grouped(own, PARTS, now=now)).get(None, Counts())
        if scope.unit:
            result.rows = _people_rows(user, scope, period, kinds, now)
            result.rows_by = "people"
            result.row_heading = _("Cán bộ")
    else:
        own = in_period(parts_qs(user, scope, kinds), "assigned_at", period)
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
        qs = in_period(incoming_qs(user, agency_id), "received_at", period)
        total = total + tally(grouped(qs, INCOMING, now=now)).get(None, Counts())
    if "work" in kinds:
        qs = in_period(work_qs(user, agency_id), "created_at", period)
        total = total + tally(grouped(qs, WORK, now=now)).get(None, Counts())
    return total


def _unit_rows(user: User, scope: Scope, period: Period, kinds, now) -> list[Row]:
    qs = in_period(parts_qs(user, scope, kinds), "assigned_at", period)
    by_unit = tally(grouped(qs, PARTS, now=now, by=("department_id",)), "department_id")
    rows = []
    for unit, depth in units_in_order(scope.agency.pk):
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
    qs = in_period(parts_qs(user, scope, kinds, by="people"), "assigned_at", period)
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
