"""PINs: wrong PINs counted and the credential locked at the limit, the right one resetting the count; the
one-time encrypted hand-over of a batch's PIN to the worker."""

from __future__ import annotations

import base64
import datetime as dt
import secrets

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from eoffice.models import User
from signing import backends
from signing.models import Credential
from signing.services.logs import log_attempt

# ---- wrong PINs -------------------------------------------------------------------------------------------
# After SIGNING_PIN_MAX_FAILURES wrong PINs in a row a credential is locked for SIGNING_PIN_LOCK_MINUTES,
# even for the right PIN; a right PIN resets the count. Every wrong PIN and every refusal while locked is
# written to SignatureLog. The count is a column of Credential, changed under a row lock, so two workers
# cannot both take the last try. It is written in the caller's transaction: the services here commit it
# (they catch the error inside their transaction, or check the PIN before opening one); a caller of
# ``sign_pdf_bytes`` must not roll back on ``WrongPin``, or the try is not counted.


# A wrong PIN raises ``backends.WrongPin`` (as before), with how many tries are left in its message; a locked
# credential raises ``CredentialLocked``, a kind of WrongPin: for a caller, the PIN was not accepted.
PinError = backends.WrongPin


class CredentialLocked(backends.WrongPin):
    """The credential is locked after too many wrong PINs; the message says until when."""


def _lock_message(until) -> str:
    local = timezone.localtime(until)
    return _(
        "Chứng thư số đang tạm khóa do nhập sai mã PIN %(n)s lần liên tiếp. Vui lòng thử lại sau %(time)s."
    ) % {
        "n": settings.SIGNING_PIN_MAX_FAILURES,
        "time": formats.date_format(local, "H:i d/m/Y"),
    }


def refuse_if_locked(*, credential: Credential, by: User, kind: str, title: str, before: str) -> None:
    until = Credential.objects.filter(pk=credential.pk).values_list("pin_locked_until", flat=True).first()
    if until is not None and until > timezone.now():
        log_attempt(
            by=by,
            credential=credential,
            kind=kind,
            title=title,
            before=before,
            result="failed",
            error="credential locked after wrong PINs",
        )
        raise CredentialLocked(_lock_message(until))


def pin_failed(*, credential: Credential, by: User, kind: str, title: str, before: str) -> backends.WrongPin:
    """Count a wrong PIN (locking the credential at the limit), log it, and return the error to raise."""
    with transaction.atomic():
        row = Credential.objects.select_for_update().get(pk=credential.pk)
        row.pin_failures += 1
        locked = row.pin_failures >= settings.SIGNING_PIN_MAX_FAILURES
        if locked:
            row.pin_failures = 0
            row.pin_locked_until = timezone.now() + dt.timedelta(minutes=settings.SIGNING_PIN_LOCK_MINUTES)
        row.save(update_fields=["pin_failures", "pin_locked_until"])
    credential.pin_failures, credential.pin_locked_until = row.pin_failures, row.pin_locked_until
    log_attempt(
        by=by,
        credential=credential,
        kind=kind,
        title=title,
        before=before,
        result="failed",
        error="wrong PIN" + (" (locked)" if locked else ""),
    )
    if locked:
        return CredentialLocked(_lock_message(row.pin_locked_until))
    left = settings.SIGNING_PIN_MAX_FAILURES - row.pin_failures
    return backends.WrongPin(
        _("Mã PIN không đúng. Còn %(n)s lần thử trước khi chứng thư số bị tạm khóa.") % {"n": left}
    )


def pin_ok(credential: Credential) -> None:
    Credential.objects.filter(pk=credential.pk, pin_failures__gt=0).update(pin_failures=0)
    Credential.objects.filter(pk=credential.pk, pin_locked_until__isnull=False).update(pin_locked_until=None)
    credential.pin_failures, credential.pin_locked_until = 0, None


def check_credential_pin(*, credential: Credential, pin: str, by: User, kind: str, title: str = "") -> None:
    """Check ``pin`` for ``credential`` (refused while locked), counting and logging a wrong one."""
    refuse_if_locked(credential=credential, by=by, kind=kind, title=title, before="")
    try:
        backends.check_pin(credential, pin)
    except backends.WrongPin:
        raise pin_failed(credential=credential, by=by, kind=kind, title=title, before="") from None
    pin_ok(credential)


# Fernet (AES-128-CBC + HMAC) with a key derived by HKDF from SECRET_KEY, stored in the cache (Redis) under a
# random key with a short TTL (SIGNING_PIN_TTL_SECONDS); the batch row keeps only that random key. A batch's
# worker reads the entry (``read_pin``) at each run, so that a run queued again after a killed worker still
# has it, and deletes it when the batch finishes (``drop_pin``); Fernet's own timestamp check refuses
# anything older than the TTL. So neither the broker, the result backend, logs nor a database dump ever hold
# the PIN, and a Redis snapshot holds it only encrypted with a key that is not in Redis.
def _pin_fernet() -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"eoffice.signing.pin", info=b"batch").derive(
        settings.SECRET_KEY.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def stash_pin(pin: str) -> str:
    token = secrets.token_urlsafe(24)
    cache.set(
        f"signing:pin:{token}", _pin_fernet().encrypt(pin.encode()), timeout=settings.SIGNING_PIN_TTL_SECONDS
    )
    return token


def read_pin(token: str) -> str | None:
    """The PIN stashed under ``token``, left in place; None once dropped or older than the TTL."""
    if not token:
        return None
    value = cache.get(f"signing:pin:{token}")
    if value is None:
        return None
    try:
        return _pin_fernet().decrypt(value, ttl=settings.SIGNING_PIN_TTL_SECONDS).decode()
    except InvalidToken:
        return None


def drop_pin(token: str) -> None:
    if token:
        cache.delete(f"signing:pin:{token}")


def take_pin(token: str) -> str | None:
    """Read the PIN once: the entry is deleted as it is read."""
    pin = read_pin(token)
    drop_pin(token)
    return pin
