"""The transactional outbox (eoffice.outbox): a task is written with the caller's transaction, published to
the real broker (Redis) after the commit, and kept for the relay when the broker cannot be reached."""

from __future__ import annotations

import base64
import contextlib
import json
import socket
import uuid

import pytest
import redis
from django.conf import settings as django_settings
from django.db import transaction

from eoffice import outbox
from eoffice.celery import app
from eoffice.models import TaskOutbox
from eoffice.tasks import send_notification_emails

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _broker(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    outbox._state.update(pause_until=0.0, down=False)
    yield
    outbox._state.update(pause_until=0.0, down=False)


@pytest.fixture
def queue():
    """A queue of this test's own in the real Redis; its messages are read with redis-py."""
    name = f"outbox-test-{uuid.uuid4().hex}"
    client = redis.Redis.from_url(django_settings.REDIS_URL)
    yield name, client
    client.delete(name)


def messages(client, name) -> list[dict]:
    return [json.loads(raw) for raw in client.lrange(name, 0, -1)]


@contextlib.contextmanager
def broker_at(settings, url: str):
    """Point the Celery app at another broker (its connection and producer pools rebuilt), then back."""

    def reset():
        app._pool = None
        app.amqp._producer_pool = None

    old = settings.CELERY_BROKER_URL
    settings.CELERY_BROKER_URL = url
    reset()
    try:
        yield
    finally:
        settings.CELERY_BROKER_URL = old
        reset()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_enqueue_writes_a_row_in_the_transaction_and_publishes_after_commit(queue):
    name, client = queue
    with transaction.atomic():
        row = outbox.enqueue(send_notification_emails, args=([7, 8],), queue=name)
        assert TaskOutbox.objects.filter(pk=row.pk, sent_at__isnull=True).exists()
        assert messages(client, name) == []  # nothing leaves before the commit
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 1 and row.last_error == ""
    assert row.args == [] and row.kwargs == {}  # a sent row keeps no arguments
    (message,) = messages(client, name)
    assert message["headers"]["task"] == "eoffice.tasks.send_notification_emails"
    assert message["headers"]["id"] == f"outbox-{row.pk}-1"
    assert json.loads(base64.b64decode(message["body"]))[0] == [[7, 8]]


def test_rollback_leaves_no_row_and_no_message(queue):
    name, client = queue
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.enqueue("eoffice.tasks.send_notification_emails", args=([1],), queue=name)
        raise RuntimeError
    assert not TaskOutbox.objects.exists()
    assert messages(client, name) == []


def test_private_arguments_are_redacted_for_monitors(queue):
    name, client = queue
    outbox.enqueue("eoffice.otp.send_code_email", args=("a@example.vn", "123456"), queue=name)
    (message,) = messages(client, name)
    assert message["headers"]["argsrepr"] == "('…', '…')"
    assert "a@example.vn" not in json.dumps(message["headers"])


def test_broker_down_keeps_the_row_and_the_relay_sends_it_later(settings, queue):
    name, client = queue
    with broker_at(settings, f"redis://127.0.0.1:{closed_port()}/0"):
        with transaction.atomic():  # a request's write: the commit succeeds, nothing is raised
            first = outbox.enqueue(send_notification_emails, args=([1],), queue=name)
        with transaction.atomic():  # a moment later: left to the relay without trying the broker
            second = outbox.enqueue(send_notification_emails, args=([2],), queue=name, countdown=60)
        first.refresh_from_db()
        second.refresh_from_db()
        assert first.sent_at is None and first.attempts == 1 and first.last_error
        assert second.sent_at is None and second.attempts == 0
        assert outbox.relay() == {"sent": 0, "failed": 1, "deleted": 0}
    assert messages(client, name) == []
    assert outbox.relay() == {"sent": 2, "failed": 0, "deleted": 0}
    assert not TaskOutbox.objects.filter(sent_at__isnull=True).exists()
    sent = messages(client, name)  # LPUSH: newest first
    assert [m["headers"]["id"] for m in reversed(sent)] == [f"outbox-{first.pk}-3", f"outbox-{second.pk}-1"]
    assert sent[0]["headers"]["eta"] is not None  # the countdown is kept as an eta
    assert outbox.relay() == {"sent": 0, "failed": 0, "deleted": 0}  # nothing sent twice


def test_relay_deletes_sent_rows_after_a_week():
    from datetime import timedelta

    from django.utils import timezone

    old = TaskOutbox.objects.create(task="x", sent_at=timezone.now() - timedelta(days=8))
    recent = TaskOutbox.objects.create(task="x", sent_at=timezone.now() - timedelta(days=1))
    assert outbox.relay()["deleted"] == 1
    assert list(TaskOutbox.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not TaskOutbox.objects.filter(pk=old.pk).exists()


def test_eager_mode_runs_the_task_after_commit_without_a_row(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    ran = []

    def record(value):
        ran.append(value)

    with transaction.atomic():
        outbox.enqueue(app.task(name=f"test.outbox.{uuid.uuid4().hex}")(record), args=(1,))
        assert ran == []
    assert ran == [1]
    assert not TaskOutbox.objects.exists()
