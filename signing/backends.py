"""Signer backends behind one interface: ``signer_for(credential, pin) -> pyhanko Signer``.

- PKCS#12 held by the server, encrypted at rest with the owner's PIN; the loaded key is cached in the process.
- PKCS#11 (USB token, HSM; tested with SoftHSM) through pyHanko's PKCS#11 support.
- Remote signing over the Cloud Signature Consortium API v2 (see ``signing.csc``).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import threading
from collections import OrderedDict
from contextlib import contextmanager

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12
from django.conf import settings

from signing.engine import LoadedKeySigner, SigningError, to_asn1
from signing.models import Backend, Credential


class WrongPin(SigningError):
    pass


# The key cache: credential id + HMAC(process secret, SHA-256 of the encrypted PKCS#12 ‖ PIN). The PIN is
# never kept; a wrong PIN misses the cache and fails to decrypt, so the cache does not weaken the PIN check.
_PROCESS_SECRET = os.urandom(32)
_CACHE_SIZE = 64
_key_cache: OrderedDict[tuple[int, bytes], LoadedKeySigner] = OrderedDict()
_cache_lock = threading.Lock()


def _cache_key(credential: Credential, blob: bytes, pin: str) -> tuple[int, bytes]:
    digest = hmac.new(_PROCESS_SECRET, hashlib.sha256(blob).digest() + pin.encode(), hashlib.sha256).digest()
    return (credential.pk, digest)


def clear_key_cache() -> None:
    with _cache_lock:
        _key_cache.clear()


def pkcs12_signer(credential: Credential, pin: str) -> LoadedKeySigner:
    blob = bytes(credential.pkcs12_data or b"")
    if not blob:
        raise SigningError("Chứng thư số chưa có khóa.")
    key = _cache_key(credential, blob, pin)
    with _cache_lock:
        hit = _key_cache.get(key)
        if hit is not None:
            _key_cache.move_to_end(key)
            return hit
    try:
        private_key, cert, extra = pkcs12.load_key_and_certificates(blob, pin.encode())
    except ValueError as exc:
        raise WrongPin("Mã PIN không đúng.") from exc
    if private_key is None or cert is None:
        raise SigningError("Tệp PKCS#12 không có khóa hoặc chứng thư.")
    signer = LoadedKeySigner(
        private_key=private_key, signing_cert=to_asn1(cert), chain=[to_asn1(c) for c in extra or []]
    )
    with _cache_lock:
        _key_cache[key] = signer
        while len(_key_cache) > _CACHE_SIZE:
            _key_cache.popitem(last=False)
    return signer


def credential_chain(credential: Credential) -> list[asn1_x509.Certificate]:
    data = bytes(credential.chain or b"")
    return [to_asn1(c) for c in x509.load_pem_x509_certificates(data)] if data else []


@contextmanager
def pkcs11_signer(credential: Credential, pin: str):
    """A PKCS#11 session for the duration of one signature (or one batch)."""
    try:
        from pkcs11 import exceptions as p11_exceptions
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session
    except ImportError as exc:  # pragma: no cover - needs the pyhanko[pkcs11] extra
        raise SigningError("Máy chủ chưa cài hỗ trợ PKCS#11 (pyhanko[pkcs11]).") from exc
    try:
        session = open_pkcs11_session(
            settings.SIGNING_PKCS11_MODULE,
            token_criteria=TokenCriteria(label=credential.token_label),
            user_pin=pin,
        )
    except p11_exceptions.PinIncorrect as exc:
        raise WrongPin("Mã PIN không đúng.") from exc
    except Exception as exc:
        raise SigningError(f"Không mở được thiết bị ký số: {exc}") from exc
    try:
        yield PKCS11Signer(
            session,
            key_label=credential.key_label,
            signing_cert=asn1_x509.Certificate.load(bytes(credential.certificate)),
            ca_chain=credential_chain(credential),
        )
    finally:
        session.close()


@contextmanager
def signer_for(credential: Credential, pin: str):
    """The pyHanko signer for ``credential`` unlocked with ``pin`` (context manager: closes sessions)."""
    if credential.backend == Backend.PKCS12:
        yield pkcs12_signer(credential, pin)
    elif credential.backend == Backend.PKCS11:
        with pkcs11_signer(credential, pin) as signer:
            yield signer
    elif credential.backend == Backend.CSC:
        from signing import csc

        yield csc.CSCv2Signer(client=csc.client_for(credential), credential=credential, pin=pin)
    else:  # pragma: no cover
        raise SigningError("Phương thức ký không được hỗ trợ.")


def check_pin(credential: Credential, pin: str) -> None:
    """Fail fast on a wrong PIN (used before queueing a batch)."""
    if credential.backend == Backend.PKCS12:
        pkcs12_signer(credential, pin)
    elif credential.backend == Backend.PKCS11:
        with pkcs11_signer(credential, pin):
            pass
