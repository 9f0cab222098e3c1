"""Writes of the signing app. Keyword-only, one transaction each, the right checked here.

Rights: only a credential's owner signs with a personal credential; an agency's seal credential is used only
by that agency's clerks (Role.CLERK). Every attempt is written to SignatureLog, success or failure.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
import secrets
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import formats, timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from eoffice.models import Agency, Role, User
from signing import appearance, backends, engine, selectors
from signing.appearance import StampBox
from signing.models import (
    Backend,
    Credential,
    CredentialKind,
    PublicVerification,
    SignatureBatch,
    SignatureLog,
    SignatureRequest,
)
from signing.signals import signature_completed

logger = logging.getLogger(__name__)
Kind = SignatureRequest.Kind


@dataclass
class SignResult:
    data: bytes
    log: SignatureLog
    sha256: str


# ---- rights -----------------------------------------------------------------------------------------


def can_use_credential(*, user: User, credential: Credential) -> bool:
    if not credential.is_active or not user.is_active:
        return False
    if credential.kind == CredentialKind.PERSON:
        return credential.owner_id == user.pk
    return user.agency_id == credential.agency_id and user.has_role(Role.CLERK)


def _check_kind(kind: str, credential: Credential) -> None:
    wanted = CredentialKind.PERSON if kind == Kind.LEADER else CredentialKind.SEAL
    if credential.kind != wanted:
        raise ValidationError(_("Chứng thư số không phù hợp với loại chữ ký."))


# ---- credentials --------------------------------------------------------------------------------------


def _cert_fields(cert_der: bytes) -> dict:
    from cryptography import x509

    cert = x509.load_der_x509_certificate(cert_der)
    return {
        "certificate": cert_der,
        "subject": cert.subject.rfc4514_string()[:500],
        "issuer": cert.issuer.rfc4514_string()[:500],
        "serial": format(cert.serial_number, "x"),
        "not_before": cert.not_valid_before_utc,
        "not_after": cert.not_valid_after_utc,
    }


@transaction.atomic
def credential_add(
    *,
    by: User,
    agency: Agency,
    owner: User | None,
    backend: str,
    label: str,
    certificate_der: bytes,
    chain_pem: bytes = b"",
    pkcs12_data: bytes | None = None,
    token_label: str = "",
    key_label: str = "",
    service_url: str = "",
    remote_credential_id: str = "",
    remote_async: bool = False,
    is_test: bool = False,
) -> Credential:
    """Register a credential. PKCS#12 data must already be encrypted with the owner's PIN."""
    if not (by.is_superuser or (by.agency_id == agency.pk and by.has_role(Role.AGENCY_ADMIN))):
        raise PermissionDenied
    if owner is not None and owner.agency_id != agency.pk:
        raise ValidationError(_("Người sở hữu phải thuộc cơ quan."))
    credential = Credential(
        kind=CredentialKind.PERSON if owner else CredentialKind.SEAL,
        backend=backend,
        owner=owner,
        agency=agency,
        label=label[:150],
        chain=chain_pem,
        pkcs12_data=pkcs12_data,
        token_label=token_label,
        key_label=key_label,
        service_url=service_url,
        remote_credential_id=remote_credential_id,
        remote_async=remote_async,
        is_test=is_test,
        **_cert_fields(certificate_der),
    )
    credential.full_clean(exclude=["certificate", "chain", "pkcs12_data"])
    credential.save()
    return credential


PKCS12_MAX_BYTES = 1024 * 1024


@dataclass
class Pkcs12Contents:
    key: object
    cert: object
    chain: list


