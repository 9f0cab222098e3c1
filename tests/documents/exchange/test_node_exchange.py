"""End to end over HTTP through our own exchange node (the live server; one database plays both
installations): the outbox worker pushes the signed package to the node, the node keeps it in the inbox,
the import puts it in "chờ vào sổ" and the statuses travel back the same way; a node that does not answer
costs a recorded, retried attempt and nothing is lost."""

# ruff: noqa: F811 (fixtures imported by name)

from __future__ import annotations

import socket

import pytest
from django.urls import include, path

from documents.exchange.models import InboxMessage, OutboxAttempt, OutboxMessage
from documents.exchange.services import common, outbox
from documents.incoming import services as incoming_services
from documents.models import IncomingDocument
from documents.outgoing.models import DeliveryStatus
from eoffice.urls import urlpatterns as project_urls
from tests.documents.conftest import people_b  # noqa: F401
from tests.documents.exchange.test_build import exchange_keys_fixture  # noqa: F401
from tests.documents.exchange.test_outbox import exchange_document, issue, make_due
from tests.documents.exchange.test_statuses import pump, statuses
from tests.documents.outgoing.helpers import office  # noqa: F401
from tests.signing.conftest import _signing_settings, authority, pki_dir  # noqa: F401
from workflow.models import WorkflowState

# the project's URLs (notifications link to documents) and the node where the lead mounts it
urlpatterns = [path("exchange/node/", include("documents.exchange.node.urls")), *project_urls]


@pytest.fixture
def node(settings, live_server, monkeypatch):
    settings.ROOT_URLCONF = __name__
    settings.EXCHANGE_NODE_ENABLED = True
    settings.EXCHANGE_NODE_TLS_SUBJECT_HEADER = ""
    settings.EXCHANGE_NODE_PEERS = {"tinh": "khoa-chung"}
    settings.EXCHANGE_TRANSPORTS = {
        "node": {
            "kind": "node",
            "url": live_server.url + "/exchange/node/",
            "system_id": "tinh",
            "secret": "khoa-chung",
            "peer_id": "tinh",
        }
    }
    # the worker and the poller are run by pump(), not by the queue
    monkeypatch.setattr(common, "queue_task", lambda *a, **kw: None)
    return settings.EXCHANGE_TRANSPORTS["node"]


@pytest.fixture
def outside_b(agency_b):
    from documents.exchange.models import ExternalAgency

    return ExternalAgency.objects.create(code=agency_b.code, name=agency_b.name, transport="node")


def test_package_and_statuses_travel_through_the_node(
    node, office, agency_b, outside_b, people_b, exchange_keys
):
    doc = issue(office, exchange_document(office, agency_b, outside_b))
    pump("node")

    sent = OutboxMessage.objects.get(kind="package")
    received = InboxMessage.objects.get(kind="package")
    assert (sent.state, received.transport, received.remote_id) == ("sent", "node", sent.remote_id)
    assert received.sha256 == sent.sha256  # the very bytes the worker built and signed
    incoming = IncomingDocument.objects.get(agency=agency_b)
    assert (incoming.state, incoming.number_symbol) == (WorkflowState.NEW, doc.number_symbol)
    assert received.xml_signature["valid"] and [p["valid"] for p in received.pdf_signatures] == [True]

    incoming_services.incoming_register(document=incoming, by=people_b["clerk"])
    pump("node")

    recipient = doc.recipients.get()
    assert recipient.status == DeliveryStatus.REGISTERED
    assert statuses(recipient) == ["sent", "01", "03"]
    assert list(
        OutboxMessage.objects.filter(kind="status").order_by("pk").values_list("status_code", "state")
    ) == [("01", "sent"), ("03", "sent")]
    assert InboxMessage.objects.filter(kind="status", state="imported", transport="node").count() == 2


def test_a_node_that_does_not_answer_loses_nothing(node, office, agency_b, outside_b, exchange_keys):
    url = node["url"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
    node["url"] = f"http://127.0.0.1:{dead}/exchange/node/"
    issue(office, exchange_document(office, agency_b, outside_b))
    message = OutboxMessage.objects.get(kind="package")

    assert outbox.outbox_send(message_id=message.pk) == "retry"
    message.refresh_from_db()
    [attempt] = OutboxAttempt.objects.filter(message=message)
    assert not attempt.ok and "Không kết nối được" in attempt.error
    assert (message.state, message.attempts) == ("pending", 1)
    assert not InboxMessage.objects.exists()

    node["url"] = url  # the receiving installation is back
    make_due(message)
    pump("node")
    message.refresh_from_db()
    assert message.state == "sent"
    assert [a.ok for a in OutboxAttempt.objects.filter(message=message).order_by("pk")] == [False, True]
    assert IncomingDocument.objects.filter(agency=agency_b).count() == 1
