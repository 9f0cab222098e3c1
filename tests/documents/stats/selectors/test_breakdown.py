"""The numbers of a page at the three levels, with the real services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from documents.stats import selectors
from documents.stats.selectors import Counts
from tests.documents.stats.conftest import (
    make_doc,
    make_work,
    recent_period,
    scenario,
    scope_of,
)
from workflow.models import WorkflowState

pytestmark = pytest.mark.django_db


def test_work_items_at_agency_level(people, agency_a):
    leader = people["leader"]
    now = timezone.now()
    make_work(
        agency_a, leader, state=WorkflowState.APPROVED, due_at=now + timedelta(days=3), completed_at=now
    )
    make_work(agency_a, leader, state=WorkflowState.SUBMITTED, due_at=now - timedelta(hours=2))
    make_work(agency_a, leader, state=WorkflowState.CANCELLED)
    make_doc(agency_a, state=WorkflowState.RECEIVED)
    scope = scope_of(leader, "agency")
    count = lambda kind: selectors.agency_counts(  # noqa: E731
        user=leader, agency_id=agency_a.pk, period=recent_period(), kinds=selectors.kinds_of(kind), now=now
    )
    assert count("work") == Counts(early=1, overdue=1)
    assert count("incoming") == Counts(open=1)
    assert count("all") == Counts(early=1, open=1, overdue=1)
    rows = list(selectors.records(user=leader, scope=scope, period=recent_period(), kind="all", bucket="all"))
    assert sorted(r["r_kind"] for r in rows) == ["incoming", "work", "work"]


def test_agency_unit_and_person_levels_count_each_part_once(people):
    scenario(people)
    leader, unit = people["leader"], people["unit"]
    period = recent_period(1)
    agency = selectors.report(user=leader, scope=scope_of(leader, "agency"), period=period, kind="all")
    assert agency.headline == Counts(early=1, open=4)  # four documents and the work item
    rows = {row.scope_key: row.counts.total for row in agency.rows}
    assert rows[f"unit-{unit.pk}"] == 2  # the unit's own part and the part given to its officer directly
    assert rows[f"unit-{people['other_unit'].pk}"] == 1
    assert rows["unit-none"] == 1  # the deputy leader belongs to no unit
    assert agency.totals == Counts(early=1, open=3)

    only_docs = selectors.report(
        user=leader, scope=scope_of(leader, "agency"), period=period, kind="incoming"
    )
    assert only_docs.headline.total == 4 and only_docs.totals.total == 3

    unit_report = selectors.report(
        user=leader, scope=scope_of(leader, f"unit-{unit.pk}"), period=period, kind="all"
    )
    assert unit_report.headline == Counts(early=1, open=1)
    people_rows = {row.label: row.counts for row in unit_report.rows}
    assert people_rows[people["head"].full_name].total == 0  # handed on: counted for the officer
    assert people_rows[people["officer"].full_name] == Counts(early=1)
    assert people_rows[people["officer2"].full_name] == Counts(open=1)
    assert unit_report.totals.total == 2

    officer = people["officer"]
    mine = selectors.report(user=officer, scope=scope_of(officer), period=period, kind="all")
    assert mine.headline == Counts(early=1) and len(mine.rows) == 1
