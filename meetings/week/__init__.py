"""Reads of the weekly schedule (lịch công tác tuần). ``rows``: the week asked for, the scope (the agency,
one leader, one unit, "my week") and the meetings of that week as rows grouped by day, with what each viewer
may read of them decided in SQL; ``page``: the duty roster, the reception days, the publication, the lock
window and the page as a whole, and the public page's week. Callers use the package:
``from meetings import week; week.week_view(...)``."""

from meetings.week.page import (
    Reception,
    WeekView,
    duty_shifts,
    lock_state,
    public_agency,
    public_week_view,
    published_week,
    receptions,
    unlocked_units,
    week_view,
)
from meetings.week.rows import (
    MASKED_TITLE,
    Day,
    Row,
    Scope,
    Week,
    agency_leaders,
    agency_units,
    day_label,
    group_days,
    make_row,
    mine_scope,
    parse_week,
    resolve_scope,
    session_label,
    week_queryset,
)

__all__ = [
    "MASKED_TITLE",
    "Day",
    "Reception",
    "Row",
    "Scope",
    "Week",
    "WeekView",
    "agency_leaders",
    "agency_units",
    "day_label",
    "duty_shifts",
    "group_days",
    "lock_state",
    "make_row",
    "mine_scope",
    "parse_week",
    "public_agency",
    "public_week_view",
    "published_week",
    "receptions",
    "resolve_scope",
    "session_label",
    "unlocked_units",
    "week_queryset",
    "week_view",
]
