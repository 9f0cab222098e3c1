"""Predicates and pure computations of the workflow engine (no writes): who may do what with a part, the
deadline thresholds, the link of a record. Services and pages both ask these."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.conf import settings

from eoffice.models import Role, User
from workflow import calendar
from workflow.models import Assignment


def deadline_marks(*, due_at: datetime | None, start: datetime) -> tuple[datetime | None, datetime | None]:
    """(due_soon_at, escalate_at) for a deadline: the thresholds the SQL status and the scan use."""
    if due_at is None:
        return None, None
    soon = calendar.add_working_hours(due_at, -settings.WORKFLOW_DUE_SOON_WORKING_HOURS)
    soon = max(min(soon, due_at), start) if start < due_at else due_at
    escalate = calendar.add_working_days(due_at, settings.WORKFLOW_ESCALATE_AFTER_WORKING_DAYS)
    return soon, escalate


def clock_shift(*, due_at: datetime, paused_at: datetime, resumed_at: datetime) -> tuple[datetime, int]:
    """The deadline moved by the office time spent paused, and that time in seconds."""
    paused = calendar.working_seconds_between(paused_at, resumed_at)
    return calendar.add_working_seconds(due_at, paused), paused


def record_url(record) -> str:
    try:
        return record.get_absolute_url()
    except AttributeError:
        return ""


def holds(assignment: Assignment, user: User) -> bool:
    if assignment.assignee_id:
        return assignment.assignee_id == user.pk
    return (
        user.department_id == assignment.department_id
        and user.has_role(Role.DEPARTMENT_HEAD)
        and user.agency_id == assignment.agency_id
    )


def can_manage(assignment: Assignment, user: User) -> bool:
    """The person who gave it, a leader of the agency, or a superuser may pause, resume or extend."""
    if user.is_superuser:
        return True
    if user.agency_id != assignment.agency_id:
        return False
    return assignment.assigned_by_id == user.pk or user.has_role(Role.LEADER)


def may_add(*, record, leads: Sequence[Assignment], user: User, role: str) -> bool:
    """Who may add parts to a record that has its lead.

    ``assignments_create`` leaves the right to its callers (each kind's ``assign`` transition); once the
    record is given, the engine decides as for managing a part (``can_manage``): the person who gave
    the lead, a leader of the record's agency, a superuser; and the holder of an open lead part (the
    person or the head of the lead unit) may ask coordinators for their input.
    """
    if user.is_superuser:
        return True
    if not user.is_active or not user.agency_id or user.agency_id != record.agency_id:
        return False
    if user.has_role(Role.LEADER):
        return True
    if any(a.assigned_by_id == user.pk for a in leads if a.parent_id is None):
        return True
    return role == Assignment.Kind.COORDINATE and any(a.is_open and holds(a, user) for a in leads)


def can_give_work(user: User) -> bool:
    return user.is_superuser or (
        user.agency_id is not None and user.has_role(Role.LEADER, Role.DEPARTMENT_HEAD)
    )
