"""Every write of the workflow engine.

Keyword-only arguments, one ``transaction.atomic`` each, the record (or assignment) loaded with a row
lock, the actor's right checked, the change made, a history row written, tasks queued on commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice.models import Department, NotificationPreference, Role, User
from eoffice.notifications import KINDS
from eoffice.services import notify
from workflow import calendar
from workflow.files import sha256_of, validate_upload
from workflow.models import (
    ACTIONS,
    Assignment,
    HistoryEntry,
    ReminderLevel,
    ReminderMark,
    WorkflowRecord,
    WorkflowState,
    WorkItem,
    held_by_q,
)


class RecordChanged(ValidationError):
    """The record moved on between the page being shown and the action: someone else acted first."""

    def __init__(self, message=None):
        super().__init__(
            message or _("Hồ sơ đã được người khác xử lý. Vui lòng tải lại trang."), code="changed"
        )


# ---------------------------------------------------------------------------------------------------
# History
# ---------------------------------------------------------------------------------------------------


def history_add(
    *,
    record,
    event: str,
    actor: User | None,
    action: str = "",
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
    attachment=None,
    data: dict | None = None,
    at: datetime | None = None,
) -> HistoryEntry:
    """Append one history row (joins the caller's transaction); ``at`` backdates it (demo data, imports)."""
    entry = HistoryEntry(
        content_type=ContentType.objects.get_for_model(record.__class__),
        object_id=record.pk,
        agency_id=getattr(record, "agency_id", None),
        event=event,
        action=action,
        from_state=from_state,
        to_state=to_state,
        actor=actor if actor is not None and actor.pk else None,
        comment=comment,
        data=data or {},
    )
    if at is not None:
        entry.created_at = at
    if attachment is not None:
        validate_upload(attachment)
        entry.attachment_sha256 = sha256_of(attachment)
        entry.attachment_name = attachment.name[-255:]
        entry.attachment_size = attachment.size
        entry.attachment = attachment
    entry.save()
    return entry


def record_view_log(*, record, user: User, reason: str = "") -> HistoryEntry:
    """Keep a trace of who opened a secret record (callers decide which records need it)."""
    with transaction.atomic():
        return history_add(record=record, event=HistoryEntry.Event.VIEW, actor=user, comment=reason)


# ---------------------------------------------------------------------------------------------------
# State machine
# ---------------------------------------------------------------------------------------------------


def lock_record(model, pk: int):
    """Load a record with a row lock (inside the caller's transaction)."""
    return model.objects.select_for_update(of=("self",)).get(pk=pk)


def record_transition(
    *,
    record: WorkflowRecord,
    action: str,
    by: User,
    comment: str = "",
    attachment=None,
    expected_state: str | None = None,
    data: dict | None = None,
) -> WorkflowRecord:
    """Run transition ``action`` on ``record`` for ``by``: lock, check, transition, history.

    Two people acting at once: the second waits for the first's lock, then finds the state changed
    and gets ``RecordChanged`` ("hồ sơ đã được người khác xử lý").
    """
    with transaction.atomic():
        locked = lock_record(type(record), record.pk)
        if expected_state is not None and locked.state != expected_state:
            raise RecordChanged
        available = {t.name: t for t in locked.get_available_state_transitions()}
        if action not in available:
            if action in {t.name for t in locked.get_all_state_transitions()}:
                raise RecordChanged
            raise ValidationError(_("Thao tác không hợp lệ."), code="unknown_action")
        if not available[action].has_perm(locked, by):
            raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
        info = ACTIONS.get(action)
        custom = available[action].custom or {}
        if custom.get("comment_required", info.comment_required if info else False) and not comment.strip():
            raise ValidationError(_("Vui lòng nhập ý kiến cho thao tác này."), code="comment_required")
        before = locked.state
        getattr(locked, action)()
        locked.save()
        history_add(
            record=locked,
            event=HistoryEntry.Event.TRANSITION,
            actor=by,
            action=action,
            from_state=before,
            to_state=locked.state,
            comment=comment.strip(),
            attachment=attachment,
            data=data,
        )
    return locked


# ---------------------------------------------------------------------------------------------------
# Assignments
# ---------------------------------------------------------------------------------------------------


def deadline_marks(*, due_at: datetime | None, start: datetime) -> tuple[datetime | None, datetime | None]:
    """(due_soon_at, escalate_at) for a deadline: the thresholds the SQL status and the scan use."""
    if due_at is None:
        return None, None
    soon = calendar.add_working_hours(due_at, -settings.WORKFLOW_DUE_SOON_WORKING_HOURS)
    soon = max(min(soon, due_at), start) if start < due_at else due_at
    escalate = calendar.add_working_days(due_at, settings.WORKFLOW_ESCALATE_AFTER_WORKING_DAYS)
    return soon, escalate


def _heads_of(department_ids: Iterable[int]) -> dict[int, list[User]]:
    ids = {d for d in department_ids if d}
    heads: dict[int, list[User]] = {}
    if not ids:
        return heads
    for user in User.objects.filter(
        department_id__in=ids,
        is_active=True,
        groups__agency_role__role=Role.DEPARTMENT_HEAD,
    ).distinct():
        heads.setdefault(user.department_id, []).append(user)
    return heads


def _holders(assignments: Sequence[Assignment]) -> dict[int, list[User]]:
    """Who holds each assignment: the person, or the heads of the assigned unit."""
    heads = _heads_of(a.department_id for a in assignments if not a.assignee_id)
    return {a.pk: [a.assignee] if a.assignee_id else heads.get(a.department_id, []) for a in assignments}


def _record_url(record) -> str:
    try:
        return record.get_absolute_url()
    except AttributeError:
        return ""


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


def _notify_assigned(*, record, assignments: Sequence[Assignment], by: User, note: str = "") -> None:
    holders = _holders(assignments)
    url = _record_url(record)
    body = _("Người giao: %(name)s") % {"name": by}
    if note:
        body = f"{body}\n{note}"
    for kind_label, role in (
        (_("Chủ trì"), Assignment.Kind.LEAD),
        (_("Phối hợp"), Assignment.Kind.COORDINATE),
        (_("Để biết"), Assignment.Kind.INFORM),
    ):
        recipients = [u for a in assignments if a.role == role for u in holders[a.pk] if u.pk != by.pk]
        if recipients:
            notify(
                recipients=recipients,
                kind="workflow.assigned",
                title=_("Được giao (%(role)s): %(title)s") % {"role": kind_label, "title": record},
                body=body,
                url=url,
            )


ADDABLE_ROLES = (Assignment.Kind.COORDINATE, Assignment.Kind.INFORM)


def _may_add(*, record, leads: Sequence[Assignment], user: User, role: str) -> bool:
    """Who may add parts to a record that has its lead.

    ``assignments_create`` leaves the right to its callers (each kind's ``assign`` transition); once the
    record is given, the engine decides as for managing a part (``_can_manage``): the person who gave
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
    return role == Assignment.Kind.COORDINATE and any(a.is_open and _holds(a, user) for a in leads)


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

    Row lock on the record, the right checked (``_may_add``), one history row ("assigned", action
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
        if not _may_add(record=locked, leads=leads, user=by, role=role):
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


def _lock_assignment(pk: int) -> Assignment:
    return Assignment.objects.select_for_update(of=("self",)).select_related("content_type").get(pk=pk)


def _holds(assignment: Assignment, user: User) -> bool:
    if assignment.assignee_id:
        return assignment.assignee_id == user.pk
    return (
        user.department_id == assignment.department_id
        and user.has_role(Role.DEPARTMENT_HEAD)
        and user.agency_id == assignment.agency_id
    )


def _can_manage(assignment: Assignment, user: User) -> bool:
    """The person who gave it, a leader of the agency, or a superuser may pause, resume or extend."""
    if user.is_superuser:
        return True
    if user.agency_id != assignment.agency_id:
        return False
    return assignment.assigned_by_id == user.pk or user.has_role(Role.LEADER)


def assignment_forward(
    *, assignment: Assignment, to_user: User, by: User, instruction: str = "", due_at: datetime | None = None
) -> Assignment:
    """A department head hands an assignment on to someone of the department; the chain stays visible."""
    with transaction.atomic():
        parent = _lock_assignment(assignment.pk)
        if not parent.is_open:
            raise RecordChanged(_("Phần việc này đã kết thúc nên không thể chuyển giao."))
        if not (_holds(parent, by) and by.has_role(Role.DEPARTMENT_HEAD)) and not by.is_superuser:
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
                url=_record_url(record),
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
        locked = _lock_assignment(assignment.pk)
        if not locked.is_open:
            raise RecordChanged(_("Phần việc này đã được báo cáo hoàn thành."))
        if not _holds(locked, by):
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
                url=_record_url(locked.record),
            )
    return locked


def _roll_up_progress(assignment: Assignment) -> None:
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
    (``_roll_up_progress``)."""
    if not 0 <= percent <= 100:
        raise ValidationError(_("Tiến độ phải từ 0 đến 100%."))
    with transaction.atomic():
        locked = _lock_assignment(assignment.pk)
        if not locked.is_open:
            raise RecordChanged(_("Phần việc này đã kết thúc."))
        if not _holds(locked, by):
            raise PermissionDenied(_("Bạn không giữ phần việc này."))
        locked.progress = percent
        locked.progress_note = note
        locked.save(update_fields=["progress", "progress_note"])
        _roll_up_progress(locked)
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


def assignment_pause(*, assignment: Assignment, by: User, reason: str) -> Assignment:
    """Stop the clock (e.g. waiting for the applicant); paused time does not count."""
    if not reason.strip():
        raise ValidationError(_("Vui lòng nêu lý do tạm dừng."))
    with transaction.atomic():
        locked = _lock_assignment(assignment.pk)
        if not _can_manage(locked, by):
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


def clock_shift(*, due_at: datetime, paused_at: datetime, resumed_at: datetime) -> tuple[datetime, int]:
    """The deadline moved by the office time spent paused, and that time in seconds."""
    paused = calendar.working_seconds_between(paused_at, resumed_at)
    return calendar.add_working_seconds(due_at, paused), paused


def assignment_resume(*, assignment: Assignment, by: User, now: datetime | None = None) -> Assignment:
    with transaction.atomic():
        locked = _lock_assignment(assignment.pk)
        if not _can_manage(locked, by):
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


def _extend_locked(locked: Assignment, *, due_at: datetime, reason: str, now: datetime) -> dict:
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
        locked = _lock_assignment(assignment.pk)
        if not _can_manage(locked, by):
            raise PermissionDenied
        if not locked.is_open:
            raise RecordChanged(_("Phần việc đã kết thúc."))
        change = _extend_locked(locked, due_at=due_at, reason=reason, now=now)
        history_add(
            record=locked.record,
            event=HistoryEntry.Event.DEADLINE,
            actor=by,
            comment=reason,
            data={**change, "assignment": locked.pk, "extension_count": locked.extension_count},
        )
    return locked


# ---------------------------------------------------------------------------------------------------
# Reminders
# ---------------------------------------------------------------------------------------------------

_SCAN_SQL = """
WITH picked AS (
    SELECT id, extension_count FROM workflow_assignment
    WHERE status = 'open' AND paused_at IS NULL AND reminder_level < %(level)s AND {column} <= %(now)s
    ORDER BY {column}
    LIMIT %(batch)s
    FOR UPDATE SKIP LOCKED
), marked AS (
    INSERT INTO workflow_remindermark (assignment_id, round, level, created_at)
    SELECT id, extension_count, %(level)s, %(now)s FROM picked
    ON CONFLICT DO NOTHING
    RETURNING id
), bumped AS (
    UPDATE workflow_assignment a SET reminder_level = %(level)s
    FROM picked WHERE a.id = picked.id
    RETURNING a.id
)
SELECT (SELECT count(*) FROM bumped), ARRAY(SELECT id FROM marked)
"""

_LEVEL_COLUMNS = (
    (ReminderLevel.CRITICISM, "escalate_at"),
    (ReminderLevel.OVERDUE, "due_at"),
    (ReminderLevel.DUE_SOON, "due_soon_at"),
)


def reminders_scan(*, now: datetime | None = None, batch: int | None = None, deliver: bool = True) -> dict:
    """Find open assignments newly due soon, overdue, or overdue for long; mark each level once.

    Batched with ``FOR UPDATE SKIP LOCKED``; the marker table's unique (assignment, round, level)
    and ``ON CONFLICT DO NOTHING`` make a reminder go out once whatever the number of scans.
    Delivery (notifications) is queued per batch on commit.
    """
    now = now or timezone.now()
    batch = batch or settings.WORKFLOW_REMINDER_BATCH
    result = {"picked": 0, "marked": 0}
    for level, column in _LEVEL_COLUMNS:
        sql = _SCAN_SQL.format(column=column)
        while True:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, {"level": int(level), "now": now, "batch": batch})
                picked, mark_ids = cursor.fetchone()
                if mark_ids and deliver:
                    transaction.on_commit(lambda ids=list(mark_ids): _queue_delivery(ids))
            result["picked"] += picked
            result["marked"] += len(mark_ids)
            if picked < batch:
                break
    return result


