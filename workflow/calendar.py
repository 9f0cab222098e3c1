"""Working days and working hours: one calendar for every record kind.

A day is a working day when it is a weekday, not a Vietnamese public holiday (``holidays`` package,
lunar holidays such as Tết Nguyên đán and Giỗ Tổ Hùng Vương included), unless an admin-entered
:class:`workflow.models.CalendarException` says otherwise (a day off moved, a Saturday worked).

Office hours come from ``settings.WORKFLOW_OFFICE_HOURS`` (default 07:30–11:30 and 13:00–17:00) in
``settings.TIME_ZONE`` (Asia/Ho_Chi_Minh). The sets of days off and worked days are cached per year
(per process, ``WORKFLOW_CALENDAR_CACHE_SECONDS``); saving an exception clears the cache.
"""

from __future__ import annotations

import threading
import time as _time
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays as pyholidays
from django.conf import settings
from django.utils import timezone

MAX_DAYS_SCANNED = 3 * 366

_lock = threading.Lock()
_cache: dict[int, tuple[float, frozenset[date], frozenset[date]]] = {}


def local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def office_hours() -> list[tuple[time, time]]:
    """The daily office intervals, e.g. [(07:30, 11:30), (13:00, 17:00)]."""
    intervals = []
    for item in settings.WORKFLOW_OFFICE_HOURS:
        start, end = (time.fromisoformat(part.strip()) for part in item.split("-"))
        if end <= start:
            raise ValueError(f"bad office interval {item!r}")
        intervals.append((start, end))
    return sorted(intervals)


def seconds_per_day() -> int:
    return sum(
        (datetime.combine(date.min, end) - datetime.combine(date.min, start)).seconds
        for start, end in office_hours()
    )


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def _year(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """(days off, extra working days) of ``year``."""
    now = _time.monotonic()
    entry = _cache.get(year)
    if entry and now - entry[0] < settings.WORKFLOW_CALENDAR_CACHE_SECONDS:
        return entry[1], entry[2]
    from workflow.models import CalendarException

    off = set(pyholidays.country_holidays("VN", years=year).keys())
    work: set[date] = set()
    for day, kind in CalendarException.objects.filter(date__year=year).values_list("date", "kind"):
        if kind == CalendarException.Kind.DAY_OFF:
            off.add(day)
            work.discard(day)
        else:
            work.add(day)
            off.discard(day)
    with _lock:
        _cache[year] = (now, frozenset(off), frozenset(work))
    return frozenset(off), frozenset(work)


def holiday_name(day: date) -> str:
    return pyholidays.country_holidays("VN", years=day.year).get(day, "")


def is_working_day(day: date) -> bool:
    off, work = _year(day.year)
    if day in work:
        return True
    if day in off:
        return False
    return day.weekday() < 5


def _intervals(day: date) -> list[tuple[datetime, datetime]]:
    if not is_working_day(day):
        return []
    tz = local_tz()
    return [
        (datetime.combine(day, start, tzinfo=tz), datetime.combine(day, end, tzinfo=tz))
        for start, end in office_hours()
    ]


def _local(instant: datetime) -> datetime:
    if timezone.is_naive(instant):
        raise ValueError("working-time arithmetic needs an aware datetime")
    return instant.astimezone(local_tz())


def add_working_seconds(start: datetime, seconds: float) -> datetime:
    """The instant ``seconds`` of office time after (or, if negative, before) ``start``."""
    current = _local(start)
    remaining = timedelta(seconds=abs(seconds))
    if not remaining:
        return current
    day = current.date()
    step = 1 if seconds > 0 else -1
    for _ in range(MAX_DAYS_SCANNED * 10):
        intervals = _intervals(day)
        if step < 0:
            intervals = list(reversed(intervals))
        for begin, end in intervals:
            if step > 0:
                if end <= current:
                    continue
                begin = max(begin, current)
                if remaining <= end - begin:
                    return begin + remaining
                remaining -= end - begin
            else:
                if begin >= current:
                    continue
                end = min(end, current)
                if remaining <= end - begin:
                    return end - remaining
                remaining -= end - begin
        day += timedelta(days=step)
    raise ValueError("no working time found in ten years")


def add_working_hours(start: datetime, hours: float) -> datetime:
    return add_working_seconds(start, hours * 3600)


def add_working_days(start: datetime, days: int, *, end_of_day: bool = False) -> datetime:
    """``days`` working days after ``start``.

    By default a working day is a day's worth of office time (received Friday 10:00 + 1 → Monday
    10:00). With ``end_of_day`` the result is the close of office on the ``days``-th working day after
    the day of ``start`` (the usual reading of "within N working days of receipt").
    """
    if days < 0:
        raise ValueError("days must not be negative")
    if not end_of_day:
        return add_working_seconds(start, days * seconds_per_day())
    day = _local(start).date()
    counted = 0
    for _ in range(MAX_DAYS_SCANNED * 10):
        if counted >= days and is_working_day(day):
            break
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return datetime.combine(day, office_hours()[-1][1], tzinfo=local_tz())


def working_seconds_between(start: datetime, end: datetime) -> int:
    """Office seconds in [start, end) (0 when end is not after start)."""
    start, end = _local(start), _local(end)
    if end <= start:
        return 0
    total = timedelta()
    day = start.date()
    while day <= end.date():
        for begin, close in _intervals(day):
            lo, hi = max(begin, start), min(close, end)
            if hi > lo:
                total += hi - lo
        day += timedelta(days=1)
    return int(total.total_seconds())


def working_days_between(start: datetime, end: datetime) -> float:
    """Working time between two instants, in working days (8 office hours = 1 day by default)."""
    return working_seconds_between(start, end) / seconds_per_day()


def count_working_days(first: date, last: date) -> int:
    """Number of working days in the closed range [first, last]."""
    count = 0
    day = first
    while day <= last:
        count += is_working_day(day)
        day += timedelta(days=1)
    return count