def pkcs12_parse(*, data: bytes, password: str) -> Pkcs12Contents:
    """Open an uploaded PKCS#12 with its password and check it is usable for signing: a private key and its
    certificate, the key matching the certificate, the certificate valid today. ValidationError otherwise.
    The password is neither kept nor logged."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    if not data or len(data) > PKCS12_MAX_BYTES:
        raise ValidationError(_("Tệp PKCS#12 rỗng hoặc quá lớn."), code="size")
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, password.encode())
    except (ValueError, TypeError):
        raise ValidationError(
            _("Không mở được tệp PKCS#12: sai mật khẩu hoặc tệp không đúng định dạng (.p12, .pfx)."),
            code="password",
        ) from None
    if key is None or cert is None:
        raise ValidationError(_("Tệp PKCS#12 phải chứa cả khóa bí mật và chứng thư số."), code="incomplete")
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    if key.public_key().public_bytes(serialization.Encoding.DER, spki) != cert.public_key().public_bytes(
        serialization.Encoding.DER, spki
    ):
        raise ValidationError(_("Khóa bí mật không khớp với chứng thư số."), code="mismatch")
    now = timezone.now()
    if cert.not_valid_after_utc <= now:
        raise ValidationError(
            _("Chứng thư số đã hết hạn từ ngày %(date)s.")
            % {"date": formats.date_format(timezone.localtime(cert.not_valid_after_utc), "d/m/Y")},
            code="expired",
        )
    if cert.not_valid_before_utc > now:
        raise ValidationError(
            _("Chứng thư số chưa đến ngày hiệu lực (%(date)s).")
            % {"date": formats.date_format(timezone.localtime(cert.not_valid_before_utc), "d/m/Y")},
            code="not_yet_valid",
        )
    return Pkcs12Contents(key=key, cert=cert, chain=list(extra or []))


def credential_import_pkcs12(
    *,
    by: User,
    agency: Agency,
    owner: User | None,
    label: str,
    data: bytes,
    password: str,
    is_test: bool = False,
) -> Credential:
    """Register an uploaded PKCS#12 (checked by ``pkcs12_parse``) for ``owner`` (or as ``agency``'s seal).

    The key is re-encrypted at rest (AES-256, PBKDF2) with the file's password, which becomes the PIN the
    owner types when signing; neither the password nor the original file is kept."""
    from cryptography.hazmat.primitives import serialization

    from signing import pki

    contents = pkcs12_parse(data=data, password=password)
    label = label or contents.cert.subject.rfc4514_string()
    return credential_add(
        by=by,
        agency=agency,
        owner=owner,
        backend=Backend.PKCS12,
        label=label,
        certificate_der=contents.cert.public_bytes(serialization.Encoding.DER),
        chain_pem=b"".join(c.public_bytes(serialization.Encoding.PEM) for c in contents.chain),
        pkcs12_data=pki.to_pkcs12(
            key=contents.key, cert=contents.cert, chain=contents.chain, pin=password, friendly_name=label
        ),
        is_test=is_test,
    )


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


def _refuse_if_locked(*, credential: Credential, by: User, kind: str, title: str, before: str) -> None:
    until = Credential.objects.filter(pk=credential.pk).values_list("pin_locked_until", flat=True).first()
    if until is not None and until > timezone.now():
        _log(
            by=by,
            credential=credential,
            kind=kind,
            title=title,
            before=before,
            result="failed",
            error="credential locked after wrong PINs",
        )
        raise CredentialLocked(_lock_message(until))


def _pin_failed(*, credential: Credential, by: User, kind: str, title: str, before: str) -> backends.WrongPin:
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
    _log(
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


def _pin_ok(credential: Credential) -> None:
    Credential.objects.filter(pk=credential.pk, pin_failures__gt=0).update(pin_failures=0)
    Credential.objects.filter(pk=credential.pk, pin_locked_until__isnull=False).update(pin_locked_until=None)
    credential.pin_failures, credential.pin_locked_until = 0, None


def check_credential_pin(*, credential: Credential, pin: str, by: User, kind: str, title: str = "") -> None:
    """Check ``pin`` for ``credential`` (refused while locked), counting and logging a wrong one."""
    _refuse_if_locked(credential=credential, by=by, kind=kind, title=title, before="")
    try:
        backends.check_pin(credential, pin)
    except backends.WrongPin:
        raise _pin_failed(credential=credential, by=by, kind=kind, title=title, before="") from None
    _pin_ok(credential)


# ---- signing ------------------------------------------------------------------------------------------


def _read_field_file(field_file) -> bytes | None:
    if not field_file:
        return None
    try:
        with field_file.open("rb") as handle:
            return handle.read()
    except (FileNotFoundError, ValueError):
        return None


def stamp_box_for(*, kind: str, box: StampBox | None, pdf: bytes, agency: Agency) -> StampBox | None:
    """The final stamp rectangle: leader → ``box``; seal → real-size seal over the left third of the
    leader's ``box``; attachment → top right of page 1 (``box`` overrides)."""
    if kind == Kind.ATTACHMENT:
        return box or appearance.attachment_box(pdf)
    if box is None:
        return None
    if kind == Kind.SEAL:
        seal = _read_field_file(agency.seal_image)
        width, height = (
            appearance.image_size_pt(seal) if seal else (appearance.SEAL_DIAMETER_MM * appearance.MM,) * 2
        )
        return appearance.seal_box_over(box, width=width, height=height)
    return box


