"""Signing edXML messages with the agency's certificate, and where a worker finds that certificate.

``sign_xml`` adds an enveloped XML-DSig signature where the samples put ``<Signature>`` — the last child
of ``edXMLHeader`` — in the xmldsig namespace, exclusive C14N, RSA-SHA256 and SHA-256, the certificate
chain in ``KeyInfo/X509Data`` (signxml). The reference is the whole document (``URI=""``) with the
enveloped-signature transform, so everything, the attachments included, is covered.

The exchange key (the choice made here). A package is signed by a worker: there is no user to type a PIN,
and the key is the agency's (its seal), not a person's. ``signing.models.Credential`` keeps PKCS#12 blobs
encrypted with their owner's PIN in the database, which a worker cannot open. So each agency's exchange
key is a PKCS#12 file outside the database, as ``complaints.crypto`` keeps its keys:
``<EXCHANGE_KEYS_DIR>/<agency code>.p12`` (default ``var/keys/exchange/``), mode 0600, its password in
``<agency code>.pass`` beside it (mode 0600) or, when there is no such file,
``settings.EXCHANGE_KEY_PASSWORD`` (the environment; empty for an unencrypted file). An operator installs
there the certificate a licensed CA issued to the agency. For development and tests (``settings.DEBUG``
or ``settings.EXCHANGE_TEST_KEYS``), a missing key is issued on first use by the local test authority
(``signing.pki``, ``SIGNING_PKI_DIR``), written whole or not at all — never in production, where a missing
key is an error naming the file expected. Loaded keys are kept in the process and reloaded when the file
changes.
"""

from __future__ import annotations

import os
import re
import secrets
import threading
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from django.conf import settings
from django.utils.translation import gettext as _
from lxml import etree
from signxml import XMLSigner, methods

from documents.exchange.edxml.build import serialise
from documents.exchange.edxml.types import NAMESPACE, XMLDSIG_NAMESPACE, EdxmlError

SIGNATURE_ALGORITHM = "rsa-sha256"
DIGEST_ALGORITHM = "sha256"
EXCLUSIVE_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
_SAFE_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)


class _Signer(XMLSigner):
    """signxml re-reads the document it signs with its own parser, whose libxml2 limits refuse a text node
    over 10 MB — a package's base64 attachment is one. This one reads with ``huge_tree`` (still no
    entities, no network, no DTD: signxml refuses those as well)."""

    @property
    def parser(self):
        return _parser()


def _signer() -> XMLSigner:
    return _Signer(
        method=methods.enveloped,
        signature_algorithm=SIGNATURE_ALGORITHM,
        digest_algorithm=DIGEST_ALGORITHM,
        c14n_algorithm=EXCLUSIVE_C14N,
    )


def sign_xml(xml: bytes, *, key, cert_chain: list[x509.Certificate]) -> bytes:
    """``xml`` (a package or a status message, unsigned) with its enveloped signature, as UTF-8 bytes.

    ``key`` is the private key, ``cert_chain`` the signing certificate first, then its issuers."""
    if not cert_chain:
        raise ValueError("cert_chain must hold the signing certificate")
    try:
        root = etree.fromstring(xml, _parser())
    except etree.XMLSyntaxError as exc:
        raise EdxmlError("sign_not_xml", _("Gói tin cần ký không phải XML hợp lệ.")) from exc
    header = root.find(f"{{{NAMESPACE}}}edXMLEnvelope/{{{NAMESPACE}}}edXMLHeader")
    if root.tag != f"{{{NAMESPACE}}}edXML" or header is None:
        raise EdxmlError("sign_not_edxml", _("Gói tin cần ký không có phần tiêu đề edXML (edXMLHeader)."))
    if header.find(f"{{{XMLDSIG_NAMESPACE}}}Signature") is not None or (
        header.find(f"{{{NAMESPACE}}}Signature") is not None
    ):
        raise EdxmlError("sign_already_signed", _("Gói tin đã có chữ ký số."))
    placeholder = etree.SubElement(
        header, f"{{{XMLDSIG_NAMESPACE}}}Signature", nsmap={"ds": XMLDSIG_NAMESPACE}, Id="placeholder"
    )
    previous = placeholder.getprevious()
    if previous is not None and previous.tail is not None:  # keep the samples' indentation
        placeholder.tail, previous.tail = previous.tail, previous.tail + "  "
    certs = [cert.public_bytes(serialization.Encoding.PEM).decode("ascii") for cert in cert_chain]
    signed = _signer().sign(root, key=key, cert=certs)
    return serialise(signed)


# --- the agency's exchange key -----------------------------------------------------------------------

_lock = threading.Lock()
_cache: dict[str, tuple[tuple, tuple[object, list[x509.Certificate]]]] = {}


