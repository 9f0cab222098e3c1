"""documents.exchange.services.outbox: an issued document's outside recipients get an outbox row in the
issue's transaction; the worker sends it through a real HTTP server, retries with exponential backoff and
records every attempt, marks it "gửi lỗi" after the last one; the clerk resends; two workers send once; a
secret document never leaves by exchange.

Also the fixtures the other exchange service tests share (``loop``: a transport that keeps what is sent
in memory and hands it back to the poller, so that one database plays both installations)."""

# ruff: noqa: F811 (fixtures imported by name)

from __future__ import annotations

import datetime as dt
import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction

from documents.exchange import selectors
from documents.exchange.models import ExternalAgency, OutboxMessage
from documents.exchange.services import common, outbox
from documents.outgoing import services
from documents.outgoing.models import DeliveryStatus, OutgoingRecipient
from tests.documents.exchange.test_build import exchange_keys_fixture  # noqa: F401
from tests.documents.outgoing.helpers import PIN, _to_signing, office  # noqa: F401
from tests.signing.conftest import _signing_settings, authority, pki_dir  # noqa: F401


class Loopback:
    """A transport that keeps what is sent and lists it back as received (the axis, in memory)."""

    def __init__(self):
        self.messages: dict[str, tuple[str, bytes, str]] = {}
        self.acknowledged: set[str] = set()
        self.directory: list[dict] = []

    def send(self, data: bytes, *, kind: str, from_code: str) -> str:
        remote_id = uuid.uuid4().hex
        self.messages[remote_id] = (kind, data, from_code)
        return remote_id

    def received_list(self) -> list[dict]:
        return [{"id": rid} for rid in self.messages if rid not in self.acknowledged]

    def fetch(self, remote_id: str) -> bytes:
        return self.messages[remote_id][1]

    def acknowledge(self, remote_id: str) -> None:
        self.acknowledged.add(remote_id)

    def sent_list(self) -> list[dict]:
        return [{"id": rid} for rid in self.messages]

    def agencies(self) -> list[dict]:
        return list(self.directory)


@pytest.fixture
def loop(monkeypatch):
    transport = Loopback()
    monkeypatch.setattr(common, "transport", lambda key: transport)
    return transport


@pytest.fixture
def outside_b(agency_b):
    """Agency B as the sender sees it: an outside agency reached by exchange (same code, so that one
    database plays both installations)."""
    return ExternalAgency.objects.create(code=agency_b.code, name=agency_b.name, transport="loop")


def exchange_document(office, agency_b, outside, **extra):
    """A document of agency A, brought to the signer, with ``outside`` as its one recipient by exchange."""
    doc = _to_signing(office, agency_b, recipient_agencies=[], external_recipients="", **extra)
    OutgoingRecipient.objects.create(
        document=doc, external_agency=outside, name=outside.name, channel=OutgoingRecipient.Channel.EXCHANGE
    )
    return services.document_sign(document=doc, by=office["leader"], pin=PIN)


def issue(office, doc):
    return services.document_issue(document=doc, by=office["clerk"], pin=PIN)


# --- a real HTTP server that fails, then answers ----------------------------------------------------------


class Axis(ThreadingHTTPServer):
    """The national axis' sendEdoc: answers each request with the next status (the last one repeated)."""

    daemon_threads = True

    def __init__(self, answers):
        super().__init__(("127.0.0.1", 0), AxisHandler)
        self.answers = list(answers)
        self.requests: list[bytes] = []
        self.gate: threading.Event | None = None
        self.arrived = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"


class AxisHandler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        server = self.server
        server.requests.append(body)
        server.arrived.set()
        if server.gate is not None:
            server.gate.wait(10)
        status = server.answers.pop(0) if len(server.answers) > 1 else server.answers[0]
        if status == 200:
            answer = {"status": "OK", "ErrorCode": "0", "DocId": f"R-{len(server.requests)}"}
        else:
            answer = {"status": "FAIL", "ErrorCode": str(status), "ErrorDesc": f"Trục lỗi HTTP {status}"}
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def axis(settings):
    """A real HTTP server reached by the real VXP client (transport "loop", as ``outside_b`` says)."""
    servers = []

    def start(*answers):
        server = Axis(answers)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        settings.EXCHANGE_TRANSPORTS = {
            "loop": {"kind": "vxp", "url": server.url, "system_id": "tinh1", "secret": "bí-mật-chung"}
        }
        return server

    yield start
    for server in servers:
        if server.gate is not None:
            server.gate.set()
        server.shutdown()
        server.server_close()