def _stamp_pdf(
    *, kind: str, box: StampBox | None, credential: Credential, stamp_text: str, when
) -> bytes | None:
    if box is None:
        return None
    if kind == Kind.LEADER:
        owner = credential.owner
        return appearance.leader_stamp(
            box=box,
            signature_png=_read_field_file(owner.signature_image),
            signer_name=owner.full_name,
            when=when,
        )
    if kind == Kind.SEAL:
        seal = _read_field_file(credential.agency.seal_image)
        if not seal:
            return None
        return appearance.seal_stamp(box=box, seal_png=seal)
    return appearance.attachment_stamp(box=box, number_symbol=stamp_text, when=when)


def _log(
    *,
    by: User,
    credential: Credential | None,
    kind: str,
    title: str,
    before: str,
    after: str = "",
    result: str,
    error: str = "",
) -> SignatureLog:
    return SignatureLog.objects.create(
        actor=by,
        credential=credential,
        kind=kind,
        backend=credential.backend if credential else "",
        title=title[:255],
        sha256_before=before,
        sha256_after=after,
        result=result,
        error=error[:2000],
    )


def _options(*, kind, box, stamp_pdf, credential, level) -> engine.SignOptions:
    return engine.SignOptions(
        kind=kind,
        level=level or settings.SIGNING_PADES_LEVEL,
        box=box,
        stamp_pdf=stamp_pdf,
        location=credential.agency.place_name or None,
        name=(credential.owner.full_name if credential.owner_id else credential.agency.name) or None,
    )


def sign_pdf_bytes(
    *,
    data: bytes,
    credential: Credential,
    pin: str,
    by: User,
    kind: str,
    box: StampBox | None = None,
    stamp_text: str = "",
    title: str = "",
    level: str | None = None,
) -> SignResult:
    """Sign ``data`` with ``credential`` and the appearance of ``kind`` placed in ``box`` (final rectangle;
    see ``stamp_box_for`` and the helpers in ``signing.appearance``). Logged whatever happens."""
    before = engine.sha256(data)
    if not can_use_credential(user=by, credential=credential):
        _log(
            by=by,
            credential=credential,
            kind=kind,
            title=title,
            before=before,
            result="failed",
            error="permission denied",
        )
        raise PermissionDenied
    _check_kind(kind, credential)
    if credential.is_expired:
        raise ValidationError(_("Chứng thư số đã hết hạn."))
    _refuse_if_locked(credential=credential, by=by, kind=kind, title=title, before=before)
    try:
        stamp = _stamp_pdf(
            kind=kind, box=box, credential=credential, stamp_text=stamp_text, when=timezone.now()
        )
        options = _options(kind=kind, box=box, stamp_pdf=stamp, credential=credential, level=level)
        with backends.signer_for(credential, pin) as signer:
            signed = engine.sign_pdf(data, signer=signer, options=options)
    except backends.WrongPin:
        raise _pin_failed(credential=credential, by=by, kind=kind, title=title, before=before) from None
    except engine.SigningError as exc:
        _log(
            by=by,
            credential=credential,
            kind=kind,
            title=title,
            before=before,
            result="failed",
            error=str(exc),
        )
        raise
    _pin_ok(credential)
    after = engine.sha256(signed)
    log = _log(by=by, credential=credential, kind=kind, title=title, before=before, after=after, result="ok")
    return SignResult(data=signed, log=log, sha256=after)


