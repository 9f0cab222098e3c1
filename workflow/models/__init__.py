"""The shared workflow engine: state machine base, history, assignments, calendar, reminders, work items.

Models only guard and change fields; every write goes through ``workflow.services``. One module per
sub-domain; every model, and the bases and helpers other apps use (``WorkflowRecord``, ``WorkflowState``,
``Assignment``, ``held_by_q`` …), is named here.
"""

from workflow.models.assignments import (
    ASSIGNMENT_OPEN,
    ASSIGNMENT_PAUSED,
    Assignment,
    AssignmentQuerySet,
    held_by_q,
)
from workflow.models.base import (
    ACTIONS,
    CLOSED_STATES,
    Action,
    ActionInfo,
    WorkflowRecord,
    WorkflowState,
    state_label,
)
from workflow.models.calendar import CalendarException
from workflow.models.deadlines import (
    DEADLINE_PILL,
    DeadlineStatus,
    deadline_status_expression,
    deadline_status_q,
)
from workflow.models.history import HistoryEntry, HistoryIsAppendOnly, HistoryQuerySet, history_upload_path
from workflow.models.reminders import DigestMark, ReminderLevel, ReminderMark
from workflow.models.workitems import WORKITEM_OPEN, WorkItem, workitem_with_deadline_status

# Migration 0001 names the history upload path by its old place (``workflow.models._history_upload``).
_history_upload = history_upload_path

__all__ = [
    "ACTIONS",
    "ASSIGNMENT_OPEN",
    "ASSIGNMENT_PAUSED",
    "CLOSED_STATES",
    "DEADLINE_PILL",
    "WORKITEM_OPEN",
    "Action",
    "ActionInfo",
    "Assignment",
    "AssignmentQuerySet",
    "CalendarException",
    "DeadlineStatus",
    "DigestMark",
    "HistoryEntry",
    "HistoryIsAppendOnly",
    "HistoryQuerySet",
    "ReminderLevel",
    "ReminderMark",
    "WorkItem",
    "WorkflowRecord",
    "WorkflowState",
    "deadline_status_expression",
    "deadline_status_q",
    "held_by_q",
    "history_upload_path",
    "state_label",
    "workitem_with_deadline_status",
]
