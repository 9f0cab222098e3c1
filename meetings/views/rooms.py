"""Room occupancy (phòng họp theo ngày): the active rooms of the person's agency, each with its approved and
pending bookings of the day on a 07:00–18:00 bar and as a list, and its free slots linking to the booking
form. A secret meeting shows as "Lịch họp" to whoever may not read it (``rules.details_visible_q`` as an
SQL annotation). Two queries whatever the number of rooms and bookings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Case, Value, When
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings import rules
from meetings.models import Meeting, Room
from workflow.models import WorkflowState

AXIS_START = dt.time(7, 0)
AXIS_END = dt.time(18, 0)
AXIS_MINUTES = 11 * 60
MIN_FREE = dt.timedelta(minutes=30)
BOOKING_LENGTH = dt.timedelta(hours=1)  # the form opens with an hour from the slot's start
SLOT = 30  # free slots start on the half hour
BOOKED_STATES = (WorkflowState.APPROVED, WorkflowState.SUBMITTED)


@dataclass
class Booking:
    meeting: Meeting
    start: dt.datetime  # local
    end: dt.datetime
    shown: bool
    x: int = 0  # position on the bar, minutes from 07:00 (clipped)
    width: int = 0

    @property
    def approved(self) -> bool:
        return self.meeting.state == WorkflowState.APPROVED

    @property
    def title(self) -> str:
        return self.meeting.title if self.shown else _("Lịch họp")


@dataclass
class Slot:
    start: dt.datetime
    end: dt.datetime
    url: str


@dataclass
class RoomDay:
    room: Room
    bookings: list[Booking] = field(default_factory=list)
    free: list[Slot] = field(default_factory=list)


def parse_day(raw: str | None) -> dt.date:
    """The day asked for (``YYYY-MM-DD``), today when missing or malformed."""
    try:
        day = dt.date.fromisoformat((raw or "").strip())
    except ValueError:
        return timezone.localdate()
    return day if 2000 <= day.year <= 2100 else timezone.localdate()


def _bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return dt.datetime.combine(day, dt.time.min, tz), dt.datetime.combine(
        day + dt.timedelta(days=1), dt.time.min, tz
    )


def _new_url() -> str:
    try:
        return reverse("meetings:new")
    except NoReverseMatch:  # the booking pages are not installed: no link
        return ""


def _minutes(moment: dt.datetime, axis_start: dt.datetime) -> int:
    offset = (moment - axis_start).total_seconds() // 60
    return int(min(max(offset, 0), AXIS_MINUTES))


def _free_slots(room: Room, bookings: list[Booking], axis: tuple[dt.datetime, dt.datetime], now, new_url):
    """The gaps of at least 30 minutes between the room's bookings inside the axis, not in the past; each
    links to the booking form with the room and an hour from the gap's start."""
    start = max(axis[0], now)
    if start > axis[0]:  # from the next half hour
        start = start.replace(second=0, microsecond=0)
        extra = (-start.minute) % SLOT
        start += dt.timedelta(minutes=extra)
    slots = []
    for booking in [*bookings, None]:
        end = min(booking.start, axis[1]) if booking else axis[1]
        if end - start >= MIN_FREE and new_url:
            until = min(end, start + BOOKING_LENGTH)
            query = urlencode(
                {
                    "room": room.pk,
                    "date": f"{start:%Y-%m-%d}",
                    "start": f"{start:%Y-%m-%dT%H:%M}",
                    "end": f"{until:%Y-%m-%dT%H:%M}",
                }
            )
            slots.append(Slot(start, end, f"{new_url}?{query}"))
        if booking:
            start = max(start, booking.end)
    return slots


def day_rooms(user, day: dt.date) -> list[RoomDay]:
    """Every active room of the user's agency with its bookings of ``day`` (two queries)."""
    rooms = {room.pk: RoomDay(room) for room in Room.objects.filter(agency_id=user.agency_id, is_active=True)}
    start, end = _bounds(day)
    meetings = (
        Meeting.objects.filter(
            agency_id=user.agency_id,
            room_id__in=list(rooms),
            state__in=BOOKED_STATES,
            # A meeting lasts at most 24 hours: the agency's start-time index bounds the scan.
            start_at__gte=start - dt.timedelta(days=1),
            start_at__lt=end,
            end_at__gt=start,
        )
        .annotate(
            shown=Case(
                When(rules.details_visible_q(user), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .select_related("chair", "department")
        .order_by("start_at", "id")
    )
    tz = timezone.get_current_timezone()
    axis = (dt.datetime.combine(day, AXIS_START, tz), dt.datetime.combine(day, AXIS_END, tz))
    for meeting in meetings:
        booking = Booking(
            meeting, timezone.localtime(meeting.start_at), timezone.localtime(meeting.end_at), meeting.shown
        )
        booking.x = _minutes(booking.start, axis[0])
        booking.width = _minutes(booking.end, axis[0]) - booking.x
        rooms[meeting.room_id].bookings.append(booking)
    now, new_url = timezone.localtime(), _new_url()
    for item in rooms.values():
        item.free = _free_slots(item.room, item.bookings, axis, now, new_url)
    return list(rooms.values())


@login_required
def occupancy(request):
    if not request.user.agency_id:
        raise PermissionDenied(_("Chỉ cán bộ của một cơ quan mới xem được lịch sử dụng phòng họp."))
    day = parse_day(request.GET.get("date"))
    context = {
        "day": day,
        "today": timezone.localdate(),
        "prev_day": day - dt.timedelta(days=1),
        "next_day": day + dt.timedelta(days=1),
        "rooms": day_rooms(request.user, day),
        "hours": [(h, (h - AXIS_START.hour) * 60) for h in range(AXIS_START.hour, AXIS_END.hour + 1)],
        "axis_minutes": AXIS_MINUTES,
        "can_register": rules.can_register(request.user),
    }
    return render(request, "meetings/rooms.html", context)
