"""Request authentication between an exchange client and a node (ours or the national axis' contract).

A request carries four headers::

    X-Exchange-System-Id   the caller's system id
    X-Exchange-Timestamp   Unix seconds when it was signed
    X-Exchange-Nonce       a random value used once
    X-Exchange-Signature   hex HMAC-SHA256 under the shared secret of
                           "<system id>\\n<timestamp>\\n<nonce>\\n<hex SHA-256 of the body>"

Every parameter travels in the body (JSON, or the multipart package), so the signature covers it. The
receiver refuses: no headers (401), a system id not in ``EXCHANGE_NODE_PEERS`` (403), a timestamp further
than ``EXCHANGE_REQUEST_MAX_SKEW_SECONDS`` from its clock (401), a wrong signature (401), and a nonce it
has already seen from that caller within the window (401, replay). Nonces are kept in the default cache
(Redis, shared by every web process) with an expiry longer than the window, added atomically, so two
copies of one request racing each other are one accepted and one refused.

Mutual TLS instead of HMAC, when the node sits behind a TLS-terminating proxy that verifies client
certificates: ``EXCHANGE_NODE_TLS_SUBJECT_HEADER`` names the header the proxy sets to the verified
certificate's subject (e.g. ``X-SSL-Client-S-DN``; nginx: ``ssl_verify_client on;`` and
``proxy_set_header X-SSL-Client-S-DN $ssl_client_s_dn;``), and ``EXCHANGE_NODE_TLS_PEERS`` maps a subject
to a peer's system id (``{"CN=eoffice.tinh2.gov.vn,O=…": "province2"}``). The proxy must always set (so
overwrite) that header: a client could otherwise send it itself. A request with that header is
authenticated by it alone (an unknown subject is 403); one without it falls back to HMAC.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

HEADER_SYSTEM_ID = "X-Exchange-System-Id"
HEADER_TIMESTAMP = "X-Exchange-Timestamp"
HEADER_NONCE = "X-Exchange-Nonce"
HEADER_SIGNATURE = "X-Exchange-Signature"

NONCE_RE = re.compile(r"^[A-Za-z0-9_-]{16,128}$")


class AuthError(Exception):
    """A refused request: ``status`` 401 (not authenticated), 403 (not a peer), 503 (the nonce store is
    down: try again later)."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Caller:
    system_id: str
    secret: str = ""
    timestamp: str = ""
    nonce: str = ""
    signature: str = ""
    tls: bool = False


def _message(system_id: str, timestamp: str, nonce: str, body: bytes) -> bytes:
    return "\n".join([system_id, timestamp, nonce, hashlib.sha256(body).hexdigest()]).encode()


def signature(secret: str, system_id: str, timestamp: str, nonce: str, body: bytes) -> str:
    return hmac.new(secret.encode(), _message(system_id, timestamp, nonce, body), hashlib.sha256).hexdigest()


def sign_headers(system_id: str, secret: str, body: bytes, *, timestamp: int | None = None) -> dict:
    """The authentication headers of a request whose body is ``body``."""
    stamp = str(int(time.time()) if timestamp is None else int(timestamp))
    nonce = secrets.token_hex(16)
    return {
        HEADER_SYSTEM_ID: system_id,
        HEADER_TIMESTAMP: stamp,
        HEADER_NONCE: nonce,
        HEADER_SIGNATURE: signature(secret, system_id, stamp, nonce, body),
    }


def _meta(request, header: str) -> str:
    return str(request.META.get("HTTP_" + header.upper().replace("-", "_"), "")).strip()


def _tls_caller(request) -> Caller | None:
    header = getattr(settings, "EXCHANGE_NODE_TLS_SUBJECT_HEADER", "") or ""
    if not header:
        return None
    subject = " ".join(_meta(request, header).split())
    if not subject:
        return None
    configured = getattr(settings, "EXCHANGE_NODE_TLS_PEERS", None) or {}
    peers = {" ".join(str(k).split()): str(v) for k, v in configured.items()}
    system_id = peers.get(subject)
    if not system_id:
        raise AuthError(
            403, "unknown_certificate", _("Chứng thư số của bên gọi không thuộc hệ thống kết nối.")
        )
    return Caller(system_id=system_id, tls=True)


def check_headers(request) -> Caller:
    """Who the request says it is, checked as far as possible before its body is read (so that an
    unknown caller is refused before an oversized body is)."""
    tls = _tls_caller(request)
    if tls is not None:
        return tls
    system_id = _meta(request, HEADER_SYSTEM_ID)
    stamp = _meta(request, HEADER_TIMESTAMP)
    nonce = _meta(request, HEADER_NONCE)
    sig = _meta(request, HEADER_SIGNATURE).lower()
    if not (system_id and stamp and nonce and sig):
        raise AuthError(401, "unauthenticated", _("Yêu cầu chưa được xác thực (thiếu chữ ký HMAC)."))
    secret = (getattr(settings, "EXCHANGE_NODE_PEERS", None) or {}).get(system_id)
    if not secret:
        raise AuthError(
            403, "unknown_peer", _("Hệ thống “%(id)s” không được phép kết nối.") % {"id": system_id}
        )
    try:
        skew = abs(time.time() - int(stamp))
    except ValueError:
        skew = None
    if skew is None or skew > int(settings.EXCHANGE_REQUEST_MAX_SKEW_SECONDS):
        raise AuthError(
            401, "stale_request", _("Thời điểm ký yêu cầu không hợp lệ hoặc đã quá hạn (lệch đồng hồ).")
        )
    if not NONCE_RE.match(nonce):
        raise AuthError(401, "bad_nonce", _("Mã dùng một lần (nonce) của yêu cầu không hợp lệ."))
    return Caller(system_id=system_id, secret=str(secret), timestamp=stamp, nonce=nonce, signature=sig)


def check_body(caller: Caller, body: bytes) -> str:
    """The signature over the body, then the nonce (recorded only for a correctly signed request)."""
    if caller.tls:
        return caller.system_id
    expected = signature(caller.secret, caller.system_id, caller.timestamp, caller.nonce, body)
    if not hmac.compare_digest(expected, caller.signature):
        raise AuthError(401, "bad_signature", _("Chữ ký HMAC của yêu cầu không đúng."))
    window = int(settings.EXCHANGE_REQUEST_MAX_SKEW_SECONDS)
    key = f"exchange:nonce:{hashlib.sha256(f'{caller.system_id}|{caller.nonce}'.encode()).hexdigest()}"
    try:
        fresh = cache.add(key, caller.timestamp, timeout=2 * window + 60)
    except Exception:  # the cache (Redis) is down: refuse for now rather than accept a possible replay
        logger.exception("exchange: the nonce store is unavailable")
        raise AuthError(
            503,
            "nonce_store_unavailable",
            _("Hệ thống tạm thời không kiểm tra được yêu cầu, vui lòng gửi lại sau."),
        ) from None
    if not fresh:
        raise AuthError(401, "replayed", _("Yêu cầu này đã được gửi trước đó (phát lại bị từ chối)."))
    return caller.system_id


def verify_request(request, *, body: bytes | None = None) -> str:
    """The authenticated caller's system id, or ``AuthError``. ``body`` when the caller already read it
    (a large package is read with its own limit, not through ``request.body``)."""
    caller = check_headers(request)
    return check_body(caller, request.body if body is None else body)