def _queue_delivery(mark_ids: list[int]) -> None:
    from workflow.tasks import deliver_reminders

    deliver_reminders.delay(mark_ids)


REMINDER_KINDS = {
    ReminderLevel.DUE_SOON: "workflow.due_soon",
    ReminderLevel.OVERDUE: "workflow.overdue",
    ReminderLevel.CRITICISM: "workflow.criticism",
}


def reminders_deliver(*, mark_ids: Sequence[int]) -> int:
    """Send the notifications of the given marks; a mark already delivered is skipped (idempotent)."""
    sent = 0
    with transaction.atomic():
        marks = list(
            ReminderMark.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=list(mark_ids), delivered_at__isnull=True)
            .select_related("assignment__assignee", "assignment__department")
            .prefetch_related("assignment__record")
        )
        if not marks:
            return 0
        assignments = [m.assignment for m in marks]
        holders = _holders(assignments)
        heads = _heads_of(a.department_id for a in assignments)
        for mark in marks:
            a = mark.assignment
            record = a.record
            if record is None:
                continue
            recipients = list(holders[a.pk])
            if mark.level >= ReminderLevel.OVERDUE:
                recipients += heads.get(a.department_id, [])
            due = timezone.localtime(a.due_at).strftime("%H:%M %d/%m/%Y") if a.due_at else ""
            titles = {
                ReminderLevel.DUE_SOON: _("Sắp đến hạn: %(title)s"),
                ReminderLevel.OVERDUE: _("Nhắc nhở — quá hạn: %(title)s"),
                ReminderLevel.CRITICISM: _("Phê bình — quá hạn kéo dài: %(title)s"),
            }
            notify(
                recipients=recipients,
                kind=REMINDER_KINDS[ReminderLevel(mark.level)],
                title=titles[ReminderLevel(mark.level)] % {"title": record},
                body=_("%(role)s: %(holder)s · Hạn xử lý: %(due)s")
                % {"role": a.get_role_display(), "holder": a.holder_name, "due": due},
                url=_record_url(record),
            )
            sent += 1
        ReminderMark.objects.filter(pk__in=[m.pk for m in marks]).update(delivered_at=timezone.now())
    return sent


