"""The local TEST public-key infrastructure: a test CA, person/seal certificates and a TSA certificate.

Nothing here is trusted outside this installation: these are test certificates for development, demos and
tests. Production credentials come from a licensed Vietnamese CA (PKCS#12, token/HSM or remote signing).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

TEST_CA_NAME = "eoffice TEST CA - không dùng thật"
KEY_SIZE = 2048


@dataclass
class TestAuthority:
    cert: x509.Certificate
    key: rsa.RSAPrivateKey
    tsa_cert: x509.Certificate
    tsa_key: rsa.RSAPrivateKey

    @property
    def cert_pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


def _name(common_name: str, organisation: str = "", unit: str = "", email: str = "") -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if organisation:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation[:64]))
    if unit:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit[:64]))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]))
    if email:
        attrs.append(x509.NameAttribute(NameOID.EMAIL_ADDRESS, email))
    return x509.Name(attrs)


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def make_ca(
    *, common_name: str = TEST_CA_NAME, years: int = 10
) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    key = new_key()
    name = _name(common_name, organisation="eoffice (TEST)")
    now = _now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return cert, key


def issue(
    *,
    ca_cert: x509.Certificate,
    ca_key: rsa.RSAPrivateKey,
    public_key,
    common_name: str,
    organisation: str = "",
    unit: str = "",
    email: str = "",
    days: int = 730,
    tsa: bool = False,
    not_before: dt.datetime | None = None,
) -> x509.Certificate:
    """A leaf certificate for signing documents (or, with ``tsa``, for time-stamping)."""
    start = not_before or (_now() - dt.timedelta(minutes=5))
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, organisation, unit, email))
        .issuer_name(ca_cert.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=not tsa,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()), critical=False
        )
    )
    if tsa:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    return builder.sign(ca_key, hashes.SHA256())


def to_pkcs12(
    *, key, cert: x509.Certificate, chain: list[x509.Certificate], pin: str, friendly_name: str
) -> bytes:
    """PKCS#12 encrypted with the PIN (AES-256, PBKDF2): this is how a key is kept at rest."""
    encryption = (
        serialization.PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(50_000)
        .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
        .hmac_hash(hashes.SHA256())
        .build(pin.encode())
    )
    return pkcs12.serialize_key_and_certificates(
        friendly_name.encode()[:64], key, cert, chain or None, encryption
    )


def _write(path: Path, data: bytes, *, secret: bool = False) -> None:
    path.write_bytes(data)
    if secret:
        path.chmod(0o600)


def _pem_key(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def ensure_test_authority(directory: Path) -> TestAuthority:
    """Create (once) or load the test CA and the TSA key pair under ``directory``. Idempotent."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    ca_pem, ca_key_pem = directory / "ca.pem", directory / "ca-key.pem"
    tsa_pem, tsa_key_pem = directory / "tsa.pem", directory / "tsa-key.pem"
    if not (ca_pem.exists() and ca_key_pem.exists()):
        cert, key = make_ca()
        _write(ca_key_pem, _pem_key(key), secret=True)
        _write(ca_pem, cert.public_bytes(serialization.Encoding.PEM))
        tsa_pem.unlink(missing_ok=True)
    ca_cert = x509.load_pem_x509_certificate(ca_pem.read_bytes())
    ca_key = serialization.load_pem_private_key(ca_key_pem.read_bytes(), password=None)
    if not (tsa_pem.exists() and tsa_key_pem.exists()):
        tsa_key = new_key()
        tsa_cert = issue(
            ca_cert=ca_cert,
            ca_key=ca_key,
            public_key=tsa_key.public_key(),
            common_name="eoffice TEST TSA",
            organisation="eoffice (TEST)",
            days=3650,
            tsa=True,
        )
        _write(tsa_key_pem, _pem_key(tsa_key), secret=True)
        _write(tsa_pem, tsa_cert.public_bytes(serialization.Encoding.PEM))
    tsa_cert = x509.load_pem_x509_certificate(tsa_pem.read_bytes())
    tsa_key = serialization.load_pem_private_key(tsa_key_pem.read_bytes(), password=None)
    return TestAuthority(cert=ca_cert, key=ca_key, tsa_cert=tsa_cert, tsa_key=tsa_key)


def load_test_authority(directory: Path) -> TestAuthority | None:
    directory = Path(directory)
    if not all((directory / n).exists() for n in ("ca.pem", "ca-key.pem", "tsa.pem", "tsa-key.pem")):
        return None
    return ensure_test_authority(directory)
