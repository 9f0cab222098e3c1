"""Registering, approving, rejecting and cancelling meetings, and the room conflicts.

A room is never double-booked by approved meetings: every write that may leave a meeting approved in a
room (registration in an auto-approving room, approval, a change of time or room) locks the Room row
(``SELECT … FOR UPDATE``) inside its transaction before it looks for approved meetings that overlap, so
two bookings at once are serialised on the room and the second one sees the first. Rows are locked in
one order: the meeting, then its room, then a meeting it displaces.

People booked twice, a chair booked twice and the weekly cap are warnings (``meeting_warnings``): the
form shows them and asks to confirm before saving; they never refuse.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice.models import Role, User
from eoffice.services import notify
from meetings import rules, selectors
from meetings.models import Meeting, MeetingDocument, MeetingSeries, Participant
from meetings.services.conflicts import (
    chaired_by_head,
    check_lock,
    format_moment,
    lock_room,
    meeting_slots,
    meeting_warnings,
    room_conflicts,
    room_taken_error,
    validate_fields,
)
from meetings.services.fields import (
    MeetingFields,
    ParticipantFields,
    RegisterResult,
)
from workflow.models import HistoryEntry, WorkflowState
from workflow.services import history_add, record_transition

__all__ = ["meeting_approve", "meeting_cancel", "meeting_register", "meeting_reject"]

# ---- writes ---------------------------------------------------------------------------------------------


def manager_users(agency_id: int) -> list[User]:
    """The people who approve the agency's schedule (those given the role, the managing unit's heads and
    clerks)."""
    config = rules.settings_for(agency_id)
    office = rules.manager_department_id(agency_id, config)
    q = Q(pk__in=[])
    if config.pk:
        q |= Q(pk__in=config.managers.values("pk"))
    if office:
        q |= Q(
            department_id=office,
            groups__agency_role__role__in=[Role.DEPARTMENT_HEAD, Role.CLERK],
            groups__agency_role__agency_id=agency_id,
        )
    return list(User.objects.filter(q, agency_id=agency_id, is_active=True).distinct())


def save_participants(meeting: Meeting, participants: list[ParticipantFields]) -> None:
    Participant.objects.bulk_create(
        [
            Participant(
                meeting=meeting,
                user=p.user,
                department=p.department,
                agency=p.agency,
                name=p.name.strip() if not (p.user or p.department or p.agency) else "",
                email=p.email.strip() if not (p.user or p.department or p.agency) else "",
                role=p.role,
                prepare=(p.prepare or "").strip() if p.role != Participant.Role.ATTEND else "",
                prepare_due=p.prepare_due if p.role != Participant.Role.ATTEND else None,
                order=i,
            )
            for i, p in enumerate(participants)
        ]
    )


def save_documents(meeting: Meeting, *, by: User, incoming_ids, outgoing_ids) -> None:
    MeetingDocument.objects.bulk_create(
        [MeetingDocument(meeting=meeting, incoming_id=pk, added_by=by) for pk in incoming_ids]
        + [MeetingDocument(meeting=meeting, outgoing_id=pk, added_by=by) for pk in outgoing_ids]
    )


def clean_participants(fields: MeetingFields) -> list[ParticipantFields]:
    """The chair listed again as a participant is the chair only."""
    chair_id = fields.chair.pk if fields.chair is not None else None
    return [p for p in fields.participants if not (p.user is not None and p.user.pk == chair_id)]


def meeting_register(*, by: User, fields: MeetingFields) -> RegisterResult:
    """Register a meeting (and each occurrence of its recurrence): chờ duyệt, or approved at once when its
    room approves itself and is free. Refused when its room is already approved for another meeting at
    that time (unless the agency head chairs it: then it waits for the office, which may take the room)."""
    if not rules.can_register(by):
        raise PermissionDenied(_("Bạn không có quyền đăng ký lịch."))
    agency_id = by.agency_id
    validate_fields(by=by, fields=fields, agency_id=agency_id)
    department = fields.department or by.department
    slots = meeting_slots(fields)
    for start, _end in slots:
        check_lock(
            by=by, agency_id=agency_id, department_id=department.pk if department else None, start_at=start
        )
    fields.participants = clean_participants(fields)
    head_chairs = chaired_by_head(agency_id=agency_id, chair_id=fields.chair.pk if fields.chair else None)
    now = timezone.now()
    with transaction.atomic():
        room = lock_room(fields.room.pk) if fields.room is not None else None
        warnings = meeting_warnings(by=by, fields=fields)
        free = True
        if room is not None:
            for start, end in slots:
                taken = room_conflicts(room_id=room.pk, start_at=start, end_at=end).first()
                if taken is not None:
                    if not head_chairs:
                        raise room_taken_error(taken, by)
                    free = False
        series = None
        if fields.recurrence is not None and len(slots) > 1:
            r = fields.recurrence
            series = MeetingSeries.objects.create(
                agency_id=agency_id,
                frequency=r.frequency,
                interval=r.interval,
                until=r.until,
                exceptions=[d.isoformat() for d in r.exceptions],
                created_by=by,
            )
        auto = room is not None and room.auto_approve and free
        created = []
        for start, end in slots:
            meeting = Meeting(
                state=WorkflowState.APPROVED if auto else WorkflowState.SUBMITTED,
                agency_id=agency_id,
                department=department,
                kind=fields.kind,
                title=fields.title.strip(),
                description=fields.description.strip(),
                start_at=start,
                end_at=end,
                room=room,
                place="" if room is not None else fields.place.strip(),
                chair=fields.chair,
                chair_text="" if fields.chair is not None else fields.chair_text.strip(),
                organiser=by,
                contact=fields.contact,
                secret=fields.secret,
                in_weekly=fields.in_weekly,
                notes=fields.notes.strip(),
                series=series,
                created_at=now,
                approved_at=now if auto else None,
            )
            meeting.save()
            save_participants(meeting, fields.participants)
            save_documents(meeting, by=by, incoming_ids=fields.incoming_ids, outgoing_ids=fields.outgoing_ids)
            history_add(
                record=meeting,
                event=HistoryEntry.Event.CREATED,
                actor=by,
                to_state=WorkflowState.SUBMITTED,
                comment=_("Đăng ký lịch."),
            )
            if auto:
                history_add(
                    record=meeting,
                    event=HistoryEntry.Event.TRANSITION,
                    actor=None,
                    action="approve",
                    from_state=WorkflowState.SUBMITTED,
                    to_state=WorkflowState.APPROVED,
                    comment=_("Phòng họp %(room)s tự động duyệt lịch.") % {"room": room.name},
                )
            created.append(meeting)
        first = created[0]
        if auto:
            for meeting in created:
                from meetings.services import meeting_invitations_queue

                meeting_invitations_queue(meeting=meeting, method="REQUEST")
        else:
            managers = [u for u in manager_users(agency_id) if u.pk != by.pk]
            if managers:
                notify(
                    recipients=managers,
                    kind="meetings.approval",
                    title=_("Lịch chờ duyệt: %(title)s") % {"title": first.title},
                    body=_("%(who)s đăng ký lịch lúc %(start)s%(more)s.")
                    % {
                        "who": by.get_full_name(),
                        "start": format_moment(first.start_at),
                        "more": _(" (%(n)s buổi)") % {"n": len(created)} if len(created) > 1 else "",
                    },
                    url=reverse("meetings:approvals"),
                )
    return RegisterResult(meetings=created, warnings=warnings)


def _refuse_if_ended(meeting: Meeting) -> None:
    if meeting.has_ended:
        raise ValidationError(_("Cuộc họp đã kết thúc; không thể thay đổi."), code="ended")


def _notify_organiser(meeting: Meeting, *, by: User, title: str, body: str = "") -> None:
    if meeting.organiser_id and meeting.organiser_id != by.pk:
        notify(
            recipients=[meeting.organiser],
            kind="meetings.approval",
            title=title,
            body=body,
            url=meeting.get_absolute_url(),
        )


def meeting_approve(*, meeting: Meeting, by: User, take_room: bool = False) -> Meeting:
    """Approve a meeting waiting for approval (or a rejected one). Its room must be free of approved
    meetings, checked with the room row locked; a meeting chaired by the agency head may take the room
    (``take_room``, after confirmation): the other meeting goes back to chờ duyệt and its organiser is
    told."""
    from meetings.services import meeting_invitations_queue

    with transaction.atomic():
        locked = selectors.meeting_access(user=by, pk=meeting.pk, lock=True)
        _refuse_if_ended(locked)
        if not rules.can_approve(by, locked):
            raise PermissionDenied(_("Bạn không có quyền duyệt lịch."))
        if locked.state not in (WorkflowState.SUBMITTED, WorkflowState.REJECTED):
            from workflow.services import RecordChanged

            raise RecordChanged(_("Lịch đã được người khác xử lý. Vui lòng tải lại trang."))
        displaced: list[Meeting] = []
        if locked.room_id:
            lock_room(locked.room_id)
            taken = list(
                room_conflicts(
                    room_id=locked.room_id,
                    start_at=locked.start_at,
                    end_at=locked.end_at,
                    exclude_ids=[locked.pk],
                )
            )
            if taken:
                if not chaired_by_head(agency_id=locked.agency_id, chair_id=locked.chair_id):
                    raise room_taken_error(taken[0], by)
                if not take_room:
                    raise ValidationError(
                        _(
                            "Phòng họp đã được duyệt cho “%(title)s”. Cuộc họp do người đứng đầu cơ quan chủ "
                            "trì: xác nhận “Lấy phòng” để duyệt; cuộc họp kia trở lại chờ duyệt."
                        )
                        % {"title": taken[0].title},
                        code="room_taken_head",
                    )
                displaced = taken
        for other in displaced:
            reason = _("Nhường phòng %(room)s cho cuộc họp “%(title)s” do %(chair)s chủ trì.") % {
                "room": locked.place_label,
                "title": locked.title,
                "chair": locked.chair_name,
            }
            moved = record_transition(record=other, action="displace", by=by, comment=reason)
            Meeting.objects.filter(pk=moved.pk).update(sequence=moved.sequence + 1)
            moved.sequence += 1
            meeting_invitations_queue(meeting=moved, method="CANCEL", reason=reason)
            if moved.organiser_id:
                notify(
                    recipients=[moved.organiser],
                    kind="meetings.approval",
                    title=_("Lịch “%(title)s” trở lại chờ duyệt") % {"title": moved.title},
                    body=reason,
                    url=moved.get_absolute_url(),
                )
        approved = record_transition(
            record=locked,
            action="approve",
            by=by,
            expected_state=locked.state,
            comment=_("Lấy phòng từ: %(titles)s") % {"titles": ", ".join(m.title for m in displaced)}
            if displaced
            else "",
            data={"displaced": [m.pk for m in displaced]} if displaced else None,
        )
        Meeting.objects.filter(pk=approved.pk).update(approved_by=by)
        approved.approved_by = by
        meeting_invitations_queue(meeting=approved, method="REQUEST")
        _notify_organiser(
            approved,
            by=by,
            title=_("Lịch đã được duyệt: %(title)s") % {"title": approved.title},
            body=_("%(start)s · %(place)s")
            % {"start": format_moment(approved.start_at), "place": approved.place_label},
        )
    return approved


def _reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": message}, code="reason_required")
    return reason


def meeting_reject(*, meeting: Meeting, by: User, reason: str) -> Meeting:
    reason = _reason(reason, _("Vui lòng nhập lý do từ chối."))
    with transaction.atomic():
        locked = selectors.meeting_access(user=by, pk=meeting.pk, lock=True)
        _refuse_if_ended(locked)
        if not rules.can_approve(by, locked):
            raise PermissionDenied(_("Bạn không có quyền duyệt lịch."))
        rejected = record_transition(
            record=locked, action="reject", by=by, comment=reason, expected_state=WorkflowState.SUBMITTED
        )
        _notify_organiser(
            rejected, by=by, title=_("Lịch bị từ chối: %(title)s") % {"title": rejected.title}, body=reason
        )
    return rejected


def meeting_cancel(*, meeting: Meeting, by: User, reason: str) -> Meeting:
    """Cancel a meeting (chờ duyệt or đã duyệt): the attendees of an approved one get the calendar CANCEL."""
    from meetings.services import meeting_invitations_queue

    reason = _reason(reason, _("Vui lòng nhập lý do hủy."))
    with transaction.atomic():
        locked = selectors.meeting_access(user=by, pk=meeting.pk, lock=True)
        _refuse_if_ended(locked)
        if not rules.can_cancel(by, locked):
            raise PermissionDenied(_("Bạn không có quyền hủy lịch này."))
        was = locked.state
        cancelled = record_transition(
            record=locked, action="cancel", by=by, comment=reason, expected_state=was
        )
        if was == WorkflowState.APPROVED:
            Meeting.objects.filter(pk=cancelled.pk).update(sequence=cancelled.sequence + 1)
            cancelled.sequence += 1
            meeting_invitations_queue(meeting=cancelled, method="CANCEL", reason=reason)
        _notify_organiser(
            cancelled, by=by, title=_("Lịch đã bị hủy: %(title)s") % {"title": cancelled.title}, body=reason
        )
    return cancelled
