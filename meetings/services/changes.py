"""Changes of a registered meeting: free for one waiting for approval; for one whose invitations went out, a
change of time, place or people needs a reason and a choice of whom to tell (everyone, only those
affected, or postpone). People removed are told the meeting is cancelled for them. Every change raises the
iCalendar SEQUENCE and writes the history with what changed and why."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice.models import User
from eoffice.services import notify as send_notice
from meetings import people, rules, selectors
from meetings.models import Meeting, MeetingDocument, Participant
from meetings.services.booking import clean_participants, save_documents
from meetings.services.conflicts import (
    chaired_by_head,
    check_lock,
    format_moment,
    lock_room,
    room_conflicts,
    room_taken_error,
    validate_fields,
)
from meetings.services.fields import MeetingFields, ParticipantFields
from workflow.models import HistoryEntry, WorkflowState
from workflow.services import history_add

__all__ = ["NOTIFY_CHOICES", "meeting_change", "needs_notice"]

NOTIFY_CHOICES = ("all", "affected", "postpone")


def needs_notice(meeting: Meeting) -> bool:
    """A change of this meeting's time, place or people must say why and whom to tell."""
    return meeting.state == WorkflowState.APPROVED and meeting.invited_at is not None


def _participant_row(p: Participant | ParticipantFields) -> dict:
    return {"role": p.role, "prepare": (p.prepare or "").strip(), "prepare_due": p.prepare_due}


def _diff(meeting: Meeting, fields: MeetingFields, before_people: dict) -> dict:
    """What changes, as {field: [before, after]} in words people read (kept in the history)."""
    changes: dict[str, list] = {}
    if fields.start_at != meeting.start_at or fields.end_at != meeting.end_at:
        changes["time"] = [
            f"{format_moment(meeting.start_at)} – {timezone.localtime(meeting.end_at):%H:%M}",
            f"{format_moment(fields.start_at)} – {timezone.localtime(fields.end_at):%H:%M}",
        ]
    new_place = fields.room.name if fields.room is not None else fields.place.strip()
    if (fields.room.pk if fields.room else None) != meeting.room_id or (
        fields.room is None and fields.place.strip() != meeting.place
    ):
        changes["place"] = [meeting.place_label, new_place]
    new_chair = fields.chair.get_full_name() if fields.chair is not None else fields.chair_text.strip()
    if (fields.chair.pk if fields.chair else None) != meeting.chair_id or (
        fields.chair is None and fields.chair_text.strip() != meeting.chair_text
    ):
        changes["chair"] = [meeting.chair_name, new_chair]
    after = {p.key: p for p in fields.participants}
    added = [after[k].label for k in after if k not in before_people]
    removed = [before_people[k].label for k in before_people if k not in after]
    roles = [
        after[k].label
        for k in after
        if k in before_people and _participant_row(after[k]) != _participant_row(before_people[k])
    ]
    if added or removed:
        changes["participants"] = {"added": added, "removed": removed}
    if roles:
        changes["roles"] = roles
    for name in ("title", "description", "kind", "notes", "secret", "in_weekly"):
        old, new = getattr(meeting, name), getattr(fields, name)
        if isinstance(new, str):
            new = new.strip()
        if old != new:
            changes[name] = [old, new]
    if (fields.contact.pk if fields.contact else None) != meeting.contact_id:
        changes["contact"] = [
            meeting.contact.get_full_name() if meeting.contact_id else "",
            fields.contact.get_full_name() if fields.contact else "",
        ]
    return changes


PUBLISHED_KEYS = ("time", "place", "chair", "participants", "roles")


def _key(p: Participant) -> tuple:
    return ParticipantFields.of(p).key


def _apply_participants(meeting: Meeting, fields: MeetingFields, current: list[Participant]) -> None:
    """Keep the rows of people who stay (their attendance, substitutes and data), update their role, add
    the new ones and remove the others."""
    by_key = {_key(p): p for p in current}
    wanted = {p.key: (i, p) for i, p in enumerate(fields.participants)}
    Participant.objects.filter(pk__in=[p.pk for k, p in by_key.items() if k not in wanted]).delete()
    new_rows = []
    for key, (order, p) in wanted.items():
        attend = p.role == Participant.Role.ATTEND
        values = {
            "role": p.role,
            "prepare": "" if attend else (p.prepare or "").strip(),
            "prepare_due": None if attend else p.prepare_due,
            "order": order,
        }
        row = by_key.get(key)
        if row is not None:
            if any(getattr(row, k) != v for k, v in values.items()):
                Participant.objects.filter(pk=row.pk).update(**values)
        else:
            outsider = not (p.user or p.department or p.agency)
            new_rows.append(
                Participant(
                    meeting=meeting,
                    user=p.user,
                    department=p.department,
                    agency=p.agency,
                    name=p.name.strip() if outsider else "",
                    email=p.email.strip() if outsider else "",
                    **values,
                )
            )
    Participant.objects.bulk_create(new_rows)


