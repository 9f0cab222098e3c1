"""The VXP REST client against real HTTP servers: our own exchange node (live server) for the whole
contract, and a small http.server for the wire format and the axis' failures."""

from __future__ import annotations

import hashlib
import json
import socket
import threading
import time
from email import message_from_bytes
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import include, path

from documents.exchange.models import InboxMessage
from documents.exchange.services import common
from documents.exchange.transport import TransportError, peer_transport_key, transport_for
from documents.exchange.transport.auth import signature
from documents.exchange.transport.vxp import NodeTransport, VxpTransport

urlpatterns = [path("exchange/node/", include("documents.exchange.node.urls"))]

PACKAGE = '<?xml version="1.0" encoding="UTF-8"?><edXML>gói tin thử</edXML>'.encode()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- against our own node --------------------------------------------------------------------------------


@pytest.fixture
def node(settings, live_server, monkeypatch):
    settings.ROOT_URLCONF = __name__
    settings.EXCHANGE_NODE_ENABLED = True
    settings.EXCHANGE_NODE_TLS_SUBJECT_HEADER = ""
    settings.EXCHANGE_NODE_PEERS = {"tinh1": "khoa-bi-mat"}
    url = live_server.url + "/exchange/node/"
    settings.EXCHANGE_TRANSPORTS = {
        "axis": {"kind": "vxp", "url": url, "system_id": "tinh1", "secret": "khoa-bi-mat"},
        "peer": {
            "kind": "node",
            "url": url,
            "system_id": "tinh1",
            "secret": "khoa-bi-mat",
            "peer_id": "tinh1",
        },
        "forged": {"kind": "vxp", "url": url, "system_id": "tinh1", "secret": "sai-khoa"},
        "stranger": {"kind": "vxp", "url": url, "system_id": "la", "secret": "khoa-bi-mat"},
    }
    monkeypatch.setattr(common, "queue_task", lambda *a, **kw: None)  # the import: the inbox's business
    return url


def test_the_whole_contract_against_our_node(node, agency_a):
    client = transport_for("axis")
    assert isinstance(client, VxpTransport) and not isinstance(client, NodeTransport)

    remote_id = client.send(PACKAGE, kind="edoc", from_code="000.00.00.H99")

    assert remote_id == hashlib.sha256(PACKAGE).hexdigest()
    stored = InboxMessage.objects.get()
    assert (stored.transport, stored.remote_id, stored.state) == ("peer", remote_id, "received")
    assert client.received_list() == []
    assert client.fetch(remote_id) == PACKAGE
    client.acknowledge(remote_id)
    [sent] = client.sent_list()
    assert (sent["remote_id"], sent["receiveStatus"]) == (remote_id, "received")
    [agency] = client.agencies()
    assert (agency["code"], agency["name"]) == (agency_a.code, agency_a.name)


def test_a_status_is_sent_the_same_way(node):
    remote_id = transport_for("axis").send(b"<edXML>status 03</edXML>", kind="status", from_code="H99")
    assert InboxMessage.objects.get().remote_id == remote_id


def test_node_transport_pushes_and_holds_nothing_for_pickup(node, settings):
    peer = transport_for("peer")
    assert isinstance(peer, NodeTransport)
    assert peer.send(PACKAGE, kind="edoc", from_code="H99") == hashlib.sha256(PACKAGE).hexdigest()
    # no network call for the list or the acknowledgement: a dead peer does not stop the poller
    settings.EXCHANGE_TRANSPORTS["peer"]["url"] = f"http://127.0.0.1:{free_port()}/exchange/node/"
    dead = transport_for("peer")
    assert dead.received_list() == []
    assert dead.acknowledge("anything") is None
    with pytest.raises(TransportError) as caught:
        dead.send(PACKAGE, kind="edoc", from_code="H99")
    assert caught.value.code == "unreachable" and caught.value.retryable


def test_wrong_secret_is_refused_for_good(node):
    with pytest.raises(TransportError) as caught:
        transport_for("forged").send(PACKAGE, kind="edoc", from_code="H99")
    error = caught.value
    assert (error.code, error.http_status, error.retryable) == ("bad_signature", 401, False)
    assert "HMAC" in str(error)
    assert not InboxMessage.objects.exists()


def test_unknown_system_is_refused(node):
    with pytest.raises(TransportError) as caught:
        transport_for("stranger").agencies()
    assert (caught.value.code, caught.value.http_status, caught.value.retryable) == (
        "unknown_peer",
        403,
        False,
    )


def test_fetching_what_the_node_does_not_hold(node):
    with pytest.raises(TransportError) as caught:
        transport_for("axis").fetch("khong-co")
    assert (caught.value.code, caught.value.http_status, caught.value.retryable) == ("not_found", 404, False)


def test_too_large_is_refused_before_any_call(node, settings):
    settings.EXCHANGE_MAX_PACKAGE_BYTES = 10
    with pytest.raises(TransportError) as caught:
        transport_for("axis").send(PACKAGE, kind="edoc", from_code="H99")
    assert (caught.value.code, caught.value.retryable) == ("too_large", False)
    assert not InboxMessage.objects.exists()


