"""Reminders of approved meetings, found by a beat-driven scan (``meetings.tasks.scan_reminders``): to the
attendees the evening before and N minutes before (agency settings), to the preparers some days before
their preparation deadline.

Each reminder is sent once: a ``MeetingReminder`` row (unique per meeting, person, kind and the meeting's
start) is inserted with ``ON CONFLICT DO NOTHING … RETURNING``, and only the rows this scan inserted are
sent, so two scans, even at once, never send the same reminder. A moved meeting has a new start, hence new
rows: its people are reminded again."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import connection, transaction
from django.db.models import Exists, Max, Min, OuterRef, Prefetch
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice.models import User
from eoffice.services import notify
from meetings import ical, people, rules
from meetings.models import Meeting, MeetingReminder, Participant, ScheduleSettings
from meetings.render.invitation import when_text
from workflow.models import WorkflowState

__all__: list[str] = []

KIND = "meetings.reminder"
BATCH = 200
EVENING = MeetingReminder.Kind.EVENING.value
SOON = MeetingReminder.Kind.SOON.value
PREPARE = MeetingReminder.Kind.PREPARE.value

_INSERT = """
INSERT INTO meetings_meetingreminder (meeting_id, user_id, kind, start_at, sent_at)
SELECT m, u, k, s, %s
FROM unnest(%s::bigint[], %s::bigint[], %s::varchar[], %s::timestamptz[]) AS t(m, u, k, s)
ON CONFLICT DO NOTHING
RETURNING meeting_id, user_id, kind
"""


def _mark(rows: list[tuple[int, int, str, dt.datetime]], now: dt.datetime) -> set[tuple[int, int, str]]:
    """Insert the reminder rows; the (meeting, user, kind) of those this call inserted."""
    if not rows:
        return set()
    meetings, users, kinds, starts = (list(col) for col in zip(*rows, strict=True))
    with connection.cursor() as cursor:
        cursor.execute(_INSERT, [now, meetings, users, kinds, starts])
        return {tuple(r) for r in cursor.fetchall()}


def _settings(agency_ids) -> dict[int, ScheduleSettings]:
    found = {s.agency_id: s for s in ScheduleSettings.objects.filter(agency_id__in=set(agency_ids))}
    return {pk: found.get(pk) or rules.settings_for(pk) for pk in set(agency_ids)}


def _default(name: str):
    """A setting's default: the value of every agency without a settings row."""
    return ScheduleSettings._meta.get_field(name).default


def _open_meetings(now: dt.datetime):
    return Meeting.objects.filter(state=WorkflowState.APPROVED, postponed_at__isnull=True, end_at__gt=now)


def _not_sent_since_change(kind: str):
    """No reminder of ``kind`` for this start went out after the meeting's last change of people."""
    return ~Exists(
        MeetingReminder.objects.filter(
            meeting=OuterRef("pk"),
            kind=kind,
            start_at=OuterRef("start_at"),
            sent_at__gte=Coalesce(OuterRef("changed_at"), OuterRef("approved_at"), OuterRef("created_at")),
        )
    )


def _with_people(qs):
    return qs.select_related("room", "chair").prefetch_related(
        Prefetch("participants", queryset=Participant.objects.select_related("user", "substitute"))
    )


def _due_attendance(now: dt.datetime) -> list[tuple[Meeting, str]]:
    """(meeting, kind) of the evening-before and before-start reminders due now."""
    due: list[tuple[Meeting, str]] = []
    local_now = timezone.localtime(now)
    tz = timezone.get_current_timezone()
    tomorrow = dt.datetime.combine(local_now.date() + dt.timedelta(days=1), dt.time.min, tz)
    limits = ScheduleSettings.objects.aggregate(m=Max("remind_minutes_before"), t=Min("remind_evening_time"))
    earliest = min(t for t in (limits["t"], _default("remind_evening_time")) if t is not None)
    evening = (
        _with_people(
            _open_meetings(now)
            .filter(start_at__gte=tomorrow, start_at__lt=tomorrow + dt.timedelta(days=1))
            .filter(_not_sent_since_change(EVENING))
        )
        if local_now.time() >= earliest  # no agency reminds this early: tomorrow's meetings not read
        else Meeting.objects.none()
    )
    longest = max(limits["m"] or 0, _default("remind_minutes_before"))
    soon = _with_people(
        _open_meetings(now)
        .filter(start_at__gt=now, start_at__lte=now + dt.timedelta(minutes=longest))
        .filter(_not_sent_since_change(SOON))
    )
    evening, soon = list(evening), list(soon)
    config = _settings([m.agency_id for m in evening + soon])
    for meeting in evening:
        c = config[meeting.agency_id]
        if c.remind_evening_before and local_now.time() >= c.remind_evening_time:
            due.append((meeting, EVENING))
    for meeting in soon:
        c = config[meeting.agency_id]
        if c.remind_minutes_before and now >= meeting.start_at - dt.timedelta(
            minutes=c.remind_minutes_before
        ):
            due.append((meeting, SOON))
    return due