def meeting_change(
    *, meeting: Meeting, by: User, fields: MeetingFields, reason: str = "", notify: str = "all"
) -> Meeting:
    """Change a meeting waiting for approval or approved, before it ends.

    For an approved meeting whose invitations went out, a change of time, place or people needs
    ``reason`` and ``notify``: "all" (everyone gets the updated invitation), "affected" (those added and
    removed; everyone when the time or place changed) or "postpone" (hoãn: everyone gets a cancellation
    until a later change sets a new time). People removed get a cancellation and a notice."""
    from meetings.services import meeting_invitations_queue

    reason = (reason or "").strip()
    if notify not in NOTIFY_CHOICES:
        raise ValidationError({"notify": _("Chọn cách thông báo thay đổi.")})
    with transaction.atomic():
        locked = selectors.meeting_access(user=by, pk=meeting.pk, lock=True)
        if locked.has_ended:
            raise ValidationError(_("Cuộc họp đã kết thúc; không thể thay đổi."), code="ended")
        if not rules.can_change(by, locked):
            raise PermissionDenied(_("Bạn không có quyền sửa lịch này."))
        fields.recurrence = None
        fields.participants = clean_participants(fields)
        time_changed = fields.start_at != locked.start_at or fields.end_at != locked.end_at
        validate_fields(
            by=by, fields=fields, agency_id=locked.agency_id, check_time=time_changed, meeting=locked
        )
        if time_changed:
            check_lock(
                by=by,
                agency_id=locked.agency_id,
                department_id=locked.department_id,
                start_at=fields.start_at,
            )
        current = list(locked.participants.select_related("user", "department", "agency", "substitute"))
        before_people = {_key(p): p for p in current}
        changes = _diff(locked, fields, before_people)
        published = needs_notice(locked)
        touches = any(k in changes for k in PUBLISHED_KEYS)
        postpone = published and notify == "postpone"
        if not changes and not postpone:
            raise ValidationError(_("Không có gì thay đổi."), code="unchanged")
        if published and (touches or postpone) and not reason:
            raise ValidationError(
                {"reason": _("Cuộc họp đã gửi giấy mời: vui lòng ghi lý do thay đổi.")},
                code="reason_required",
            )
        if (
            locked.state == WorkflowState.APPROVED
            and fields.room is not None
            and (time_changed or "place" in changes)
        ):
            lock_room(fields.room.pk)
            taken = room_conflicts(
                room_id=fields.room.pk,
                start_at=fields.start_at,
                end_at=fields.end_at,
                exclude_ids=[locked.pk],
            ).first()
            if taken is not None:
                raise room_taken_error(taken, by)
        elif (
            locked.state == WorkflowState.SUBMITTED
            and fields.room is not None
            and (time_changed or "place" in changes)
        ):
            taken = room_conflicts(
                room_id=fields.room.pk,
                start_at=fields.start_at,
                end_at=fields.end_at,
                exclude_ids=[locked.pk],
            ).first()
            if taken is not None and not chaired_by_head(
                agency_id=locked.agency_id, chair_id=fields.chair.pk if fields.chair else None
            ):
                raise room_taken_error(taken, by)

        attendees_before = {u.pk: u for u in people.attendee_users(locked, participants=current)}
        now = timezone.now()
        values = {
            "title": fields.title.strip(),
            "description": fields.description.strip(),
            "kind": fields.kind,
            "start_at": fields.start_at,
            "end_at": fields.end_at,
            "room": fields.room,
            "place": "" if fields.room is not None else fields.place.strip(),
            "chair": fields.chair,
            "chair_text": "" if fields.chair is not None else fields.chair_text.strip(),
            "contact": fields.contact,
            "secret": fields.secret,
            "in_weekly": fields.in_weekly,
            "notes": fields.notes.strip(),
            "sequence": locked.sequence + 1,
        }
        if locked.state == WorkflowState.APPROVED and touches:
            values["changed_at"] = now
        was_postponed = locked.is_postponed
        if postpone:
            values["postponed_at"] = now
            values["postpone_reason"] = reason[:500]
        elif was_postponed and time_changed:
            values["postponed_at"] = None
            values["postpone_reason"] = ""
        for name, value in values.items():
            setattr(locked, name, value)
        locked.save(update_fields=[*values.keys()])
        _apply_participants(locked, fields, current)
        old_links = {(d.incoming_id, d.outgoing_id) for d in locked.documents.all()}
        new_links = {(pk, None) for pk in fields.incoming_ids} | {(None, pk) for pk in fields.outgoing_ids}
        if old_links != new_links:
            MeetingDocument.objects.filter(meeting=locked).delete()
            save_documents(locked, by=by, incoming_ids=fields.incoming_ids, outgoing_ids=fields.outgoing_ids)
            changes["documents"] = True

        after_rows = list(locked.participants.select_related("user", "substitute"))
        attendees_after = {u.pk: u for u in people.attendee_users(locked, participants=after_rows)}
        removed = [u for pk, u in attendees_before.items() if pk not in attendees_after]
        added = [u for pk, u in attendees_after.items() if pk not in attendees_before]
        history_add(
            record=locked,
            event=HistoryEntry.Event.UPDATED,
            actor=by,
            comment=reason,
            data={
                "changes": changes,
                "notify": notify if published and (touches or postpone) else "",
                "postponed": postpone,
                "sequence": locked.sequence,
                "removed": [u.pk for u in removed],
                "added": [u.pk for u in added],
            },
        )
        if locked.state == WorkflowState.APPROVED and locked.invited_at is not None:
            _tell(
                locked,
                by=by,
                reason=reason,
                notify=notify,
                changes=changes,
                removed=removed,
                added=added,
                role_changed=[
                    p.user
                    for p in after_rows
                    if p.user_id
                    and _key(p) in before_people
                    and _participant_row(p) != _participant_row(before_people[_key(p)])
                ],
                everyone=list(attendees_after.values()),
                postpone=postpone,
                resumed=was_postponed and not postpone and time_changed,
                queue=meeting_invitations_queue,
            )
    return locked


