"""End to end through the real exchange node (``documents.exchange.node``) served by a live server: the
outbox sends with the real node client (HMAC-signed), the node stores what it receives in the inbox, the
import runs, and the statuses travel back the same way — one database playing both installations (the
sender reaches agency B as an outside agency with B's code)."""

# ruff: noqa: F811 (fixtures imported by name)

from __future__ import annotations

import pytest
from django.urls import include, path

from documents.exchange.models import InboxMessage, OutboxMessage
from documents.exchange.services import change_answer
from documents.incoming import selectors as incoming_selectors
from documents.incoming import services as incoming_services
from documents.models import IncomingDocument
from documents.outgoing import services
from documents.outgoing.models import DeliveryStatus
from eoffice.urls import urlpatterns as project_urls
from tests.documents.conftest import people_b  # noqa: F401
from tests.documents.exchange.test_build import exchange_keys_fixture  # noqa: F401
from tests.documents.exchange.test_outbox import exchange_document, issue, outside_b  # noqa: F401
from tests.documents.outgoing.helpers import office  # noqa: F401
from tests.signing.conftest import _signing_settings, authority, pki_dir  # noqa: F401
from workflow.models import WorkflowState

urlpatterns = [*project_urls, path("exchange/node/", include("documents.exchange.node.urls"))]

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db(transaction=True)]


@pytest.fixture
def node(live_server, settings):
    settings.EXCHANGE_SYSTEM_ID = "tinh1"
    settings.EXCHANGE_NODE_ENABLED = True
    settings.EXCHANGE_NODE_PEERS = {"tinh1": "bí-mật-chung"}
    settings.EXCHANGE_TRANSPORTS = {
        "loop": {
            "kind": "node",
            "url": f"{live_server.url}/exchange/node/",
            "secret": "bí-mật-chung",
            "peer_id": "tinh1",
        }
    }
    return live_server


def test_document_and_statuses_through_the_node(office, agency_b, outside_b, people_b, exchange_keys, node):
    doc = issue(office, exchange_document(office, agency_b, outside_b))  # the worker runs after commit
    recipient = doc.recipients.get()
    incoming = IncomingDocument.objects.get(agency=agency_b)
    assert incoming.state == WorkflowState.NEW and incoming.signature_status == "valid"
    received = InboxMessage.objects.get(incoming=incoming)
    assert received.transport == "loop" and received.xml_signature["valid"]
    recipient.refresh_from_db()
    assert recipient.status == DeliveryStatus.ARRIVED

    b = people_b
    incoming = incoming_services.incoming_register(document=incoming, by=b["clerk"])
    recipient.refresh_from_db()
    assert recipient.status == DeliveryStatus.REGISTERED

    services.document_recall(document=doc, by=office["clerk"], reason="Ban hành nhầm")
    incoming.refresh_from_db()
    assert incoming.recalled_at is not None
    assert not incoming_selectors.incoming_list(user=b["clerk"]).filter(pk=incoming.pk).exists()
    change_answer(incoming=incoming, accept=True, by=b["clerk"])
    recipient.refresh_from_db()
    assert recipient.status == DeliveryStatus.RECALL_ACCEPTED
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {"sent"}
    codes = list(
        OutboxMessage.objects.filter(kind="status").order_by("pk").values_list("status_code", flat=True)
    )
    assert codes == ["01", "03", "15"]
    assert InboxMessage.objects.filter(state="imported").count() == 5  # 2 packages, 3 statuses, once each
