"""The published reception sessions fed to the meetings module's weekly schedule, through
``eoffice.schedule_sources`` (complaints imports no meetings code: the schedule asks its sources)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from eoffice import schedule_sources

SOURCE = "complaints"


def receiver_label(session, unit_name: str) -> str:
    """Who receives at ``session``, for the schedule's "Lãnh đạo tiếp" column: the leader's name; for a
    session without a leader (the regular reception, an unscheduled one) the officers of the reception unit
    and what the session is — never the bare kind, which names no one."""
    if session.leader_id:
        return session.leader.get_full_name()
    kind = str(session.get_kind_display()).lower()
    if unit_name:
        return _("Cán bộ %(unit)s (%(kind)s)") % {"unit": unit_name, "kind": kind}
    return _("Cán bộ tiếp công dân (%(kind)s)") % {"kind": kind}


def session_note(session) -> str:
    """The note printed beside a session: an unscheduled session led by a leader says so (its kind is not in
    the receiver column), then the officer's own note."""
    if session.leader_id and session.kind == session.Kind.UNSCHEDULED:
        kind = str(session.get_kind_display())
        return f"{kind}. {session.note}" if session.note else kind
    return session.note


def reception_days(agency_id: int, start: dt.date, end: dt.date) -> list[schedule_sources.ReceptionRow]:
    """The agency's published, not cancelled sessions from ``start`` to ``end``."""
    from complaints import rules
    from complaints.models import ReceptionSession
    from eoffice.models import Department

    sessions = list(
        ReceptionSession.objects.filter(
            agency_id=agency_id,
            date__range=(start, end),
            published_at__isnull=False,
            cancelled_at__isnull=True,
        )
        .select_related("leader")
        .order_by("date", "start_time", "pk")
    )
    unit_name = ""
    if any(not s.leader_id for s in sessions):
        unit_id = rules.department_id(agency_id)
        if unit_id:
            unit_name = Department.objects.filter(pk=unit_id).values_list("name", flat=True).first() or ""
    return [
        schedule_sources.ReceptionRow(
            date=s.date,
            start_time=s.start_time,
            end_time=s.end_time,
            leader_id=s.leader_id,
            leader_name=receiver_label(s, unit_name),
            place=s.place,
            note=session_note(s),
            source=SOURCE,
        )
        for s in sessions
    ]


def register() -> None:
    schedule_sources.register_reception_source(reception_days)
