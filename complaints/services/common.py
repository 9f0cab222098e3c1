"""What every write of the module shares: register numbers, tracking codes, the clock kept on the case and
mirrored on its lead assignment (so the workflow engine's reminders and escalation apply), history rows.

A case kept and followed (lưu đơn, theo dõi: state KEPT) has no legal day count (TT 05/2021/TT-TTCP gives
none): its clock is the follow-up date the officer set, recorded in the history (``FOLLOW_UP_KEY`` in the
data of the ``keep`` transition or of a later ``follow_up`` row); the deadline is the close of that day."""

from __future__ import annotations

import datetime as dt
import secrets
from datetime import datetime

from django.utils import timezone

from complaints import deadlines
from complaints.models import Case, CaseKind, CaseState, RegisterCounter
from eoffice.models import User
from workflow import calendar
from workflow import services as wf
from workflow.models import Assignment, HistoryEntry
from workflow.rules import deadline_marks

__all__ = [
    "FOLLOW_UP_KEY",
    "case_history",
    "follow_up_deadline",
    "follow_up_on",
    "new_case_code",
    "next_number",
    "sync_clock",
]

FOLLOW_UP_KEY = "follow_up_on"

# Letters that read alike (0/O, 1/I) are left out of tracking codes.
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_PREFIX = {
    CaseKind.COMPLAINT: "KN",
    CaseKind.DENUNCIATION: "TC",
    CaseKind.PETITION: "KNG",
    CaseKind.FEEDBACK: "PA",
}


def next_number(*, agency_id: int, register: str, year: int) -> int:
    """The next number of a register for the year; the counter row is locked until the caller's transaction
    ends, so two officers registering at once get consecutive numbers and a rollback leaves no gap."""
    counter, _created = RegisterCounter.objects.get_or_create(
        agency_id=agency_id, register=register, year=year
    )
    counter = RegisterCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def new_case_code(kind: str) -> str:
    """A tracking code that cannot be guessed from another's: "TC-7KQ2-M9XD"."""
    body = "".join(secrets.choice(_ALPHABET) for _i in range(8))
    return f"{_PREFIX.get(kind, 'DT')}-{body[:4]}-{body[4:]}"


def case_history(
    *, case: Case, by: User | None, action: str, comment: str = "", data: dict | None = None, attachment=None
) -> HistoryEntry:
    """A history row of an event that is not a transition (titled by ``registry.ACTION_LABELS``).
    Never put a protected identity in ``comment`` or ``data``."""
    return wf.history_add(
        record=case,
        event=HistoryEntry.Event.COMMENT,
        actor=by,
        action=action,
        comment=comment,
        data=data,
        attachment=attachment,
    )


def follow_up_on(case: Case) -> dt.date | None:
    """The follow-up date of a kept case (the latest set), None for any other case or a case kept without
    one (a duplicate, an anonymous letter filed away)."""
    if case.state != CaseState.KEPT:
        return None
    data = (
        HistoryEntry.objects.for_record(case)
        .filter(data__has_key=FOLLOW_UP_KEY)
        .order_by("-created_at", "-pk")
        .values_list("data", flat=True)
        .first()
    )
    if not data or not data.get(FOLLOW_UP_KEY):
        return None
    return dt.date.fromisoformat(data[FOLLOW_UP_KEY])


def follow_up_deadline(case: Case) -> deadlines.Deadline:
    """The clock of a kept case: the close of office hours on its follow-up date (no legal rule)."""
    day = follow_up_on(case)
    if day is None:
        return deadlines.NONE
    close = dt.datetime.combine(day, calendar.office_hours()[-1][1], tzinfo=calendar.local_tz())
    return deadlines.Deadline(close, None)


def _recompute(case: Case, now: datetime) -> deadlines.Deadline:
    if case.state != CaseState.KEPT:
        return deadlines.recompute(case, now=now)
    deadline = follow_up_deadline(case)
    case.due_at, case.due_rule = deadline.due_at, None
    case.due_soon_at, _escalate = deadline_marks(due_at=deadline.due_at, start=now)
    return deadline


def sync_clock(case: Case, *, by: User | None, now: datetime | None = None) -> deadlines.Deadline:
    """Recompute the case's deadline from its state, save it, and mirror it on the lead assignment of its
    handler (created when missing, closed when the case no longer runs a clock). A kept case runs the clock
    of its follow-up date while it has one. ``by`` None is the system. Caller's transaction, the case row
    locked."""
    now = now or timezone.now()
    deadline = _recompute(case, now)
    case.save(update_fields=["due_at", "due_soon_at", "due_rule"])
    lead = (
        Assignment.objects.for_record(case)
        .filter(role=Assignment.Kind.LEAD, parent__isnull=True)
        .exclude(status=Assignment.Status.CANCELLED)
        .first()
    )
    running = (case.is_open or case.state == CaseState.KEPT) and case.due_at is not None
    if lead is None:
        # A case with nobody to hold it (an online letter no officer has taken yet) gets its assignment when
        # an officer takes it (letter_take); ``by`` None is the system (the assignment says so).
        if running and (case.handler_id or case.department_id):
            wf.assignments_create(
                record=case,
                by=by,
                lead=case.handler,
                lead_department=case.department if not case.handler_id else None,
                due_at=case.due_at,
            )
        return deadline
    fields = []
    if not running:
        if lead.status == Assignment.Status.OPEN:
            lead.status = Assignment.Status.DONE
            lead.completed_at = now
            fields += ["status", "completed_at"]
    else:
        if case.handler_id and lead.assignee_id != case.handler_id:
            lead.assignee_id = case.handler_id
            fields.append("assignee")
        if lead.due_at != case.due_at:
            lead.due_at = case.due_at
            lead.due_soon_at, lead.escalate_at = deadline_marks(due_at=case.due_at, start=now)
            lead.reminder_level = 0
            lead.extension_count += 1  # a new round of reminders for the new deadline
            fields += ["due_at", "due_soon_at", "escalate_at", "reminder_level", "extension_count"]
        paused = case.paused_at
        if lead.paused_at != paused:
            lead.paused_at = paused
            fields.append("paused_at")
        if lead.status != Assignment.Status.OPEN:
            lead.status = Assignment.Status.OPEN
            lead.completed_at = None
            fields += ["status", "completed_at"]
    if fields:
        lead.save(update_fields=sorted(set(fields)))
    return deadline
