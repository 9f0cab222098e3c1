"""Predicates and formatters of the signing app (no writes): who may use a credential, whether it fits the
kind, where a stamp goes, the public verification address and its QR code."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from eoffice.models import Agency, Role, User
from signing import appearance
from signing.appearance import StampBox
from signing.files import read_field_file
from signing.models import Credential, CredentialKind, SignatureRequest

Kind = SignatureRequest.Kind


def can_use_credential(*, user: User, credential: Credential) -> bool:
    if not credential.is_active or not user.is_active:
        return False
    if credential.kind == CredentialKind.PERSON:
        return credential.owner_id == user.pk
    return user.agency_id == credential.agency_id and user.has_role(Role.CLERK)


def check_kind(kind: str, credential: Credential) -> None:
    wanted = CredentialKind.PERSON if kind == Kind.LEADER else CredentialKind.SEAL
    if credential.kind != wanted:
        raise ValidationError(_("Chứng thư số không phù hợp với loại chữ ký."))


def stamp_box_for(*, kind: str, box: StampBox | None, pdf: bytes, agency: Agency) -> StampBox | None:
    """The final stamp rectangle: leader → ``box``; seal → real-size seal over the left third of the
    leader's ``box``; attachment → top right of page 1 (``box`` overrides)."""
    if kind == Kind.ATTACHMENT:
        return box or appearance.attachment_box(pdf)
    if box is None:
        return None
    if kind == Kind.SEAL:
        seal = read_field_file(agency.seal_image)
        width, height = (
            appearance.image_size_pt(seal) if seal else (appearance.SEAL_DIAMETER_MM * appearance.MM,) * 2
        )
        return appearance.seal_box_over(box, width=width, height=height)
    return box


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