def make_due(message: OutboxMessage) -> None:
    OutboxMessage.objects.filter(pk=message.pk).update(
        next_attempt_at=message.next_attempt_at - dt.timedelta(days=1)
    )


# --- tests ---------------------------------------------------------------------------------------------


def test_issue_writes_the_outbox_row_in_its_transaction(office, agency_b, outside_b, exchange_keys):
    doc = exchange_document(office, agency_b, outside_b)
    recipient = doc.recipients.get()
    with pytest.raises(RuntimeError), transaction.atomic():
        issue(office, doc)
        assert OutboxMessage.objects.filter(recipient=recipient, kind="package").count() == 1
        raise RuntimeError("rolled back")
    assert not OutboxMessage.objects.exists()

    doc.refresh_from_db()
    issue(office, doc)
    [row] = OutboxMessage.objects.all()
    assert (row.recipient, row.external_agency, row.transport) == (recipient, outside_b, "loop")
    assert (row.kind, row.business_type, row.state, row.attempts) == ("package", 0, "pending", 0)
    assert row.agency_id == doc.agency_id and not row.file
    recipient.refresh_from_db()
    assert recipient.status == DeliveryStatus.PENDING  # chưa gửi until the worker sends it


def test_retry_with_backoff_then_sent_every_attempt_recorded(
    office,
    agency_b,
    outside_b,
    exchange_keys,
    axis,
    settings,
):
    settings.EXCHANGE_RETRY_BASE_SECONDS = 30
    settings.EXCHANGE_RETRY_MAX_SECONDS = 3600
    settings.EXCHANGE_RETRY_MAX_ATTEMPTS = 5
    server = axis(500, 503, 200)
    issue(office, exchange_document(office, agency_b, outside_b))
    [message] = OutboxMessage.objects.all()

    assert outbox.outbox_send(message_id=message.pk) == "retry"
    message.refresh_from_db()
    first = message.attempt_log.get()
    assert (message.state, message.attempts) == ("pending", 1)
    assert (first.ok, first.http_status) == (False, 500)
    assert message.next_attempt_at - first.at == dt.timedelta(seconds=30)
    assert message.last_error == "Gửi không thành công: Trục lỗi HTTP 500" and message.file and message.sha256
    built = message.file.read()

    assert outbox.outbox_send(message_id=message.pk) == "skipped"  # not due yet: nothing sent
    assert len(server.requests) == 1

    make_due(message)
    assert outbox.outbox_send(message_id=message.pk) == "retry"
    message.refresh_from_db()
    second = message.attempt_log.order_by("pk").last()
    assert (second.http_status, message.attempts) == (503, 2)
    assert message.next_attempt_at - second.at == dt.timedelta(seconds=60)  # doubled

    make_due(message)
    assert outbox.outbox_send(message_id=message.pk) == "sent"
    message.refresh_from_db()
    assert [a.ok for a in message.attempt_log.order_by("pk")] == [False, False, True]
    assert (message.state, message.remote_id, message.last_error) == ("sent", "R-3", "")
    assert len(server.requests) == 3
    assert all(built in body for body in server.requests)  # every retry sends the same signed bytes
    recipient = message.recipient
    recipient.refresh_from_db()
    assert recipient.status == DeliveryStatus.SENT
    assert list(recipient.events.values_list("status", flat=True)) == [DeliveryStatus.SENT]


