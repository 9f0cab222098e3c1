"""The dossier's clock: the cut-off hour and its scope, days off and Tết, a pause for supplement, step timing,
form 04."""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from onestop import rules, selectors, services
from onestop.models import CutoffRule, CutoffScope, DossierState, Procedure, StepKind, Timing, timing_of
from tests.onestop.conftest import advance, make_procedure, receive

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
CUTOFF = time(15, 0)


def at(*args) -> datetime:
    return datetime(*args, tzinfo=VN)


@pytest.mark.parametrize(
    ("received", "start"),
    [
        (at(2026, 12, 7, 14, 59), at(2026, 12, 7, 14, 59)),  # Monday before the cut-off: counts at once
        (at(2026, 12, 7, 15, 0), at(2026, 12, 8, 7, 30)),  # at the cut-off: next working day
        (at(2026, 12, 7, 16, 30), at(2026, 12, 8, 7, 30)),
        (at(2026, 12, 7, 6, 45), at(2026, 12, 7, 7, 30)),  # before opening: the same morning
        (at(2026, 12, 11, 15, 30), at(2026, 12, 14, 7, 30)),  # Friday afternoon → Monday
        (at(2026, 12, 12, 9, 0), at(2026, 12, 14, 7, 30)),  # Saturday → Monday
        (at(2026, 11, 23, 16, 0), at(2026, 11, 25, 7, 30)),  # Tuesday 24/11 (Ngày Văn hóa) is off
    ],
)
def test_clock_start_and_cutoff(received, start):
    assert rules.clock_start(received_at=received, cutoff=CUTOFF) == start


def _scope(agency, scope: str, cutoff: time = CUTOFF) -> None:
    config = selectors.config_for(agency)
    config.cutoff, config.cutoff_scope = cutoff, scope
    config.save()


def _hours_procedure(agency, people, hours: int = 4, code: str = "2.300") -> Procedure:
    procedure = make_procedure(agency, unit=people["unit"], days=1, code=code)
    procedure.time_value, procedure.time_unit = Decimal(hours), "hours"
    procedure.save()
    return procedure


def test_cutoff_hour_is_the_agencys_setting(procedure, people):
    _scope(procedure.agency, CutoffScope.ALL, cutoff=time(16, 0))
    dossier = receive(procedure, people, now=at(2026, 12, 7, 15, 30))
    assert dossier.clock_start == at(2026, 12, 7, 15, 30)
    assert dossier.due_at == at(2026, 12, 10, 17, 0)
    later = receive(procedure, people, now=at(2026, 12, 7, 16, 10))
    assert later.clock_start == at(2026, 12, 8, 7, 30)


def test_by_default_the_cutoff_does_not_move_a_days_procedure(procedure, people):
    """The old universal rule moved every afternoon dossier by a day: a 3-day procedure received at 15:10
    got Friday instead of Thursday. Days are counted from the day after receipt, so by default the cut-off
    leaves them alone."""
    assert selectors.config_for(procedure.agency).cutoff_scope == CutoffScope.HOURS
    before = receive(procedure, people, now=at(2026, 12, 7, 14, 0))  # Monday, 3 working days
    after = receive(procedure, people, now=at(2026, 12, 7, 15, 10))
    assert before.due_at == after.due_at == at(2026, 12, 10, 17, 0)  # Thursday
    assert after.clock_start == at(2026, 12, 7, 15, 10)


def test_by_default_the_cutoff_applies_to_procedures_counted_in_hours(agency_a, people):
    procedure = _hours_procedure(agency_a, people)
    before = receive(procedure, people, now=at(2026, 12, 7, 14, 0))
    after = receive(procedure, people, now=at(2026, 12, 7, 15, 10))
    assert before.due_at == at(2026, 12, 8, 8, 30)  # 14:00–17:00, then 07:30–08:30
    assert after.clock_start == at(2026, 12, 8, 7, 30)
    assert after.due_at == at(2026, 12, 8, 11, 30)  # from Tuesday's opening


@pytest.mark.parametrize(
    ("scope", "days_due", "hours_due"),
    [
        (CutoffScope.NONE, at(2026, 12, 10, 17, 0), at(2026, 12, 8, 9, 40)),
        (CutoffScope.HOURS, at(2026, 12, 10, 17, 0), at(2026, 12, 8, 11, 30)),
        (CutoffScope.ALL, at(2026, 12, 11, 17, 0), at(2026, 12, 8, 11, 30)),
    ],
)
def test_cutoff_scope(scope, days_due, hours_due, procedure, people):
    _scope(procedure.agency, scope)
    hours = _hours_procedure(procedure.agency, people)
    received = at(2026, 12, 7, 15, 10)  # Monday, after the cut-off
    assert receive(procedure, people, now=received).due_at == days_due
    assert receive(hours, people, now=received).due_at == hours_due


