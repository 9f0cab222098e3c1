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
import contextlib
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

    def __init__(self, tmp_path: Path, name: str, env: dict, pool: str = "solo"):
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
        command += ["-P", pool, "-c", "1", "--without-heartbeat", "--without-gossip", "--without-mingle"]
        command += ["-n", f"{name}@%h", "-l", "INFO"]
        self.log = self.log_path.open("w")
        self.proc = subprocess.Popen(
            command, cwd=ROOT, env=full_env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def kill(self) -> None:
        """SIGKILL the whole process group (what the OOM killer or a lost node does)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
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

    def start(name: str, env: dict | None = None, pool: str = "solo") -> Worker:
        worker = Worker(tmp_path, name, env or {}, pool)
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


def start_batch_and_kill(client, leader, workers, env, *, after: int, child_only: bool = False):
    """Post the batch form with the PIN, let the worker sign ``after`` items, SIGKILL it (or, with
    ``child_only``, only its prefork pool process); the bar is read all along and never counts more than
    it should."""
    made = make_requests(leader)
    first = workers("first", env, pool="prefork" if child_only else "solo")
    response = client.post(reverse("signing:pending"), {"requests": [r.pk for r in made], "pin": PIN})
    assert response.status_code == 302, response.content.decode()[-2000:]
    batch = SignatureBatch.objects.get()
    signed = SignatureRequest.objects.filter(batch=batch, status=SignatureRequest.Status.SIGNED)

    def enough():
        done, total, _html = progress(client, batch.pk)
        assert total == 20 and done <= 20
        return signed.count() >= after

    wait_for(enough, what=f"{after} signatures", worker=first, every=0.02)
    if child_only:
        (child,) = Path(f"/proc/{first.proc.pid}/task/{first.proc.pid}/children").read_text().split()
        os.kill(int(child), signal.SIGKILL)
        return made, batch, first
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


def test_a_killed_pool_process_gives_the_batch_back_at_once(client, leader, signing_env, workers):
    """Prefork: the OOM killer takes the pool process, the worker's main process lives. The message
    (acks_late, reject_on_worker_lost) goes back to the queue and the new pool process finishes the batch,
    with no beat scan and no heartbeat moved by hand."""
    _authority, env = signing_env
    client.force_login(leader, backend="django.contrib.auth.backends.ModelBackend")
    made, batch, worker = start_batch_and_kill(client, leader, workers, env, after=3, child_only=True)
    wait_for(
        lambda: SignatureBatch.objects.filter(pk=batch.pk, finished_at__isnull=False).exists(),
        what="the batch to finish",
        worker=worker,
    )
    batch.refresh_from_db()
    assert batch.runs == 2  # the killed run and the one from the requeued message
    assert "WorkerLostError" in worker.log_path.read_text(errors="replace")
    assert set(SignatureRequest.objects.filter(batch=batch).values_list("status", flat=True)) == {"signed"}
    ok = SignatureLog.objects.filter(actor=leader, result="ok")
    assert sorted(ok.values_list("title", flat=True)) == sorted(r.title for r in made)
    for request in SignatureRequest.objects.filter(batch=batch):
        assert signature_count(request.result.read()) == 1, request.title
        request.result.close()
    assert progress(client, batch.pk)[:2] == (20, 20)


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


# ---- notification e-mails ---------------------------------------------------------------------------------


class SmtpSink:
    """A tiny SMTP server on asyncio, in a thread: it keeps every message it accepts (``messages``: the
    parsed e-mails). Message number ``hold_at`` is held: with ``hold="data"`` the DATA command is never
    answered (the message never arrives), with ``hold="end"`` the message is received in full and kept but
    the 250 never comes (the crash window between the server's acceptance and the sender's commit)."""

    def __init__(self, *, hold_at: int | None = None, hold: str = "data"):
        self.hold_at, self.hold = hold_at, hold
        self.messages: list = []
        self.transactions = 0
        self.held = threading.Event()
        self.loop = asyncio.new_event_loop()
        ready = threading.Event()

        def run():
            asyncio.set_event_loop(self.loop)
            self.server = self.loop.run_until_complete(asyncio.start_server(self._session, "127.0.0.1", 0))
            self.port = self.server.sockets[0].getsockname()[1]
            ready.set()
            self.loop.run_forever()

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        ready.wait(10)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.server.close)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)

    async def _session(self, reader, writer):
        async def reply(text: str):
            writer.write(text.encode() + b"\r\n")
            await writer.drain()

        try:
            await reply("220 sink ESMTP")
            while line := await reader.readline():
                verb = line.decode(errors="replace").strip().split(" ", 1)[0].upper()
                if verb == "EHLO":
                    await reply("250-sink\r\n250 8BITMIME")
                elif verb == "DATA":
                    self.transactions += 1
                    hold = self.hold if self.transactions == self.hold_at else None
                    if hold == "data":
                        self.held.set()
                        await reader.read()  # until the sender's connection dies
                        return
                    await reply("354 end with <CRLF>.<CRLF>")
                    data = bytearray()
                    while (chunk := await reader.readline()) not in (b".\r\n", b""):
                        data += chunk[1:] if chunk.startswith(b"..") else chunk
                    self.messages.append(message_from_bytes(bytes(data)))
                    if hold == "end":
                        self.held.set()
                        await reader.read()
                        return
                    await reply("250 accepted")
                elif verb == "QUIT":
                    await reply("221 bye")
                    return
                else:  # HELO, MAIL, RCPT, RSET, NOOP
                    await reply("250 ok")
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        finally:
            writer.close()


@pytest.fixture
def people():
    agency = make_agency(name="Sở Tài chính", abbreviation="STC")
    dept = make_department(agency=agency, name="Văn phòng Sở", abbreviation="VP")
    return [
        make_user(agency=agency, department=dept, roles=[Role.OFFICER], email=f"canbo{i}@stc.gov.vn")
        for i in range(10)
    ]


@pytest.mark.parametrize("hold", ["data", "end"])
def test_notification_emails_sent_once_after_the_worker_is_killed(people, workers, hold):
    from django.db import transaction

    from eoffice.notifications import notification_message_id
    from eoffice.services import notify

    sink = SmtpSink(hold_at=4, hold=hold)
    try:
        env = {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(sink.port),
            "EMAIL_USE_TLS": "0",
        }
        first = workers("first", env)
        with transaction.atomic():
            notes = notify(recipients=people, kind="workflow.overdue", title="Nhắc nhở — quá hạn: Báo cáo")
        wait_for(sink.held.is_set, what="the fourth message", worker=first)
        first.kill()  # while the fourth message is on the wire
        emailed = Notification.objects.filter(pk__in=[n.pk for n in notes], emailed_at__isnull=False)
        assert emailed.count() == 3
        assert len(sink.messages) == (3 if hold == "data" else 4)

        # Two minutes later the beat's e-mail run finds the ones never marked sent.
        Notification.objects.filter(pk__in=[n.pk for n in notes]).update(
            created_at=timezone.now() - dt.timedelta(minutes=3)
        )
        second = workers("second", env)
        app.send_task("eoffice.tasks.retry_failed_emails")
        wait_for(lambda: emailed.count() == 10, what="every e-mail marked sent", worker=second)
    finally:
        sink.close()

    by_address: dict[str, list[str]] = {}
    for message in sink.messages:
        by_address.setdefault(message["To"], []).append(message["Message-ID"])
    expected = {n.recipient.email: notification_message_id(n) for n in notes}
    assert set(by_address) == set(expected)
    for address, ids in by_address.items():
        assert set(ids) == {expected[address]}, address  # one message, by its own Message-ID
    copies = sorted(len(ids) for ids in by_address.values())
    if hold == "data":
        assert copies == [1] * 10  # the held message never arrived: sent once, after the restart
    else:
        # Accepted by the server, the worker killed before its commit: the one window that remains. The
        # copy carries the same Message-ID as the first.
        assert copies == [1] * 9 + [2]


# ---- reminder scan ----------------------------------------------------------------------------------------


def test_reminders_delivered_once_after_the_worker_is_killed(workers, settings):
    """12 overdue work items, scanned in batches of 5. The test holds a SHARE lock on the notification
    table, so the worker's first delivery waits at its insert; the worker is killed there. The marks of the
    scan are committed, the delivery died with its transaction: nothing notified yet. A new worker and the
    next scan (beat) deliver each reminder once."""
    import psycopg
    from django.db import transaction

    from workflow import services
    from workflow.models import Assignment, ReminderMark

    agency = make_agency(name="Sở Xây dựng", abbreviation="SXD")
    dept = make_department(agency=agency, name="Phòng Kế hoạch", abbreviation="KH")
    leader = make_user(agency=agency, department=dept, roles=[Role.LEADER], email="")
    officers = [make_user(agency=agency, department=dept, roles=[Role.OFFICER], email="") for _ in range(12)]
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the assignments' own notifications, in process
    items = [
        services.work_item_create(
            by=leader, title=f"Báo cáo số {i + 1}", due_at=timezone.now() + dt.timedelta(days=3), lead=officer
        )
        for i, officer in enumerate(officers)
    ]
    settings.CELERY_TASK_ALWAYS_EAGER = False
    now = timezone.now()
    for item in items:
        Assignment.objects.for_record(item).filter(role="lead").update(
            due_at=now - dt.timedelta(hours=1), due_soon_at=now - dt.timedelta(days=1)
        )
    overdue = Notification.objects.filter(kind="workflow.overdue")
    env = {"WORKFLOW_REMINDER_BATCH": "5", "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}

    blocker = psycopg.connect(database_url())
    try:
        blocker.execute("LOCK TABLE eoffice_notification IN SHARE MODE")  # held: autocommit is off
        first = workers("first", env)
        app.send_task("workflow.tasks.scan_reminders")

        def delivery_waiting():
            with psycopg.connect(database_url(), autocommit=True) as probe:
                waiting = probe.execute(
                    "SELECT count(*) FROM pg_locks"
                    " WHERE NOT granted AND relation = 'eoffice_notification'::regclass"
                ).fetchone()[0]
            return waiting and ReminderMark.objects.count() == 12

        wait_for(delivery_waiting, what="the first delivery to wait at its insert", worker=first)
        first.kill()
    finally:
        blocker.rollback()
        blocker.close()
    assert ReminderMark.objects.filter(delivered_at__isnull=True).count() == 12
    assert not overdue.exists()

    # Two minutes later the beat's scan finds the marks still undelivered.
    ReminderMark.objects.update(created_at=timezone.now() - dt.timedelta(minutes=3))
    second = workers("second", env)
    app.send_task("workflow.tasks.scan_reminders")
    wait_for(
        lambda: not ReminderMark.objects.filter(delivered_at__isnull=True).exists(),
        what="every reminder delivered",
        worker=second,
    )
    with transaction.atomic():  # a further scan finds nothing to do
        assert services.reminders_scan() == {"picked": 0, "marked": 0}
    rows = list(overdue.values_list("recipient_id", "url"))
    assert len(rows) == len(set(rows))  # nobody told twice about the same record
    expected = {(o.pk, item.get_absolute_url()) for o, item in zip(officers, items, strict=True)}
    assert expected <= set(rows)  # each lead told once
