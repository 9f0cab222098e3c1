"""Reminder scan: each (assignment, level) notified once, head told of overdue, escalation, digest."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from eoffice.models import Notification
from workflow import services
from workflow.models import Assignment, ReminderLevel, ReminderMark
from workflow.tasks import scan_reminders

pytestmark = pytest.mark.django_db


def make_overdue(item, *, hours=1):
    now = timezone.now()
    Assignment.objects.for_record(item).filter(role__in=["lead", "coordinate"]).update(
        due_at=now - timedelta(hours=hours),
        due_soon_at=now - timedelta(days=1),
        escalate_at=now + timedelta(days=3),
    )


def test_scan_notifies_once_per_level(make_item, officer_a, head_a, django_capture_on_commit_callbacks):
    item = make_item()
    make_overdue(item)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.reminders_scan()
    assert result["marked"] == 1
    overdue = Notification.objects.filter(kind="workflow.overdue")
    assert set(overdue.values_list("recipient", flat=True)) == {officer_a.pk, head_a.pk}  # the head too
    with django_capture_on_commit_callbacks(execute=True):
        again = services.reminders_scan()
    assert again == {"picked": 0, "marked": 0}
    assert overdue.count() == 2
    mark = ReminderMark.objects.get()
    assert mark.level == ReminderLevel.OVERDUE and mark.delivered_at is not None
    assert services.reminders_deliver(mark_ids=[mark.pk]) == 0  # idempotent delivery


def test_due_soon_then_escalation(make_item, officer_a, django_capture_on_commit_callbacks):
    item = make_item(due_in=timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_scan()
    assert Notification.objects.filter(kind="workflow.due_soon", recipient=officer_a).count() == 1
    now = timezone.now()
    Assignment.objects.for_record(item).update(
        due_at=now - timedelta(days=5), escalate_at=now - timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_scan()
    assert Notification.objects.filter(kind="workflow.criticism", recipient=officer_a).count() == 1
    assert Assignment.objects.for_record(item).get(role="lead").reminder_level == ReminderLevel.CRITICISM
    # Extending opens a new round: the new deadline will be reminded again.
    lead = Assignment.objects.for_record(item).get(role="lead")
    services.work_item_extend(
        item=item, by=item.created_by, due_at=now + timedelta(hours=1), reason="Gia hạn"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_scan()
    assert ReminderMark.objects.filter(assignment=lead, round=1, level=ReminderLevel.DUE_SOON).exists()


def test_paused_and_closed_are_not_reminded(make_item, leader_a, officer_a):
    item = make_item()
    make_overdue(item)
    lead = Assignment.objects.for_record(item).get(role="lead")
    services.assignment_pause(assignment=lead, by=leader_a, reason="Chờ")
    assert services.reminders_scan(deliver=False)["marked"] == 0


@pytest.mark.django_db(transaction=True)
def test_two_scans_at_once_send_one_reminder(agency_a, staff_a, officer_a, settings):
    from eoffice.models import Role

    settings.WORKFLOW_REMINDER_BATCH = 2
    for n in range(7):
        item = services.work_item_create(
            by=staff_a[Role.LEADER],
            title=f"Việc {n}",
            due_at=timezone.now() + timedelta(days=9),
            lead=officer_a,
        )
        make_overdue(item)
    barrier = threading.Barrier(2)

    def scan():
        try:
            barrier.wait()
            scan_reminders.apply()  # eager, through the task, with delivery on commit
        finally:
            connection.close()

    threads = [threading.Thread(target=scan) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert ReminderMark.objects.count() == 7
    assert Notification.objects.filter(kind="workflow.overdue", recipient=officer_a).count() == 7


def test_daily_digest_once_per_day(make_item, officer_a, django_capture_on_commit_callbacks):
    make_item()
    make_item(title="Khác")
    monday_9 = timezone.make_aware(timezone.datetime(2026, 3, 16, 9, 0))
    assert services.digest_send(now=monday_9) == 1
    assert services.digest_send(now=monday_9) == 0
    note = Notification.objects.get(kind="workflow.digest", recipient=officer_a)
    assert "2 việc đang xử lý" in note.body
    saturday = timezone.make_aware(timezone.datetime(2026, 3, 14, 9, 0))
    assert services.digest_send(now=saturday) == 0


def test_periodic_tasks_exist():
    from django_celery_beat.models import PeriodicTask

    scan = PeriodicTask.objects.get(task="workflow.tasks.scan_reminders")
    assert scan.interval.every == 5 and scan.interval.period == "minutes"
    assert PeriodicTask.objects.filter(task="workflow.tasks.send_daily_digest", crontab__hour="7").exists()
