"""The checks of a booking: the fields, the lock window, the occurrences of a series, the room conflicts
(the Room row locked before looking for overlapping approved meetings) and the warnings (a person or a chair
booked twice, the weekly cap), shown before saving."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice.models import User
from meetings import rules
from meetings.models import Meeting, MeetingSeries, Participant, Room
from meetings.services.fields import (
    ACTIVE_STATES,
    MAX_HOURS,
    MAX_OCCURRENCES,
    MAX_SERIES_DAYS,
    BookingWarning,
    MeetingFields,
    RecurrenceFields,
)
from workflow.models import WorkflowState

__all__ = ["chaired_by_head", "meeting_warnings", "room_conflicts"]

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


def meeting_slots(fields: MeetingFields) -> list[tuple[dt.datetime, dt.datetime]]:
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
    slots = meeting_slots(fields)
    exclude = [meeting.pk] if meeting is not None else []
    warnings = _people_busy(by=by, fields=fields, slots=slots, exclude_ids=exclude)
    warnings += _weekly_cap(agency_id=agency_id, fields=fields, slots=slots, exclude_ids=exclude)
    if fields.room is not None:
        warnings += _room_warnings(
            by=by, agency_id=agency_id, fields=fields, slots=slots, exclude_ids=exclude
        )
    return warnings
