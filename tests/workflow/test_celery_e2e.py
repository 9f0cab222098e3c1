"""End to end: a real Celery worker on Redis runs the scan and the reminder reaches the bell."""

import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from eoffice.models import Notification, Role
from tests.worker import celery_worker
from workflow import services
from workflow.models import Assignment
from workflow.tasks import scan_reminders

# Run alone, after the parallel step (tests/run_suite.sh): a real worker must not take other tests' tasks.
pytestmark = [
    pytest.mark.celery,
    pytest.mark.django_db(transaction=True),
    pytest.mark.realworker,
]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker(settings, tmp_path):
    from eoffice.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.control.purge()  # tasks left in this Redis database by an earlier run are not ours
    with celery_worker(log_path=tmp_path / "worker.log") as proc:
        yield proc


def test_real_worker_delivers_a_due_reminder(worker, agency_a, staff_a):
    officer = staff_a[Role.OFFICER]
    item = services.work_item_create(
        by=staff_a[Role.LEADER], title="Báo cáo quý", due_at=timezone.now() + timedelta(days=3), lead=officer
    )
    now = timezone.now()
    Assignment.objects.for_record(item).update(
        due_at=now - timedelta(hours=1), due_soon_at=now - timedelta(days=1)
    )
    from eoffice.celery import app

    assert not app.conf.task_always_eager
    scan_reminders.delay()
    deadline = time.monotonic() + 90  # worker start-up on a loaded 2-core machine
    while time.monotonic() < deadline:
        if Notification.objects.filter(kind="workflow.overdue", recipient=officer).exists():
            break
        if worker.poll() is not None:
            worker.log.seek(0)
            pytest.fail("worker exited:\n" + worker.log.read()[-4000:])
        time.sleep(0.3)
    else:
        worker.log.seek(0)
        pytest.fail("no reminder within 90 s:\n" + worker.log.read()[-4000:])
    note = Notification.objects.get(kind="workflow.overdue", recipient=officer)
    assert "Báo cáo quý" in note.title
    assert note.url == item.get_absolute_url()
