"""The weekly schedule's writes: publishing a week (and telling the agency's staff), the duty roster, the
citizen-reception days, unlocking a unit in a locked week, and what a person last saw of a week (the
"đã thay đổi" mark). Only the agency's schedule manager (``rules.is_manager``) publishes and keeps the
roster; each write is one transaction."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice import services as core
from eoffice.models import Agency, Department, User
from meetings import rules
from meetings.models import DutyShift, PublishedWeek, ReceptionDay, ScheduleSeen, UnitUnlock
from workflow import services as wf
from workflow.models import HistoryEntry

__all__ = [
    "duty_remove",
    "duty_set",
    "reception_add",
    "reception_remove",
    "schedule_seen",
    "unit_unlock",
    "week_publish",
]

PUBLISH_KIND = "meetings.week"


def _require_manager(by: User, agency: Agency) -> None:
    if not rules.is_manager(by, agency.pk):
        raise PermissionDenied(_("Chỉ người quản lý lịch của cơ quan được thực hiện thao tác này."))


def _monday(week_start: dt.date) -> dt.date:
    if week_start.weekday() != 0:
        raise ValidationError(_("Tuần phải bắt đầu từ thứ Hai."))
    return week_start


def _week_url(week_start: dt.date) -> str:
    return f"{reverse('meetings:week')}?week={week_start:%Y-%m-%d}"


def _staff_member(agency: Agency, user: User | None, what: str) -> User:
    if user is None or user.agency_id != agency.pk or not user.is_active:
        raise ValidationError(_("%(what)s phải là cán bộ đang làm việc của cơ quan.") % {"what": what})
    return user


def week_publish(*, agency: Agency, week_start: dt.date, by: User, note: str = "") -> PublishedWeek:
    """Publish (ban hành) the agency's week starting ``week_start``, or publish it again after changes
    (the time moves, the note is replaced); every active person of the agency is told, in one batch."""
    _require_manager(by, agency)
    _monday(week_start)
    note = (note or "").strip()
    with transaction.atomic():
        now = timezone.now()
        published, created = PublishedWeek.objects.select_for_update().get_or_create(
            agency=agency,
            week_start=week_start,
            defaults={"published_at": now, "published_by": by, "note": note},
        )
        if not created:
            published.published_at, published.published_by, published.note = now, by, note
            published.save(update_fields=["published_at", "published_by", "note"])
        wf.history_add(
            record=published,
            event=HistoryEntry.Event.CREATED if created else HistoryEntry.Event.UPDATED,
            actor=by,
            action="week_publish",
            comment=note,
            data={"week_start": week_start.isoformat()},
        )
        end = week_start + dt.timedelta(days=6)
        title = (
            _("Lịch công tác tuần %(start)s – %(end)s đã ban hành")
            if created
            else _("Lịch công tác tuần %(start)s – %(end)s đã ban hành lại")
        ) % {"start": f"{week_start:%d/%m}", "end": f"{end:%d/%m/%Y}"}
        recipients = User.objects.filter(agency_id=agency.pk, is_active=True).exclude(pk=by.pk)
        core.notify(
            recipients=recipients.iterator(chunk_size=500),
            kind=PUBLISH_KIND,
            title=title,
            body=note,
            url=_week_url(week_start),
        )
    return published


def duty_set(
    *, agency: Agency, date: dt.date, person: User, by: User, phone: str = "", note: str = ""
) -> DutyShift:
    """Put ``person`` on duty (trực lãnh đạo) on ``date``; the same person again on that day updates the
    phone and the note. The phone printed is the one given here (published with the roster)."""
    _require_manager(by, agency)
    _staff_member(agency, person, _("Người trực"))
    with transaction.atomic():
        shift, _created = DutyShift.objects.update_or_create(
            agency=agency,
            date=date,
            person=person,
            defaults={"phone": (phone or "").strip()[:30], "note": (note or "").strip()[:300]},
        )
    return shift


def duty_remove(*, agency: Agency, pk: int, by: User) -> None:
    _require_manager(by, agency)
    with transaction.atomic():
        deleted, _rows = DutyShift.objects.filter(agency=agency, pk=pk).delete()
    if not deleted:
        raise ValidationError(_("Không tìm thấy lịch trực này."))


def reception_add(
    *,
    agency: Agency,
    date: dt.date,
    leader: User,
    by: User,
    start_time: dt.time = dt.time(7, 30),
    end_time: dt.time = dt.time(11, 30),
    place: str = "",
    note: str = "",
) -> ReceptionDay:
    """Add a citizen-reception session (tiếp công dân định kỳ) of ``leader``."""
    _require_manager(by, agency)
    _staff_member(agency, leader, _("Lãnh đạo tiếp công dân"))
    if end_time <= start_time:
        raise ValidationError(_("Giờ kết thúc phải sau giờ bắt đầu."))
    with transaction.atomic():
        return ReceptionDay.objects.create(
            agency=agency,
            date=date,
            leader=leader,
            start_time=start_time,
            end_time=end_time,
            place=(place or "").strip()[:255],
            note=(note or "").strip()[:300],
        )


def reception_remove(*, agency: Agency, pk: int, by: User) -> None:
    """Remove a reception session entered on the schedule (another module's rows are removed there)."""
    _require_manager(by, agency)
    with transaction.atomic():
        deleted, _rows = ReceptionDay.objects.filter(agency=agency, pk=pk, source="").delete()
    if not deleted:
        raise ValidationError(_("Không tìm thấy lịch tiếp công dân này."))


def unit_unlock(
    *, agency: Agency, department: Department, week_start: dt.date, by: User, reason: str
) -> UnitUnlock:
    """Let ``department`` register meetings in the locked week ``week_start`` (the office compiles the
    schedule); a reason is required and kept in the history."""
    _require_manager(by, agency)
    _monday(week_start)
    reason = (reason or "").strip()
    if department is None or department.agency_id != agency.pk:
        raise ValidationError(_("Đơn vị không thuộc cơ quan."))
    if not reason:
        raise ValidationError(_("Vui lòng nêu lý do mở khóa."))
    with transaction.atomic():
        unlock, created = UnitUnlock.objects.get_or_create(
            department=department,
            week_start=week_start,
            defaults={"agency": agency, "unlocked_by": by, "reason": reason[:300]},
        )
        if not created:
            raise ValidationError(_("Đơn vị này đã được mở khóa cho tuần này."))
        wf.history_add(
            record=unlock,
            event=HistoryEntry.Event.CREATED,
            actor=by,
            action="unit_unlock",
            comment=reason,
            data={"week_start": week_start.isoformat(), "department": department.pk},
        )
    return unlock


def schedule_seen(*, user: User, week_start: dt.date) -> dt.datetime | None:
    """Record that ``user`` looks at the week now; return when they had looked before (None: never).
    One statement: an upsert (INSERT … ON CONFLICT DO UPDATE) beside a read of the row as it was."""
    if not getattr(user, "pk", None):
        return None
    table = connection.ops.quote_name(ScheduleSeen._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH before AS (SELECT seen_at FROM {table} WHERE user_id = %s AND week_start = %s),
                 upsert AS (
                    INSERT INTO {table} (user_id, week_start, seen_at) VALUES (%s, %s, %s)
                    ON CONFLICT (user_id, week_start) DO UPDATE SET seen_at = EXCLUDED.seen_at
                 )
            SELECT seen_at FROM before
            """,  # noqa: S608 - the table name comes from the model, every value is a parameter
            [user.pk, week_start, user.pk, week_start, timezone.now()],
        )
        row = cursor.fetchone()
    return row[0] if row else None
