"""The period of a statistics page: whole local days, the presets, and the filter by period."""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import (
    QuerySet,
)
from django.utils import timezone
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Period:
    date_from: date
    date_to: date
    preset: str = "custom"

    @property
    def start(self) -> datetime:
        return datetime.combine(self.date_from, time.min, tzinfo=timezone.get_current_timezone())

    @property
    def end(self) -> datetime:
        """Exclusive: midnight after the last day."""
        return datetime.combine(
            self.date_to + timedelta(days=1), time.min, tzinfo=timezone.get_current_timezone()
        )

    @property
    def label(self) -> str:
        return _("Từ ngày %(a)s đến ngày %(b)s") % {
            "a": self.date_from.strftime("%d/%m/%Y"),
            "b": self.date_to.strftime("%d/%m/%Y"),
        }

    def query(self) -> dict:
        return {
            "period": "custom",
            "date_from": self.date_from.isoformat(),
            "date_to": self.date_to.isoformat(),
        }


def month_bounds(day: date, back: int = 0) -> tuple[date, date]:
    year, month = day.year, day.month - back
    while month < 1:
        month += 12
        year -= 1
    return date(year, month, 1), date(year, month, monthrange(year, month)[1])


def preset_period(preset: str, today: date | None = None) -> Period:
    today = today or timezone.localdate()
    if preset == "last_month":
        first, last = month_bounds(today, 1)
    elif preset == "quarter":
        q_month = 3 * ((today.month - 1) // 3) + 1
        first = date(today.year, q_month, 1)
        last = month_bounds(date(today.year, q_month + 2, 1))[1]
    elif preset == "year":
        first, last = date(today.year, 1, 1), date(today.year, 12, 31)
    else:
        preset = "month"
        first, last = month_bounds(today)
    return Period(first, last, preset)


def in_period(qs: QuerySet, date_field: str, period: Period) -> QuerySet:
    return qs.filter(**{f"{date_field}__gte": period.start, f"{date_field}__lt": period.end})
