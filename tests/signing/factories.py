from cryptography.hazmat.primitives import serialization

from signing import pki
from signing.models import Backend, Credential, CredentialKind

PIN = "123456"


def cert_fields(cert) -> dict:
    return {
        "certificate": cert.public_bytes(serialization.Encoding.DER),
        "subject": cert.subject.rfc4514_string(),
        "issuer": cert.issuer.rfc4514_string(),
        "serial": format(cert.serial_number, "x"),
        "not_before": cert.not_valid_before_utc,
        "not_after": cert.not_valid_after_utc,
    }


def make_credential(*, authority, agency, owner, pin=PIN, days=730, **extra) -> Credential:
    key = pki.new_key()
    name = owner.full_name if owner else agency.name
    cert = pki.issue(
        ca_cert=authority.cert,
        ca_key=authority.key,
        public_key=key.public_key(),
        common_name=name,
        organisation=agency.name,
        days=days,
    )
    return Credential.objects.create(
        kind=CredentialKind.PERSON if owner else CredentialKind.SEAL,
        backend=Backend.PKCS12,
        owner=owner,
        agency=agency,
        label=name,
        chain=authority.cert_pem,
        pkcs12_data=pki.to_pkcs12(key=key, cert=cert, chain=[authority.cert], pin=pin, friendly_name=name),
        is_test=True,
        **cert_fields(cert),
        **extra,
    )
