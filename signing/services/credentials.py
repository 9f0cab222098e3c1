"""Credentials: register one (the right checked), open and check an uploaded PKCS#12, import it."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from eoffice.models import Agency, Role, User
from signing.models import Backend, Credential, CredentialKind


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


def demo_credential_create(
    *, authority, agency: Agency, owner: User | None, common_name: str, organisation: str, pin: str
):
    """A TEST credential (a person's, or the agency's seal when ``owner`` is None) issued by the local test
    authority ``authority`` (``pki.ensure_test_authority``): for the demo data and the tests only; trusted by
    this installation alone (SIGNING_TRUST_TEST_CA)."""
    from cryptography.hazmat.primitives import serialization

    from signing import pki

    key = pki.new_key()
    cert = pki.issue(
        ca_cert=authority.cert,
        ca_key=authority.key,
        public_key=key.public_key(),
        common_name=common_name,
        organisation=organisation,
        email=getattr(owner, "email", "") or "",
    )
    return Credential.objects.create(
        kind=CredentialKind.PERSON if owner else CredentialKind.SEAL,
        backend=Backend.PKCS12,
        owner=owner,
        agency=agency,
        label=f"{common_name} (TEST)",
        certificate=cert.public_bytes(serialization.Encoding.DER),
        chain=authority.cert_pem,
        subject=cert.subject.rfc4514_string()[:500],
        issuer=cert.issuer.rfc4514_string()[:500],
        serial=format(cert.serial_number, "x"),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        pkcs12_data=pki.to_pkcs12(
            key=key, cert=cert, chain=[authority.cert], pin=pin, friendly_name=common_name
        ),
        is_test=True,
    )
