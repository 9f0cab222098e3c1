"""The node refuses whoever is not a signed, fresh, first-time request from a known peer — every refusal
a JSON answer — and accepts a client certificate vouched for by the TLS proxy when configured."""

from __future__ import annotations

import json
import time

import pytest
from django.urls import include, path

from documents.exchange.transport.auth import sign_headers

urlpatterns = [path("exchange/node/", include("documents.exchange.node.urls"))]

PEER, SECRET = "province2", "s3cret-of-province2"
URL = "/exchange/node/getAgenciesList"


@pytest.fixture(autouse=True)
def node(settings, db):
    settings.ROOT_URLCONF = __name__
    settings.EXCHANGE_NODE_ENABLED = True
    settings.EXCHANGE_NODE_PEERS = {PEER: SECRET}
    settings.EXCHANGE_REQUEST_MAX_SKEW_SECONDS = 300
    settings.EXCHANGE_NODE_TLS_SUBJECT_HEADER = ""


def post(client, body: bytes = b"{}", *, url: str = URL, headers: dict | None = None, **extra):
    return client.post(url, data=body, content_type="application/json", headers=headers or {}, **extra)


def signed(body: bytes = b"{}", *, system_id: str = PEER, secret: str = SECRET, **kw) -> dict:
    return sign_headers(system_id, secret, body, **kw)


def refused(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["status"] == "FAIL" and body["ErrorCode"] == code
    assert body["ErrorDesc"]  # a Vietnamese reason, not an empty refusal
    return body


def test_signed_request_from_a_peer_is_answered(client, agency_a):
    response = post(client, headers=signed())
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "OK" and body["ErrorCode"] == "0"
    assert [a["code"] for a in body["data"]] == [agency_a.code]


def test_unauthenticated_is_401(client):
    body = refused(post(client), 401, "unauthenticated")
    assert "xác thực" in body["ErrorDesc"]


def test_missing_nonce_is_401(client):
    headers = signed()
    del headers["X-Exchange-Nonce"]
    refused(post(client, headers=headers), 401, "unauthenticated")


def test_wrong_secret_is_401(client):
    refused(post(client, headers=signed(secret="not-the-secret")), 401, "bad_signature")


def test_body_changed_after_signing_is_401(client):
    headers = signed(b'{"docId": "1"}')
    refused(post(client, b'{"docId": "2"}', headers=headers), 401, "bad_signature")


def test_stale_timestamp_is_401(client):
    refused(post(client, headers=signed(timestamp=int(time.time()) - 301)), 401, "stale_request")
    refused(post(client, headers=signed(timestamp=int(time.time()) + 400)), 401, "stale_request")


def test_timestamp_not_a_number_is_401(client):
    headers = signed()
    headers["X-Exchange-Timestamp"] = "yesterday"
    refused(post(client, headers=headers), 401, "stale_request")


def test_replayed_nonce_is_401(client):
    headers = signed()
    assert post(client, headers=headers).status_code == 200
    refused(post(client, headers=headers), 401, "replayed")
    # a fresh nonce from the same peer is fine
    assert post(client, headers=signed()).status_code == 200


def test_badly_signed_request_does_not_burn_the_nonce(client):
    good = signed()
    forged = {**good, "X-Exchange-Signature": "0" * 64}
    refused(post(client, headers=forged), 401, "bad_signature")
    assert post(client, headers=good).status_code == 200


def test_nonce_store_down_is_503_not_an_accepted_replay(client, monkeypatch):
    from documents.exchange.transport import auth

    class Down:
        def add(self, *args, **kwargs):
            raise ConnectionError("redis is down")

    monkeypatch.setattr(auth, "cache", Down())
    refused(post(client, headers=signed()), 503, "nonce_store_unavailable")


def test_unknown_peer_is_403(client):
    refused(post(client, headers=signed(system_id="stranger", secret="whatever")), 403, "unknown_peer")


def test_oversize_body_is_413(client, settings):
    settings.EXCHANGE_MAX_PACKAGE_BYTES = 1000
    body = json.dumps({"pad": "x" * 70_000}).encode()
    refused(post(client, body, headers=signed(body)), 413, "too_large")


def test_oversize_is_refused_only_after_the_caller_is_known(client, settings):
    settings.EXCHANGE_MAX_PACKAGE_BYTES = 1000
    body = json.dumps({"pad": "x" * 70_000}).encode()
    refused(post(client, body), 401, "unauthenticated")
    refused(post(client, body, headers=signed(body, system_id="stranger")), 403, "unknown_peer")


def test_get_is_405(client):
    response = client.get(URL, headers=signed(b""))
    refused(response, 405, "method_not_allowed")
    assert response["Allow"] == "POST"


def test_disabled_node_is_404(client, settings):
    settings.EXCHANGE_NODE_ENABLED = False
    refused(post(client, headers=signed()), 404, "node_disabled")


def test_malformed_json_is_400(client):
    refused(post(client, b"{not json", headers=signed(b"{not json")), 400, "bad_request")


@pytest.fixture
def tls(settings):
    settings.EXCHANGE_NODE_TLS_SUBJECT_HEADER = "X-SSL-Client-S-DN"
    settings.EXCHANGE_NODE_TLS_PEERS = {"CN=eoffice.tinh2.gov.vn, O=UBND tỉnh 2": PEER}


def test_verified_client_certificate_authenticates_without_hmac(client, tls, agency_a):
    response = post(client, HTTP_X_SSL_CLIENT_S_DN="CN=eoffice.tinh2.gov.vn,  O=UBND tỉnh 2")
    assert response.status_code == 200
    assert response.json()["data"][0]["code"] == agency_a.code


def test_unknown_client_certificate_is_403(client, tls):
    refused(post(client, HTTP_X_SSL_CLIENT_S_DN="CN=someone.else"), 403, "unknown_certificate")


def test_no_certificate_falls_back_to_hmac(client, tls):
    refused(post(client), 401, "unauthenticated")
    assert post(client, headers=signed()).status_code == 200


def test_certificate_header_ignored_when_tls_is_not_configured(client):
    refused(
        post(client, HTTP_X_SSL_CLIENT_S_DN="CN=eoffice.tinh2.gov.vn, O=UBND tỉnh 2"), 401, "unauthenticated"
    )
