"""The direction of an incoming document: the leader's instruction and assignment (Điều 23), its delegation
to another leader, and the unit head's forward of the unit's part to an officer."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.incoming.models import IncomingDocument, can_direct, incoming_content_type
from documents.incoming.rules import due_soon_mark, notice_label
from documents.incoming.selectors import unit_heads
from documents.incoming.services.common import grant_view, locked_for, sync_sender
from documents.outgoing.models import DeliveryStatus
from eoffice.models import Department, Role, User
from eoffice.services import notify
from workflow import services as wf
from workflow.models import Assignment, HistoryEntry, WorkflowState


def incoming_delegate(
    *, document: IncomingDocument, by: User, to_leader: User, note: str = ""
) -> IncomingDocument:
    """The leader hands the direction of the document to a deputy."""
    with transaction.atomic():
        locked = locked_for(document, by)
        if locked.state != WorkflowState.RECEIVED:
            raise wf.RecordChanged
        if not can_direct(locked, by):
            raise PermissionDenied(_("Bạn không có quyền chỉ đạo văn bản này."))
        if (
            to_leader.pk == by.pk
            or to_leader.agency_id != locked.agency_id
            or not to_leader.has_role(Role.LEADER)
        ):
            raise ValidationError(_("Chỉ chuyển cho một lãnh đạo khác của cơ quan."))
        locked.directing_leader = to_leader
        locked.delegated_by = by
        locked.save(update_fields=["directing_leader", "delegated_by"])
        grant_view(locked, [to_leader])
        wf.history_add(
            record=locked,
            event=HistoryEntry.Event.COMMENT,
            actor=by,
            action="delegate",
            comment=note.strip(),
            data={"delegate_to": str(to_leader)},
        )
        notify(
            recipients=[to_leader],
            kind="documents.incoming",
            title=_("Được giao chỉ đạo văn bản đến: %(label)s") % {"label": notice_label(locked)},
            body=_("Người giao: %(name)s") % {"name": by},
            url=locked.get_absolute_url(),
        )
    return locked


def incoming_direct(
    *,
    document: IncomingDocument,
    by: User,
    instruction: str,
    lead_user: User | None = None,
    lead_department: Department | None = None,
    coordinators: Sequence[User] = (),
    coordinator_departments: Sequence[Department] = (),
    informed: Sequence[User] = (),
    due_at: datetime | None = None,
    expected_state: str | None = WorkflowState.RECEIVED,
    grant_lead_head: bool = False,
) -> IncomingDocument:
    """The leader's direction: instruction, lead, coordinators, informed and the deadline (Điều 23).

    One history row: the "assign" transition, with the lead, coordinators and informed in its data. On a
    secret document exactly the people named are granted it: the persons assigned, and for a unit assigned
    the heads who hold its part; the head of a person's unit only when the leader says so
    (``grant_lead_head``: the lead is a person whose head should follow or hand on the work)."""
    if not instruction.strip():
        raise ValidationError(_("Vui lòng nhập ý kiến chỉ đạo."))
    if due_at is not None and due_at <= timezone.now():
        raise ValidationError(_("Hạn xử lý phải sau thời điểm hiện tại."))
    with transaction.atomic():
        locked = locked_for(document, by)
        document, created = wf.record_assign(
            record=locked,
            by=by,
            instruction=instruction.strip(),
            expected_state=expected_state,
            lead=lead_user,
            lead_department=lead_department,
            coordinators=coordinators,
            coordinator_departments=coordinator_departments,
            informed=informed,
            due_at=due_at or locked.due_at,
        )
        document.instruction = instruction.strip()
        document.directed_by = by
        if due_at is not None:
            document.due_at = due_at
            document.due_soon_at = due_soon_mark(due_at, timezone.now())
        document.save(update_fields=["instruction", "directed_by", "due_at", "due_soon_at"])
        if document.is_secret:
            people = [a.assignee for a in created if a.assignee_id]
            people += unit_heads(a.department_id for a in created if not a.assignee_id)
            grant_view(document, people)
            if grant_lead_head and lead_user is not None:
                heads = [u for u in unit_heads([lead_user.department_id]) if u.pk != lead_user.pk]
                fresh = grant_view(document, heads)
                if fresh:
                    wf.history_add(
                        record=document,
                        event=HistoryEntry.Event.COMMENT,
                        actor=by,
                        action="grant",
                        comment=_("Cấp quyền xem: %(names)s") % {"names": ", ".join(str(u) for u in fresh)},
                        data={"granted": [u.pk for u in fresh], "lead_head": True},
                    )
        sync_sender(document, DeliveryStatus.ASSIGNED, by)
    return document


def incoming_forward(
    *,
    document: IncomingDocument,
    assignment: Assignment,
    by: User,
    to_user: User,
    instruction: str = "",
    due_at: datetime | None = None,
) -> Assignment:
    """The head of the assigned unit hands the unit's part to an officer (workflow notifies the officer)."""
    with transaction.atomic():
        locked = locked_for(document, by)
        if assignment.content_type_id != incoming_content_type().pk or assignment.object_id != locked.pk:
            raise PermissionDenied
        if not locked.is_open:
            raise wf.RecordChanged(_("Văn bản đã kết thúc xử lý."))
        child = wf.assignment_forward(
            assignment=assignment, to_user=to_user, by=by, instruction=instruction.strip(), due_at=due_at
        )
        grant_view(locked, [to_user])
    return child
