"""Working days: weekends, lunar holidays (Tết 2027), swapped days, office hours, pausing the clock."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from workflow import calendar
from workflow.models import CalendarException
from workflow.rules import clock_shift

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(y, m, d, hh=0, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=VN)


def test_weekends_and_public_holidays():
    assert calendar.is_working_day(date(2027, 1, 4))  # Monday
    assert not calendar.is_working_day(date(2027, 1, 2))  # Saturday
    assert not calendar.is_working_day(date(2027, 1, 1))  # Tết Dương lịch
    assert not calendar.is_working_day(date(2027, 4, 16))  # Giỗ Tổ Hùng Vương 10/3 âm lịch
    assert not calendar.is_working_day(date(2027, 9, 2))


def test_tet_nguyen_dan_2027_is_skipped():
    # `holidays` gives Thu 4 Feb – Wed 10 Feb 2027 (29 Tết to mùng 5); Tết falls on Sat 6 Feb.
    for day in range(4, 11):
        assert not calendar.is_working_day(date(2027, 2, day)), day
    assert calendar.is_working_day(date(2027, 2, 3))
    assert calendar.is_working_day(date(2027, 2, 11))
    # Received Wednesday 3 Feb at 16:00, three working days: 1 h on Wed, then Thu 11, Fri 12, Mon 15 Feb.
    due = calendar.add_working_days(at(2027, 2, 3, 16), 3)
    assert due == at(2027, 2, 15, 16)
    assert calendar.add_working_days(at(2027, 2, 3, 9), 1, end_of_day=True) == at(2027, 2, 11, 17)
    assert calendar.count_working_days(date(2027, 2, 1), date(2027, 2, 14)) == 5


def test_swapped_working_saturday_and_moved_day_off():
    saturday = date(2027, 1, 9)
    assert not calendar.is_working_day(saturday)
    CalendarException.objects.create(date=saturday, kind=CalendarException.Kind.WORKING_DAY, reason="Làm bù")
    CalendarException.objects.create(
        date=date(2027, 1, 8), kind=CalendarException.Kind.DAY_OFF, reason="Nghỉ bù cho thứ Bảy 9/1"
    )
    assert calendar.is_working_day(saturday)  # the cache was cleared by the save signal
    assert not calendar.is_working_day(date(2027, 1, 8))
    # Thursday 7 Jan 16:30 + 2 working hours: 30 min Thu, Friday is off, 1 h 30 on Saturday.
    assert calendar.add_working_hours(at(2027, 1, 7, 16, 30), 2) == at(2027, 1, 9, 9, 0)
    # An admin can also cancel a holiday of the package.
    CalendarException.objects.create(
        date=date(2027, 2, 4), kind=CalendarException.Kind.WORKING_DAY, reason="x"
    )
    assert calendar.is_working_day(date(2027, 2, 4))


def test_office_hours_arithmetic():
    friday = at(2026, 3, 13, 10, 0)
    assert calendar.add_working_hours(friday, 1.5) == at(2026, 3, 13, 11, 30)
    assert calendar.add_working_hours(friday, 2) == at(2026, 3, 13, 13, 30)
    assert calendar.add_working_days(friday, 1) == at(2026, 3, 16, 10, 0)  # weekend skipped
    assert calendar.add_working_hours(at(2026, 3, 13, 20, 0), 1) == at(2026, 3, 16, 8, 30)
    assert calendar.add_working_hours(at(2026, 3, 16, 8, 30), -1.5) == at(2026, 3, 13, 16, 30)
    assert calendar.working_seconds_between(friday, at(2026, 3, 16, 10, 0)) == 8 * 3600
    assert calendar.working_days_between(at(2026, 3, 9, 7, 30), at(2026, 3, 13, 17)) == 5


def test_pause_across_a_weekend_does_not_count():
    due = at(2026, 3, 18, 17, 0)  # Wednesday
    paused_at = at(2026, 3, 13, 16, 0)  # Friday 16:00
    resumed_at = at(2026, 3, 16, 9, 0)  # Monday 09:00: 1 h Friday + 1 h 30 Monday of office time
    new_due, paused = clock_shift(due_at=due, paused_at=paused_at, resumed_at=resumed_at)
    assert paused == int(2.5 * 3600)
    assert new_due == at(2026, 3, 19, 10, 0)
    # A pause entirely over the weekend moves nothing.
    assert clock_shift(due_at=due, paused_at=at(2026, 3, 14, 8), resumed_at=at(2026, 3, 15, 20))[1] == 0


def test_cache_is_per_year_and_cleared(django_assert_max_num_queries):
    calendar.is_working_day(date(2031, 5, 5))
    with django_assert_max_num_queries(0):
        for offset in range(300):
            calendar.is_working_day(date(2031, 1, 1) + timedelta(days=offset))
