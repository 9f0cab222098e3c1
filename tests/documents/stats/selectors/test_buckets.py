"""The five buckets at their boundaries; paused and cancelled parts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from documents.stats import selectors
from documents.stats.selectors import Counts
from tests.documents.stats.conftest import (
    at,
    make_doc,
    make_part,
    pks_of,
    recent_period,
    scope_of,
)
from workflow.models import WorkflowState

pytestmark = pytest.mark.django_db


def test_buckets_at_their_boundaries(people, agency_a):
    leader = people["leader"]
    day = timezone.localdate() - timedelta(days=20)
    now = timezone.now()
    expected = {
        # completed the day before the due date: early
        "early": [
            make_doc(agency_a, due_at=at(day, 17), completed_at=at(day - timedelta(days=1), 16)),
            # 22:00 local the day before an 08:00 deadline: the same day in UTC, the day before locally
            make_doc(agency_a, due_at=at(day, 8), completed_at=at(day - timedelta(days=1), 22)),
        ],
        "ontime": [
            make_doc(agency_a, due_at=at(day, 17), completed_at=at(day, 9)),  # on the due day, before
            make_doc(agency_a, due_at=at(day, 17), completed_at=at(day, 17)),  # exactly at the deadline
            make_doc(agency_a, due_at=None, completed_at=at(day, 9)),  # no deadline counts as on time
        ],
        "late": [
            make_doc(agency_a, due_at=at(day, 17), completed_at=at(day, 17, 1)),
            make_doc(agency_a, due_at=at(day, 17), completed_at=at(day + timedelta(days=1), 8)),
        ],
        "open": [
            make_doc(agency_a, state=WorkflowState.PROCESSING, due_at=now + timedelta(hours=1)),
            make_doc(agency_a, state=WorkflowState.RECEIVED),  # awaiting direction, no deadline yet
        ],
        "overdue": [make_doc(agency_a, state=WorkflowState.ASSIGNED, due_at=now - timedelta(hours=1))],
    }
    # not counted: awaiting registration, returned to the sender, recalled by it, outside the period
    make_doc(agency_a, state=WorkflowState.NEW)
    make_doc(agency_a, state=WorkflowState.RETURNED)
    make_doc(agency_a, completed_at=at(day, 9), recalled_at=now)
    make_doc(agency_a, completed_at=at(day, 9), received_at=now - timedelta(days=60))

    period = recent_period()
    scope = scope_of(leader, "agency")
    report = selectors.report(user=leader, scope=scope, period=period, kind="incoming")
    assert report.headline == Counts(early=2, ontime=3, late=2, open=2, overdue=1)
    assert report.headline.total == 10 and report.headline.finished == 7
    assert report.headline.rate == round(100 * 5 / 7, 1)
    for bucket, docs in expected.items():
        assert pks_of(leader, scope, period, bucket) == {d.pk for d in docs}, bucket
    assert pks_of(leader, scope, period, "finished") == {
        d.pk for b in ("early", "ontime", "late") for d in expected[b]
    }
    rows = selectors.records(user=leader, scope=scope, period=period, kind="incoming", bucket="all")
    assert {r["r_pk"]: r["r_bucket"] for r in rows} == {d.pk: b for b, docs in expected.items() for d in docs}


def test_parts_paused_count_in_time_and_cancelled_not_at_all(people, agency_a):
    leader, unit = people["leader"], people["unit"]
    past = timezone.now() - timedelta(days=1)
    doc = make_doc(agency_a, state=WorkflowState.PROCESSING, due_at=past)
    make_part(doc, department=unit, due_at=past, paused_at=timezone.now() - timedelta(days=2))
    cancelled = make_doc(agency_a, state=WorkflowState.PROCESSING)
    make_part(cancelled, department=unit, status="cancelled")
    late = make_doc(agency_a, state=WorkflowState.PROCESSING, due_at=past)
    make_part(late, department=unit, due_at=past)
    report = selectors.report(
        user=leader, scope=scope_of(leader, f"unit-{unit.pk}"), period=recent_period(), kind="all"
    )
    assert report.headline == Counts(open=1, overdue=1)