# ---- requests and batches --------------------------------------------------------------------------


@transaction.atomic
def signature_request_create(
    *,
    pdf: bytes,
    title: str,
    requested_by: User,
    kind: str,
    signer: User | None = None,
    box: StampBox | None = None,
    stamp_text: str = "",
    callback: str = "",
    prepare: str = "",
    on_signed: str = "",
    source_url: str = "",
) -> SignatureRequest:
    """Queue ``pdf`` for a signature. ``box``: the leader's box (for ``seal`` too: the seal goes over its left
    third); ``None`` for attachments (top right of page 1). ``callback``: dotted path, called with it after
    commit.

    ``prepare`` (dotted path, ``f(request) -> (pdf_bytes, StampBox | None)``) runs inside the signing
    transaction just before the signature and gives the bytes to sign (e.g. the final PDF with the number and
    date the caller takes at that moment); ``on_signed`` (``f(request, signed_bytes)``) runs in the same
    transaction once signed. Both sit in one savepoint with the signature: if anything fails, what they did
    is rolled back (a number taken is given back) and the request is marked failed."""
    if requested_by.agency_id is None:
        raise PermissionDenied
    if kind not in Kind.values:
        raise ValidationError(_("Loại chữ ký không hợp lệ."))
    if kind == Kind.LEADER and (signer is None or signer.agency_id != requested_by.agency_id):
        raise ValidationError(_("Người ký phải là lãnh đạo cùng cơ quan."))
    if kind == Kind.ATTACHMENT and not stamp_text:
        raise ValidationError(_("Cần số, ký hiệu văn bản cho chữ ký trên văn bản kèm theo."))
    from signing.verification import InvalidPdf, check_pdf_upload

    try:
        check_pdf_upload(pdf)
    except InvalidPdf as exc:
        raise ValidationError(str(exc)) from exc
    request = SignatureRequest(
        title=title[:255],
        sha256=engine.sha256(pdf),
        agency_id=requested_by.agency_id,
        requested_by=requested_by,
        signer=signer if kind == Kind.LEADER else None,
        kind=kind,
        page=box.page if box else 0,
        box=box.as_dict() if box else None,
        stamp_text=stamp_text,
        callback=callback,
        prepare=prepare,
        on_signed=on_signed,
        source_url=source_url,
    )
    request.pdf.save(f"{secrets.token_hex(8)}.pdf", ContentFile(pdf), save=False)
    request.save()
    return request


def _credential_for_request(*, request: SignatureRequest, user: User) -> Credential:
    credential = selectors.credential_for(user=user, kind=request.kind)
    if credential is None:
        raise ValidationError(_("Chưa có chứng thư số phù hợp để ký."))
    return credential


def _complete(request: SignatureRequest, signed: bytes) -> None:
    request.result.save(f"{secrets.token_hex(8)}-signed.pdf", ContentFile(signed), save=False)
    request.result_sha256 = engine.sha256(signed)
    request.status = SignatureRequest.Status.SIGNED
    request.signed_at = timezone.now()
    request.error = ""
    request.remote_state = {}
    request.save()

    def _notify():
        signature_completed.send(sender=SignatureRequest, request=request)
        if request.callback:
            import_string(request.callback)(request)

    transaction.on_commit(_notify)


