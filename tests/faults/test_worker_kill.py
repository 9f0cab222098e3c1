"""A Celery worker SIGKILLed in the middle (issue 21 §1): once a worker is back, each piece of work is done
exactly once — a batch of 20 signatures, a reminder scan, notification e-mails.

The worker is a real ``celery worker`` subprocess (solo pool: one process, as the OOM killer would find
it) on the test database and this helper's Redis; its whole process group is killed with SIGKILL, so no
shutdown handler runs and its unacknowledged message stays in Redis (redelivered only after the broker's
visibility timeout, an hour). Recovery comes from the database: the beat scans (sent to the new worker as
beat would send them) find the unfinished work and run it again, and each piece is claimed under a row
lock and marked done in the transaction that does it. "Two minutes of silence" is made by moving the
batch's heartbeat back, not by waiting.

The SMTP server is a tiny one in the test (the receiving side, not the part under test); it can hold one
message before accepting it, so that the kill lands while that message is being sent."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import os
import re
import signal
import subprocess
import sys
import threading
import time
from email import message_from_bytes
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from eoffice.celery import app
from eoffice.models import Notification, Role
from signing import pki
from signing.models import SignatureBatch, SignatureLog, SignatureRequest
from tests.factories import make_agency, make_department, make_user
from tests.signing import samples
from tests.signing.factories import PIN, make_credential
from tests.worker import ROOT, database_url

pytestmark = [pytest.mark.faults, pytest.mark.realworker, pytest.mark.django_db(transaction=True)]

WAIT = 120  # seconds: an upper bound for a worker to start and work on a busy 2-core machine, not a figure
QUEUES = ("celery", "signing")


# ---- processes --------------------------------------------------------------------------------------------


class Worker:
    """``celery -A eoffice worker`` in a process group of its own, output to a file."""

    def __init__(self, tmp_path: Path, name: str, env: dict):
        self.log_path = tmp_path / f"{name}.log"
        full_env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "REDIS_URL": django_settings.REDIS_URL,
            "DJANGO_SETTINGS_MODULE": "eoffice.settings",
            **env,
        }
        full_env.pop("EOFFICE_TESTING", None)
        command = [sys.executable, "-m", "celery", "-A", "eoffice", "worker", "-Q", ",".join(QUEUES)]
        command += ["-P", "solo", "-c", "1", "--without-heartbeat", "--without-gossip", "--without-mingle"]
        command += ["-n", f"{name}@%h", "-l", "INFO"]
        self.log = self.log_path.open("w")
        self.proc = subprocess.Popen(
            command, cwd=ROOT, env=full_env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def kill(self) -> None:
        """SIGKILL the whole process group (what the OOM killer or a lost node does)."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(30)

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(20)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                self.kill()
        self.log.close()

    def tail(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def check_alive(self) -> None:
        if self.proc.poll() is not None:
            pytest.fail(f"worker exited with {self.proc.returncode}:\n{self.tail()}")


@pytest.fixture
def workers(settings, tmp_path):
    """Start workers with ``workers(name, env)``; every one is stopped at the end, killed or not."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.AXES_ENABLED = False  # logins here are force_login: no lockout bookkeeping
    assert not app.conf.task_always_eager
    with app.connection_for_write() as conn:  # messages of an interrupted earlier run are not ours
        for queue in QUEUES:
            conn.default_channel.queue_purge(queue)
    started: list[Worker] = []

    def start(name: str, env: dict | None = None) -> Worker:
        worker = Worker(tmp_path, name, env or {})
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def wait_for(predicate, *, what: str, worker: Worker | None = None, timeout: float = WAIT, every=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        if worker is not None:
            worker.check_alive()
        time.sleep(every)
    pytest.fail(f"timed out waiting for {what}\n" + (worker.tail() if worker else ""))


# ---- signing ----------------------------------------------------------------------------------------------


@pytest.fixture
def signing_env(settings, tmp_path_factory):
    directory = tmp_path_factory.mktemp("pki")
    authority = pki.ensure_test_authority(directory)
    settings.SIGNING_PKI_DIR = directory
    settings.SIGNING_TSA_IN_PROCESS = True
    settings.SIGNING_TRUST_TEST_CA = True
    settings.SIGNING_LOCAL_TSA = True
    settings.SIGNING_PADES_LEVEL = "B-T"
    env = {
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "SIGNING_PKI_DIR": str(directory),
        "SIGNING_TSA_IN_PROCESS": "1",
        "SIGNING_TRUST_TEST_CA": "1",
        "SIGNING_PADES_LEVEL": "B-T",
    }
    return authority, env


@pytest.fixture
def leader(signing_env):
    authority, _env = signing_env
    agency = make_agency(name="Sở Kế hoạch và Đầu tư", abbreviation="SKHĐT")
    dept = make_department(agency=agency, name="Văn phòng Sở", abbreviation="VP")
    leader = make_user(agency=agency, department=dept, roles=[Role.LEADER], full_name="Nguyễn Thị Thu Hà")
    officer = make_user(agency=agency, department=dept, roles=[Role.OFFICER], full_name="Trần Văn Bình")
    leader.signature_image.save("signature.png", ContentFile(samples.signature_png()), save=True)
    make_credential(authority=authority, agency=agency, owner=leader)
    leader.officer = officer
    return leader


def make_requests(leader, n: int = 20) -> list[SignatureRequest]:
    from signing import services

    pdf = samples.sample_pdf()
    return [
        services.signature_request_create(
            pdf=pdf,
            title=f"Quyết định số {i + 1}/QĐ-SKHĐT",
            requested_by=leader.officer,
            kind="leader",
            signer=leader,
            box=samples.SIGNER_BOX,
        )
        for i in range(n)
    ]


def signature_count(data: bytes) -> int:
    from pyhanko.pdf_utils.reader import PdfFileReader

    return len(PdfFileReader(io.BytesIO(data)).embedded_signatures)


def progress(client, batch_id: int) -> tuple[int, int, str]:
    """(done, total) as the progress partial shows them, and its HTML."""
    html = client.get(reverse("signing:batch_progress", args=[batch_id])).content.decode()
    done, total = re.search(r"Đã xử lý (\d+)/(\d+) văn bản", html).groups()
    return int(done), int(total), html


def start_batch_and_kill(client, leader, workers, env, *, after: int):
    """Post the batch form with the PIN, let the worker sign ``after`` items, SIGKILL it; the bar is read
    all along and never counts more than it should."""
    made = make_requests(leader)
    first = workers("first", env)
    response = client.post(reverse("signing:pending"), {"requests": [r.pk for r in made], "pin": PIN})
    assert response.status_code == 302, response.content.decode()[-2000:]
    batch = SignatureBatch.objects.get()
    signed = SignatureRequest.objects.filter(batch=batch, status=SignatureRequest.Status.SIGNED)

    def enough():
        done, total, _html = progress(client, batch.pk)
        assert total == 20 and done <= 20
        return signed.count() >= after

    wait_for(enough, what=f"{after} signatures", worker=first, every=0.02)
    first.kill()
    left = SignatureRequest.objects.filter(batch=batch, status=SignatureRequest.Status.QUEUED).count()
    assert 0 < left < 20, "the kill came after the batch had finished: nothing was left to recover"
    batch.refresh_from_db()
    assert batch.finished_at is None and batch.runs == 1
    return made, batch, 20 - left


def test_batch_of_20_signed_exactly_once_after_the_worker_is_killed(client, leader, signing_env, workers):
    _authority, env = signing_env
    client.force_login(leader, backend="django.contrib.auth.backends.ModelBackend")
    made, batch, before = start_batch_and_kill(client, leader, workers, env, after=3)
    done, total, html = progress(client, batch.pk)
    assert (done, total) == (before, 20) and 'data-finished="0"' in html
    assert "data-batch-stalled" not in html  # the heartbeat is fresh: not yet reported as stopped
    token = batch.pin_token
    assert cache.get(f"signing:pin:{token}") is not None  # kept for the run that goes on

    # Two minutes without a heartbeat: the page says so, and the beat scan queues the batch again.
    SignatureBatch.objects.filter(pk=batch.pk).update(heartbeat_at=timezone.now() - dt.timedelta(minutes=3))
    assert "data-batch-stalled" in progress(client, batch.pk)[2]
    second = workers("second", env)
    app.send_task("signing.tasks.resume_batches")
    wait_for(
        lambda: SignatureBatch.objects.filter(pk=batch.pk, finished_at__isnull=False).exists(),
        what="the batch to finish",
        worker=second,
    )

    batch.refresh_from_db()
    assert batch.runs == 2 and batch.pin_token == ""
    for request in SignatureRequest.objects.filter(pk__in=[r.pk for r in made]):
        assert request.status == SignatureRequest.Status.SIGNED, (request.title, request.error)
        assert signature_count(request.result.read()) == 1, request.title
        request.result.close()
    ok = SignatureLog.objects.filter(actor=leader, result="ok")
    assert sorted(ok.values_list("title", flat=True)) == sorted(r.title for r in made)  # one each
    done, total, html = progress(client, batch.pk)
    assert (done, total) == (20, 20) and "Đã xử lý xong: 20 văn bản đã ký." in html
    assert "hx-trigger" not in html
    assert cache.get(f"signing:pin:{token}") is None  # the PIN is gone with the batch

    # The killed worker's own message comes back after the visibility timeout: running it then changes
    # nothing (sent here again by hand, and waited for in the worker's log).
    result = app.send_task("signing.tasks.sign_batch", args=(batch.pk,), queue="signing")
    wait_for(
        lambda: f"{result.id}] succeeded" in second.log_path.read_text(errors="replace"),
        what="the late copy of the batch's message",
        worker=second,
    )
    assert SignatureLog.objects.filter(actor=leader, result="ok").count() == 20
    assert SignatureBatch.objects.get(pk=batch.pk).runs == 2


def test_pin_expired_before_the_restart_fails_the_rest_and_says_so(client, leader, signing_env, workers):
    _authority, env = signing_env
    client.force_login(leader, backend="django.contrib.auth.backends.ModelBackend")
    made, batch, before = start_batch_and_kill(client, leader, workers, env, after=2)
    cache.delete(f"signing:pin:{batch.pin_token}")  # SIGNING_PIN_TTL_SECONDS passed before the restart
    SignatureBatch.objects.filter(pk=batch.pk).update(heartbeat_at=timezone.now() - dt.timedelta(minutes=3))
    second = workers("second", env)
    app.send_task("signing.tasks.resume_batches")
    wait_for(
        lambda: SignatureBatch.objects.filter(pk=batch.pk, finished_at__isnull=False).exists(),
        what="the batch to finish",
        worker=second,
    )
    items = SignatureRequest.objects.filter(pk__in=[r.pk for r in made])
    signed = [r for r in items if r.status == SignatureRequest.Status.SIGNED]
    failed = [r for r in items if r.status == SignatureRequest.Status.FAILED]
    assert len(signed) == before and len(failed) == 20 - before
    assert {r.error for r in failed} == {"Phiên ký đã hết hạn, vui lòng nhập lại mã PIN."}
    assert SignatureLog.objects.filter(actor=leader, result="ok").count() == before
    done, total, html = progress(client, batch.pk)
    assert (done, total) == (20, 20)
    assert f"Đã xử lý xong: {before} văn bản đã ký, {20 - before} văn bản bị lỗi." in html
    assert "Phiên ký đã hết hạn, vui lòng nhập lại mã PIN." in html
