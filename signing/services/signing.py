"""Signing PDF bytes with a credential and the appearance of a kind (leader, seal, attachment)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice.models import User
from signing import appearance, backends, engine
from signing.appearance import StampBox
from signing.files import read_field_file
from signing.models import Credential, SignatureLog, SignatureRequest
from signing.rules import can_use_credential, check_kind
from signing.services.logs import log_attempt
from signing.services.pins import pin_failed, pin_ok, refuse_if_locked

Kind = SignatureRequest.Kind


@dataclass
class SignResult:
    data: bytes
    log: SignatureLog
    sha256: str


def stamp_pdf(
    *, kind: str, box: StampBox | None, credential: Credential, stamp_text: str, when
) -> bytes | None:
    if box is None:
        return None
    if kind == Kind.LEADER:
        owner = credential.owner
        return appearance.leader_stamp(
            box=box,
            signature_png=read_field_file(owner.signature_image),
            signer_name=owner.full_name,
            when=when,
        )
    if kind == Kind.SEAL:
        seal = read_field_file(credential.agency.seal_image)
        if not seal:
            return None
        return appearance.seal_stamp(box=box, seal_png=seal)
    return appearance.attachment_stamp(box=box, number_symbol=stamp_text, when=when)


def sign_options(*, kind, box, stamp_pdf, credential, level) -> engine.SignOptions:
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
    when=None,
) -> SignResult:
    """Sign ``data`` with ``credential`` and the appearance of ``kind`` placed in ``box`` (final rectangle;
    see ``stamp_box_for`` and the helpers in ``signing.appearance``). Logged whatever happens. ``when``: the
    signing time printed in the stamp (default now), for a caller that records it beside the file."""
    before = engine.sha256(data)
    if not can_use_credential(user=by, credential=credential):
        log_attempt(
            by=by,
            credential=credential,
            kind=kind,
            title=title,
            before=before,
            result="failed",
            error="permission denied",
        )
        raise PermissionDenied
    check_kind(kind, credential)
    if credential.is_expired:
        raise ValidationError(_("Chứng thư số đã hết hạn."))
    refuse_if_locked(credential=credential, by=by, kind=kind, title=title, before=before)
    try:
        stamp = stamp_pdf(
            kind=kind, box=box, credential=credential, stamp_text=stamp_text, when=when or timezone.now()
        )
        options = sign_options(kind=kind, box=box, stamp_pdf=stamp, credential=credential, level=level)
        with backends.signer_for(credential, pin) as signer:
            signed = engine.sign_pdf(data, signer=signer, options=options)
    except backends.WrongPin:
        raise pin_failed(credential=credential, by=by, kind=kind, title=title, before=before) from None
    except engine.SigningError as exc:
        log_attempt(
            by=by,
            credential=credential,
            kind=kind,
            title=title,
            before=before,
            result="failed",
            error=str(exc),
        )
        raise
    pin_ok(credential)
    after = engine.sha256(signed)
    log = log_attempt(
        by=by, credential=credential, kind=kind, title=title, before=before, after=after, result="ok"
    )
    return SignResult(data=signed, log=log, sha256=after)
