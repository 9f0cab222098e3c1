"""Procedure helpers: the legal time in working hours, its label, the check of the internal steps."""

from __future__ import annotations

from decimal import Decimal

import pytest

from eoffice.models import Role
from onestop.models import Procedure, ProcedureStep, StepKind, TimeUnit
from workflow import calendar


def test_legal_hours_in_days_and_hours():
    per_day = Decimal(calendar.seconds_per_day()) / Decimal(3600)
    assert Procedure(time_value=Decimal(3), time_unit=TimeUnit.DAYS).legal_hours == 3 * per_day
    assert Procedure(time_value=Decimal(4), time_unit=TimeUnit.HOURS).legal_hours == Decimal(4)


def test_time_label_prints_plain_numbers():
    assert Procedure(time_value=Decimal(20), time_unit=TimeUnit.DAYS).time_label == "20 ngày làm việc"
    assert Procedure(time_value=Decimal("0.5"), time_unit=TimeUnit.DAYS).time_label == "0.5 ngày làm việc"


@pytest.mark.parametrize(
    ("value", "unit", "in_hours"),
    [("3", TimeUnit.DAYS, False), ("0.5", TimeUnit.DAYS, True), ("4", TimeUnit.HOURS, True)],
)
def test_counted_in_hours(value, unit, in_hours):
    assert Procedure(time_value=Decimal(value), time_unit=unit).counted_in_hours is in_hours


def test_steps_error():
    procedure = Procedure(time_value=Decimal(2), time_unit=TimeUnit.HOURS)
    assert procedure.steps_error([Decimal(1), Decimal("1.0")]) == ""
    assert "(3 giờ)" in procedure.steps_error([Decimal(1), Decimal(2)])


def test_step_role_and_label():
    step = ProcedureStep(kind=StepKind.APPROVE)
    assert step.role == Role.LEADER
    assert step.label == str(StepKind.APPROVE.label)
    assert ProcedureStep(kind=StepKind.PROCESS, name="Thẩm định").label == "Thẩm định"
