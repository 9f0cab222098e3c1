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

import calendar as pycalendar
import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice.models import Agency, Department, Role, User
from eoffice.services import notify
from meetings import rules, selectors
from meetings.models import Meeting, MeetingDocument, MeetingSeries, Participant, Room
from workflow.models import HistoryEntry, WorkflowState
from workflow.services import history_add, record_transition

__all__ = [
    "BookingWarning",
    "MeetingFields",
    "ParticipantFields",
    "RecurrenceFields",
    "RegisterResult",
    "chaired_by_head",
    "meeting_approve",
    "meeting_cancel",
    "meeting_register",
    "meeting_reject",
    "meeting_warnings",
    "room_conflicts",
]

MAX_HOURS = 24
MAX_OCCURRENCES = 100
MAX_SERIES_DAYS = 366
ACTIVE_STATES = (WorkflowState.SUBMITTED, WorkflowState.APPROVED)


# ---- the input ------------------------------------------------------------------------------------------


@dataclass
class ParticipantFields:
    """One participant: exactly one of ``user``, ``department``, ``agency`` (another agency) or ``name``
    (an outsider, with an optional ``email``)."""

    user: User | None = None
    department: Department | None = None
    agency: Agency | None = None
    name: str = ""
    email: str = ""
    role: str = Participant.Role.ATTEND
    prepare: str = ""
    prepare_due: dt.datetime | None = None

    @property
    def key(self) -> tuple:
        if self.user is not None:
            return ("user", self.user.pk)
        if self.department is not None:
            return ("department", self.department.pk)
        if self.agency is not None:
            return ("agency", self.agency.pk)
        return ("name", self.name.strip().lower(), self.email.strip().lower())

    @property
    def label(self) -> str:
        if self.user is not None:
            return self.user.get_full_name()
        if self.department is not None:
            return self.department.name
        if self.agency is not None:
            return self.agency.name
        return self.name

    @classmethod
    def of(cls, p: Participant) -> ParticipantFields:
        return cls(
            user=p.user,
            department=p.department,
            agency=p.agency,
            name=p.name,
            email=p.email,
            role=p.role,
            prepare=p.prepare,
            prepare_due=p.prepare_due,
        )


@dataclass
class RecurrenceFields:
    frequency: str  # MeetingSeries.Frequency
    until: dt.date
    interval: int = 1
    exceptions: list[dt.date] = field(default_factory=list)


@dataclass
class MeetingFields:
    title: str
    start_at: dt.datetime
    end_at: dt.datetime
    kind: str = Meeting.Kind.MEETING
    description: str = ""
    room: Room | None = None
    place: str = ""
    chair: User | None = None
    chair_text: str = ""
    participants: list[ParticipantFields] = field(default_factory=list)
    contact: User | None = None
    secret: bool = False
    in_weekly: bool = True
    notes: str = ""
    department: Department | None = None  # the registering unit; the actor's own by default
    incoming_ids: list[int] = field(default_factory=list)
    outgoing_ids: list[int] = field(default_factory=list)
    recurrence: RecurrenceFields | None = None

    @classmethod
    def of(cls, meeting: Meeting) -> MeetingFields:
        """The fields of a saved meeting (what the change form starts from)."""
        links = list(meeting.documents.all())
        return cls(
            title=meeting.title,
            start_at=meeting.start_at,
            end_at=meeting.end_at,
            kind=meeting.kind,
            description=meeting.description,
            room=meeting.room,
            place=meeting.place,
            chair=meeting.chair,
            chair_text=meeting.chair_text,
            participants=[
                ParticipantFields.of(p)
                for p in meeting.participants.select_related("user", "department", "agency")
            ],
            contact=meeting.contact,
            secret=meeting.secret,
            in_weekly=meeting.in_weekly,
            notes=meeting.notes,
            department=meeting.department,
            incoming_ids=[d.incoming_id for d in links if d.incoming_id],
            outgoing_ids=[d.outgoing_id for d in links if d.outgoing_id],
        )


@dataclass(frozen=True)
class BookingWarning:
    """Something the person registering should know before saving; never a refusal."""

    code: str  # person_busy | chair_busy | weekly_cap | room_pending | room_taken_by_head
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass
class RegisterResult:
    meetings: list[Meeting]
    warnings: list[BookingWarning]


