"""The published reception sessions fed to the meetings module's weekly schedule, through
``eoffice.schedule_sources`` (complaints imports no meetings code: the schedule asks its sources)."""

from __future__ import annotations

import datetime as dt

from eoffice import schedule_sources

SOURCE = "complaints"


def reception_days(agency_id: int, start: dt.date, end: dt.date) -> list[schedule_sources.ReceptionRow]:
    """The agency's published, not cancelled sessions from ``start`` to ``end`` (a regular session, with no
    leader, is printed under its kind)."""
    from complaints.models import ReceptionSession

    sessions = (
        ReceptionSession.objects.filter(
            agency_id=agency_id,
            date__range=(start, end),
            published_at__isnull=False,
            cancelled_at__isnull=True,
        )
        .select_related("leader")
        .order_by("date", "start_time", "pk")
    )
    return [
        schedule_sources.ReceptionRow(
            date=s.date,
            start_time=s.start_time,
            end_time=s.end_time,
            leader_id=s.leader_id,
            leader_name=s.leader.get_full_name() if s.leader_id else str(s.get_kind_display()),
            place=s.place,
            note=s.note,
            source=SOURCE,
        )
        for s in sessions
    ]


def register() -> None:
    schedule_sources.register_reception_source(reception_days)