# --- the wire and the axis' failures, against a small http.server ---------------------------------------


class Axis(BaseHTTPRequestHandler):
    requests: list
    replies: dict

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        operation = self.path.rsplit("/", 1)[-1]
        self.requests.append((operation, self.headers, body))  # case-insensitive
        status, reply, delay = self.replies.get(operation, (404, b"{}", 0))
        if delay:
            time.sleep(delay)
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up waiting (timeout test)
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def axis():
    handler = type("AxisHandler", (Axis,), {"requests": [], "replies": {}})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    client = VxpTransport(
        key="axis",
        url=f"http://127.0.0.1:{server.server_port}/vxp",
        system_id="eoffice-h26",
        secret="k",
        timeout=5,
    )
    yield client, handler
    server.shutdown()
    server.server_close()


def ok(**extra) -> bytes:
    return json.dumps({"status": "OK", "ErrorCode": "0", "ErrorDesc": "Thành công", **extra}).encode()


def test_send_edoc_on_the_wire(axis):
    client, handler = axis
    handler.replies["sendEdoc"] = (200, ok(DocId="vxp-1234"), 0)

    assert client.send(PACKAGE, kind="edoc", from_code="000.00.31.H26") == "vxp-1234"

    [(operation, headers, body)] = handler.requests
    assert operation == "sendEdoc"
    # the SDK's header, as HTTP headers and as the multipart's "header" part
    assert (headers["from"], headers["servicetype"], headers["messagetype"]) == (
        "000.00.31.H26",
        "eDoc",
        "edoc",
    )
    parsed = message_from_bytes(
        f"Content-Type: {headers['Content-Type']}\r\n\r\n".encode() + body, policy=HTTP
    )
    parts = {part.get_param("name", header="content-disposition"): part for part in parsed.iter_parts()}
    assert json.loads(parts["header"].get_content()) == {
        "from": "000.00.31.H26",
        "servicetype": "eDoc",
        "messagetype": "edoc",
    }
    assert parts["file"].get_filename() == "edoc.edxml"
    assert parts["file"].get_payload(decode=True) == PACKAGE
    # signed over the whole body
    assert headers["X-Exchange-System-Id"] == "eoffice-h26"
    assert abs(int(headers["X-Exchange-Timestamp"]) - time.time()) < 300
    assert headers["X-Exchange-Signature"] == signature(
        "k", "eoffice-h26", headers["X-Exchange-Timestamp"], headers["X-Exchange-Nonce"], body
    )


def test_every_request_has_a_fresh_nonce(axis):
    client, handler = axis
    handler.replies["getReceivedEdocList"] = (200, ok(data=[]), 0)
    client.received_list()
    nonces = {headers["X-Exchange-Nonce"] for _, headers, _ in handler.requests}
    assert len(handler.requests) == 2 and len(nonces) == 2  # packages, then statuses


def test_received_list_merges_packages_and_statuses(axis):
    client, handler = axis
    items = [{"docId": "11", "from": "000.00.00.G22", "messageType": "edoc", "created_time": "2026/12/01"}]
    handler.replies["getReceivedEdocList"] = (200, ok(data=items), 0)
    listed = client.received_list()
    assert [(i["remote_id"], i["id"], i["kind"], i["from"]) for i in listed] == [
        ("11", "11", "edoc", "000.00.00.G22")
    ]
    asked = [json.loads(body)["messagetype"] for _, _, body in handler.requests]
    assert asked == ["edoc", "status"]


def test_fetch_decodes_the_base64_package(axis):
    import base64

    client, handler = axis
    handler.replies["getEdoc"] = (200, ok(data=base64.b64encode(PACKAGE).decode()), 0)
    assert client.fetch("11") == PACKAGE
    assert json.loads(handler.requests[0][2]) == {"docId": "11"}


def test_acknowledge_is_update_status(axis):
    client, handler = axis
    handler.replies["updateStatus"] = (200, ok(), 0)
    client.acknowledge("11")
    assert [(op, json.loads(body)) for op, _, body in handler.requests] == [
        ("updateStatus", {"docId": "11", "status": "done"})
    ]


def test_agencies_in_the_sdks_spelling_are_normalised(axis):
    client, handler = axis
    data = [
        {
            "code": "000.00.00.G22",
            "name": "Bộ Nội vụ",
            "mail": "bnv@moha.gov.vn",
            "mobile": "024 1",
            "pname": "Chính phủ",
        },
        {"name": "Không có mã"},
    ]
    handler.replies["getAgenciesList"] = (200, ok(data=data), 0)
    [agency] = client.agencies()
    assert agency["code"] == "000.00.00.G22" and agency["name"] == "Bộ Nội vụ"
    assert (agency["email"], agency["phone"], agency["parent_name"]) == (
        "bnv@moha.gov.vn",
        "024 1",
        "Chính phủ",
    )


