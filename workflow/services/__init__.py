"""Every write of the workflow engine, by sub-domain.

Keyword-only arguments, one ``transaction.atomic`` each, the record (or assignment) loaded with a row
lock, the actor's right checked, the change made, a history row written, tasks queued on commit.

- ``history``: ``RecordChanged``, ``history_add``, ``record_transition`` (lock, check, transition, history);
- ``assignments``: give a record (lead, coordinators, people informed), add parts, hand a part on, report
  progress and completion, read a for-information part;
- ``deadlines``: pause, resume and extend an assignment's deadline;
- ``reminders``: the reminder scan and delivery, the daily digest;
- ``workitems``: work items (giao việc);
- ``preferences``: notification preferences.

The predicates and deadline computations they use live in ``workflow.rules`` (``can_give_work``,
``deadline_marks``, ``clock_shift``).
Callers keep ``from workflow import services as wf; wf.record_transition(...)``.
"""

from workflow.services.assignments import (
    ADDABLE_ROLES,
    assignment_complete,
    assignment_forward,
    assignment_report_progress,
    assignments_add,
    assignments_create,
    assignments_mark_read,
    record_assign,
)
from workflow.services.deadlines import assignment_extend, assignment_pause, assignment_resume
from workflow.services.history import (
    RecordChanged,
    history_add,
    lock_record,
    record_transition,
    record_view_log,
)
from workflow.services.preferences import notification_preferences_set
from workflow.services.reminders import REMINDER_KINDS, digest_send, reminders_deliver, reminders_scan
from workflow.services.workitems import (
    work_item_create,
    work_item_extend,
    work_item_report_progress,
    work_item_transition,
)

__all__ = [
    "ADDABLE_ROLES",
    "REMINDER_KINDS",
    "RecordChanged",
    "assignment_complete",
    "assignment_extend",
    "assignment_forward",
    "assignment_pause",
    "assignment_report_progress",
    "assignment_resume",
    "assignments_add",
    "assignments_create",
    "assignments_mark_read",
    "digest_send",
    "history_add",
    "lock_record",
    "notification_preferences_set",
    "record_assign",
    "record_transition",
    "record_view_log",
    "reminders_deliver",
    "reminders_scan",
    "work_item_create",
    "work_item_extend",
    "work_item_report_progress",
    "work_item_transition",
]