def _sign_prepared(*, request: SignatureRequest, credential: Credential, pin: str, by: User) -> None:
    """Prepare (caller's hook), sign, complete and finish (caller's hook): all or nothing (one savepoint)."""
    with transaction.atomic():
        data = _read_field_file(request.pdf) or b""
        box = StampBox.from_dict(request.box) if request.box else None
        if request.prepare:
            data, prepared_box = import_string(request.prepare)(request)
            if prepared_box is not None:
                # Kept on the request (saved by _complete): the box the signature was actually placed in.
                box, request.box, request.page = prepared_box, prepared_box.as_dict(), prepared_box.page
        box = stamp_box_for(kind=request.kind, box=box, pdf=data, agency=credential.agency)
        result = sign_pdf_bytes(
            data=data,
            credential=credential,
            pin=pin,
            by=by,
            kind=request.kind,
            box=box,
            stamp_text=request.stamp_text,
            title=request.title,
        )
        _complete(request, result.data)
        if request.on_signed:
            import_string(request.on_signed)(request, result.data)


def signature_request_sign(*, request: SignatureRequest, pin: str, by: User) -> SignatureRequest:
    """Sign one request. Failures are recorded on the request (and the log), not raised for engine errors.

    A wrong PIN is checked (and counted) before anything is prepared: the request is marked failed with the
    message."""
    with transaction.atomic():
        request = SignatureRequest.objects.select_for_update().get(pk=request.pk)
        if not selectors.signable_requests(by).filter(pk=request.pk).exists():
            raise PermissionDenied
        if request.status == SignatureRequest.Status.SIGNED:
            return request
        credential = _credential_for_request(request=request, user=by)
        remote = credential.backend == Backend.CSC and credential.remote_async
        if remote and (request.prepare or request.on_signed):
            raise ValidationError(
                _("Văn bản này cần ký ngay (cấp số khi ký): chứng thư ký từ xa chờ xác nhận không dùng được.")
            )
        if not remote:
            try:
                check_credential_pin(
                    credential=credential, pin=pin, by=by, kind=request.kind, title=request.title
                )
            except backends.WrongPin as exc:
                # Counted by check_credential_pin in this transaction, which commits.
                request.status, request.error = SignatureRequest.Status.FAILED, str(exc)
                request.save(update_fields=["status", "error"])
                return request
        try:
            if remote:
                data = _read_field_file(request.pdf) or b""
                box = StampBox.from_dict(request.box) if request.box else None
                box = stamp_box_for(kind=request.kind, box=box, pdf=data, agency=credential.agency)
                _begin_remote(request=request, data=data, credential=credential, pin=pin, by=by, box=box)
            else:
                _sign_prepared(request=request, credential=credential, pin=pin, by=by)
        except (engine.SigningError, ValidationError) as exc:
            error = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
            if not remote:
                # The savepoint took the failure log with it: write it again, outside.
                _log(
                    by=by,
                    credential=credential,
                    kind=request.kind,
                    title=request.title,
                    before=request.sha256,
                    result="failed",
                    error=error,
                )
            request.status = SignatureRequest.Status.FAILED
            request.error = error
            request.save(update_fields=["status", "error"])
    return request


def _begin_remote(*, request, data, credential, pin, by, box) -> None:
    from signing import csc

    if not can_use_credential(user=by, credential=credential):
        raise PermissionDenied
    stamp = _stamp_pdf(
        kind=request.kind, box=box, credential=credential, stamp_text=request.stamp_text, when=timezone.now()
    )
    options = _options(kind=request.kind, box=box, stamp_pdf=stamp, credential=credential, level="B-T")
    before = engine.sha256(data)
    _refuse_if_locked(credential=credential, by=by, kind=request.kind, title=request.title, before=before)
    try:
        pending = csc.begin_remote(data, credential=credential, pin=pin, options=options)
    except backends.WrongPin:
        raise _pin_failed(
            credential=credential, by=by, kind=request.kind, title=request.title, before=before
        ) from None
    _pin_ok(credential)
    if isinstance(pending, bytes):
        _log(
            by=by,
            credential=credential,
            kind=request.kind,
            title=request.title,
            before=before,
            after=engine.sha256(pending),
            result="ok",
        )
        _complete(request, pending)
        return
    request.result.save(f"{secrets.token_hex(8)}-partial.pdf", ContentFile(pending.partial_pdf), save=False)
    request.remote_state = {**pending.state(), "credential": credential.pk, "actor": by.pk}
    request.status = SignatureRequest.Status.AWAITING_REMOTE
    request.save()
    _log(
        by=by, credential=credential, kind=request.kind, title=request.title, before=before, result="pending"
    )