def test_failed_after_the_last_attempt_then_resent(
    office, agency_b, outside_b, exchange_keys, axis, settings
):
    settings.EXCHANGE_RETRY_MAX_ATTEMPTS = 2
    server = axis(500, 500, 200)
    issue(office, exchange_document(office, agency_b, outside_b))
    [message] = OutboxMessage.objects.all()
    assert outbox.outbox_send(message_id=message.pk) == "retry"
    make_due(OutboxMessage.objects.get())
    assert outbox.outbox_send(message_id=message.pk) == "failed"
    message.refresh_from_db()
    assert (message.state, message.attempts, message.attempt_log.count()) == ("failed", 2, 2)
    recipient = message.recipient
    recipient.refresh_from_db()
    assert recipient.status == DeliveryStatus.FAILED  # "gửi lỗi", with the reason
    assert "Gửi không thành công" in recipient.error and "HTTP 500" in recipient.error
    assert outbox.outbox_send(message_id=message.pk) == "skipped"  # a failed row is not sent again

    counters = selectors.delivery_counters
    assert counters(office["clerk"]) == {"pending": 0, "failed": 1, "refused": 0, "late": 0}
    assert list(selectors.outbox_visible(office["clerk"])) == [message]
    assert not selectors.outbox_visible(office["officer"]).exists()  # the log is the clerk's
    assert not selectors.outbox_visible(office["clerk_b"]).exists()  # and their own agency's

    with pytest.raises(PermissionDenied):
        outbox.outbox_resend(message=message, by=office["officer"])
    outbox.outbox_resend(message=message, by=office["clerk"])
    message.refresh_from_db()
    recipient.refresh_from_db()
    assert (message.state, message.attempts, recipient.status) == ("pending", 0, DeliveryStatus.PENDING)
    with pytest.raises(ValidationError):
        outbox.outbox_resend(message=message, by=office["clerk"])  # only a failed row
    assert outbox.outbox_send(message_id=message.pk) == "sent"
    recipient.refresh_from_db()
    assert recipient.status == DeliveryStatus.SENT and recipient.error == ""
    assert len(server.requests) == 3 and message.attempt_log.count() == 3
    assert counters(office["clerk"]) == {"pending": 0, "failed": 0, "refused": 0, "late": 0}
    # no 01 after EXCHANGE_LATE_ARRIVAL_HOURS: "chậm tiếp nhận"
    late = recipient.status_at - dt.timedelta(hours=settings.EXCHANGE_LATE_ARRIVAL_HOURS, minutes=1)
    type(recipient).objects.filter(pk=recipient.pk).update(status_at=late)
    assert counters(office["clerk"])["late"] == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_send_once(office, agency_b, outside_b, exchange_keys, axis):
    server = axis(200)
    issue(office, exchange_document(office, agency_b, outside_b))
    message = OutboxMessage.objects.get()
    if message.state == "sent":  # the eager worker ran after commit: put it back to try both at once
        OutboxMessage.objects.filter(pk=message.pk).update(state="pending", remote_id="", sent_at=None)
        message.attempt_log.all().delete()
        server.requests.clear()
    server.gate = threading.Event()
    results = []

    def worker():
        try:
            results.append(outbox.outbox_send(message_id=message.pk))
        finally:
            connection.close()

    first = threading.Thread(target=worker)
    first.start()
    assert server.arrived.wait(20)  # the first worker is inside its send, the row locked
    second = threading.Thread(target=worker)
    second.start()
    second.join(20)
    server.gate.set()
    first.join(20)
    assert sorted(results) == ["sent", "skipped"]
    assert len(server.requests) == 1
    message.refresh_from_db()
    assert message.state == "sent" and message.attempt_log.filter(ok=True).count() == 1


def test_secret_document_never_leaves_by_exchange(office, agency_b, outside_b, exchange_keys, loop):
    from documents.common import Confidentiality

    doc = exchange_document(office, agency_b, outside_b, confidentiality=Confidentiality.SECRET)
    issue(office, doc)
    recipient = doc.recipients.get()
    assert recipient.status == DeliveryStatus.FAILED
    assert "Văn bản mật không được gửi qua trục liên thông" in recipient.error
    assert not OutboxMessage.objects.exists() and not loop.messages
    # a row forced into the queue is refused by the worker too, with the same message, never retried
    row = OutboxMessage.objects.create(
        kind="package", agency=doc.agency, external_agency=outside_b, transport="loop", recipient=recipient
    )
    assert outbox.outbox_send(message_id=row.pk) == "failed"
    row.refresh_from_db()
    assert row.state == "failed" and "Văn bản mật" in row.last_error and not loop.messages


def test_scan_queues_due_rows_only(
    office, agency_b, outside_b, exchange_keys, loop, django_capture_on_commit_callbacks
):
    issue(office, exchange_document(office, agency_b, outside_b))
    message = OutboxMessage.objects.get()
    assert outbox.outbox_scan() == 0  # just queued by the issue: its own task will send it
    make_due(message)
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.outbox_scan() == 1
    message.refresh_from_db()
    assert message.state == "sent" and len(loop.messages) == 1


def test_a_refusal_is_not_retried(office, agency_b, outside_b, exchange_keys, settings):
    settings.EXCHANGE_TRANSPORTS = {}  # the transport "loop" is not configured: no retry will help
    issue(office, exchange_document(office, agency_b, outside_b))
    message = OutboxMessage.objects.get()
    assert outbox.outbox_send(message_id=message.pk) == "failed"
    message.refresh_from_db()
    assert (message.state, message.attempts) == ("failed", 1)
    assert "Kênh liên thông “loop” chưa được cấu hình" in message.last_error
    recipient = message.recipient
    recipient.refresh_from_db()
    assert recipient.status == DeliveryStatus.FAILED and "chưa được cấu hình" in recipient.error
