"""Deadlines of an assignment: pause and resume the clock (paused office time does not count), extend."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice.models import User
from workflow import calendar
from workflow.models import Assignment, HistoryEntry
from workflow.rules import can_manage, deadline_marks
from workflow.services.assignments import lock_assignment
from workflow.services.history import RecordChanged, history_add


def assignment_pause(*, assignment: Assignment, by: User, reason: str) -> Assignment:
    """Stop the clock (e.g. waiting for the applicant); paused time does not count."""
    if not reason.strip():
        raise ValidationError(_("Vui lòng nêu lý do tạm dừng."))
    with transaction.atomic():
        locked = lock_assignment(assignment.pk)
        if not can_manage(locked, by):
            raise PermissionDenied
        if not locked.is_open or locked.paused_at is not None:
            raise RecordChanged(_("Phần việc đã tạm dừng hoặc đã kết thúc."))
        locked.paused_at = timezone.now()
        locked.save(update_fields=["paused_at"])
        history_add(
            record=locked.record,
            event=HistoryEntry.Event.PAUSED,
            actor=by,
            comment=reason,
            data={"assignment": locked.pk},
        )
    return locked


def assignment_resume(*, assignment: Assignment, by: User, now: datetime | None = None) -> Assignment:
    with transaction.atomic():
        locked = lock_assignment(assignment.pk)
        if not can_manage(locked, by):
            raise PermissionDenied
        if locked.paused_at is None:
            raise RecordChanged(_("Phần việc không ở trạng thái tạm dừng."))
        now = now or timezone.now()
        old_due = locked.due_at
        paused = calendar.working_seconds_between(locked.paused_at, now)
        if locked.due_at:
            locked.due_at = calendar.add_working_seconds(locked.due_at, paused)
            locked.due_soon_at, locked.escalate_at = deadline_marks(due_at=locked.due_at, start=now)
        locked.paused_seconds += paused
        locked.paused_at = None
        locked.save(update_fields=["due_at", "due_soon_at", "escalate_at", "paused_seconds", "paused_at"])
        history_add(
            record=locked.record,
            event=HistoryEntry.Event.RESUMED,
            actor=by,
            data={
                "assignment": locked.pk,
                "paused_seconds": paused,
                "old_due_at": old_due.isoformat() if old_due else None,
                "new_due_at": locked.due_at.isoformat() if locked.due_at else None,
            },
        )
    return locked


def extend_locked(locked: Assignment, *, due_at: datetime, reason: str, now: datetime) -> dict:
    old = locked.due_at
    locked.due_at = due_at
    locked.due_soon_at, locked.escalate_at = deadline_marks(due_at=due_at, start=now)
    locked.extension_count += 1
    locked.reminder_level = 0
    locked.save(update_fields=["due_at", "due_soon_at", "escalate_at", "extension_count", "reminder_level"])
    return {"old_due_at": old.isoformat() if old else None, "new_due_at": due_at.isoformat()}


def assignment_extend(*, assignment: Assignment, by: User, due_at: datetime, reason: str) -> Assignment:
    """Move the deadline; the reason and the number of extensions are kept."""
    if not reason.strip():
        raise ValidationError(_("Vui lòng nêu lý do gia hạn."))
    now = timezone.now()
    if due_at <= now:
        raise ValidationError(_("Hạn mới phải sau thời điểm hiện tại."))
    with transaction.atomic():
        locked = lock_assignment(assignment.pk)
        if not can_manage(locked, by):
            raise PermissionDenied
        if not locked.is_open:
            raise RecordChanged(_("Phần việc đã kết thúc."))
        change = extend_locked(locked, due_at=due_at, reason=reason, now=now)
        history_add(
            record=locked.record,
            event=HistoryEntry.Event.DEADLINE,
            actor=by,
            comment=reason,
            data={**change, "assignment": locked.pk, "extension_count": locked.extension_count},
        )
    return locked
