"""The crafted set of the one-stop statistics' tests: twelve dossiers placed with the services' ``now=``, one
in each column, and the numbers expected of them."""

from __future__ import annotations

from datetime import datetime, timedelta
from datetime import time as dtime

import pytest
from django.utils import timezone

from eoffice.models import Role
from onestop import services
from onestop.models import DossierState
from onestop.stats import selectors as stats
from tests.factories import make_agency, make_department, make_user
from tests.onestop.conftest import advance, make_procedure, receive
from workflow import calendar


def working_day(day):
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return day


def at(day, hour=9):
    return datetime.combine(day, dtime(hour), tzinfo=calendar.local_tz())


def period_45_days():
    today = timezone.localdate()
    return stats.Period(today - timedelta(days=45), today)


def query(**extra) -> dict:
    return {**period_45_days().query(), **extra}


def approve(dossier, people, *, now):
    dossier = advance(dossier, DossierState.APPROVAL, people)
    return services.dossier_approve(dossier=dossier, by=people["leader"], sign=False, now=now)


@pytest.fixture
def crafted(agency_a, people, procedure):
    """Twelve dossiers, each placed in one column (see the expected numbers in ``EXPECTED``)."""
    received = at(working_day(timezone.localdate() - timedelta(days=30)))
    d = {}

    def at_r(**extra):
        return receive(procedure, people, now=received, **extra)

    one = at_r()
    d["early"] = approve(one, people, now=one.due_at - timedelta(days=2))
    d["early"] = services.dossier_hand_over(
        dossier=d["early"], by=people["onestop"], returned_to="Nguyễn Văn An", rating=5
    )
    two = at_r()
    d["on_time"] = approve(two, people, now=two.due_at - timedelta(hours=1))
    three = at_r()
    d["late"] = approve(three, people, now=three.due_at + timedelta(days=1))
    d["late"] = services.dossier_hand_over(
        dossier=d["late"], by=people["onestop"], returned_to="Nguyễn Văn An", rating=4
    )
    four = advance(at_r(), DossierState.PROCESSING, people)
    d["refused"] = services.dossier_refuse(
        dossier=four, by=people["head"], reasons="Không đủ điều kiện", now=four.due_at - timedelta(days=2)
    )
    d["overdue"] = advance(at_r(), DossierState.PROCESSING, people)
    d["open"] = receive(procedure, people)  # today: due in the future
    seven = advance(at_r(), DossierState.PROCESSING, people)
    services.dossier_request_supplement(
        dossier=seven, by=people["officer"], content="Bổ sung bản sao", now=received + timedelta(days=1)
    )
    d["paused"] = seven
    d["refused_reception"] = at_r(outcome=services.OUTCOME_INELIGIBLE, reasons="Không thuộc thẩm quyền")
    nine = advance(at_r(), DossierState.UNIT, people)
    d["stopped"] = services.dossier_stop(
        dossier=nine, by=people["leader"], reason="Công dân rút hồ sơ", now=received + timedelta(days=1)
    )
    old = receive(procedure, people, now=received - timedelta(days=100))
    d["old"] = approve(old, people, now=received - timedelta(days=99))
    eleven = at_r()
    d["other_unit"] = services.dossier_hand_to_unit(
        dossier=eleven, by=people["onestop"], department=people["other_unit"]
    )
    # another agency: never counted for agency A
    agency_b = make_agency(name="Sở Tư pháp", abbreviation="STP", code="000.00.33.H26")
    counter_b = make_department(agency=agency_b, name="Một cửa", abbreviation="MC")
    onestop_b = make_user(agency=agency_b, department=counter_b, roles=[Role.ONESTOP_OFFICER])
    procedure_b = make_procedure(agency_b, code="1.000001")
    d["agency_b"] = receive(procedure_b, {"onestop": onestop_b}, now=received)
    d["onestop_b"] = onestop_b
    d["procedure_b"] = procedure_b
    return d


EXPECTED = {
    "received": 9,
    "early": 2,
    "on_time": 1,
    "late": 1,
    "resolved": 4,
    "open_on_time": 1,
    "open_overdue": 2,
    "paused": 1,
    "refused_reception": 1,
    "refused_processing": 1,
    "stopped": 1,
    "rated": 2,
}
BEHIND = {  # the dossiers behind each agency number
    "received": {
        "early",
        "on_time",
        "late",
        "refused",
        "overdue",
        "open",
        "paused",
        "stopped",
        "other_unit",
    },
    "early": {"early", "refused"},
    "on_time": {"on_time"},
    "late": {"late"},
    "resolved": {"early", "on_time", "late", "refused"},
    "open_on_time": {"open"},
    "open_overdue": {"overdue", "other_unit"},
    "paused": {"paused"},
    "refused_reception": {"refused_reception"},
    "refused_processing": {"refused"},
    "stopped": {"stopped"},
    "rated": {"early", "late"},
}


def values(counts):
    return {c: counts[c] for c in stats.COLUMNS}
