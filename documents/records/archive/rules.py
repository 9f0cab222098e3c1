"""Dates of the archive: when a file falls due for transfer, when its owner is warned, when its retention
ends. Pure functions (the calendar is the only thing they read)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from documents.records.models import CaseFile, retention_years
from workflow import calendar

WARNING_DAYS = 30  # III.5b: the person responsible is warned 30 days before the file is due
REPEAT_DAYS = 7  # and again every week until the file is transferred


def _local_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _plus_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def transfer_due_for(closed_at: date | datetime) -> date:
    """The date a closed file must be in the agency archive: within one year of the end of the work
    (Luật Lưu trữ 2011, Điều 11 khoản 1)."""
    return _plus_years(_local_date(closed_at), 1)


def previous_working_day(day: date) -> date:
    """``day`` itself when it is a working day, else the working day before it."""
    for _ in range(calendar.MAX_DAYS_SCANNED):
        if calendar.is_working_day(day):
            return day
        day -= timedelta(days=1)
    return day


def first_warning_day(due: date) -> date:
    """The day the owner is first warned: 30 days before ``due``, brought forward to a working day."""
    return previous_working_day(due - timedelta(days=WARNING_DAYS))


def warning_due(*, due: date | None, warned_at: datetime | None, today: date) -> bool:
    """Is a transfer warning due ``today`` for a file due on ``due`` last warned at ``warned_at``?

    The first warning goes out on ``first_warning_day(due)``; it repeats every 7 days (a repeat that
    would fall on a non-working day goes out on the working day before it) until the file is
    transferred. Nothing is sent on a non-working day: its warnings went out the working day before."""
    if due is None or not calendar.is_working_day(today):
        return False
    if today < first_warning_day(due):
        return False
    if warned_at is None:
        return True
    last = _local_date(warned_at)
    if last < first_warning_day(due):
        return True  # warned for an earlier due date (an announcement moved it): the new cycle starts
    return today >= previous_working_day(last + timedelta(days=REPEAT_DAYS))


def end_year(case_file: CaseFile) -> int:
    """The year the work of the file ended (retention counts from it)."""
    if case_file.closed_at:
        return timezone.localtime(case_file.closed_at).year
    return case_file.year


def retention_until_for(case_file: CaseFile) -> date | None:
    """31/12 of (end year + years) for a fixed retention; ``None`` for permanent."""
    years = retention_years(case_file.retention)
    if years is None:
        return None
    return date(end_year(case_file) + years, 12, 31)


def extended_until(current: date | None, years: int) -> date:
    """The new end of retention when the head of the agency keeps a file ``years`` more years."""
    base = current or timezone.localdate()
    return date(base.year + years, 12, 31)


def retention_ended(case_file: CaseFile, today: date) -> bool:
    return (
        case_file.status == CaseFile.Status.ARCHIVED
        and case_file.retention_until is not None
        and case_file.retention_until < today
    )
