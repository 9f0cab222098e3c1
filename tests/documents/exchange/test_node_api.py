"""The node's operations over HTTP: sendEdoc keeps what a peer pushes in our inbox (once per content), the
lists and getEdoc answer only for the calling peer, getAgenciesList gives this installation's agencies."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest
from django.urls import include, path

from documents.exchange.models import InboxMessage
from documents.exchange.services import common
from documents.exchange.transport.auth import sign_headers
from documents.exchange.transport.vxp import multipart
from tests.factories import make_agency

urlpatterns = [path("exchange/node/", include("documents.exchange.node.urls"))]

PEERS = {"province2": "secret-2", "ministry": "secret-m"}
PACKAGE = (
    '<?xml version="1.0" encoding="UTF-8"?><edXML:edXML xmlns:edXML="urn:x">gói tin</edXML:edXML>'.encode()
)


@pytest.fixture(autouse=True)
def node(settings, db, monkeypatch):
    settings.ROOT_URLCONF = __name__
    settings.EXCHANGE_NODE_ENABLED = True
    settings.EXCHANGE_NODE_PEERS = PEERS
    settings.EXCHANGE_NODE_TLS_SUBJECT_HEADER = ""
    settings.EXCHANGE_TRANSPORTS = {
        "tinh2": {
            "kind": "node",
            "url": "http://tinh2.invalid/exchange/node/",
            "system_id": "me",
            "secret": "x",
            "peer_id": "province2",
        },
    }
    # the import itself is the inbox service's business (tested there): here, that it was queued
    queued: list = []
    monkeypatch.setattr(common, "queue_task", lambda name, args, **kw: queued.append((name, list(args))))
    return queued


def call(
    client,
    operation: str,
    body: bytes,
    *,
    peer: str = "province2",
    content_type="application/json",
    **headers,
):
    auth = sign_headers(peer, PEERS[peer], body)
    return client.post(
        f"/exchange/node/{operation}", data=body, content_type=content_type, headers={**auth, **headers}
    )


def send(client, data: bytes = PACKAGE, *, peer: str = "province2", messagetype: str = "edoc"):
    body, content_type = multipart(
        {"from": "000.00.00.H99", "servicetype": "eDoc", "messagetype": messagetype},
        data,
        filename="edoc.edxml",
    )
    return call(client, "sendEdoc", body, peer=peer, content_type=content_type)


def payload(**values) -> bytes:
    return json.dumps(values).encode()


def test_send_edoc_keeps_the_package_in_the_inbox_of_the_peers_transport(client, node):
    response = send(client)
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["status"] == "OK" and answer["ErrorCode"] == "0"
    assert answer["DocId"] == hashlib.sha256(PACKAGE).hexdigest()
    message = InboxMessage.objects.get()
    assert (message.transport, message.remote_id) == ("tinh2", answer["DocId"])
    assert message.state == InboxMessage.State.RECEIVED
    assert message.sha256 == hashlib.sha256(PACKAGE).hexdigest() and message.size == len(PACKAGE)
    with message.file.open("rb") as handle:
        assert handle.read() == PACKAGE
    assert node == [("inbox_import", [(message.pk,)])]


def test_a_resend_of_the_same_bytes_is_the_same_message(client):
    first = send(client).json()["DocId"]
    assert send(client).json()["DocId"] == first
    assert InboxMessage.objects.count() == 1
    assert send(client, PACKAGE + b" ").json()["DocId"] != first
    assert InboxMessage.objects.count() == 2


def test_a_peer_without_a_transport_entry_is_named_by_its_system_id(client):
    assert send(client, peer="ministry").status_code == 200
    assert InboxMessage.objects.get().transport == "ministry"


def test_raw_package_with_sdk_style_headers(client):
    response = call(
        client,
        "sendEdoc",
        PACKAGE,
        content_type="application/octet-stream",
        **{"from": "000.00.00.H99", "servicetype": "eDoc", "messagetype": "status"},
    )
    assert response.status_code == 200, response.content
    assert InboxMessage.objects.get().remote_id == response.json()["DocId"]


NO_FILE = (
    b'--b\r\nContent-Disposition: form-data; name="header"\r\n\r\n{"messagetype": "edoc"}\r\n--b--\r\n',
    "multipart/form-data; boundary=b",
)


@pytest.mark.parametrize(
    ("make", "status", "code"),
    [
        (lambda c: send(c, messagetype="fax"), 400, "bad_message_type"),
        (lambda c: send(c, b"  \n"), 400, "package_empty"),
        (
            lambda c: call(c, "sendEdoc", b"--x\r\n", content_type="multipart/form-data; boundary=x"),
            400,
            "package_missing",
        ),
        (lambda c: call(c, "sendEdoc", NO_FILE[0], content_type=NO_FILE[1]), 400, "package_missing"),
    ],
)
def test_send_edoc_refuses_malformed_requests(client, make, status, code):
    response = make(client)
    assert response.status_code == status, response.content
    assert response.json()["ErrorCode"] == code and response.json()["ErrorDesc"]
    assert not InboxMessage.objects.exists()


def test_send_edoc_over_the_package_limit_is_413(client, settings):
    settings.EXCHANGE_MAX_PACKAGE_BYTES = len(PACKAGE) - 1
    response = send(client)
    assert response.status_code == 413
    assert response.json()["ErrorCode"] == "too_large"
    assert not InboxMessage.objects.exists()


def test_lists_and_get_edoc_answer_only_for_the_calling_peer(client):
    mine = send(client).json()["DocId"]
    theirs = send(client, PACKAGE + b"<!-- other -->", peer="ministry").json()["DocId"]
    InboxMessage.objects.filter(remote_id=mine).update(
        state=InboxMessage.State.REFUSED, error_code="not_for_us", error_message="Không đúng nơi nhận"
    )

    listed = call(client, "getSentEdocList", payload()).json()["data"]
    assert [(i["docId"], i["receiveStatus"], i["receiveStatusDesc"]) for i in listed] == [
        (mine, "refused", "Không đúng nơi nhận")
    ]

    got = call(client, "getEdoc", payload(docId=mine)).json()
    assert base64.b64decode(got["data"]) == PACKAGE
    assert call(client, "getEdoc", payload(docId=theirs)).status_code == 404
    assert call(client, "updateStatus", payload(docId=mine, status="done")).json()["status"] == "OK"
    assert call(client, "updateStatus", payload(docId=theirs)).status_code == 404
    missing = call(client, "getEdoc", payload())
    assert missing.status_code == 400 and missing.json()["ErrorCode"] == "doc_id_missing"


def test_nothing_waits_at_a_node_for_pickup(client):
    send(client)
    answer = call(client, "getReceivedEdocList", payload(servicetype="eDoc", messagetype="edoc")).json()
    assert answer == {"status": "OK", "ErrorCode": "0", "ErrorDesc": "", "data": []}


def test_agencies_list_gives_this_installations_agencies_with_both_codes(client):
    province = make_agency(name="Ủy ban nhân dân tỉnh Hai", code="000.00.00.H98", code_qd20="H98")
    make_agency(
        name="Sở Tư pháp",
        code="000.00.12.H98",
        code_qd20="H98.12",
        parent=province,
        address="1 Đường Lê Lợi",
        email="stp@tinh2.gov.vn",
        phone="0200 123",
    )
    make_agency(name="Cơ quan đã giải thể", code="000.00.13.H98", is_active=False)
    data = call(client, "getAgenciesList", payload()).json()["data"]
    assert data == [
        {
            "code": "000.00.00.H98",
            "code_qd20": "H98",
            "name": "Ủy ban nhân dân tỉnh Hai",
            "parent_code": "",
            "parent_name": "",
            "address": "",
            "email": "",
            "phone": "",
        },
        {
            "code": "000.00.12.H98",
            "code_qd20": "H98.12",
            "name": "Sở Tư pháp",
            "parent_code": "000.00.00.H98",
            "parent_name": "Ủy ban nhân dân tỉnh Hai",
            "address": "1 Đường Lê Lợi",
            "email": "stp@tinh2.gov.vn",
            "phone": "0200 123",
        },
    ]
