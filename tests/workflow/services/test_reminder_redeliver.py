"""Reminder marks left undelivered (their delivery died with a killed worker) are delivered by a later
scan, once (the real kill: tests/faults/test_worker_kill.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from eoffice.models import Notification
from workflow import services
from workflow.models import Assignment, ReminderMark
from workflow.services.reminders import STALE_MARK

pytestmark = pytest.mark.django_db


def test_a_later_scan_delivers_what_a_killed_delivery_left(
    make_item, officer_a, head_a, django_capture_on_commit_callbacks
):
    item = make_item()
    now = timezone.now()
    Assignment.objects.for_record(item).filter(role="lead").update(
        due_at=now - timedelta(hours=1), due_soon_at=now - timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=False):  # marked, then the delivery never ran
        assert services.reminders_scan(now=now)["marked"] == 1
    overdue = Notification.objects.filter(kind="workflow.overdue")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_scan(now=now + timedelta(seconds=30)) == {"picked": 0, "marked": 0}
    assert not overdue.exists()  # too young: its delivery may still be on the way
    later = now + STALE_MARK + timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_scan(now=later) == {"picked": 0, "marked": 0, "redelivered": 1}
    assert sorted(overdue.values_list("recipient", flat=True)) == sorted([officer_a.pk, head_a.pk])
    assert ReminderMark.objects.get().delivered_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_scan(now=later + STALE_MARK * 2) == {"picked": 0, "marked": 0}
    assert overdue.count() == 2