def signature_request_poll_remote(*, request: SignatureRequest) -> SignatureRequest:
    """Finish a remote signature once it was approved on the phone (called by a periodic task)."""
    from signing import csc

    with transaction.atomic():
        request = SignatureRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != SignatureRequest.Status.AWAITING_REMOTE:
            return request
        state = request.remote_state
        credential = Credential.objects.select_related("agency", "owner").get(pk=state["credential"])
        actor = User.objects.get(pk=state["actor"])
        partial = _read_field_file(request.result) or b""
        try:
            signed = csc.poll_remote(credential=credential, state=state, partial=partial)
        except engine.SigningError as exc:
            request.status, request.error = SignatureRequest.Status.FAILED, str(exc)
            request.save(update_fields=["status", "error"])
            _log(
                by=actor,
                credential=credential,
                kind=request.kind,
                title=request.title,
                before=request.sha256,
                result="failed",
                error=str(exc),
            )
            return request
        if signed is None:
            return request
        old = request.result.name
        _complete(request, signed)
        request.result.storage.delete(old)
        _log(
            by=actor,
            credential=credential,
            kind=request.kind,
            title=request.title,
            before=request.sha256,
            after=request.result_sha256,
            result="ok",
        )
    return request


def remote_signatures_poll() -> int:
    """Poll every remote signature still awaiting the phone; the number finished (run by
    ``signing.tasks.poll_remote_signatures``, beat: every minute)."""
    done = 0
    for request in SignatureRequest.objects.filter(status=SignatureRequest.Status.AWAITING_REMOTE):
        if signature_request_poll_remote(request=request).status == SignatureRequest.Status.SIGNED:
            done += 1
    return done


# The PIN for a batch travels to the Celery worker encrypted, never in clear and never in the database:
# Fernet (AES-128-CBC + HMAC) with a key derived by HKDF from SECRET_KEY, stored in the cache (Redis) under a
# random one-time key with a short TTL; the Celery message carries only that random key, the worker deletes
# the entry as it reads it, and Fernet's own timestamp check refuses anything older than the TTL. So neither
# the broker, the result backend, logs nor a database dump ever hold the PIN, and a Redis snapshot holds it
# only encrypted with a key that is not in Redis.
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


def take_pin(token: str) -> str | None:
    key = f"signing:pin:{token}"
    value = cache.get(key)
    cache.delete(key)
    if value is None:
        return None
    try:
        return _pin_fernet().decrypt(value, ttl=settings.SIGNING_PIN_TTL_SECONDS).decode()
    except InvalidToken:
        return None