def digest_send(*, now: datetime | None = None) -> int:
    """One summary per person with open work, once a day, on working days."""
    now = now or timezone.now()
    day = timezone.localtime(now).date()
    if not calendar.is_working_day(day):
        return 0
    rows = list(
        Assignment.objects.open()
        .filter(assignee__isnull=False, assignee__is_active=True)
        .values("assignee_id")
        .annotate(
            total=Count("id"),
            overdue=Count("id", filter=Q(paused_at__isnull=True, due_at__lt=now)),
            due_soon=Count("id", filter=Q(paused_at__isnull=True, due_at__gte=now, due_soon_at__lt=now)),
        )
    )
    if not rows:
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO workflow_digestmark (user_id, day, created_at) "
            "SELECT unnest(%s::bigint[]), %s, %s ON CONFLICT DO NOTHING RETURNING user_id",
            [[r["assignee_id"] for r in rows], day, now],
        )
        fresh = {r[0] for r in cursor.fetchall()}
        users = User.objects.in_bulk(fresh)
        from django.urls import reverse

        for row in rows:
            user = users.get(row["assignee_id"])
            if user is None:
                continue
            notify(
                recipients=[user],
                kind="workflow.digest",
                title=_("Tóm tắt công việc ngày %(day)s") % {"day": day.strftime("%d/%m/%Y")},
                body=_("%(total)d việc đang xử lý, %(soon)d sắp đến hạn, %(overdue)d quá hạn.")
                % {"total": row["total"], "soon": row["due_soon"], "overdue": row["overdue"]},
                url=reverse("workflow:my_work"),
            )
    return len(fresh)


# ---------------------------------------------------------------------------------------------------
# Work items
# ---------------------------------------------------------------------------------------------------


def can_give_work(user: User) -> bool:
    return user.is_superuser or (
        user.agency_id is not None and user.has_role(Role.LEADER, Role.DEPARTMENT_HEAD)
    )


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
            record=item, action=action, by=by, comment=comment, expected_state=expected_state
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
    people = [u for users in _holders(assignments).values() for u in users]
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
        locked = lock_record(WorkItem, item.pk)
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
            _roll_up_progress(assignment)
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
        locked = lock_record(WorkItem, item.pk)
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
                _extend_locked(assignment, due_at=due_at, reason=reason, now=now)
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


# ---------------------------------------------------------------------------------------------------
# Notification preferences
# ---------------------------------------------------------------------------------------------------


def notification_preferences_set(*, user: User, email_kinds: Iterable[str]) -> None:
    """Save, for every registered kind, whether it also goes to the person's email."""
    wanted = set(email_kinds)
    unknown = wanted - set(KINDS)
    if unknown:
        raise ValidationError(_("Loại thông báo không hợp lệ."))
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        for code in KINDS:
            NotificationPreference.objects.update_or_create(
                user=user, kind=code, defaults={"email": code in wanted}
            )
