"""The 30-day transfer warning (III.5b) on the working-day calendar, its weekly repeat, once-only delivery;
the retention scan; the due-date rules."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from documents.records.archive import rules, scans, tasks
from documents.records.models import CaseFile
from eoffice.models import Notification
from workflow import calendar
from workflow.models import CalendarException

from .conftest import make_file

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: date, hour: int = 7) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=TZ)


def warnings_of(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind="records.transfer_due").order_by("id"))


def test_transfer_due_is_one_year_after_the_end_of_the_work():
    assert rules.transfer_due_for(date(2026, 3, 15)) == date(2027, 3, 15)
    assert rules.transfer_due_for(date(2024, 2, 29)) == date(2025, 2, 28)
    # 23:30 UTC on 31/12 is already 1 January in Hà Nội: the local day counts
    assert rules.transfer_due_for(datetime(2025, 12, 31, 23, 30, tzinfo=ZoneInfo("UTC"))) == date(2027, 1, 1)


def test_retention_ends_on_31_december_of_end_year_plus_years(arch):
    f = make_file(arch, closed_at=at(date(2025, 6, 3)), retention="10")
    assert rules.retention_until_for(f) == date(2035, 12, 31)
    f.retention = "permanent"
    assert rules.retention_until_for(f) is None


@pytest.mark.django_db
def test_warning_on_a_saturday_goes_out_on_the_friday_before_and_only_once(arch):
    calendar.clear_cache()
    # due 02/11/2026: 30 days before is Saturday 03/10/2026 -> Friday 02/10/2026
    due = date(2026, 11, 2)
    assert not calendar.is_working_day(date(2026, 10, 3))
    assert rules.first_warning_day(due) == date(2026, 10, 2)
    f = make_file(arch, transfer_due=due)
    owner = arch["owner"]

    assert scans.transfer_warnings_scan(now=at(date(2026, 10, 1))) == 0
    assert warnings_of(owner) == []

    assert scans.transfer_warnings_scan(now=at(date(2026, 10, 2))) == 1
    assert scans.transfer_warnings_scan(now=at(date(2026, 10, 2), 9)) == 0  # a second run, a restart
    assert scans.transfer_warnings_scan(now=at(date(2026, 10, 3))) == 0  # Saturday: nothing
    notes = warnings_of(owner)
    assert len(notes) == 1
    assert f.code in notes[0].title and "02/11/2026" in notes[0].title
    assert notes[0].url == f.get_absolute_url()
    f.refresh_from_db()
    assert timezone_date(f.transfer_warned_at) == date(2026, 10, 2)

    # weekly until transferred: Friday 09/10
    assert scans.transfer_warnings_scan(now=at(date(2026, 10, 8))) == 0
    assert scans.transfer_warnings_scan(now=at(date(2026, 10, 9))) == 1
    assert len(warnings_of(owner)) == 2


def timezone_date(value: datetime) -> date:
    return value.astimezone(TZ).date()


@pytest.mark.django_db
def test_warning_and_its_repeat_moved_before_a_day_off_of_the_calendar(arch):
    # the admin's calendar: Wednesday 07/10/2026 and Tuesday 13/10/2026 are days off
    CalendarException.objects.create(
        date=date(2026, 10, 7), kind=CalendarException.Kind.DAY_OFF, reason="Nghỉ bù"
    )
    CalendarException.objects.create(
        date=date(2026, 10, 13), kind=CalendarException.Kind.DAY_OFF, reason="Nghỉ bù"
    )
    calendar.clear_cache()
    due = date(2026, 11, 6)  # 30 days before: Wednesday 07/10, a day off -> Tuesday 06/10
    make_file(arch, transfer_due=due)
    assert scans.transfer_warnings_scan(now=at(date(2026, 10, 5))) == 0
    assert scans.transfer_warnings_scan(now=at(date(2026, 10, 6))) == 1
    assert scans.transfer_warnings_scan(now=at(date(2026, 10, 7))) == 0
    # repeat due Tuesday 13/10, a day off -> Monday 12/10
    assert scans.transfer_warnings_scan(now=at(date(2026, 10, 9))) == 0
    assert scans.transfer_warnings_scan(now=at(date(2026, 10, 12))) == 1
    assert scans.transfer_warnings_scan(now=at(date(2026, 10, 13))) == 0
    assert len(warnings_of(arch["owner"])) == 2
    calendar.clear_cache()


@pytest.mark.django_db
def test_no_warning_for_files_open_transferred_or_not_due(arch):
    calendar.clear_cache()
    day = date(2026, 10, 2)
    make_file(arch, status=CaseFile.Status.OPEN, transfer_due=date(2026, 10, 20))
    make_file(arch, status=CaseFile.Status.SUBMITTED, transfer_due=date(2026, 10, 20))
    make_file(arch, transfer_due=date(2026, 12, 20))  # more than 30 days ahead
    overdue = make_file(arch, transfer_due=date(2026, 9, 1))  # overdue: warned, titled so
    assert scans.transfer_warnings_scan(now=at(day)) == 1
    (note,) = warnings_of(arch["owner"])
    assert overdue.code in note.title and "Quá hạn" in note.title


@pytest.mark.django_db
def test_the_task_runs_the_scan(arch, monkeypatch):
    calendar.clear_cache()
    make_file(arch, transfer_due=date(2026, 11, 2))
    monkeypatch.setattr("django.utils.timezone.now", lambda: at(date(2026, 10, 2)))
    assert tasks.transfer_warning_scan.delay().get() == 1
    assert tasks.transfer_warning_scan.delay().get() == 0


@pytest.mark.django_db
def test_retention_scan_tells_the_archivists_once_per_file_and_period(arch):
    ended = make_file(
        arch,
        status=CaseFile.Status.ARCHIVED,
        retention="2",
        retention_until=date(2025, 12, 31),
        archive_code="LT.1",
    )
    make_file(arch, status=CaseFile.Status.ARCHIVED, retention="10", retention_until=date(2035, 12, 31))
    make_file(arch, status=CaseFile.Status.ARCHIVED, retention="permanent", retention_until=None)
    now = at(date(2026, 3, 2))
    assert scans.retention_scan(now=now) == 1
    assert scans.retention_scan(now=now) == 0
    notes = Notification.objects.filter(kind="records.retention_ended")
    assert [n.recipient for n in notes] == [arch["archivist"]]  # not the other agency's archivist
    assert "LT.1" in notes[0].body
    # kept three more years by a decision: told again when that ends, not before
    CaseFile.objects.filter(pk=ended.pk).update(retention_until=date(2028, 12, 31))
    assert scans.retention_scan(now=at(date(2027, 6, 1))) == 0
    assert scans.retention_scan(now=at(date(2029, 1, 2))) == 1
    assert Notification.objects.filter(kind="records.retention_ended").count() == 2


@pytest.mark.django_db
def test_transfer_and_retention_reminders_of_one_file_keep_their_own_marker(arch):
    """A file warned for transfer after its retention ended (a late transfer) is still told about when it
    is archived, and the retention notice leaves the transfer warning's date alone."""
    calendar.clear_cache()
    f = make_file(arch, transfer_due=date(2026, 3, 31), retention="2", archive_code="LT.9")
    assert scans.transfer_warnings_scan(now=at(date(2026, 3, 2))) == 1
    f.refresh_from_db()
    warned = f.transfer_warned_at
    assert timezone_date(warned) == date(2026, 3, 2)
    # archived later with a retention that already ended before that warning
    CaseFile.objects.filter(pk=f.pk).update(
        status=CaseFile.Status.ARCHIVED, retention_until=date(2025, 12, 31)
    )
    assert scans.retention_scan(now=at(date(2026, 3, 3))) == 1
    assert scans.retention_scan(now=at(date(2026, 3, 4))) == 0
    f.refresh_from_db()
    assert f.transfer_warned_at == warned
    assert timezone_date(f.retention_warned_at) == date(2026, 3, 3)
    note = Notification.objects.get(kind="records.retention_ended")
    assert "LT.9" in note.body and note.recipient == arch["archivist"]
    calendar.clear_cache()
