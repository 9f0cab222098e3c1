"""Signature requests: queue a PDF for a signature, sign one (locally, or begin a remote one), finish the
remote ones approved on the phone."""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from eoffice.models import User
from signing import backends, engine, selectors
from signing.appearance import StampBox
from signing.files import read_field_file
from signing.models import Backend, Credential, SignatureRequest
from signing.rules import can_use_credential, stamp_box_for
from signing.services.logs import log_attempt
from signing.services.pins import check_credential_pin, pin_failed, pin_ok, refuse_if_locked
from signing.services.signing import sign_options, sign_pdf_bytes, stamp_pdf
from signing.signals import signature_completed

Kind = SignatureRequest.Kind


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
        data = read_field_file(request.pdf) or b""
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


def signature_request_sign(
    *, request: SignatureRequest, pin: str, by: User, batch_id: int | None = None
) -> SignatureRequest:
    """Sign one request. Failures are recorded on the request (and the log), not raised for engine errors.

    A wrong PIN is checked (and counted) before anything is prepared: the request is marked failed with the
    message. The row is locked from the check to the commit that stores the signed file and its log line, so
    a request is signed once however many workers try. ``batch_id``: signing it as an item of that batch
    (``batch_run``): only while it is still queued in it; an item another run of the batch finished
    meanwhile (signed, or failed) is returned as it is."""
    with transaction.atomic():
        try:
            request = selectors.signature_request_access(user=by, pk=request.pk, lock=True, signable=True)
        except Http404:
            if batch_id is not None:
                return request
            raise PermissionDenied from None
        if request.status == SignatureRequest.Status.SIGNED:
            return request
        if batch_id is not None and (
            request.status != SignatureRequest.Status.QUEUED or request.batch_id != batch_id
        ):
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
                data = read_field_file(request.pdf) or b""
                box = StampBox.from_dict(request.box) if request.box else None
                box = stamp_box_for(kind=request.kind, box=box, pdf=data, agency=credential.agency)
                _begin_remote(request=request, data=data, credential=credential, pin=pin, by=by, box=box)
            else:
                _sign_prepared(request=request, credential=credential, pin=pin, by=by)
        except (engine.SigningError, ValidationError) as exc:
            error = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
            if not remote:
                # The savepoint took the failure log with it: write it again, outside.
                log_attempt(
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
    stamp = stamp_pdf(
        kind=request.kind, box=box, credential=credential, stamp_text=request.stamp_text, when=timezone.now()
    )
    options = sign_options(kind=request.kind, box=box, stamp_pdf=stamp, credential=credential, level="B-T")
    before = engine.sha256(data)
    refuse_if_locked(credential=credential, by=by, kind=request.kind, title=request.title, before=before)
    try:
        pending = csc.begin_remote(data, credential=credential, pin=pin, options=options)
    except backends.WrongPin:
        raise pin_failed(
            credential=credential, by=by, kind=request.kind, title=request.title, before=before
        ) from None
    pin_ok(credential)
    if isinstance(pending, bytes):
        log_attempt(
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
    log_attempt(
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
        partial = read_field_file(request.result) or b""
        try:
            signed = csc.poll_remote(credential=credential, state=state, partial=partial)
        except engine.SigningError as exc:
            request.status, request.error = SignatureRequest.Status.FAILED, str(exc)
            request.save(update_fields=["status", "error"])
            log_attempt(
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
        log_attempt(
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