def _due_preparation(now: dt.datetime) -> list[tuple[Participant, list[User]]]:
    """(preparer, people to remind) whose preparation deadline is near."""
    longest = ScheduleSettings.objects.aggregate(d=Max("prepare_remind_days"))["d"] or 0
    longest = max(longest, _default("prepare_remind_days"))
    rows = list(
        Participant.objects.filter(
            role__in=[Participant.Role.PREPARE_MAIN, Participant.Role.PREPARE_SUPPORT],
            prepare_due__gt=now,
            prepare_due__lte=now + dt.timedelta(days=longest),
            meeting__in=_open_meetings(now),
        ).select_related("meeting", "meeting__room", "meeting__chair", "user", "department")
    )
    config = _settings([p.meeting.agency_id for p in rows])
    rows = [
        p
        for p in rows
        if config[p.meeting.agency_id].prepare_remind_days
        and now >= p.prepare_due - dt.timedelta(days=config[p.meeting.agency_id].prepare_remind_days)
    ]
    heads = _unit_heads(p.department_id for p in rows)
    result = []
    for p in rows:
        if p.user_id:
            result.append((p, [p.user] if p.user.is_active else []))
        elif p.department_id:
            result.append((p, heads.get(p.department_id, [])))
    return result


def _unit_heads(department_ids) -> dict[int, list[User]]:
    """The heads of these units, in one query: they receive what is sent to their unit."""
    ids = {pk for pk in department_ids if pk}
    heads: dict[int, list[User]] = defaultdict(list)
    if ids:
        for user in User.objects.filter(people.unit_heads_q(ids)).distinct():
            heads[user.department_id].append(user)
    return heads


def _attendees(meeting: Meeting, heads: dict[int, list[User]]) -> list[User]:
    """``people.attendee_users`` with the unit heads looked up once for the whole batch."""
    participants = list(meeting.participants.all())
    users = {
        u.pk: u
        for u in people.attendee_users(meeting, participants=[p for p in participants if not p.department_id])
    }
    for p in participants:
        for head in heads.get(p.department_id, []) if p.department_id else []:
            users.setdefault(head.pk, head)
    return list(users.values())


def _titles(kind: str, meeting: Meeting) -> tuple[str, str]:
    place = meeting.place_label or "—"
    when = when_text(meeting)
    if kind == PREPARE:
        return _("Nhắc hạn chuẩn bị cuộc họp: %(title)s") % {"title": meeting.title}, ""
    title = (
        _("Nhắc lịch họp ngày mai: %(title)s") if kind == EVENING else _("Sắp đến giờ họp: %(title)s")
    ) % {"title": meeting.title}
    return title, _("Thời gian: %(when)s · Địa điểm: %(place)s") % {"when": when, "place": place}


def reminders_scan(*, now: dt.datetime | None = None) -> dict:
    """Send the reminders due now that were not sent yet; counts of reminders sent by kind."""
    now = now or timezone.now()
    sent = {EVENING: 0, SOON: 0, PREPARE: 0}
    attendance = _due_attendance(now)
    for start in range(0, len(attendance), BATCH):
        chunk = attendance[start : start + BATCH]
        with transaction.atomic():
            wanted = []
            recipients: dict[tuple[int, str], list[User]] = {}
            heads = _unit_heads(p.department_id for m, _kind in chunk for p in m.participants.all())
            for meeting, kind in chunk:
                users = _attendees(meeting, heads)
                recipients[(meeting.pk, kind)] = users
                wanted += [(meeting.pk, u.pk, kind, meeting.start_at) for u in users if u.is_active]
            marked = _mark(wanted, now)
            for meeting, kind in chunk:
                users = [u for u in recipients[(meeting.pk, kind)] if (meeting.pk, u.pk, kind) in marked]
                if users:
                    title, body = _titles(kind, meeting)
                    notify(
                        recipients=users, kind=KIND, title=title, body=body, url=ical.meeting_path(meeting)
                    )
                    sent[kind] += len(users)
    preparation = _due_preparation(now)
    for start in range(0, len(preparation), BATCH):
        chunk = preparation[start : start + BATCH]
        with transaction.atomic():
            kind = PREPARE
            wanted = [(p.meeting_id, u.pk, kind, p.meeting.start_at) for p, users in chunk for u in users]
            marked = _mark(wanted, now)
            for p, users in chunk:
                users = [u for u in users if (p.meeting_id, u.pk, kind) in marked]
                marked -= {(p.meeting_id, u.pk, kind) for u in users}  # one reminder even if listed twice
                if not users:
                    continue
                meeting = p.meeting
                title, _body = _titles(kind, meeting)
                due = timezone.localtime(p.prepare_due).strftime("%H:%M %d/%m/%Y")
                notify(
                    recipients=users,
                    kind=KIND,
                    title=title,
                    body=_("Chuẩn bị: %(what)s · Hạn: %(due)s · Họp lúc %(when)s")
                    % {"what": p.prepare or p.get_role_display(), "due": due, "when": when_text(meeting)},
                    url=ical.meeting_path(meeting),
                )
                sent[kind] += len(users)
    return sent
