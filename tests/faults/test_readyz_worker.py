"""/readyz with real Celery processes (issue 21 "done when": /readyz goes red when the worker is dead and
green again when it is back).

A real beat (eoffice.beat.Scheduler) and a real worker (tests/worker.py) write their heartbeats every
second; /readyz allows the worker 5 s. The worker is killed with SIGKILL (no shutdown handler runs, its
row stays and ages): /readyz turns 503 with only "worker" failing. A new worker makes it 200 again. The
worker also records the tasks that fail (FailedTask), without the arguments of a secret task. A clean stop
removes the worker's heartbeat."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from eoffice.celery import app
from eoffice.models import FailedTask, ServiceHeartbeat
from tests.worker import ROOT, celery_worker, database_url

pytestmark = [pytest.mark.faults, pytest.mark.realworker, pytest.mark.django_db(transaction=True)]

HEARTBEAT_ENV = {"EOFFICE_HEARTBEAT_SECONDS": "1"}
WAIT = 240  # seconds: an upper bound for a process to start on a loaded machine, not a measured figure


def wait_for(predicate, *, what: str, timeout: float = WAIT, logs: tuple[Path, ...] = ()):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    tails = "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in logs if p.exists())
    pytest.fail(f"timed out waiting for {what}\n{tails}")


def start_beat(tmp_path: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": django_settings.REDIS_URL,
        "DJANGO_SETTINGS_MODULE": "eoffice.settings",
        **HEARTBEAT_ENV,
    }
    env.pop("EOFFICE_TESTING", None)
    log = (tmp_path / "beat.log").open("w")
    command = [sys.executable, "-m", "celery", "-A", "eoffice", "beat", "-l", "INFO"]
    command += ["-S", "eoffice.beat.Scheduler", "--pidfile=", "-s", str(tmp_path / "beat-schedule")]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    proc.log = log
    return proc


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    proc.log.close()


def readyz(client) -> tuple[int, dict]:
    response = client.get(reverse("readyz"))
    return response.status_code, response.json()


def test_readyz_follows_the_worker_through_a_kill_and_a_restart(client, settings, tmp_path):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.EOFFICE_WORKER_HEARTBEAT_MAX_AGE = 5
    settings.EOFFICE_BEAT_HEARTBEAT_MAX_AGE = 30
    logs = (tmp_path / "beat.log", tmp_path / "worker1.log", tmp_path / "worker2.log")

    # nothing runs yet: not ready
    status, body = readyz(client)
    assert status == 503
    assert body["worker"]["status"] == "fail" and body["beat"]["status"] == "fail"
    assert body["db"]["status"] == "ok" and body["redis"]["status"] == "ok"

    beat = start_beat(tmp_path)
    try:
        with celery_worker(log_path=logs[1], env=HEARTBEAT_ENV) as worker:
            wait_for(lambda: readyz(client)[0] == 200, what="/readyz green with a worker and beat", logs=logs)
            status, body = readyz(client)
            assert body == {
                "status": "ok",
                "db": {"status": "ok"},
                "redis": {"status": "ok"},
                "worker": {"status": "ok", "age": body["worker"]["age"]},
                "beat": {"status": "ok", "age": body["beat"]["age"]},
            }
            first = ServiceHeartbeat.objects.get(kind="worker")
            assert first.pid == worker.pid and "celery" in first.queues.split(",")

            # the worker records what fails: a wrong call, and a secret task without its arguments
            app.send_task("eoffice.tasks.access_rollup", kwargs={"not_an_argument": 1}, queue="celery")
            app.send_task("signing.tasks.sign_batch", args=[0, "pin-token-secret"], queue="celery")
            rows = wait_for(
                lambda: (rows := list(FailedTask.objects.order_by("task"))) and len(rows) >= 2 and rows,
                what="two FailedTask rows",
                logs=logs,
            )
            by_task = {row.task: row for row in rows}
            rollup = by_task["eoffice.tasks.access_rollup"]
            assert rollup.retryable and rollup.kwargs == {"not_an_argument": 1}
            assert rollup.error.startswith("TypeError") and rollup.queue == "celery"
            batch = by_task["signing.tasks.sign_batch"]
            assert not batch.retryable and batch.args == [] and batch.kwargs == {}
            assert "pin-token-secret" not in batch.error and "DoesNotExist" in batch.error

            # the worker dies outright: no shutdown handler, its heartbeat stays and ages
            os.killpg(
                worker.pid, signal.SIGKILL
            )  # the worker's whole process group, as an OOM kill or kill -9
            worker.wait(15)
            status, body = wait_for(
                lambda: (answer := readyz(client))[0] == 503 and answer,
                what="/readyz red after the kill",
                logs=logs,
            )
            assert body["worker"]["status"] == "fail" and body["worker"]["age"] > 5
            assert body["beat"]["status"] == "ok" and body["db"]["status"] == "ok"
            assert body["redis"]["status"] == "ok" and body["status"] == "fail"
            assert ServiceHeartbeat.objects.filter(kind="worker").count() == 1

        # a worker again: green again
        with celery_worker(log_path=logs[2], env=HEARTBEAT_ENV) as worker:
            wait_for(lambda: readyz(client)[0] == 200, what="/readyz green again", logs=logs)
            row = ServiceHeartbeat.objects.get(kind="worker")
            assert row.pid == worker.pid != first.pid and row.started_at > first.started_at
        # a clean stop removes the worker's heartbeat (tests/worker.py sends SIGTERM): not ready
        assert not ServiceHeartbeat.objects.filter(kind="worker").exists()
        assert readyz(client)[0] == 503
    finally:
        stop(beat)
