"""End to end: a real Celery worker on Redis runs the scan and the reminder reaches the bell."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from eoffice.models import Notification, Role
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


def database_url() -> str:
    db = connection.settings_dict
    host = db.get("HOST") or ""
    auth = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}@{quote(host, safe='')}{port}/{db['NAME']}"


@pytest.fixture
def worker(settings, tmp_path):
    from eoffice.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.control.purge()  # tasks left in this Redis database by an earlier run are not ours
    log = (tmp_path / "worker.log").open("w+")
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": django_settings.REDIS_URL,
        "DJANGO_SETTINGS_MODULE": "eoffice.settings",
    }
    env.pop("EOFFICE_TESTING", None)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "eoffice",
            "worker",
            "-P",
            "solo",
            "-c",
            "1",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,  # a file, not a pipe: a full pipe would block the worker
        stderr=subprocess.STDOUT,
        text=True,
    )
    proc.log = log
    yield proc
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()


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