def test_refusal_in_the_answer_is_not_retried(axis):
    client, handler = axis
    refusal = json.dumps({"status": "FAIL", "ErrorCode": "E102", "ErrorDesc": "Sai mã định danh nơi nhận"})
    handler.replies["sendEdoc"] = (200, refusal.encode(), 0)
    with pytest.raises(TransportError) as caught:
        client.send(PACKAGE, kind="edoc", from_code="H26")
    assert (caught.value.code, str(caught.value), caught.value.retryable) == (
        "E102",
        "Sai mã định danh nơi nhận",
        False,
    )


def test_server_error_page_is_retried(axis):
    client, handler = axis
    handler.replies["sendEdoc"] = (503, b"<html>Service Unavailable</html>", 0)
    with pytest.raises(TransportError) as caught:
        client.send(PACKAGE, kind="edoc", from_code="H26")
    assert (caught.value.code, caught.value.http_status, caught.value.retryable) == (
        "bad_response",
        503,
        True,
    )


def test_answer_without_doc_id_is_retried(axis):
    client, handler = axis
    handler.replies["sendEdoc"] = (200, ok(), 0)
    with pytest.raises(TransportError) as caught:
        client.send(PACKAGE, kind="edoc", from_code="H26")
    assert (caught.value.code, caught.value.retryable) == ("bad_response", True)


def test_a_silent_server_times_out_and_is_retried(axis):
    client, handler = axis
    client.timeout = 0.3
    handler.replies["getAgenciesList"] = (200, ok(data=[]), 2)
    with pytest.raises(TransportError) as caught:
        client.agencies()
    assert (caught.value.code, caught.value.retryable) == ("timeout", True)


def test_unreachable_server_is_retried():
    client = VxpTransport(
        key="axis", url=f"http://127.0.0.1:{free_port()}/", system_id="a", secret="b", timeout=5
    )
    with pytest.raises(TransportError) as caught:
        client.agencies()
    assert (caught.value.code, caught.value.retryable) == ("unreachable", True)
    assert "127.0.0.1" in str(caught.value)


# --- transport_for ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "code"),
    [
        ({}, "unknown_transport"),
        ({"x": {"kind": "vxp", "url": "http://a/", "system_id": "s"}}, "bad_transport_config"),
        ({"x": {"kind": "vxp", "url": "", "system_id": "s", "secret": "k"}}, "bad_transport_config"),
        (
            {"x": {"kind": "soap", "url": "http://a/", "system_id": "s", "secret": "k"}},
            "bad_transport_config",
        ),
        (
            {"x": {"kind": "vxp", "url": "file:///etc/passwd", "system_id": "s", "secret": "k"}},
            "bad_transport_config",
        ),
    ],
)
def test_transport_for_refuses_a_missing_or_incomplete_entry(settings, config, code):
    settings.EXCHANGE_TRANSPORTS = config
    with pytest.raises(TransportError) as caught:
        transport_for("x")
    assert (caught.value.code, caught.value.retryable) == (code, False)
    assert "“x”" in str(caught.value)


def test_transport_for_takes_the_timeout_and_system_id_from_the_settings(settings):
    settings.EXCHANGE_HTTP_TIMEOUT_SECONDS = 7
    settings.EXCHANGE_SYSTEM_ID = "tinh1"
    settings.EXCHANGE_TRANSPORTS = {
        "a": {"kind": "vxp", "url": "https://axis.example/api", "system_id": "s", "secret": "k"},
        "tinh2": {"kind": "node", "url": "https://b.example/", "secret": "k", "timeout": 3},
    }
    a, b = transport_for("a"), transport_for("tinh2")
    assert (a.url, a.timeout, a.system_id, type(a)) == ("https://axis.example/api/", 7.0, "s", VxpTransport)
    assert (b.timeout, b.system_id, type(b)) == (3.0, "tinh1", NodeTransport)


def test_a_peer_is_reached_back_by_its_peer_id_or_by_its_name(settings):
    settings.EXCHANGE_TRANSPORTS = {
        "bo": {"kind": "node", "url": "https://bo.example/", "secret": "k", "peer_id": "ministry-01"},
        "tinh2": {"kind": "node", "url": "https://b.example/", "secret": "k"},
    }
    assert peer_transport_key("ministry-01") == "bo"
    assert peer_transport_key("tinh2") == "tinh2"
    assert peer_transport_key("unknown") == "unknown"


def test_a_field_unfit_for_an_http_header_travels_only_in_the_body(axis):
    client, handler = axis
    handler.replies["sendEdoc"] = (200, ok(DocId="1"), 0)
    client.send(PACKAGE, kind="status", from_code="H26\r\nX-Injected: 1")
    [(_, headers, body)] = handler.requests
    assert headers.get("X-Injected") is None and headers.get("from") is None
    assert headers["messagetype"] == "status"
    assert b'"from": "H26\\r\\nX-Injected: 1"' in body
