"""Predicates of the meetings module: an agency's settings, who manages the schedule, who may register,
approve, change or cancel, the lock window, the week arithmetic, and who is involved in a meeting (the SQL
filter of every list). Pure reads; the services stay the authority on every write."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from eoffice.models import Agency, Department, Role, User
from workflow.models import WorkflowState

from .models import Conclusion, Meeting, Minutes, Participant, ScheduleSettings, UnitUnlock

OFFICE_ABBREVIATION = "VP"


# ---- settings and roles ----------------------------------------------------------------------------


def settings_for(agency: Agency | int) -> ScheduleSettings:
    """The agency's settings; an unsaved row with the defaults when it has none yet."""
    agency_id = agency if isinstance(agency, int) else agency.pk
    found = ScheduleSettings.objects.filter(agency_id=agency_id).first()
    return found or ScheduleSettings(agency_id=agency_id)


def manager_department_id(agency: Agency | int, config: ScheduleSettings | None = None) -> int | None:
    """The unit that manages the schedule: the configured one, else the agency's office (Văn phòng)."""
    config = config or settings_for(agency)
    if config.manager_department_id:
        return config.manager_department_id
    agency_id = agency if isinstance(agency, int) else agency.pk
    return (
        Department.objects.filter(agency_id=agency_id, abbreviation=OFFICE_ABBREVIATION, is_active=True)
        .values_list("pk", flat=True)
        .first()
    )