# ---- checks ---------------------------------------------------------------------------------------------


def format_moment(at: dt.datetime) -> str:
    return timezone.localtime(at).strftime("%H:%M %d/%m/%Y")


def validate_fields(
    *,
    by: User,
    fields: MeetingFields,
    agency_id: int,
    check_time: bool = True,
    meeting: Meeting | None = None,
) -> None:
    """Every refusal of the form, by field; raises one ValidationError with all of them."""
    errors: dict[str, list[str]] = {}

    def err(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not (fields.title or "").strip():
        err("title", _("Vui lòng nhập nội dung cuộc họp."))
    if fields.start_at and fields.end_at:
        if fields.end_at <= fields.start_at:
            err("end_at", _("Thời gian kết thúc phải sau thời gian bắt đầu."))
        elif fields.end_at - fields.start_at > dt.timedelta(hours=MAX_HOURS):
            err("end_at", _("Một cuộc họp, sự kiện kéo dài tối đa 24 giờ."))
        if check_time and fields.start_at <= timezone.now():
            err("start_at", _("Không thể đăng ký lịch cho thời gian đã qua."))
    has_chair = fields.chair is not None
    has_text = bool((fields.chair_text or "").strip())
    if has_chair == has_text:
        err("chair", _("Cuộc họp phải có đúng một người chủ trì: chọn cán bộ hoặc nhập tên người chủ trì."))
    if fields.room is not None:
        if fields.room.agency_id != agency_id:
            err("room", _("Phòng họp không thuộc cơ quan của cuộc họp."))
        elif not fields.room.is_active and not (meeting is not None and meeting.room_id == fields.room.pk):
            err("room", _("Phòng họp này đã ngừng sử dụng."))
        if (fields.place or "").strip():
            err("place", _("Chọn phòng họp hoặc nhập địa điểm khác, không chọn cả hai."))
    elif not (fields.place or "").strip():
        err("room", _("Vui lòng chọn phòng họp hoặc nhập địa điểm."))
    if fields.department is not None and fields.department.agency_id != agency_id:
        err("department", _("Đơn vị đăng ký không thuộc cơ quan."))

    seen: set[tuple] = set()
    roles = set()
    for p in fields.participants:
        kinds = sum(x is not None for x in (p.user, p.department, p.agency)) + bool(p.name.strip())
        if kinds != 1:
            err(
                "participants", _("Mỗi thành phần là một cán bộ, một đơn vị, một cơ quan hoặc một khách mời.")
            )
            continue
        if p.key in seen:
            err("participants", _("“%(name)s” có tên hai lần trong thành phần.") % {"name": p.label})
        seen.add(p.key)
        if p.department is not None and p.department.agency_id != agency_id:
            err("participants", _("Đơn vị “%(name)s” không thuộc cơ quan.") % {"name": p.label})
        if p.agency is not None and p.agency.pk == agency_id:
            err("participants", _("Chọn đơn vị hoặc cán bộ của cơ quan mình thay vì cả cơ quan."))
        if p.user is not None and not p.user.is_active:
            err("participants", _("Cán bộ “%(name)s” đã nghỉ.") % {"name": p.label})
        if p.role not in Participant.Role.values:
            err("participants", _("Vai trò không hợp lệ."))
            continue
        roles.add(p.role)
        if p.role != Participant.Role.ATTEND and not (p.prepare or "").strip():
            err(
                "participants",
                _("Vui lòng ghi nội dung “%(name)s” cần chuẩn bị.") % {"name": p.label},
            )
        if p.prepare_due and fields.end_at and p.prepare_due > fields.end_at:
            err("participants", _("Hạn chuẩn bị của “%(name)s” sau giờ họp.") % {"name": p.label})
    if Participant.Role.PREPARE_SUPPORT in roles and Participant.Role.PREPARE_MAIN not in roles:
        err("participants", _("Có đơn vị, cá nhân chuẩn bị phối hợp thì phải có một đơn vị chuẩn bị chính."))

    if fields.incoming_ids or fields.outgoing_ids:
        from documents.incoming.selectors import visible_incoming
        from documents.outgoing.selectors import visible_outgoing

        wanted_in, wanted_out = set(fields.incoming_ids), set(fields.outgoing_ids)
        found_in = set(visible_incoming(by).filter(pk__in=wanted_in).values_list("pk", flat=True))
        found_out = set(visible_outgoing(by).filter(pk__in=wanted_out).values_list("pk", flat=True))
        if found_in != wanted_in or found_out != wanted_out:
            err("documents", _("Có văn bản liên quan bạn không có quyền xem."))

    if fields.recurrence is not None:
        try:
            occurrence_starts(fields.start_at, fields.recurrence)
        except ValidationError as exc:
            errors.setdefault("recurrence", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)


def check_lock(*, by: User, agency_id: int, department_id: int | None, start_at: dt.datetime) -> None:
    if rules.is_manager(by, agency_id):
        return
    if rules.is_locked(agency_id=agency_id, department_id=department_id, start_at=start_at):
        week = rules.week_start(rules.local_date(start_at))
        raise ValidationError(
            {
                "start_at": _(
                    "Lịch tuần từ %(day)s đang khóa để Văn phòng tổng hợp; liên hệ Văn phòng để được mở "
                    "khóa cho đơn vị."
                )
                % {"day": week.strftime("%d/%m/%Y")}
            }
        )


def _add_months(day: dt.date, months: int) -> dt.date | None:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    if day.day > pycalendar.monthrange(year, month)[1]:
        return None  # no 31st in this month: skipped
    return day.replace(year=year, month=month)


def occurrence_starts(start_at: dt.datetime, recurrence: RecurrenceFields | None) -> list[dt.datetime]:
    """The start of each occurrence (local wall time kept), less the exceptions."""
    if recurrence is None:
        return [start_at]
    if recurrence.frequency not in MeetingSeries.Frequency.values:
        raise ValidationError(_("Chọn lặp lại hằng tuần hoặc hằng tháng."))
    if not 1 <= recurrence.interval <= 12:
        raise ValidationError(_("Khoảng lặp lại từ 1 đến 12."))
    local = timezone.localtime(start_at)
    first = local.date()
    if recurrence.until < first:
        raise ValidationError(_("Ngày kết thúc lặp lại phải sau ngày họp đầu tiên."))
    if (recurrence.until - first).days > MAX_SERIES_DAYS:
        raise ValidationError(_("Lịch lặp lại tối đa một năm."))
    skip = set(recurrence.exceptions)
    starts, k = [], 0
    while True:
        if recurrence.frequency == MeetingSeries.Frequency.WEEKLY:
            day = first + dt.timedelta(weeks=k * recurrence.interval)
        else:
            day = _add_months(first, k * recurrence.interval)
            if day is None:
                k += 1
                continue
        if day > recurrence.until:
            break
        if day not in skip:
            starts.append(dt.datetime.combine(day, local.timetz().replace(tzinfo=None), local.tzinfo))
        k += 1
        if len(starts) > MAX_OCCURRENCES:
            raise ValidationError(_("Lịch lặp lại tối đa %(n)s lần.") % {"n": MAX_OCCURRENCES})
    if not starts:
        raise ValidationError(_("Không còn buổi họp nào sau khi bỏ các ngày ngoại lệ."))
    return [timezone.make_aware(s.replace(tzinfo=None)) if timezone.is_naive(s) else s for s in starts]


def lock_room(room_id: int) -> Room:
    """The room row, locked until the end of the transaction: bookings of one room run one at a time."""
    return Room.objects.select_for_update().get(pk=room_id)


def room_conflicts(
    *,
    room_id: int,
    start_at: dt.datetime,
    end_at: dt.datetime,
    exclude_ids=(),
    states=(WorkflowState.APPROVED,),
):
    """Meetings in ``states`` that overlap [start_at, end_at) in the room."""
    return (
        Meeting.objects.filter(room_id=room_id, state__in=states, start_at__lt=end_at, end_at__gt=start_at)
        .exclude(pk__in=list(exclude_ids))
        .select_related("chair", "organiser")
    )


def shown_title(meeting: Meeting, by: User | None) -> str:
    """The title of another meeting as ``by`` may read it: a secret one shows as "Lịch họp" to anyone
    neither involved in it nor managing the schedule."""
    if not meeting.secret or by is None or rules.is_manager(by, meeting.agency_id):
        return meeting.title
    if Meeting.objects.filter(rules.involved_q(by), pk=meeting.pk).exists():
        return meeting.title
    return _("Lịch họp")


def room_taken_error(conflict: Meeting, by: User | None = None) -> ValidationError:
    return ValidationError(
        {
            "room": _(
                "Phòng họp đã được duyệt cho cuộc họp khác trùng thời gian: “%(title)s” (%(start)s – "
                "%(end)s). Vui lòng chọn phòng hoặc thời gian khác."
            )
            % {
                "title": shown_title(conflict, by),
                "start": format_moment(conflict.start_at),
                "end": timezone.localtime(conflict.end_at).strftime("%H:%M"),
            }
        },
        code="room_taken",
    )


def chaired_by_head(*, agency_id: int, chair_id: int | None) -> bool:
    if not chair_id:
        return False
    head = rules.agency_head(agency_id)
    return head is not None and head.pk == chair_id


def _people_busy(
    *,
    by: User | None = None,
    fields: MeetingFields,
    slots: list[tuple[dt.datetime, dt.datetime]],
    exclude_ids,
) -> list[BookingWarning]:
    """Chair and people listed who have another open meeting at the same time (one query)."""
    people = {p.user.pk: p.user for p in fields.participants if p.user is not None}
    if fields.chair is not None:
        people[fields.chair.pk] = fields.chair
    if not people or not slots:
        return []
    overlap = Q()
    for start, end in slots:
        overlap |= Q(start_at__lt=end, end_at__gt=start)
    ids = list(people)
    others = list(
        Meeting.objects.filter(overlap, state__in=ACTIVE_STATES)
        .filter(Q(chair_id__in=ids) | Q(participants__user_id__in=ids))
        .exclude(pk__in=list(exclude_ids))
        .distinct()
        .order_by("start_at")
    )
    if not others:
        return []
    listed = {
        (m, u)
        for m, u in Participant.objects.filter(meeting__in=others, user_id__in=ids).values_list(
            "meeting_id", "user_id"
        )
    }
    warnings: list[BookingWarning] = []
    for pk, person in people.items():
        for other in others:
            if other.chair_id != pk and (other.pk, pk) not in listed:
                continue
            data = {
                "name": person.get_full_name(),
                "title": shown_title(other, by),
                "start": format_moment(other.start_at),
            }
            if fields.chair is not None and pk == fields.chair.pk:
                warnings.append(
                    BookingWarning(
                        "chair_busy",
                        _(
                            "Người chủ trì %(name)s đã có lịch khác trùng thời gian: “%(title)s” lúc "
                            "%(start)s."
                        )
                        % data,
                    )
                )
            else:
                warnings.append(
                    BookingWarning(
                        "person_busy",
                        _("%(name)s đã có lịch khác trùng thời gian: “%(title)s” lúc %(start)s.") % data,
                    )
                )
    return warnings


def _weekly_cap(
    *, agency_id: int, fields: MeetingFields, slots: list[tuple[dt.datetime, dt.datetime]], exclude_ids
) -> list[BookingWarning]:
    cap = rules.settings_for(agency_id).weekly_cap_hours
    if not cap or not slots:
        return []
    people = {p.user.pk: p.user for p in fields.participants if p.user is not None}
    if fields.chair is not None:
        people[fields.chair.pk] = fields.chair
    if not people:
        return []
    weeks: dict[dt.date, float] = {}
    for start, end in slots:
        week = rules.week_start(rules.local_date(start))
        weeks[week] = weeks.get(week, 0) + (end - start).total_seconds() / 3600
    warnings = []
    tz = timezone.get_current_timezone()
    for week, added in sorted(weeks.items()):
        begin = dt.datetime.combine(week, dt.time(), tz)
        rows = (
            Meeting.objects.filter(
                state__in=ACTIVE_STATES, start_at__gte=begin, start_at__lt=begin + dt.timedelta(days=7)
            )
            .filter(Q(chair_id__in=list(people)) | Q(participants__user_id__in=list(people)))
            .exclude(pk__in=list(exclude_ids))
            .values_list("pk", "start_at", "end_at", "chair_id", "participants__user_id")
        )
        hours: dict[int, dict[int, float]] = {}
        for pk, start, end, chair_id, user_id in rows:
            length = (end - start).total_seconds() / 3600
            for uid in (chair_id, user_id):
                if uid in people:
                    hours.setdefault(uid, {})[pk] = length
        for uid, person in people.items():
            total = sum(hours.get(uid, {}).values()) + added
            if total > cap:
                warnings.append(
                    BookingWarning(
                        "weekly_cap",
                        _(
                            "%(name)s sẽ họp %(hours)s giờ trong tuần từ %(day)s, quá mức %(cap)s giờ một "
                            "tuần."
                        )
                        % {
                            "name": person.get_full_name(),
                            "hours": f"{total:g}",
                            "day": week.strftime("%d/%m/%Y"),
                            "cap": cap,
                        },
                    )
                )
    return warnings


def _slots(fields: MeetingFields) -> list[tuple[dt.datetime, dt.datetime]]:
    length = fields.end_at - fields.start_at
    return [(s, s + length) for s in occurrence_starts(fields.start_at, fields.recurrence)]


def _room_warnings(
    *, by: User | None = None, agency_id: int, fields: MeetingFields, slots, exclude_ids
) -> list[BookingWarning]:
    """A room already approved for another meeting at one of the times refuses (unless the agency head
    chairs: then a warning, the office may take the room); one waiting for approval warns. One query per
    occurrence at most, the first warning of each kind only."""
    room = fields.room
    head_chairs = chaired_by_head(agency_id=agency_id, chair_id=fields.chair.pk if fields.chair else None)
    found: dict[str, BookingWarning] = {}
    for start, end in slots:
        for other in room_conflicts(
            room_id=room.pk, start_at=start, end_at=end, exclude_ids=exclude_ids, states=ACTIVE_STATES
        ):
            data = {
                "room": room.name,
                "title": shown_title(other, by),
                "start": format_moment(other.start_at),
            }
            if other.state == WorkflowState.APPROVED:
                if not head_chairs:
                    raise room_taken_error(other, by)
                found.setdefault(
                    "room_taken_by_head",
                    BookingWarning(
                        "room_taken_by_head",
                        _(
                            "Phòng %(room)s đã được duyệt cho “%(title)s” lúc %(start)s. Cuộc họp do người "
                            "đứng đầu cơ quan chủ trì: khi duyệt, Văn phòng có thể lấy phòng cho cuộc họp "
                            "này."
                        )
                        % data,
                    ),
                )
            else:
                found.setdefault(
                    "room_pending",
                    BookingWarning(
                        "room_pending",
                        _(
                            "Phòng %(room)s đang có đăng ký khác chờ duyệt trùng thời gian: “%(title)s” lúc "
                            "%(start)s. Văn phòng sẽ duyệt một trong hai."
                        )
                        % data,
                    ),
                )
    return list(found.values())


def meeting_warnings(
    *, by: User, fields: MeetingFields, meeting: Meeting | None = None
) -> list[BookingWarning]:
    """What the form shows before saving: people and the chair booked twice, the weekly cap, a room that
    another registration waits for or that the agency head may take. Reads only. Refuses first (the
    same ValidationError as the save) what the save would refuse: the fields, a room already taken."""
    agency_id = meeting.agency_id if meeting is not None else by.agency_id
    check_time = meeting is None or (fields.start_at, fields.end_at) != (meeting.start_at, meeting.end_at)
    validate_fields(by=by, fields=fields, agency_id=agency_id, check_time=check_time, meeting=meeting)
    slots = _slots(fields)
    exclude = [meeting.pk] if meeting is not None else []
    warnings = _people_busy(by=by, fields=fields, slots=slots, exclude_ids=exclude)
    warnings += _weekly_cap(agency_id=agency_id, fields=fields, slots=slots, exclude_ids=exclude)
    if fields.room is not None:
        warnings += _room_warnings(
            by=by, agency_id=agency_id, fields=fields, slots=slots, exclude_ids=exclude
        )
    return warnings


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
    slots = _slots(fields)
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