def batch_start(*, signer: User, request_ids: list[int], pin: str) -> SignatureBatch:
    """Check the PIN once, mark the chosen requests queued, and sign them in a Celery task.

    The PIN is checked before the transaction that queues the items, so that a wrong PIN is counted and
    logged even though nothing is queued."""
    chosen = list(selectors.pending_requests(signer).filter(pk__in=request_ids))
    if not chosen:
        raise ValidationError(_("Chưa chọn văn bản nào để ký."))
    for kind in sorted({r.kind for r in chosen}):
        credential = selectors.credential_for(user=signer, kind=kind)
        if credential is None:
            raise ValidationError(_("Chưa có chứng thư số phù hợp để ký."))
        try:
            check_credential_pin(
                credential=credential, pin=pin, by=signer, kind=kind, title=_("Ký hàng loạt")
            )
        except PinError as exc:
            raise ValidationError(str(exc)) from exc
    with transaction.atomic():
        requests = list(
            selectors.pending_requests(signer).filter(pk__in=[r.pk for r in chosen]).select_for_update()
        )
        if not requests:
            raise ValidationError(_("Chưa chọn văn bản nào để ký."))
        batch = SignatureBatch.objects.create(signer=signer)
        SignatureRequest.objects.filter(pk__in=[r.pk for r in requests]).update(
            batch=batch, status=SignatureRequest.Status.QUEUED, error=""
        )
        token = stash_pin(pin)
        from signing.tasks import sign_batch

        transaction.on_commit(lambda: sign_batch.apply_async(args=(batch.pk, token), queue="signing"))
    return batch


def batch_run(*, batch: SignatureBatch, pin_token: str) -> SignatureBatch:
    """Sign each queued item of ``batch``; one failure does not stop the others."""
    pin = take_pin(pin_token)
    items = list(batch.items.filter(status=SignatureRequest.Status.QUEUED).order_by("pk"))
    for item in items:
        if pin is None:
            SignatureRequest.objects.filter(pk=item.pk).update(
                status=SignatureRequest.Status.FAILED,
                error=_("Phiên ký đã hết hạn, vui lòng nhập lại mã PIN."),
            )
            continue
        try:
            signature_request_sign(request=item, pin=pin, by=batch.signer)
        except Exception as exc:  # one broken item must not stop the batch
            logger.exception("batch %s item %s failed", batch.pk, item.pk)
            SignatureRequest.objects.filter(pk=item.pk).update(
                status=SignatureRequest.Status.FAILED, error=str(exc)[:500] or _("Lỗi không xác định.")
            )
    SignatureBatch.objects.filter(pk=batch.pk).update(finished_at=timezone.now())
    batch.refresh_from_db()
    return batch


def batch_run_queued(*, batch_id: int, pin_token: str) -> SignatureBatch:
    """``batch_run`` for the batch queued by ``batch_start`` (run by ``signing.tasks.sign_batch``)."""
    batch = SignatureBatch.objects.select_related("signer").get(pk=batch_id)
    return batch_run(batch=batch, pin_token=pin_token)


# ---- public verification ---------------------------------------------------------------------------


def register_public_verification(pdf_bytes: bytes, title: str, *, allow_download: bool = False) -> str:
    """Keep an issued signed file and return its random public code (page /verify/<code>/, no login)."""
    from signing.verification import verify_pdf

    report = verify_pdf(pdf_bytes)
    with transaction.atomic():
        code = secrets.token_urlsafe(12)
        record = PublicVerification(
            code=code,
            title=title[:255],
            sha256=report.sha256,
            allow_download=allow_download,
            report=report.as_dict(),
        )
        record.file.save(f"{code}.pdf", ContentFile(pdf_bytes), save=False)
        record.save()
    return code


def verification_url(code: str) -> str:
    """The absolute address of the public page of ``code``: EOFFICE_BASE_URL + /verify/<code>/."""
    from django.urls import reverse

    return settings.EOFFICE_BASE_URL.rstrip("/") + reverse("public_verify", args=[code])


def verification_qr_svg(code: str) -> str:
    """An inline SVG QR code (no style attribute: CSP-safe) of the public verification address of ``code``.

    Size it with CSS (class ``signing-qr``); light quiet zone drawn, so it scans on any background."""
    import segno

    qr = segno.make(verification_url(code), error="m", micro=False)
    svg = qr.svg_inline(
        scale=4,
        border=2,
        omitsize=True,
        dark="#000",
        light="#fff",
        svgclass="signing-qr",
        lineclass="signing-qr-dark",
        title=_("Mã QR tra cứu văn bản"),
    )
    return svg.replace("<svg ", '<svg role="img" ', 1)
