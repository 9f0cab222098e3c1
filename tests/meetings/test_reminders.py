"""The reminder scan: the evening before, N minutes before, the preparation deadline; each sent once even
when the scan runs twice, again when the meeting moves; the beat entry exists."""

# ruff: noqa: F811
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from eoffice.models import Notification
from meetings.models import Meeting, MeetingReminder, Participant, ScheduleSettings
from meetings.services.reminders import reminders_scan
from tests.meetings.h2_helpers import local, make_meeting, org  # noqa: F401
from workflow.models import WorkflowState

pytestmark = pytest.mark.django_db


def _reminded(kind: str) -> set[int]:
    return set(
        Notification.objects.filter(kind="meetings.reminder", title__startswith=kind).values_list(
            "recipient_id", flat=True
        )
    )


def test_evening_before_sent_once_to_the_attendees(org):
    today = timezone.localdate()
    meeting = make_meeting(org, start=local(today + dt.timedelta(days=1), 9))
    before = reminders_scan(now=local(today, 16, 55))
    assert before["evening"] == 0
    result = reminders_scan(now=local(today, 17, 5))
    attendees = {org["leader"].pk, org["officer"].pk, org["head"].pk}
    assert result["evening"] == 3 and _reminded("Nhắc lịch họp ngày mai") == attendees
    again = reminders_scan(now=local(today, 17, 10))
    assert again == {"evening": 0, "soon": 0, "prepare": 0}
    assert Notification.objects.filter(kind="meetings.reminder").count() == 3
    assert MeetingReminder.objects.filter(meeting=meeting, kind="evening").count() == 3


def test_soon_reminder_follows_the_agency_setting_and_a_moved_meeting_is_reminded_again(org):
    ScheduleSettings.objects.create(
        agency=org["agency"], remind_minutes_before=30, remind_evening_before=False
    )
    start = timezone.now() + dt.timedelta(hours=3)
    meeting = make_meeting(org, start=start)
    assert reminders_scan(now=start - dt.timedelta(minutes=45))["soon"] == 0
    assert reminders_scan(now=start - dt.timedelta(minutes=25))["soon"] == 3
    assert reminders_scan(now=start - dt.timedelta(minutes=20))["soon"] == 0
    # Moved an hour later (and changed since): the same people are reminded before the new time.
    moved = start + dt.timedelta(hours=1)
    Meeting.objects.filter(pk=meeting.pk).update(
        start_at=moved, end_at=moved + dt.timedelta(hours=2), changed_at=timezone.now(), sequence=1
    )
    assert reminders_scan(now=moved - dt.timedelta(minutes=25))["soon"] == 3
    assert MeetingReminder.objects.filter(meeting=meeting, kind="soon").count() == 6


def test_no_reminders_for_meetings_not_approved_or_postponed(org):
    start = timezone.now() + dt.timedelta(minutes=30)
    make_meeting(org, start=start, state=WorkflowState.SUBMITTED)
    make_meeting(org, start=start, postponed_at=timezone.now(), postpone_reason="Hoãn")
    make_meeting(org, start=start, state=WorkflowState.CANCELLED)
    assert reminders_scan(now=start - dt.timedelta(minutes=10)) == {"evening": 0, "soon": 0, "prepare": 0}


def test_preparers_are_reminded_of_their_deadline_once(org):
    start = timezone.now() + dt.timedelta(days=3)
    meeting = make_meeting(org, start=start)
    due = timezone.now() + dt.timedelta(hours=20)
    Participant.objects.filter(meeting=meeting, user=org["officer"]).update(
        role=Participant.Role.PREPARE_MAIN, prepare="Báo cáo tiến độ chuyển đổi số", prepare_due=due
    )
    Participant.objects.filter(meeting=meeting, department=org["unit"]).update(
        role=Participant.Role.PREPARE_SUPPORT, prepare="Số liệu giải ngân", prepare_due=due
    )
    assert reminders_scan(now=due - dt.timedelta(days=2))["prepare"] == 0
    result = reminders_scan(now=due - dt.timedelta(hours=20))
    assert result["prepare"] == 2
    assert _reminded("Nhắc hạn chuẩn bị") == {org["officer"].pk, org["head"].pk}
    body = Notification.objects.get(recipient=org["officer"], title__startswith="Nhắc hạn chuẩn bị").body
    assert "Báo cáo tiến độ chuyển đổi số" in body
    assert reminders_scan(now=due - dt.timedelta(hours=19))["prepare"] == 0


def test_scan_runs_from_the_beat_entry(org):
    import importlib

    from django.apps import apps
    from django.db.migrations.recorder import MigrationRecorder
    from django_celery_beat.models import PeriodicTask

    from meetings.tasks import scan_reminders

    assert MigrationRecorder.Migration.objects.filter(app="meetings", name="0002_periodic_tasks").exists()
    migration = importlib.import_module("meetings.migrations.0002_periodic_tasks")
    PeriodicTask.objects.filter(name=migration.SCAN).delete()  # a transactional test's flush may have
    migration.create_task(apps, None)  # removed the migration's row: made again the same way
    migration.create_task(apps, None)  # idempotent
    task = PeriodicTask.objects.get(task="meetings.tasks.scan_reminders")
    assert task.enabled and task.interval.every == 5 and task.interval.period == "minutes"
    assert scan_reminders.delay().get() == {"evening": 0, "soon": 0, "prepare": 0}


@pytest.mark.django_db(transaction=True)
def test_two_scans_at_once_send_each_reminder_once(org):
    """Two beat workers scan at the same moment, each on its own connection: the reminder rows inserted with
    ON CONFLICT DO NOTHING … RETURNING make one of them send each reminder and the other skip it."""
    import threading

    from django.db import connection

    start = timezone.now() + dt.timedelta(minutes=40)
    meetings = [make_meeting(org, start=start + dt.timedelta(minutes=i)) for i in range(3)]
    barrier = threading.Barrier(2)
    results, errors = [], []

    def scan() -> None:
        try:
            barrier.wait()
            results.append(reminders_scan(now=start - dt.timedelta(minutes=30)))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=scan) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert sum(r["soon"] for r in results) == 9  # three attendees of three meetings, once each
    assert Notification.objects.filter(kind="meetings.reminder").count() == 9
    assert MeetingReminder.objects.filter(meeting__in=meetings, kind="soon").count() == 9


def test_evening_time_is_the_agencys(org):
    ScheduleSettings.objects.create(agency=org["agency"], remind_evening_time=dt.time(15, 30))
    today = timezone.localdate()
    make_meeting(org, start=local(today + dt.timedelta(days=1), 14))
    assert reminders_scan(now=local(today, 15, 0))["evening"] == 0
    assert reminders_scan(now=local(today, 15, 35))["evening"] == 3
