"""One-stop statistics, the selectors: every column on the crafted set, the groupings, a unit head's scope."""

from __future__ import annotations

import pytest

from onestop.stats import selectors as stats
from tests.onestop.stats.conftest import BEHIND, EXPECTED, period_45_days, values

pytestmark = pytest.mark.django_db


def test_every_column_on_the_crafted_set(crafted, people):
    scope = stats.scope_for(people["onestop"])
    report = stats.report(scope=scope, period=period_45_days(), group="procedure")
    assert len(report.rows) == 1
    total = report.total
    assert values(total) == EXPECTED
    assert total.rate == 75.0
    assert total.rating == 4.5
    for column, names in BEHIND.items():
        pks = set(
            stats.records(scope=scope, period=period_45_days(), column=column).values_list("pk", flat=True)
        )
        assert pks == {crafted[n].pk for n in names}, column


def test_timings_come_from_the_services(crafted):
    assert crafted["early"].timing == "early"
    assert crafted["on_time"].timing == "on_time"
    assert crafted["late"].timing == "late"
    assert crafted["refused"].outcome == "refused"


def test_groupings(crafted, people):
    scope = stats.scope_for(people["leader"])
    by_unit = {r.key: r for r in stats.report(scope=scope, period=period_45_days(), group="unit").rows}
    unit, other = str(people["unit"].pk), str(people["other_unit"].pk)
    assert set(by_unit) == {unit, other, "none"}
    assert list(by_unit)[-1] == "none"
    assert by_unit[unit].counts["received"] == 7
    assert by_unit[other].counts["received"] == 1 and by_unit[other].counts["open_overdue"] == 1
    assert by_unit["none"].counts["received"] == 1  # received today, not handed over yet
    assert by_unit["none"].counts["refused_reception"] == 1
    assert by_unit["none"].label == "Chưa chuyển đơn vị giải quyết"

    by_officer = {r.key: r for r in stats.report(scope=scope, period=period_45_days(), group="officer").rows}
    assert set(by_officer) == {str(people["officer"].pk), "none"}
    assert by_officer[str(people["officer"].pk)].counts["received"] == 6
    assert by_officer[str(people["officer"].pk)].label == "Phan Minh Đức"
    assert by_officer["none"].counts["received"] == 3

    by_field = stats.report(scope=scope, period=period_45_days(), group="field").rows
    assert [r.label for r in by_field] == ["Thành lập và hoạt động doanh nghiệp"]
    assert values(by_field[0].counts) == EXPECTED


def test_a_unit_head_counts_the_unit_only(crafted, people):
    scope = stats.scope_for(people["head"])
    assert scope.unit == people["unit"]
    total = stats.report(scope=scope, period=period_45_days()).total
    assert values(total) == {
        **EXPECTED,
        "received": 7,
        "open_on_time": 0,
        "open_overdue": 1,
        "refused_reception": 0,
    }
    # the head's scope lies inside what the one-stop selectors let them see
    from onestop.selectors import visible

    counted = set(stats.scoped(scope).values_list("pk", flat=True))
    assert counted and counted <= set(visible(people["head"]).values_list("pk", flat=True))