def keys_dir() -> Path:
    configured = getattr(settings, "EXCHANGE_KEYS_DIR", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "keys" / "exchange"


def key_paths(code: str) -> tuple[Path, Path]:
    """The PKCS#12 file of the agency ``code`` and its password file."""
    if not _SAFE_CODE.fullmatch(code or "") or ".." in code:
        raise EdxmlError(
            "exchange_key_bad_code",
            _("Mã định danh cơ quan “%(code)s” không dùng được để tìm khóa ký liên thông.") % {"code": code},
        )
    directory = keys_dir()
    return directory / f"{code}.p12", directory / f"{code}.pass"


def _stamp(*paths: Path) -> tuple:
    stamps = []
    for path in paths:
        try:
            stat = path.stat()
        except FileNotFoundError:
            stamps.append(None)
        else:
            stamps.append((stat.st_mtime_ns, stat.st_size, stat.st_ino))
    return tuple(stamps)


def _publish_secret(path: Path, data: bytes) -> bool:
    """Write ``data`` as ``path`` (mode 0600) all at once — a temporary file linked into place — unless the
    file exists (another process won the race: ``False``). A reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        try:
            os.link(temporary, path)
        except FileExistsError:
            return False
        return True
    finally:
        temporary.unlink(missing_ok=True)


def keys_may_be_issued() -> bool:
    """Whether a missing exchange key may be issued by the local test authority (development, tests)."""
    return bool(settings.DEBUG or getattr(settings, "EXCHANGE_TEST_KEYS", False))


def issue_test_key(agency) -> Path:
    """Issue the agency an exchange certificate from the local TEST authority and write it (development
    and tests only): encrypted with ``EXCHANGE_KEY_PASSWORD`` when one is set, else protected by its mode
    only. Idempotent: an existing key file is kept."""
    from signing import pki

    p12_path, _pass_path = key_paths(agency.code)
    if p12_path.exists():
        return p12_path
    authority = pki.ensure_test_authority(Path(settings.SIGNING_PKI_DIR))
    key = pki.new_key()
    cert = pki.issue(
        ca_cert=authority.cert,
        ca_key=authority.key,
        public_key=key.public_key(),
        common_name=agency.name,
        organisation=agency.name,
        unit=f"Liên thông văn bản {agency.code}",
        email=getattr(agency, "email", "") or "",
    )
    password = getattr(settings, "EXCHANGE_KEY_PASSWORD", "")
    name = f"exchange {agency.code}"
    if password:
        blob = pki.to_pkcs12(key=key, cert=cert, chain=[authority.cert], pin=password, friendly_name=name)
    else:
        blob = pkcs12.serialize_key_and_certificates(
            name.encode(), key, cert, [authority.cert], serialization.NoEncryption()
        )
    _publish_secret(p12_path, blob)
    return p12_path


def _password(pass_path: Path) -> bytes | None:
    if pass_path.exists():
        return pass_path.read_bytes().strip() or None
    configured = getattr(settings, "EXCHANGE_KEY_PASSWORD", "")
    return configured.encode() if configured else None


def _load(p12_path: Path, pass_path: Path) -> tuple[object, list[x509.Certificate]]:
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(p12_path.read_bytes(), _password(pass_path))
    except ValueError as exc:
        raise EdxmlError(
            "exchange_key_unreadable",
            _("Không mở được tệp khóa ký liên thông %(path)s (sai mật khẩu hoặc tệp hỏng).")
            % {"path": p12_path},
        ) from exc
    if key is None or cert is None:
        raise EdxmlError(
            "exchange_key_incomplete",
            _("Tệp khóa ký liên thông %(path)s không có khóa bí mật hoặc chứng thư số.") % {"path": p12_path},
        )
    return key, [cert, *(extra or [])]


def agency_exchange_signer(agency) -> tuple[object, list[x509.Certificate]]:
    """``(private key, [certificate, issuers…])`` with which ``agency`` signs its packages, loaded once."""
    p12_path, pass_path = key_paths(agency.code)
    if not p12_path.exists():
        if not keys_may_be_issued():
            raise EdxmlError(
                "exchange_key_missing",
                _("Chưa cài đặt khóa ký liên thông của cơ quan %(code)s: cần tệp %(path)s.")
                % {"code": agency.code, "path": p12_path},
            )
        issue_test_key(agency)
    stamp = _stamp(p12_path, pass_path)
    with _lock:
        hit = _cache.get(str(p12_path))
        if hit is not None and hit[0] == stamp:
            return hit[1]
    loaded = _load(p12_path, pass_path)
    with _lock:
        _cache[str(p12_path)] = (stamp, loaded)
    return loaded


def clear_key_cache() -> None:
    with _lock:
        _cache.clear()


def sign_for_agency(xml: bytes, *, agency) -> bytes:
    """``xml`` signed with ``agency``'s exchange key."""
    key, chain = agency_exchange_signer(agency)
    return sign_xml(xml, key=key, cert_chain=chain)
