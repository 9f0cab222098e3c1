"""/healthz and /readyz (eoffice/health.py), the heartbeats' upsert (eoffice/heartbeat.py) and the
FailedTask written on celery's task_failure signal. The real worker being killed and restarted is
tests/faults/test_readyz_worker.py."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from celery.signals import task_failure
from django.urls import reverse
from django.utils import timezone

from eoffice.heartbeat import write_heartbeat
from eoffice.models import FailedTask, ServiceHeartbeat
from eoffice.tasks import access_rollup, send_code_email
from signing.tasks import sign_batch

pytestmark = pytest.mark.django_db


def beat_now(kind: str, *, ago: int = 0, hostname: str = "celery@node1") -> None:
    seen = timezone.now() - timedelta(seconds=ago)
    ServiceHeartbeat.objects.update_or_create(
        kind=kind, hostname=hostname, defaults={"seen_at": seen, "started_at": seen}
    )


def test_healthz_answers_ok_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]
    assert client.post("/healthz").status_code == 405


def test_readyz_is_green_with_fresh_heartbeats_and_names_nothing(client):
    beat_now("worker", ago=3)
    beat_now("beat", hostname="beat@node1", ago=10)
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["db"] == {"status": "ok"} and body["redis"] == {"status": "ok"}
    assert body["worker"]["status"] == "ok" and 3 <= body["worker"]["age"] < 60
    assert body["beat"]["status"] == "ok" and body["beat"]["age"] >= 10
    assert b"node1" not in response.content  # no host names for whoever can reach the balancer's URL
    assert "no-cache" in response["Cache-Control"]


def test_readyz_fails_when_the_worker_is_stale(client, settings, caplog):
    settings.EOFFICE_WORKER_HEARTBEAT_MAX_AGE = 60
    beat_now("worker", ago=61)
    beat_now("worker", hostname="celery@node2", ago=300)
    beat_now("beat", hostname="beat@node1", ago=1)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["worker"]["status"] == "fail" and body["worker"]["age"] >= 61  # the freshest worker
    assert body["beat"]["status"] == "ok" and body["db"]["status"] == "ok"
    assert not [r for r in caplog.records if r.name == "django.request"]  # a probe does not fill the log


def test_readyz_fails_with_no_heartbeat_and_for_a_stale_beat(client, settings):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["worker"] == {"status": "fail"} and response.json()["beat"] == {"status": "fail"}
    settings.EOFFICE_BEAT_HEARTBEAT_MAX_AGE = 120
    beat_now("worker")
    beat_now("beat", hostname="beat@node1", ago=500)
    body = client.get("/readyz").json()
    assert body["worker"]["status"] == "ok" and body["beat"]["status"] == "fail"


def test_readyz_fails_when_redis_cannot_be_reached(client, settings):
    beat_now("worker")
    beat_now("beat", hostname="beat@node1")
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["redis"] == {"status": "fail"}
    assert body["db"]["status"] == body["worker"]["status"] == body["beat"]["status"] == "ok"


def test_a_database_that_never_answers_is_fail_not_a_hung_probe():
    """A server that accepts the TCP connection and then says nothing (a host gone behind a black hole, a
    hung proxy): the check gives up at the settings' ``connect_timeout`` and answers "fail". Without a connect
    timeout it would wait forever on this socket; the thread bound below is generous and only catches that."""
    import socket
    import threading

    from django.conf import settings as live
    from django.db import connections

    from eoffice import health

    assert live.DATABASES["default"]["OPTIONS"]["connect_timeout"] == 5
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    alias = "silent_readyz"
    connections.settings[alias] = {
        **connections.settings["default"],
        "HOST": "127.0.0.1",
        "PORT": silent.getsockname()[1],
        "OPTIONS": {**connections.settings["default"]["OPTIONS"], "connect_timeout": 2},
    }
    result = {}
    try:
        conn = connections.create_connection(alias)
        worker = threading.Thread(target=lambda: result.update(ok=health.check_db(conn)), daemon=True)
        worker.start()
        worker.join(timeout=60)
        assert not worker.is_alive(), "the database check hung on a server that never answers"
        assert result == {"ok": False}
    finally:
        del connections.settings[alias]
        silent.close()


def test_health_urls_need_no_second_factor_for_a_signed_in_person(login, officer_a):
    """A person held by the two-factor policy is redirected from every page, not from the health URLs."""
    officer_a.agency.two_factor = "all"
    officer_a.agency.save(update_fields=["two_factor"])
    client = login(officer_a)
    assert client.get(reverse("dashboard")).status_code == 302
    assert client.get("/healthz").status_code == 200
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["worker"] == {"status": "fail"}


def test_heartbeat_upsert_keeps_one_row_and_its_start(django_assert_num_queries):
    started = timezone.now() - timedelta(minutes=5)
    assert write_heartbeat(kind="worker", hostname="celery@n", queues="celery,pdf", started_at=started)
    with django_assert_num_queries(1):
        assert write_heartbeat(kind="worker", hostname="celery@n", queues="celery,pdf")
    row = ServiceHeartbeat.objects.get()
    assert row.started_at == started and row.seen_at > started and row.queues == "celery,pdf"


def test_a_failed_task_is_recorded_with_its_arguments():
    task_failure.send(
        sender=access_rollup,
        task_id="t-1",
        exception=ValueError("ngày không hợp lệ"),
        args=[],
        kwargs={"x": 2},
    )
    row = FailedTask.objects.get(task_id="t-1")
    assert row.task == "eoffice.tasks.access_rollup" and row.retryable
    assert row.kwargs == {"x": 2} and row.error == "ValueError: ngày không hợp lệ"


@pytest.mark.parametrize("task", [sign_batch, send_code_email], ids=["pin-token", "otp-code"])
def test_a_secret_task_is_recorded_without_its_arguments(task):
    task_failure.send(
        sender=task,
        task_id="t-2",
        exception=RuntimeError("x" * 5000),
        args=["secret-1", "secret-2"],
        kwargs={},
    )
    row = FailedTask.objects.get(task_id="t-2")
    assert row.args == [] and row.kwargs == {} and not row.retryable
    assert len(row.error) <= 1000 and "secret" not in row.error


def test_an_eager_run_is_not_recorded(settings):
    """An eager task raises to its caller (tests, embedded mode): nothing to retry from the status page."""
    with pytest.raises(TypeError):
        access_rollup.apply(kwargs={"bogus": 1}, throw=True)
    assert not FailedTask.objects.exists()
