"""Work items (giao việc): create, run their actions with the side effects on the parts, progress, extend."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice.models import Department, User
from eoffice.services import notify
from workflow.models import ACTIONS, Assignment, HistoryEntry, WorkflowState, WorkItem, held_by_q
from workflow.rules import can_give_work, deadline_marks
from workflow.selectors import assignment_holders, work_item_access
from workflow.services.assignments import record_assign, roll_up_progress
from workflow.services.deadlines import extend_locked
from workflow.services.history import RecordChanged, history_add, record_transition


def locked_for(item: WorkItem, by: User) -> WorkItem:
    """The item reloaded through its access helper with the row locked (inside the caller's transaction).
    An item the actor may not see is refused like any step they may not take."""
    try:
        return work_item_access(user=by, pk=item.pk, lock=True)
    except Http404:
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này.")) from None


def work_item_create(
    *,
    by: User,
    title: str,
    description: str = "",
    priority: int = WorkItem.Priority.NORMAL,
    due_at: datetime | None,
    lead: User | None = None,
    lead_department: Department | None = None,
    coordinators: Sequence[User] = (),
    informed: Sequence[User] = (),
    related=None,
    instruction: str = "",
) -> WorkItem:
    if not can_give_work(by) or by.agency_id is None:
        raise PermissionDenied(_("Chỉ lãnh đạo cơ quan hoặc lãnh đạo đơn vị được giao việc."))
    if not title.strip():
        raise ValidationError(_("Vui lòng nhập tên công việc."))
    if due_at is not None and due_at <= timezone.now():
        raise ValidationError(_("Hạn hoàn thành phải sau thời điểm hiện tại."))
    if related is not None and getattr(related, "agency_id", by.agency_id) != by.agency_id:
        raise PermissionDenied
    with transaction.atomic():
        soon, _escalate = deadline_marks(due_at=due_at, start=timezone.now())
        item = WorkItem(
            agency_id=by.agency_id,
            department_id=by.department_id,
            title=title.strip(),
            description=description,
            priority=priority,
            created_by=by,
            due_at=due_at,
            due_soon_at=soon,
        )
        if related is not None:
            item.related_content_type = ContentType.objects.get_for_model(related.__class__)
            item.related_object_id = related.pk
        item.save()
        history_add(record=item, event=HistoryEntry.Event.CREATED, actor=by, to_state=item.state)
        record_assign(
            record=item,
            by=by,
            instruction=instruction,
            lead=lead,
            lead_department=lead_department,
            coordinators=coordinators,
            informed=informed,
            due_at=due_at,
        )
        item.refresh_from_db()
    return item


def _reopen_leads(item: WorkItem) -> None:
    Assignment.objects.for_record(item).filter(role=Assignment.Kind.LEAD, superseded=False).exclude(
        status=Assignment.Status.OPEN
    ).update(status=Assignment.Status.OPEN, completed_at=None)


def work_item_transition(
    *, item: WorkItem, action: str, by: User, comment: str = "", expected_state: str | None = None
) -> WorkItem:
    """Run an action of a work item with its side effects on the assignments."""
    with transaction.atomic():
        item = record_transition(
            record=locked_for(item, by), action=action, by=by, comment=comment, expected_state=expected_state
        )
        now = timezone.now()
        open_assignments = Assignment.objects.for_record(item).filter(status=Assignment.Status.OPEN)
        if action == "submit":
            open_assignments.filter(role=Assignment.Kind.LEAD).update(
                status=Assignment.Status.DONE, completed_at=now, progress=100
            )
        elif action == "approve":
            open_assignments.update(status=Assignment.Status.DONE, completed_at=now)
        elif action == "cancel":
            open_assignments.update(status=Assignment.Status.CANCELLED, completed_at=now)
        elif action in {"send_back", "reopen"}:
            _reopen_leads(item)
        recipients = _work_item_people(item, exclude=by)
        if recipients:
            notify(
                recipients=recipients,
                kind="workflow.workitem",
                title=_("%(action)s: %(title)s")
                % {"action": ACTIONS[action].label if action in ACTIONS else action, "title": item},
                body=comment,
                url=item.get_absolute_url(),
            )
    return item


def _work_item_people(item: WorkItem, *, exclude: User) -> list[User]:
    assignments = list(
        Assignment.objects.for_record(item)
        .exclude(role=Assignment.Kind.INFORM)
        .exclude(status=Assignment.Status.CANCELLED)
        .select_related("assignee")
    )
    people = [u for users in assignment_holders(assignments).values() for u in users]
    if item.created_by_id:
        people.append(item.created_by)
    return [u for u in people if u.pk != exclude.pk]


def work_item_report_progress(
    *, item: WorkItem, by: User, percent: int, note: str, attachment=None
) -> WorkItem:
    """An assignee reports progress (percent, note, file); the lead's report moves the item's progress."""
    if not 0 <= percent <= 100:
        raise ValidationError(_("Tiến độ phải từ 0 đến 100%."))
    if not note.strip():
        raise ValidationError(_("Vui lòng nhập nội dung báo cáo."))
    with transaction.atomic():
        locked = locked_for(item, by)
        if locked.state not in (WorkflowState.ASSIGNED, WorkflowState.PROCESSING):
            raise RecordChanged(_("Công việc không còn ở trạng thái nhận báo cáo tiến độ."))
        mine = list(
            Assignment.objects.for_record(locked)
            .select_for_update()
            .filter(held_by_q(by), status=Assignment.Status.OPEN)
            .exclude(role=Assignment.Kind.INFORM)
            .order_by("role")
        )
        if not mine:
            raise PermissionDenied(_("Bạn không được giao công việc này."))
        for assignment in mine:
            assignment.progress = percent
            assignment.progress_note = note
            assignment.save(update_fields=["progress", "progress_note"])
            roll_up_progress(assignment)
        is_lead = any(a.role == Assignment.Kind.LEAD for a in mine)
        if is_lead:
            if locked.state == WorkflowState.ASSIGNED:
                locked.start()
                history_add(
                    record=locked,
                    event=HistoryEntry.Event.TRANSITION,
                    actor=by,
                    action="start",
                    from_state=WorkflowState.ASSIGNED,
                    to_state=locked.state,
                )
            locked.progress = percent
            locked.save()
        history_add(
            record=locked,
            event=HistoryEntry.Event.PROGRESS,
            actor=by,
            comment=note.strip(),
            attachment=attachment,
            data={"percent": percent, "role": mine[0].role},
        )
        if locked.created_by_id != by.pk:
            notify(
                recipients=[locked.created_by],
                kind="workflow.progress",
                title=_("Báo cáo tiến độ %(percent)d%%: %(title)s") % {"percent": percent, "title": locked},
                body=note,
                url=locked.get_absolute_url(),
            )
    return locked


def work_item_extend(*, item: WorkItem, by: User, due_at: datetime, reason: str) -> WorkItem:
    """The giver moves the deadline of the item and of its open assignments; reason and count kept."""
    if not reason.strip():
        raise ValidationError(_("Vui lòng nêu lý do gia hạn."))
    now = timezone.now()
    if due_at <= now:
        raise ValidationError(_("Hạn mới phải sau thời điểm hiện tại."))
    with transaction.atomic():
        locked = locked_for(item, by)
        if locked.created_by_id != by.pk and not by.is_superuser:
            raise PermissionDenied
        if locked.state not in WorkItem.OPEN_STATES:
            raise RecordChanged(_("Công việc đã kết thúc."))
        old = locked.due_at
        locked.due_at = due_at
        locked.due_soon_at, _escalate = deadline_marks(due_at=due_at, start=now)
        locked.save()
        count = 0
        for assignment in (
            Assignment.objects.for_record(locked).select_for_update().filter(status=Assignment.Status.OPEN)
        ):
            if assignment.due_at is not None:
                extend_locked(assignment, due_at=due_at, reason=reason, now=now)
                count = max(count, assignment.extension_count)
        history_add(
            record=locked,
            event=HistoryEntry.Event.DEADLINE,
            actor=by,
            comment=reason.strip(),
            data={
                "old_due_at": old.isoformat() if old else None,
                "new_due_at": due_at.isoformat(),
                "extension_count": count,
            },
        )
        recipients = _work_item_people(locked, exclude=by)
        if recipients:
            notify(
                recipients=recipients,
                kind="workflow.workitem",
                title=_("Gia hạn: %(title)s") % {"title": locked},
                body=reason,
                url=locked.get_absolute_url(),
            )
    return locked