@pytest.mark.parametrize(
    ("scope", "rule", "moved"),
    [
        (CutoffScope.NONE, CutoffRule.APPLY, True),
        (CutoffScope.HOURS, CutoffRule.APPLY, True),  # a days procedure that asks for the cut-off
        (CutoffScope.ALL, CutoffRule.SKIP, False),
        (CutoffScope.ALL, CutoffRule.INHERIT, True),
        (CutoffScope.HOURS, CutoffRule.INHERIT, False),
    ],
)
def test_procedure_overrides_the_agencys_scope(scope, rule, moved, procedure, people):
    _scope(procedure.agency, scope)
    procedure.cutoff_rule = rule
    procedure.save()
    dossier = receive(procedure, people, now=at(2026, 12, 7, 15, 10))
    assert dossier.clock_start == (at(2026, 12, 8, 7, 30) if moved else at(2026, 12, 7, 15, 10))
    assert dossier.due_at == (at(2026, 12, 11, 17, 0) if moved else at(2026, 12, 10, 17, 0))


def test_an_hours_procedure_may_skip_the_cutoff(agency_a, people):
    procedure = _hours_procedure(agency_a, people)
    procedure.cutoff_rule = CutoffRule.SKIP
    procedure.save()
    dossier = receive(procedure, people, now=at(2026, 12, 7, 15, 10))
    assert dossier.due_at == at(2026, 12, 8, 9, 40)  # 15:10–17:00, then 07:30–09:40


def test_received_on_a_sunday_counts_from_mondays_opening(agency_a, people):
    """A reception on a day off is taken as received at the next working day's opening, whatever the
    cut-off's scope: the same appointment as a reception on Monday at 07:30."""
    one_day = make_procedure(agency_a, unit=people["unit"], days=1, code="2.400")
    sunday = receive(one_day, people, now=at(2026, 12, 6, 10, 0))
    monday = receive(one_day, people, now=at(2026, 12, 7, 7, 30))
    assert sunday.clock_start == at(2026, 12, 7, 7, 30)
    assert sunday.due_at == monday.due_at == at(2026, 12, 8, 17, 0)
    hours = _hours_procedure(agency_a, people)
    assert receive(hours, people, now=at(2026, 12, 6, 10, 0)).due_at == at(2026, 12, 7, 11, 30)


def test_received_off_hours():
    assert rules.received_off_hours(at(2026, 12, 6, 10, 0))  # Sunday
    assert rules.received_off_hours(at(2026, 12, 7, 7, 0))  # before opening
    assert rules.received_off_hours(at(2026, 12, 7, 17, 0))  # at the close
    assert rules.received_off_hours(at(2027, 2, 8, 9, 0))  # Tết
    assert not rules.received_off_hours(at(2026, 12, 7, 7, 30))
    assert not rules.received_off_hours(at(2026, 12, 7, 16, 59))


def test_appointment_skips_tet(agency_a, people):
    procedure = make_procedure(agency_a, unit=people["unit"], days=5, code="2.100")
    # Tết Nguyên đán 2027: days off Thursday 4/2 to Wednesday 10/2.
    dossier = receive(procedure, people, now=at(2027, 2, 3, 9, 0))
    assert dossier.due_at == at(2027, 2, 17, 17, 0)  # 11, 12, 15, 16, 17 February


def test_appointment_respects_swapped_days(procedure, people):
    from workflow import calendar
    from workflow.models import CalendarException

    CalendarException.objects.create(date=at(2026, 12, 9, 0, 0).date(), kind=CalendarException.Kind.DAY_OFF)
    calendar.clear_cache()
    try:
        dossier = receive(procedure, people, now=at(2026, 12, 7, 9, 0))
        assert dossier.due_at == at(2026, 12, 11, 17, 0)  # Wednesday taken off → Friday
    finally:
        calendar.clear_cache()


def test_hours_procedure_counts_office_time(agency_a, people):
    from decimal import Decimal

    procedure = make_procedure(agency_a, unit=people["unit"], days=1, code="2.200")
    procedure.time_value, procedure.time_unit = Decimal(4), "hours"
    procedure.save()
    procedure.steps.all().delete()
    dossier = receive(procedure, people, now=at(2026, 12, 7, 10, 0))
    assert dossier.due_at == at(2026, 12, 7, 15, 30)  # 10:00–11:30 and 13:00–15:30


def test_supplement_pauses_the_clock(procedure, people):
    dossier = receive(procedure, people, now=at(2026, 12, 7, 9, 0))  # due Thursday 10/12 17:00
    dossier = advance(dossier, DossierState.PROCESSING, people)
    step_due = dossier.steps.get(finished_at__isnull=True).due_at
    services.dossier_request_supplement(
        dossier=dossier, by=people["officer"], content="Bổ sung điều lệ công ty", now=at(2026, 12, 8, 9, 0)
    )
    dossier.refresh_from_db()
    assert (dossier.state, dossier.paused_state, dossier.is_paused) == (
        DossierState.SUPPLEMENT,
        "processing",
        True,
    )
    # While paused the dossier is never overdue, however late it is.
    assert not dossier.is_overdue
    dossier = services.dossier_supplement_received(
        dossier=dossier,
        by=people["onestop"],
        papers=[services.PaperInput(name="Điều lệ công ty")],
        now=at(2026, 12, 9, 9, 0),  # paused for exactly one working day (8 office hours)
    )
    assert dossier.state == DossierState.PROCESSING and not dossier.is_paused
    assert dossier.paused_seconds == 8 * 3600
    assert dossier.due_at == at(2026, 12, 11, 17, 0)
    assert dossier.steps.get(finished_at__isnull=True).due_at == at(2026, 12, 9, 9, 0) + (
        step_due - at(2026, 12, 8, 9, 0)
    )  # noqa: E501
    request = dossier.supplements.get()
    assert (request.answered_at, request.paused_seconds) == (at(2026, 12, 9, 9, 0), 8 * 3600)
    assert dossier.papers.filter(supplement=request, name="Điều lệ công ty").exists()


