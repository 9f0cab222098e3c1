"""Assignments: giving a record to a lead, coordinators and people informed; adding parts, handing a part
on, reporting progress and completion, reading a for-information part."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice.menu import forget_badges
from eoffice.models import Department, Role, User
from eoffice.services import notify
from workflow.models import Assignment, HistoryEntry, WorkflowRecord, held_by_q
from workflow.rules import deadline_marks, holds, may_add, record_url
from workflow.selectors import assignment_holders
from workflow.services.history import RecordChanged, history_add, lock_record, record_transition


def _same_agency(agency_id: int, users: Iterable[User], departments: Iterable[Department]) -> None:
    for user in users:
        if user.agency_id != agency_id or not user.is_active:
            raise ValidationError(_("Người được giao phải là cán bộ đang công tác của cơ quan."))
    for department in departments:
        if department.agency_id != agency_id:
            raise ValidationError(_("Đơn vị được giao phải thuộc cơ quan."))


def _plan_assignments(
    *,
    record,
    by: User,
    lead: User | None = None,
    lead_department: Department | None = None,
    coordinators: Sequence[User] = (),
    coordinator_departments: Sequence[Department] = (),
    informed: Sequence[User] = (),
    due_at: datetime | None = None,
    instruction: str = "",
) -> list[Assignment]:
    """The unsaved parts of a direction, checked (one lead, same agency, lead not also coordinator)."""
    if (lead is None) == (lead_department is None):
        raise ValidationError(_("Phải chọn đúng một người hoặc một đơn vị chủ trì."))
    agency_id = record.agency_id
    users = [u for u in [lead, *coordinators, *informed] if u is not None]
    depts = [d for d in [lead_department, *coordinator_departments] if d is not None]
    _same_agency(agency_id, users, depts)
    lead_ids = {lead.pk} if lead else set()
    if lead_ids & {u.pk for u in coordinators}:
        raise ValidationError(_("Người chủ trì không đồng thời là người phối hợp."))
    now = timezone.now()
    soon, escalate = deadline_marks(due_at=due_at, start=now)
    ct = ContentType.objects.get_for_model(record.__class__)
    common = {
        "content_type": ct,
        "object_id": record.pk,
        "agency_id": agency_id,
        "assigned_by": by,
        "instruction": instruction,
        "assigned_at": now,
        "due_at": due_at,
        "due_soon_at": soon,
        "escalate_at": escalate,
    }
    rows = [
        Assignment(
            role=Assignment.Kind.LEAD,
            assignee=lead,
            department=lead.department if lead else lead_department,
            **common,
        )
    ]
    seen = set(lead_ids)
    for user in coordinators:
        if user.pk not in seen:
            seen.add(user.pk)
            rows.append(
                Assignment(
                    role=Assignment.Kind.COORDINATE, assignee=user, department=user.department, **common
                )
            )
    for department in coordinator_departments:
        rows.append(Assignment(role=Assignment.Kind.COORDINATE, department=department, **common))
    for user in informed:
        if user.pk not in seen:
            seen.add(user.pk)
            rows.append(
                Assignment(
                    role=Assignment.Kind.INFORM,
                    assignee=user,
                    department=user.department,
                    **{**common, "due_at": None, "due_soon_at": None, "escalate_at": None},
                )
            )
    return rows


def _assigned_data(rows: Sequence[Assignment], due_at: datetime | None) -> dict:
    """What a history row of a direction keeps: lead, coordinators, people informed, deadline."""
    return {
        "lead": next((a.holder_name for a in rows if a.role == Assignment.Kind.LEAD), ""),
        "coordinate": [a.holder_name for a in rows if a.role == Assignment.Kind.COORDINATE],
        "inform": [a.holder_name for a in rows if a.role == Assignment.Kind.INFORM],
        "due_at": due_at.isoformat() if due_at else None,
    }


def _save_assignments(*, record, rows: Sequence[Assignment], by: User) -> list[Assignment]:
    try:
        with transaction.atomic():
            created = Assignment.objects.bulk_create(rows)
    except IntegrityError as exc:
        raise ValidationError(_("Hồ sơ đã có đơn vị hoặc người chủ trì.")) from exc
    _notify_assigned(record=record, assignments=created, by=by)
    return created


def assignments_create(
    *,
    record,
    by: User,
    lead: User | None = None,
    lead_department: Department | None = None,
    coordinators: Sequence[User] = (),
    coordinator_departments: Sequence[Department] = (),
    informed: Sequence[User] = (),
    due_at: datetime | None = None,
    instruction: str = "",
) -> list[Assignment]:
    """Give ``record`` to a lead (exactly one), coordinators and people informed (caller's transaction);
    one history row ("assigned"). A kind whose ``assign`` transition gives the parts uses ``record_assign``
    (one row for both)."""
    parts = {
        "lead": lead,
        "lead_department": lead_department,
        "coordinators": coordinators,
        "coordinator_departments": coordinator_departments,
        "informed": informed,
        "due_at": due_at,
    }
    rows = _plan_assignments(record=record, by=by, instruction=instruction, **parts)
    created = _save_assignments(record=record, rows=rows, by=by)
    history_add(
        record=record,
        event=HistoryEntry.Event.ASSIGNED,
        actor=by,
        comment=instruction,
        data=_assigned_data(created, due_at),
    )
    return created


def record_assign(
    *,
    record: WorkflowRecord,
    by: User,
    instruction: str = "",
    expected_state: str | None = None,
    lead: User | None = None,
    lead_department: Department | None = None,
    coordinators: Sequence[User] = (),
    coordinator_departments: Sequence[Department] = (),
    informed: Sequence[User] = (),
    due_at: datetime | None = None,
) -> tuple[WorkflowRecord, list[Assignment]]:
    """The ``assign`` transition of ``record`` with the parts it gives, as one event: one history row
    (the transition, its data naming the lead, coordinators and people informed — the timeline shows one
    "Giao xử lý" per direction). Returns the record (locked, moved) and the new parts."""
    with transaction.atomic():
        rows = _plan_assignments(
            record=record,
            by=by,
            lead=lead,
            lead_department=lead_department,
            coordinators=coordinators,
            coordinator_departments=coordinator_departments,
            informed=informed,
            due_at=due_at,
            instruction=instruction,
        )
        record = record_transition(
            record=record,
            action="assign",
            by=by,
            comment=instruction,
            expected_state=expected_state,
            data=_assigned_data(rows, due_at),
        )
        created = _save_assignments(record=record, rows=rows, by=by)
    return record, created


def _notify_assigned(*, record, assignments: Sequence[Assignment], by: User | None, note: str = "") -> None:
    """Tell the new holders; ``by`` None is a system action (an online letter, a scan): the notification
    says the assignment came from the system and nobody is left out as its author."""
    holders = assignment_holders(assignments)
    url = record_url(record)
    body = _("Người giao: %(name)s") % {"name": by if by is not None else _("Hệ thống")}
    by_pk = by.pk if by is not None else None
    if note:
        body = f"{body}\n{note}"
    for kind_label, role in (
        (_("Chủ trì"), Assignment.Kind.LEAD),
        (_("Phối hợp"), Assignment.Kind.COORDINATE),
        (_("Để biết"), Assignment.Kind.INFORM),
    ):
        recipients = [u for a in assignments if a.role == role for u in holders[a.pk] if u.pk != by_pk]
        if recipients:
            notify(
                recipients=recipients,
                kind="workflow.assigned",
                title=_("Được giao (%(role)s): %(title)s") % {"role": kind_label, "title": record},
                body=body,
                url=url,
            )


ADDABLE_ROLES = (Assignment.Kind.COORDINATE, Assignment.Kind.INFORM)


def assignments_add(
    *,
    record,
    by: User,
    role: str,
    users: Sequence[User] = (),
    departments: Sequence[Department] = (),
    due_at: datetime | None = None,
    instruction: str = "",
) -> list[Assignment]:
    """Add coordinate or for-information parts to a record that already has its lead.

    Row lock on the record, the right checked (``may_add``), one history row ("assigned", action
    ``add_coordinate`` / ``add_inform``), the new holders notified. A for-information part has no deadline.
    """
    if role not in ADDABLE_ROLES:
        raise ValidationError(_("Chỉ bổ sung được phần việc phối hợp hoặc để biết."))
    users = list(dict.fromkeys(users))
    departments = list(dict.fromkeys(departments))
    if not users and not departments:
        raise ValidationError(_("Vui lòng chọn người hoặc đơn vị."))
    now = timezone.now()
    if role == Assignment.Kind.INFORM:
        due_at = None
    elif due_at is not None and due_at <= now:
        raise ValidationError(_("Hạn xử lý phải sau thời điểm hiện tại."))
    with transaction.atomic():
        locked = lock_record(type(record), record.pk)
        parts = list(Assignment.objects.for_record(locked).exclude(status=Assignment.Status.CANCELLED))
        leads = [a for a in parts if a.role == Assignment.Kind.LEAD]
        if not may_add(record=locked, leads=leads, user=by, role=role):
            raise PermissionDenied(_("Bạn không có quyền giao thêm phần việc của hồ sơ này."))
        if not locked.is_open:
            raise RecordChanged(_("Hồ sơ đã kết thúc xử lý."))
        root = next((a for a in leads if a.parent_id is None), None)
        if root is None:
            raise ValidationError(_("Hồ sơ chưa được giao chủ trì xử lý."))
        _same_agency(locked.agency_id, users, departments)
        if any(u.pk == by.pk for u in users):
            raise ValidationError(_("Không thể tự giao cho chính mình."))
        open_parts = [a for a in parts if a.is_open]
        lead_people = {a.assignee_id for a in open_parts if a.role == Assignment.Kind.LEAD and a.assignee_id}
        if lead_people & {u.pk for u in users}:
            raise ValidationError(_("Người chủ trì không đồng thời là người phối hợp hoặc để biết."))
        same_role = [a for a in open_parts if a.role == role]
        taken_people = {a.assignee_id for a in same_role if a.assignee_id}
        taken_units = {a.department_id for a in same_role if not a.assignee_id}
        taken = [str(u) for u in users if u.pk in taken_people]
        taken += [str(d) for d in departments if d.pk in taken_units]
        if taken:
            raise ValidationError(
                _("Đã được giao phần việc này: %(names)s.") % {"names": ", ".join(taken)}, code="duplicate"
            )
        soon, escalate = deadline_marks(due_at=due_at, start=now)
        common = {
            "content_type": ContentType.objects.get_for_model(locked.__class__),
            "object_id": locked.pk,
            "agency_id": locked.agency_id,
            "role": role,
            "assigned_by": by,
            "instruction": instruction,
            "assigned_at": now,
            "due_at": due_at,
            "due_soon_at": soon,
            "escalate_at": escalate,
        }
        rows = [Assignment(assignee=u, department=u.department, **common) for u in users]
        rows += [Assignment(department=d, **common) for d in departments]
        created = Assignment.objects.bulk_create(rows)
        names = [a.holder_name for a in created]
        history_add(
            record=locked,
            event=HistoryEntry.Event.ASSIGNED,
            actor=by,
            action=f"add_{role}",
            comment=instruction,
            data={
                "lead": root.holder_name,
                "coordinate": names if role == Assignment.Kind.COORDINATE else [],
                "inform": names if role == Assignment.Kind.INFORM else [],
                "due_at": due_at.isoformat() if due_at else None,
            },
        )
        _notify_assigned(record=locked, assignments=created, by=by, note=instruction)
    return created


def lock_assignment(pk: int) -> Assignment:
    return Assignment.objects.select_for_update(of=("self",)).select_related("content_type").get(pk=pk)


def assignment_forward(
    *, assignment: Assignment, to_user: User, by: User, instruction: str = "", due_at: datetime | None = None
) -> Assignment:
    """A department head hands an assignment on to someone of the department; the chain stays visible."""
    with transaction.atomic():
        parent = lock_assignment(assignment.pk)
        if not parent.is_open:
            raise RecordChanged(_("Phần việc này đã kết thúc nên không thể chuyển giao."))
        if not (holds(parent, by) and by.has_role(Role.DEPARTMENT_HEAD)) and not by.is_superuser:
            raise PermissionDenied(_("Chỉ lãnh đạo đơn vị được giao mới chuyển giao được phần việc này."))
        unit = parent.department_id or by.department_id
        if to_user.department_id != unit or to_user.agency_id != parent.agency_id or not to_user.is_active:
            raise ValidationError(_("Chỉ chuyển giao cho cán bộ trong đơn vị."))
        if to_user.pk == parent.assignee_id:
            raise ValidationError(_("Không thể chuyển giao cho chính người đang giữ phần việc."))
        previous = list(
            Assignment.objects.select_for_update().filter(parent=parent, status=Assignment.Status.OPEN)
        )
        for old in previous:
            old.status = Assignment.Status.CANCELLED
            old.superseded = True
            old.completed_at = timezone.now()
            old.save(update_fields=["status", "superseded", "completed_at"])
        # the part leaves the people who held it: their badges and what is kept with them are read again
        forget_badges([o.assignee_id for o in previous] + [parent.assignee_id])
        due = due_at or parent.due_at
        if due_at and parent.due_at and due_at > parent.due_at:
            raise ValidationError(_("Hạn chuyển giao không được sau hạn của phần việc gốc."))
        soon, escalate = deadline_marks(due_at=due, start=timezone.now())
        child = Assignment.objects.create(
            content_type=parent.content_type,
            object_id=parent.object_id,
            agency_id=parent.agency_id,
            role=parent.role,
            assignee=to_user,
            department_id=to_user.department_id,
            parent=parent,
            assigned_by=by,
            instruction=instruction,
            due_at=due,
            due_soon_at=soon,
            escalate_at=escalate,
        )
        record = parent.record
        history_add(
            record=record,
            event=HistoryEntry.Event.REASSIGNED,
            actor=by,
            comment=instruction,
            data={
                "assignment": parent.pk,
                "role": parent.role,
                "from": parent.holder_name,
                "to": str(to_user),
                "replaced": [str(o.assignee or o.department) for o in previous],
            },
        )
        if to_user.pk != by.pk:
            notify(
                recipients=[to_user],
                kind="workflow.assigned",
                title=_("Được giao (%(role)s): %(title)s")
                % {"role": parent.get_role_display(), "title": record},
                body=instruction,
                url=record_url(record),
            )
    return child


def _close_upwards(assignment: Assignment, now: datetime) -> None:
    """When the last open child of a forwarded assignment closes, the parent closes too."""
    parent_id = assignment.parent_id
    while parent_id:
        parent = Assignment.objects.select_for_update().get(pk=parent_id)
        if not parent.is_open or parent.children.filter(status=Assignment.Status.OPEN).exists():
            return
        parent.status = Assignment.Status.DONE
        parent.completed_at = now
        parent.progress = 100
        parent.save(update_fields=["status", "completed_at", "progress"])
        parent_id = parent.parent_id


def assignment_complete(*, assignment: Assignment, by: User, note: str = "", attachment=None) -> Assignment:
    """The holder reports their part done (a coordinator's report, or the lead's completion)."""
    with transaction.atomic():
        locked = lock_assignment(assignment.pk)
        if not locked.is_open:
            raise RecordChanged(_("Phần việc này đã được báo cáo hoàn thành."))
        if not holds(locked, by):
            raise PermissionDenied(_("Bạn không giữ phần việc này."))
        now = timezone.now()
        locked.status = Assignment.Status.DONE
        locked.completed_at = now
        locked.progress = 100
        if note:
            locked.progress_note = note
        locked.save(update_fields=["status", "completed_at", "progress", "progress_note"])
        _close_upwards(locked, now)
        history_add(
            record=locked.record,
            event=HistoryEntry.Event.COMPLETED,
            actor=by,
            comment=note,
            attachment=attachment,
            data={"assignment": locked.pk, "role": locked.role},
        )
        if locked.assigned_by_id and locked.assigned_by_id != by.pk:
            notify(
                recipients=[locked.assigned_by],
                kind="workflow.progress",
                title=_("%(name)s đã hoàn thành phần việc (%(role)s): %(title)s")
                % {"name": by, "role": locked.get_role_display(), "title": locked.record},
                body=note,
                url=record_url(locked.record),
            )
    return locked


def roll_up_progress(assignment: Assignment) -> None:
    """A part handed on shows the progress of the work done under it: the mean of its children that are
    not cancelled (a part has at most one open child: a new hand-off replaces the previous one, so this is
    the progress the current officer reports, as the unit's row of the assignment table shows it), up the
    whole chain. A closed part keeps its value (100 % once done)."""
    parent_id = assignment.parent_id
    while parent_id:
        parent = Assignment.objects.select_for_update().get(pk=parent_id)
        if not parent.is_open:
            return
        values = list(
            parent.children.exclude(status=Assignment.Status.CANCELLED).values_list("progress", flat=True)
        )
        if not values:
            return
        rolled = round(sum(values) / len(values))
        if rolled != parent.progress:
            parent.progress = rolled
            parent.save(update_fields=["progress"])
        parent_id = parent.parent_id


def assignment_report_progress(
    *, assignment: Assignment, by: User, percent: int, note: str, attachment=None
) -> Assignment:
    """The holder reports the progress of their part; the parts it was handed on from follow
    (``roll_up_progress``)."""
    if not 0 <= percent <= 100:
        raise ValidationError(_("Tiến độ phải từ 0 đến 100%."))
    with transaction.atomic():
        locked = lock_assignment(assignment.pk)
        if not locked.is_open:
            raise RecordChanged(_("Phần việc này đã kết thúc."))
        if not holds(locked, by):
            raise PermissionDenied(_("Bạn không giữ phần việc này."))
        locked.progress = percent
        locked.progress_note = note
        locked.save(update_fields=["progress", "progress_note"])
        roll_up_progress(locked)
        history_add(
            record=locked.record,
            event=HistoryEntry.Event.PROGRESS,
            actor=by,
            comment=note,
            attachment=attachment,
            data={"percent": percent, "assignment": locked.pk, "role": locked.role},
        )
    return locked


def assignments_mark_read(*, record, user: User) -> int:
    """Opening a record closes the user's "for information" assignments on it (one history row each)."""
    if not user.is_authenticated:
        return 0
    with transaction.atomic():
        pending = list(
            Assignment.objects.for_record(record)
            .select_for_update(skip_locked=True)
            .filter(held_by_q(user), role=Assignment.Kind.INFORM, status=Assignment.Status.OPEN)
        )
        if not pending:
            return 0
        now = timezone.now()
        Assignment.objects.filter(pk__in=[a.pk for a in pending]).update(
            status=Assignment.Status.DONE, read_at=now, completed_at=now
        )
        history_add(
            record=record,
            event=HistoryEntry.Event.READ,
            actor=user,
            data={"assignments": [a.pk for a in pending]},
        )
    return len(pending)