def is_manager(user: User, agency: Agency | int | None = None) -> bool:
    """The agency's schedule manager: a person given the role, or the head, deputy or clerk of the managing
    unit (the office by default)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    agency_id = user.agency_id if agency is None else (agency if isinstance(agency, int) else agency.pk)
    if not agency_id or user.agency_id != agency_id:
        return False
    cache = user.__dict__.setdefault("_meetings_manager", {})
    if agency_id not in cache:
        config = settings_for(agency_id)
        listed = bool(config.pk) and config.managers.filter(pk=user.pk).exists()
        office = manager_department_id(agency_id, config)
        in_office = (
            bool(office) and user.department_id == office and user.has_role(Role.DEPARTMENT_HEAD, Role.CLERK)
        )
        cache[agency_id] = listed or in_office
    return cache[agency_id]


def agency_head(agency: Agency | int) -> User | None:
    """The head of the agency (Giám đốc, Chủ tịch): the configured person, else the first leader whose
    title does not start with "Phó"."""
    config = settings_for(agency)
    if config.head_id:
        return config.head
    agency_id = agency if isinstance(agency, int) else agency.pk
    leaders = (
        User.objects.filter(
            agency_id=agency_id,
            is_active=True,
            groups__agency_role__role=Role.LEADER,
            groups__agency_role__agency_id=agency_id,
        )
        .exclude(position__istartswith="Phó")
        .order_by("pk")
    )
    return leaders.first()


def can_register(user: User) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.agency_id
        and (user.has_role(Role.LEADER, Role.DEPARTMENT_HEAD, Role.OFFICER, Role.CLERK) or is_manager(user))
    )


def can_approve(user: User, meeting: Meeting) -> bool:
    return is_manager(user, meeting.agency_id)


def can_change(user: User, meeting: Meeting) -> bool:
    """The organiser or a schedule manager, while the meeting is open and has not ended."""
    if meeting.has_ended or meeting.state not in ("submitted", "approved"):
        return False
    return user.pk == meeting.organiser_id or is_manager(user, meeting.agency_id)


def can_cancel(user: User, meeting: Meeting) -> bool:
    return can_change(user, meeting)


# ---- weeks and the lock window -------------------------------------------------------------------------


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def local_date(at: dt.datetime) -> dt.date:
    return timezone.localtime(at).date()


def lock_window(config: ScheduleSettings, week: dt.date) -> tuple[dt.datetime, dt.datetime] | None:
    """The lock window that freezes bookings of the week starting ``week`` (a Monday): from the lock day
    and time of the week before to the unlock day and time (of this week when the unlock day is earlier in
    the week than the lock day, e.g. Thursday 16:00 → Monday 08:00)."""
    if not config.lock_enabled:
        return None
    tz = timezone.get_current_timezone()
    previous = week - dt.timedelta(days=7)
    start = dt.datetime.combine(
        previous + dt.timedelta(days=config.lock_from_weekday), config.lock_from_time, tz
    )
    until_day = previous + dt.timedelta(days=config.lock_until_weekday)
    end = dt.datetime.combine(until_day, config.lock_until_time, tz)
    if end <= start:
        end += dt.timedelta(days=7)
    return start, end


def is_locked(*, agency_id: int, department_id: int | None, start_at: dt.datetime, now=None) -> bool:
    """Bookings for the week of ``start_at`` are frozen now, and the office has not unlocked the unit."""
    now = now or timezone.now()
    week = week_start(local_date(start_at))
    window = lock_window(settings_for(agency_id), week)
    if window is None or not (window[0] <= now < window[1]):
        return False
    return not (
        department_id and UnitUnlock.objects.filter(department_id=department_id, week_start=week).exists()
    )


# ---- who is involved, who sees what ------------------------------------------------------------------


def involved_q(user: User, prefix: str = "") -> Q:
    """The meetings ``user`` takes part in: organiser, chair, contact, listed in person or as a substitute,
    through their unit, or through their agency invited from another one."""
    participants = Participant.objects.filter(meeting=OuterRef(f"{prefix}pk")).filter(
        Q(user_id=user.pk)
        | Q(substitute_id=user.pk)
        | (Q(department_id=user.department_id) if user.department_id else Q(pk__in=[]))
        | (Q(agency_id=user.agency_id) if user.agency_id else Q(pk__in=[]))
    )
    return (
        Q(**{f"{prefix}organiser_id": user.pk})
        | Q(**{f"{prefix}chair_id": user.pk})
        | Q(**{f"{prefix}contact_id": user.pk})
        | Q(Exists(participants))
    )


def visible_q(user: User) -> Q:
    """What ``user`` may open: meetings of their agency (the secret ones only when involved or managing the
    schedule), and the meetings of other agencies they are involved in."""
    if user.is_superuser:
        return Q(pk__isnull=False)
    if not user.agency_id:
        return Q(pk__in=[])
    own = Q(agency_id=user.agency_id)
    if not is_manager(user):
        own &= Q(secret=False) | involved_q(user)
    return own | involved_q(user)


def details_visible_q(user: User) -> Q:
    """On a schedule, the meetings whose content ``user`` may read; the others show as "Lịch họp"."""
    return visible_q(user)


# ---- minutes and conclusions (read by the page's actions; the services are the authority) -------------


def has_started(meeting: Meeting) -> bool:
    return meeting.start_at <= timezone.now()


def can_keep_minutes(user: User, meeting: Meeting) -> bool:
    """Start the minutes: the organiser, the chair, a schedule manager; approved meetings that started."""
    if not getattr(user, "is_authenticated", False) or user.agency_id != meeting.agency_id:
        return False
    if meeting.state != WorkflowState.APPROVED or not has_started(meeting):
        return False
    return user.pk in (meeting.organiser_id, meeting.chair_id) or is_manager(user, meeting.agency_id)


def keeps_minutes(user: User, minutes: Minutes) -> bool:
    meeting = minutes.meeting
    return user.agency_id == meeting.agency_id and (
        user.pk in (minutes.secretary_id, minutes.presider_id, meeting.organiser_id, meeting.chair_id)
        or is_manager(user, meeting.agency_id)
    )


def can_edit_minutes(user: User, minutes: Minutes) -> bool:
    return minutes.status == Minutes.Status.DRAFT and keeps_minutes(user, minutes)


def can_withdraw_minutes(user: User, minutes: Minutes) -> bool:
    return minutes.status in (Minutes.Status.SECRETARY, Minutes.Status.PRESIDER) and keeps_minutes(
        user, minutes
    )


def can_conclude(user: User, meeting: Meeting, minutes: Minutes | None = None) -> bool:
    """Write the conclusions: those who keep the minutes (and their secretary and presider)."""
    signs = minutes is not None and user.pk in (minutes.secretary_id, minutes.presider_id)
    if signs and user.agency_id == meeting.agency_id:
        return has_started(meeting) and meeting.state == WorkflowState.APPROVED
    return can_keep_minutes(user, meeting)


def notice_open(conclusion: Conclusion | None) -> bool:
    """A notice is under way (drafted and not cancelled): the conclusions are what it says."""
    return bool(conclusion and conclusion.notice_id and conclusion.notice.state != WorkflowState.CANCELLED)
