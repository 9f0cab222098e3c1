"""The monthly summaries of the access log: a long period reads whole months from them and the edge days
from the daily sums, and gives exactly what the events give; the split of a period is right at its edges."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.utils import timezone

from eoffice import audit
from eoffice.audit_summary import Sources
from eoffice.models import AccessEvent, AccessMonthly, AccessMonthlyRecord, Role
from tests.eoffice.audit.test_audit import at, event

pytestmark = pytest.mark.django_db

D = dt.date


def test_split_of_a_period():
    # a year to today, summarised through yesterday: whole months, edge days, the rest live
    s = Sources.for_period(date_from=D(2025, 12, 8), date_to=D(2026, 12, 7), through=D(2026, 12, 6))
    assert s.months == (D(2026, 1, 1), D(2026, 11, 1))
    assert s.days == ((D(2025, 12, 8), D(2025, 12, 31)), (D(2026, 12, 1), D(2026, 12, 6)))
    # a period ending on a month's last day takes that month whole, even if summarised only in part
    s = Sources.for_period(date_from=D(2026, 10, 1), date_to=D(2026, 11, 30), through=D(2026, 11, 20))
    assert s.months == (D(2026, 10, 1), D(2026, 11, 1)) and s.days == ()
    # inside one month: daily only
    s = Sources.for_period(date_from=D(2026, 11, 3), date_to=D(2026, 11, 20), through=D(2026, 12, 6))
    assert s.months is None and s.days == ((D(2026, 11, 3), D(2026, 11, 20)),)
    # nothing summarised in the period
    assert Sources.for_period(date_from=D(2026, 11, 3), date_to=D(2026, 11, 20), through=None).days == ()
    assert (
        Sources.for_period(date_from=D(2026, 11, 3), date_to=D(2026, 11, 20), through=D(2026, 11, 1)).days
        == ()
    )


def test_a_long_report_equals_the_events(staff_a, staff_b):
    officer, clerk, leader = staff_a[Role.OFFICER], staff_a[Role.CLERK], staff_a[Role.LEADER]
    today = timezone.localdate()
    plan = [
        (officer, "incoming", 1, "view", 200),
        (officer, "incoming", 1, "view", 120),
        (officer, "incoming", 1, "download", 95),
        (clerk, "incoming", 1, "view", 64),
        (clerk, "outgoing", 2, "print", 40),
        (clerk, "outgoing", 2, "view", 33),
        (officer, "casefile", 3, "export", 10),
        (leader, "incoming", 1, "view", 3),
        (officer, "outgoing", 2, "view", 0),  # today: live
    ]
    for user, kind, pk, action, ago in plan:
        event(user, kind=kind, object_id=pk, action=action, when=at(today - dt.timedelta(days=ago)))
    event(staff_b[Role.OFFICER], object_id=1, when=at(today - dt.timedelta(days=64)))  # another agency
    audit.access_rollup()
    assert AccessMonthly.objects.exists() and AccessMonthlyRecord.objects.exists()
    date_from = today - dt.timedelta(days=364)
    report = audit.access_report(user=leader, date_from=date_from, date_to=today)
    assert report.summarised_through == today - dt.timedelta(days=3)  # the last day with events
    events = AccessEvent.objects.filter(agency_id=leader.agency_id)
    assert report.totals["total"] == events.count() == 9
    assert report.totals["records"] == 3 and report.totals["people"] == 3
    by_record = Counter((e.kind, e.object_id) for e in events)
    assert {(r.kind, r.object_id): r.total for r in report.records} == dict(by_record)
    people = {(r.kind, r.object_id): r.people for r in report.records}
    assert people[("incoming", 1)] == 3 and people[("outgoing", 2)] == 2
    users = {line.user_id: (line.total, line.records) for line in report.users}
    assert users == {officer.pk: (5, 3), clerk.pk: (3, 2), leader.pk: (1, 1)}
    # a period that starts inside a month and ends inside another
    part = audit.access_report(
        user=leader, date_from=today - dt.timedelta(days=100), date_to=today - dt.timedelta(days=5)
    )
    assert (
        part.totals["total"]
        == events.filter(
            at__gte=at(today - dt.timedelta(days=100), 0), at__lt=at(today - dt.timedelta(days=4), 0)
        ).count()
    )
    # the roll-up again: the same monthly rows
    before = sorted(AccessMonthly.objects.values_list("month", "user_id", "kind", "action", "count"))
    audit.access_rollup(today=today + dt.timedelta(days=1))
    after = sorted(AccessMonthly.objects.values_list("month", "user_id", "kind", "action", "count"))
    assert len(after) >= len(before) and set(before) <= set(after)
