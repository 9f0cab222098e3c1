"""The monthly summaries of the access log, and the plan of which summary answers which days of a period.

``AccessDaily`` (one row per day, person, record and action) keeps a 30-day page fast, but a year of a big
agency is hundreds of thousands of daily rows. Two monthly tables, rebuilt from the daily one for every month
the nightly roll-up touches, answer the whole months of a long period:

- ``AccessMonthly``: per month, agency, person, record kind and action (the totals and the top people);
- ``AccessMonthlyRecord``: per month, agency, record and action (the top records).

``Sources.for_period`` splits a period into the whole months read from those tables, the days at its edges
read from ``AccessDaily``, and the events after the last summarised day read live: each day is counted once.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db import connection, transaction

from eoffice.models import AccessDaily, AccessMonthly, AccessMonthlyRecord


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def next_month(day: dt.date) -> dt.date:
    return month_end(day) + dt.timedelta(1)


MONTHLY_SQL = """
INSERT INTO {monthly} (month, agency_id, user_id, kind, action, count)
SELECT %(month)s, agency_id, user_id, kind, action, sum(count)
  FROM {daily} WHERE day >= %(month)s AND day < %(next)s
 GROUP BY agency_id, user_id, kind, action
"""
MONTHLY_RECORD_SQL = """
INSERT INTO {monthly} (month, agency_id, kind, object_id, action, count)
SELECT %(month)s, agency_id, kind, object_id, action, sum(count)
  FROM {daily} WHERE day >= %(month)s AND day < %(next)s
 GROUP BY agency_id, kind, object_id, action
"""


def rollup_month(*, month: dt.date) -> int:
    """Rebuild both monthly tables for ``month`` from the daily sums (idempotent): the rows written."""
    month = month_start(month)
    params = {"month": month, "next": next_month(month)}
    daily = AccessDaily._meta.db_table
    rows = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for model, sql in ((AccessMonthly, MONTHLY_SQL), (AccessMonthlyRecord, MONTHLY_RECORD_SQL)):
            table = model._meta.db_table
            cursor.execute(f"DELETE FROM {table} WHERE month = %(month)s", params)  # noqa: S608
            cursor.execute(sql.format(monthly=table, daily=daily), params)
            rows += cursor.rowcount
    return rows


def rollup_months(*, first: dt.date, last: dt.date) -> int:
    """Rebuild every month from ``first``'s to ``last``'s."""
    rows = 0
    month = month_start(first)
    while month <= last:
        rows += rollup_month(month=month)
        month = next_month(month)
    return rows


@dataclass(frozen=True)
class Sources:
    """Which table answers which days of [date_from, date_to]: ``months`` (first days, inclusive) from the
    monthly tables, ``days`` (inclusive ranges) from the daily table; the events cover what is after the
    last summarised day (the caller's live part)."""

    months: tuple[dt.date, dt.date] | None
    days: tuple[tuple[dt.date, dt.date], ...]

    @classmethod
    def for_period(cls, *, date_from: dt.date, date_to: dt.date, through: dt.date | None) -> Sources:
        if through is None or through < date_from:
            return cls(months=None, days=())
        summed_to = min(date_to, through)
        # whole months inside the period that have started by ``through`` (the monthly rows of the month
        # holding ``through`` cover its days up to it; the live part follows)
        first = date_from if date_from.day == 1 else next_month(date_from)
        last = (
            month_start(date_to) if month_end(date_to) == date_to else month_start(date_to) - dt.timedelta(1)
        )
        last = month_start(min(last, through))
        if first > last or first > summed_to:
            return cls(months=None, days=((date_from, summed_to),))
        days = []
        if date_from < first:
            days.append((date_from, first - dt.timedelta(1)))
        after = next_month(last)
        if after <= summed_to:
            days.append((after, summed_to))
        return cls(months=(first, last), days=tuple(days))
