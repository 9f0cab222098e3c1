"""The processing of an incoming document by the people assigned: start, progress, the coordinators' input,
the lead's proposal and reply, finish, reopen; the close by an issued reply; the page's plain buttons."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.incoming.models import INCOMING_OPEN_STATES, IncomingDocument, holds_lead
from documents.incoming.rules import notice_label
from documents.incoming.selectors import unit_heads
from documents.incoming.services.common import grant_view, locked_for, sync_sender
from documents.incoming.services.receive import incoming_register, incoming_return
from documents.outgoing.models import DeliveryStatus
from eoffice.models import Department, Role, User
from eoffice.services import notify
from workflow import services as wf
from workflow.models import Assignment, HistoryEntry, WorkflowState, held_by_q


def _my_parts(document: IncomingDocument, by: User) -> list[Assignment]:
    return list(
        Assignment.objects.for_record(document)
        .select_for_update()
        .filter(held_by_q(by), status=Assignment.Status.OPEN)
        .exclude(role=Assignment.Kind.INFORM)
        .exclude(children__status=Assignment.Status.OPEN)
        .order_by("role", "id")
    )


def incoming_start(
    *, document: IncomingDocument, by: User, expected_state: str | None = WorkflowState.ASSIGNED
) -> IncomingDocument:
    with transaction.atomic():
        locked_for(document, by)
        document = wf.record_transition(record=document, action="start", by=by, expected_state=expected_state)
        sync_sender(document, DeliveryStatus.PROCESSING, by)
    return document


def incoming_progress(
    *, document: IncomingDocument, by: User, note: str, percent: int | None = None, attachment=None
) -> IncomingDocument:
    """A progress note (with a file) on the user's part; the lead's first note starts the processing."""
    if not note.strip():
        raise ValidationError(_("Vui lòng nhập nội dung cập nhật tiến độ."))
    with transaction.atomic():
        locked = locked_for(document, by)
        if not locked.is_open or locked.state == WorkflowState.RECEIVED:
            raise wf.RecordChanged(_("Văn bản không ở trạng thái đang xử lý."))
        parts = _my_parts(locked, by)
        if not parts:
            raise PermissionDenied(_("Bạn không được giao xử lý văn bản này."))
        part = parts[0]
        if part.role == Assignment.Kind.LEAD and locked.state == WorkflowState.ASSIGNED:
            locked = wf.record_transition(record=locked, action="start", by=by)
            sync_sender(locked, DeliveryStatus.PROCESSING, by)
        wf.assignment_report_progress(
            assignment=part,
            by=by,
            percent=part.progress if percent is None else percent,
            note=note.strip(),
            attachment=attachment,
        )
    return locked


def incoming_request_input(
    *,
    document: IncomingDocument,
    by: User,
    coordinators: Sequence[User] = (),
    coordinator_departments: Sequence[Department] = (),
    note: str,
    due_at: datetime | None = None,
) -> list[Assignment]:
    """The lead asks people or units for their input: new coordinate parts (the engine's
    ``assignments_add`` writes the history and notifies them); by default due with the document."""
    if not coordinators and not coordinator_departments:
        raise ValidationError(_("Vui lòng chọn người hoặc đơn vị phối hợp."))
    if not note.strip():
        raise ValidationError(_("Vui lòng nêu nội dung cần phối hợp."))
    now = timezone.now()
    if due_at is not None and due_at <= now:
        raise ValidationError(_("Hạn phối hợp phải sau thời điểm hiện tại."))
    with transaction.atomic():
        locked = locked_for(document, by)
        if not locked.is_open or not holds_lead(locked, by):
            raise PermissionDenied(_("Chỉ người chủ trì xử lý được xin ý kiến phối hợp."))
        if due_at is None and locked.due_at and locked.due_at > now:
            due_at = locked.due_at
        created = wf.assignments_add(
            record=locked,
            by=by,
            role=Assignment.Kind.COORDINATE,
            users=coordinators,
            departments=coordinator_departments,
            due_at=due_at,
            instruction=note.strip(),
        )
        recipients = [a.assignee for a in created if a.assignee_id]
        recipients += unit_heads(a.department_id for a in created if not a.assignee_id)
        grant_view(locked, recipients)
    return created


def incoming_coordinate_reply(
    *, document: IncomingDocument, assignment: Assignment, by: User, note: str, attachment=None
) -> Assignment:
    """A coordinator gives their input and closes their part (the requester is notified by workflow)."""
    if not note.strip():
        raise ValidationError(_("Vui lòng nhập ý kiến phối hợp."))
    if assignment.object_id != document.pk or assignment.role != Assignment.Kind.COORDINATE:
        raise PermissionDenied
    with transaction.atomic():
        locked_for(document, by)
        return wf.assignment_complete(assignment=assignment, by=by, note=note.strip(), attachment=attachment)


def incoming_propose(*, document: IncomingDocument, by: User, proposal: str) -> IncomingDocument:
    """The lead officer proposes the result (Phiếu giải quyết văn bản đến, part 3)."""
    if not proposal.strip():
        raise ValidationError(_("Vui lòng nhập ý kiến đề xuất."))
    with transaction.atomic():
        locked = locked_for(document, by)
        if not locked.is_open or not holds_lead(locked, by):
            raise PermissionDenied(_("Chỉ người chủ trì xử lý được đề xuất kết quả."))
        locked.proposal = proposal.strip()
        locked.save(update_fields=["proposal"])
        wf.history_add(
            record=locked,
            event=HistoryEntry.Event.COMMENT,
            actor=by,
            action="propose",
            comment=proposal.strip(),
            data={"kind": "proposal"},
        )
        part = _my_parts(locked, by)
        giver = part[0].assigned_by if part and part[0].assigned_by_id else locked.directed_by
        if giver and giver.pk != by.pk:
            notify(
                recipients=[giver],
                kind="workflow.progress",
                title=_("Đề xuất giải quyết: %(label)s") % {"label": notice_label(locked)},
                body=proposal.strip(),
                url=locked.get_absolute_url(),
            )
    return locked


def incoming_link_reply(
    *, document: IncomingDocument, by: User, reply_number_symbol: str
) -> IncomingDocument:
    """Record the number and symbol of the reply (the outgoing module links its own record later)."""
    with transaction.atomic():
        locked = locked_for(document, by)
        if not (holds_lead(locked, by) or (by.agency_id == locked.agency_id and by.has_role(Role.CLERK))):
            raise PermissionDenied(_("Bạn không có quyền cập nhật văn bản trả lời."))
        locked.reply_number_symbol = reply_number_symbol.strip()
        locked.save(update_fields=["reply_number_symbol"])
        wf.history_add(
            record=locked,
            event=HistoryEntry.Event.COMMENT,
            actor=by,
            action="link_reply",
            comment=_("Văn bản trả lời: %(symbol)s") % {"symbol": locked.reply_number_symbol or "—"},
        )
    return locked


def incoming_finish(
    *, document: IncomingDocument, by: User, note: str = "", attachment=None
) -> IncomingDocument:
    """The lead's finish closes the document's processing; open coordinate parts are closed with it."""
    with transaction.atomic():
        locked = locked_for(document, by)
        parts = [p for p in _my_parts(locked, by) if p.role == Assignment.Kind.LEAD]
        document = wf.record_transition(
            record=locked, action="finish", by=by, comment=note.strip(), attachment=attachment
        )
        notified = set()
        for part in parts:
            wf.assignment_complete(assignment=part, by=by, note=note.strip())
            notified.add(part.assigned_by_id)
        now = timezone.now()
        Assignment.objects.for_record(document).filter(
            status=Assignment.Status.OPEN, role__in=[Assignment.Kind.LEAD, Assignment.Kind.COORDINATE]
        ).update(status=Assignment.Status.DONE, completed_at=now)
        if document.directed_by_id and document.directed_by_id not in notified | {by.pk}:
            notify(
                recipients=[document.directed_by],
                kind="workflow.progress",
                title=_("Đã hoàn thành xử lý: %(label)s") % {"label": notice_label(document)},
                body=note.strip(),
                url=document.get_absolute_url(),
            )
        sync_sender(document, DeliveryStatus.DONE, by, note.strip())
    return document


def incoming_reopen(*, document: IncomingDocument, by: User, reason: str) -> IncomingDocument:
    if not reason.strip():
        raise ValidationError(_("Vui lòng nêu lý do mở lại."))
    with transaction.atomic():
        locked_for(document, by)
        document = wf.record_transition(record=document, action="reopen", by=by, comment=reason.strip())
        leads = Assignment.objects.for_record(document).filter(role=Assignment.Kind.LEAD, superseded=False)
        leads.exclude(status=Assignment.Status.CANCELLED).update(
            status=Assignment.Status.OPEN, completed_at=None
        )
        holders = [a.assignee for a in leads.select_related("assignee") if a.assignee_id]
        holders += unit_heads(a.department_id for a in leads if not a.assignee_id)
        notify(
            recipients=[u for u in holders if u.pk != by.pk],
            kind="workflow.assigned",
            title=_("Mở lại xử lý: %(label)s") % {"label": notice_label(document)},
            body=reason.strip(),
            url=document.get_absolute_url(),
        )
        sync_sender(document, DeliveryStatus.PROCESSING, by, reason.strip())
    return document


def incoming_close_by_reply(
    *, document: IncomingDocument, by: User, reply_number_symbol: str
) -> IncomingDocument:
    """The reply to ``document`` was issued (``documents.outgoing.delivery.close_reply``, inside the issuance
    transaction): its number and symbol are recorded and, if the document is still open, its processing
    is finished as ``incoming_finish`` would (a system step in the issuing clerk's name: no lead check)."""
    symbol = reply_number_symbol.strip()
    with transaction.atomic():
        # A system step in the issuing clerk's name (no page of theirs loaded it): a plain locked fetch.
        locked = wf.lock_record(IncomingDocument, document.pk)
        if by.agency_id != locked.agency_id:
            raise PermissionDenied(_("Văn bản trả lời phải do chính cơ quan nhận văn bản ban hành."))
        locked.reply_number_symbol = symbol[:100]
        locked.save(update_fields=["reply_number_symbol"])
        wf.history_add(
            record=locked,
            event=HistoryEntry.Event.COMMENT,
            actor=by,
            action="link_reply",
            comment=_("Văn bản trả lời: %(symbol)s") % {"symbol": symbol or "—"},
            data={"reply": symbol, "by_issuance": True},
        )
        if locked.state not in INCOMING_OPEN_STATES or locked.recalled_at is not None:
            return locked
        now = timezone.now()
        before = locked.state
        IncomingDocument.objects.filter(pk=locked.pk).update(
            state=WorkflowState.ARCHIVED, completed_at=now, updated_at=now
        )
        locked.refresh_from_db()
        leads = list(
            Assignment.objects.for_record(locked)
            .filter(status=Assignment.Status.OPEN, role=Assignment.Kind.LEAD)
            .select_related("assignee")
        )
        Assignment.objects.for_record(locked).filter(
            status=Assignment.Status.OPEN, role__in=[Assignment.Kind.LEAD, Assignment.Kind.COORDINATE]
        ).update(status=Assignment.Status.DONE, completed_at=now)
        comment = _("Kết thúc xử lý do đã ban hành văn bản trả lời số %(symbol)s (%(name)s phát hành).") % {
            "symbol": symbol,
            "name": by,
        }
        wf.history_add(
            record=locked,
            event=HistoryEntry.Event.TRANSITION,
            actor=by,
            action="finish",
            from_state=before,
            to_state=locked.state,
            comment=comment,
            data={"reply": symbol, "system": True},
        )
        holders = [a.assignee for a in leads if a.assignee_id]
        holders += unit_heads(a.department_id for a in leads if not a.assignee_id)
        if locked.directed_by_id:
            holders.append(locked.directed_by)
        notify(
            recipients=[u for u in holders if u.pk != by.pk],
            kind="workflow.progress",
            title=_("Đã hoàn thành xử lý: %(label)s") % {"label": notice_label(locked)},
            body=comment,
            url=locked.get_absolute_url(),
        )
        sync_sender(locked, DeliveryStatus.DONE, by, comment)
    return locked


def incoming_action(
    *, document: IncomingDocument, by: User, action: str, comment: str = "", expected_state: str | None = None
) -> IncomingDocument:
    """The simple buttons of the detail page (those without their own form)."""
    if action == "send_back":
        return incoming_return(document=document, by=by, reason=comment)
    if action == "start":
        return incoming_start(document=document, by=by, expected_state=expected_state)
    if action == "reopen":
        return incoming_reopen(document=document, by=by, reason=comment)
    if action == "register_number":
        return incoming_register(document=document, by=by)
    raise ValidationError(_("Thao tác không hợp lệ."))