def test_supplement_over_a_weekend_counts_only_working_time(procedure, people):
    dossier = advance(receive(procedure, people, now=at(2026, 12, 7, 9, 0)), DossierState.PROCESSING, people)
    services.dossier_request_supplement(
        dossier=dossier, by=people["officer"], content="CCCD", now=at(2026, 12, 11, 17, 0)
    )  # noqa: E501
    dossier = services.dossier_supplement_received(
        dossier=dossier, by=people["onestop"], papers=[], note="Đã nộp CCCD", now=at(2026, 12, 14, 7, 30)
    )
    assert dossier.paused_seconds == 0  # Friday close → Monday opening: no office time
    assert dossier.due_at == at(2026, 12, 10, 17, 0)


def test_late_dossier_and_late_step(procedure, people):
    dossier = receive(procedure, people, now=at(2026, 12, 7, 9, 0))
    dossier = services.dossier_hand_to_unit(
        dossier=dossier, by=people["onestop"], department=people["unit"], now=at(2026, 12, 7, 10, 0)
    )
    receive_step = dossier.steps.get(kind=StepKind.RECEIVE)
    assert receive_step.timing == Timing.ON_TIME  # 2 hours allotted, handed after 1: same day
    dossier = services.dossier_assign(
        dossier=dossier, by=people["head"], officer=people["officer"], now=at(2026, 12, 8, 16, 0)
    )
    assert dossier.steps.get(kind=StepKind.ASSIGN).timing == Timing.LATE
    dossier = services.dossier_refuse(
        dossier=dossier, by=people["officer"], reasons="Không đủ điều kiện", now=at(2026, 12, 14, 9, 0)
    )
    assert dossier.timing == Timing.LATE


def test_timing_rule():
    due = at(2026, 12, 10, 17, 0)
    assert timing_of(at(2026, 12, 9, 16, 0), due) == Timing.EARLY
    assert timing_of(at(2026, 12, 10, 8, 0), due) == Timing.ON_TIME
    assert timing_of(at(2026, 12, 10, 17, 0), due) == Timing.ON_TIME
    assert timing_of(at(2026, 12, 10, 17, 1), due) == Timing.LATE


def test_new_appointment_only_once(procedure, people, mailoutbox, django_capture_on_commit_callbacks):
    dossier = advance(receive(procedure, people, now=at(2026, 12, 7, 9, 0)), DossierState.PROCESSING, people)
    with pytest.raises(ValidationError):
        services.dossier_extend(
            dossier=dossier, by=people["officer"], reason="", due_at=at(2026, 12, 15, 17, 0)
        )
    with pytest.raises(ValidationError):  # not after the current appointment
        services.dossier_extend(
            dossier=dossier,
            by=people["officer"],
            reason="Chờ ý kiến",
            due_at=at(2026, 12, 9, 17, 0),
            now=at(2026, 12, 8, 9, 0),
        )
    with django_capture_on_commit_callbacks(execute=True):
        dossier = services.dossier_extend(
            dossier=dossier,
            by=people["officer"],
            reason="Chờ ý kiến cơ quan thuế",
            due_at=at(2026, 12, 15, 17, 0),
            now=at(2026, 12, 9, 9, 0),
        )
    assert dossier.extended and dossier.due_at == at(2026, 12, 15, 17, 0)
    assert dossier.original_due_at == at(2026, 12, 10, 17, 0)
    with pytest.raises(ValidationError, match="một lần"):
        services.dossier_extend(
            dossier=dossier, by=people["leader"], reason="Lần hai", due_at=at(2026, 12, 20, 17, 0)
        )
    assert any("Ngày hẹn mới" in m.body for m in mailoutbox)


def test_an_extended_dossier_resolved_by_its_new_date_is_still_late(procedure, people):
    dossier = advance(receive(procedure, people, now=at(2026, 12, 7, 9, 0)), DossierState.PROCESSING, people)
    services.dossier_extend(
        dossier=dossier,
        by=people["leader"],
        reason="Chờ ý kiến",
        due_at=at(2026, 12, 16, 17, 0),
        now=at(2026, 12, 10, 9, 0),
    )
    dossier = services.dossier_refuse(
        dossier=dossier, by=people["officer"], reasons="Không đủ điều kiện", now=at(2026, 12, 14, 9, 0)
    )
    assert dossier.due_at == at(2026, 12, 16, 17, 0)
    assert dossier.timing == Timing.LATE  # the legal appointment was 10/12