def _summary(changes: dict) -> str:
    parts = []
    if "time" in changes:
        parts.append(_("thời gian: %(new)s") % {"new": changes["time"][1]})
    if "place" in changes:
        parts.append(_("địa điểm: %(new)s") % {"new": changes["place"][1]})
    if "chair" in changes:
        parts.append(_("chủ trì: %(new)s") % {"new": changes["chair"][1]})
    if "participants" in changes or "roles" in changes:
        parts.append(_("thành phần"))
    if "title" in changes:
        parts.append(_("nội dung"))
    return ", ".join(parts)


def _tell(
    meeting, *, by, reason, notify, changes, removed, added, role_changed, everyone, postpone, resumed, queue
) -> None:
    url = meeting.get_absolute_url()
    removed_ids = [u.pk for u in removed]
    if removed:
        queue(meeting=meeting, method="CANCEL", user_ids=removed_ids, reason=reason)
        send_notice(
            recipients=removed,
            kind="meetings.invitation",
            title=_("Cuộc họp “%(title)s” đã hủy đối với bạn") % {"title": meeting.title},
            body=reason,
            url="",
        )
    if postpone:
        queue(meeting=meeting, method="CANCEL", reason=reason)
        send_notice(
            recipients=everyone,
            kind="meetings.invitation",
            title=_("Hoãn cuộc họp: %(title)s") % {"title": meeting.title},
            body=reason,
            url=url,
        )
        return
    if meeting.is_postponed:
        return  # still postponed: the calendars keep the cancellation until a change sets a new time
    time_or_place = "time" in changes or "place" in changes
    if notify == "affected" and not time_or_place and not resumed:
        targets = [*added, *role_changed]
        if targets:
            queue(meeting=meeting, method="REQUEST", user_ids=[u.pk for u in targets], reason=reason)
    else:
        targets = everyone
        queue(meeting=meeting, method="REQUEST", reason=reason)
    targets = [u for u in targets if u.pk != by.pk]
    if targets:
        summary = _summary(changes)
        send_notice(
            recipients=targets,
            kind="meetings.invitation",
            title=_("Lịch họp thay đổi: %(title)s") % {"title": meeting.title},
            body=(_("Thay đổi %(what)s. Lý do: %(why)s") % {"what": summary, "why": reason})
            if summary
            else reason,
            url=url,
        )
