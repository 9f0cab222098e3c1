"""Encryption of identity fields and protected files with a key kept outside the database.

Fernet (AES-128-CBC with HMAC-SHA256, from ``cryptography``) through ``MultiFernet``: the first key encrypts,
every key decrypts, so a key can be rotated (``manage.py identity_keys``). The keys come from
``settings.COMPLAINTS_IDENTITY_KEYS`` (the environment) or from the key file, created with a fresh key on
first use when neither exists. Keys are never logged.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_lock = threading.Lock()
_cached: MultiFernet | None = None
_cached_stamp: tuple | None = None


def key_file() -> Path:
    return Path(settings.COMPLAINTS_IDENTITY_KEY_FILE)


def _read_file(path: Path) -> list[bytes]:
    return [line.strip().encode() for line in path.read_text().splitlines() if line.strip()]


def _create_file(path: Path) -> None:
    """Write a new key file (mode 0600) unless another process did it first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "w") as handle:
        handle.write(Fernet.generate_key().decode() + "\n")


def keys() -> list[bytes]:
    """The keys, current first."""
    configured = [k.encode() for k in settings.COMPLAINTS_IDENTITY_KEYS if k]
    if configured:
        return configured
    path = key_file()
    if not path.exists():
        _create_file(path)
    found = _read_file(path)
    if not found:
        raise ImproperlyConfigured(f"The identity key file {path} holds no key.")
    return found


def _stamp() -> tuple | None:
    """What the keys were read from: a rotation rewrites the key file, and every process (web, worker) then
    reloads it on its next use instead of failing on rows re-encrypted with the new key."""
    if any(settings.COMPLAINTS_IDENTITY_KEYS):
        return ("env", tuple(settings.COMPLAINTS_IDENTITY_KEYS))
    try:
        stat = key_file().stat()
    except FileNotFoundError:
        return None
    return ("file", stat.st_mtime_ns, stat.st_size, stat.st_ino)


def fernet() -> MultiFernet:
    global _cached, _cached_stamp
    with _lock:
        stamp = _stamp()
        if _cached is None or stamp != _cached_stamp:
            _cached = MultiFernet([Fernet(k) for k in keys()])
            _cached_stamp = _stamp()
        return _cached


def reset() -> None:
    """Forget the loaded keys (after a rotation, or when a test changes them)."""
    global _cached, _cached_stamp
    with _lock:
        _cached = None
        _cached_stamp = None


def encrypt(text: str) -> str:
    if not text:
        return ""
    return fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:  # a key missing from the key list: say so, never print the token
        raise ImproperlyConfigured("An identity field cannot be decrypted with the configured keys.") from exc


def encrypt_bytes(data: bytes) -> bytes:
    return fernet().encrypt(data)


def decrypt_bytes(data: bytes) -> bytes:
    try:
        return fernet().decrypt(data)
    except InvalidToken as exc:
        raise ImproperlyConfigured("A protected file cannot be decrypted with the configured keys.") from exc


def rotate_token(token: str) -> str:
    """The same value encrypted with the current key."""
    return fernet().rotate(token.encode()).decode() if token else ""


def rotate_bytes(data: bytes) -> bytes:
    return fernet().rotate(data)
