"""Periods: whole local days, the presets."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from documents.stats import selectors
from documents.stats.selectors import Period
from tests.documents.stats.conftest import (
    at,
    make_doc,
    pks_of,
    recent_period,
    scope_of,
)

pytestmark = pytest.mark.django_db


def test_period_is_whole_local_days(people, agency_a):
    leader = people["leader"]
    period = recent_period(10)
    first = make_doc(agency_a, received_at=at(period.date_from, 0, 0))
    last = make_doc(agency_a, received_at=at(period.date_to, 23, 59))
    make_doc(agency_a, received_at=at(period.date_from, 0, 0) - timedelta(seconds=1))
    make_doc(agency_a, received_at=at(period.date_to + timedelta(days=1), 0, 0))
    assert pks_of(leader, scope_of(leader, "agency"), period, "all") == {first.pk, last.pk}


def test_presets_cover_their_days():
    day = datetime(2026, 2, 18).date()
    assert selectors.preset_period("month", day) == Period(
        day.replace(day=1), datetime(2026, 2, 28).date(), "month"
    )
    assert selectors.preset_period("last_month", day).date_from == datetime(2026, 1, 1).date()
    assert selectors.preset_period("quarter", day).date_to == datetime(2026, 3, 31).date()
    assert selectors.preset_period("year", day).date_to == datetime(2026, 12, 31).date()
    january = selectors.preset_period("last_month", datetime(2026, 1, 5).date())
    assert (january.date_from, january.date_to) == (
        datetime(2025, 12, 1).date(),
        datetime(2025, 12, 31).date(),
    )
