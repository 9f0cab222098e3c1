"""PAdES signing of PDF bytes with pyHanko: levels, timestamps, trust anchors, the local test TSA.

No database here: services.py decides who may sign what and logs it; this module only produces bytes.
"""

from __future__ import annotations

import hashlib
import io
import threading
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from asn1crypto import cms, keys, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from django.conf import settings
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.content import PdfContent
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import simple_cms_attribute
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from signing import pki, sync
from signing.appearance import StampBox

LEVELS = ("B-B", "B-T", "B-LT", "B-LTA")
SIGNATURE_BYTES_RESERVED = 24_000  # hex-encoded CMS incl. a timestamp token and a 3-certificate chain


class SigningError(Exception):
    """A signature could not be made; the message is safe to show to the user."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def to_asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


# ---- trust anchors and the local TSA ---------------------------------------------------------------


def _load_certs(path: Path) -> list[asn1_x509.Certificate]:
    data = path.read_bytes()
    if b"-----BEGIN" in data:
        return [to_asn1(c) for c in x509.load_pem_x509_certificates(data)]
    return [asn1_x509.Certificate.load(data)]


def _roots_signature() -> tuple:
    paths = [Path(p) for p in settings.SIGNING_TRUST_ROOTS]
    if settings.SIGNING_TRUST_TEST_CA:
        paths.append(Path(settings.SIGNING_PKI_DIR) / "ca.pem")
    return tuple((str(p), p.stat().st_mtime_ns) for p in paths if p.exists())


@lru_cache(maxsize=4)
def _trust_roots_cached(signature: tuple) -> tuple[asn1_x509.Certificate, ...]:
    roots: list[asn1_x509.Certificate] = []
    for path, _mtime in signature:
        roots.extend(_load_certs(Path(path)))
    return tuple(roots)


def trust_roots() -> tuple[asn1_x509.Certificate, ...]:
    return _trust_roots_cached(_roots_signature())


def validation_context(*, for_signing: bool = False) -> ValidationContext:
    """Trust the configured roots; no network fetching (revocation is soft-fail when no data is at hand)."""
    extra = []
    authority = local_authority()
    if authority is not None:
        extra.append(to_asn1(authority.tsa_cert))
    return ValidationContext(
        trust_roots=list(trust_roots()),
        other_certs=extra,
        allow_fetching=False,
        revocation_mode="soft-fail",
    )


_authority_lock = threading.Lock()
_authority_cache: dict[tuple, pki.TestAuthority | None] = {}


def local_authority() -> pki.TestAuthority | None:
    directory = Path(settings.SIGNING_PKI_DIR)
    ca = directory / "tsa.pem"
    key = (str(directory), ca.stat().st_mtime_ns if ca.exists() else 0)
    with _authority_lock:
        if key not in _authority_cache:
            _authority_cache.clear()
            _authority_cache[key] = pki.load_test_authority(directory)
        return _authority_cache[key]


class LocalTimeStamper(DummyTimeStamper):
    """RFC 3161 time-stamping with the test TSA key, kept loaded (pyHanko's dummy reloads it every time)."""

    def __init__(self, authority: pki.TestAuthority):
        key_der = authority.tsa_key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        super().__init__(
            tsa_cert=to_asn1(authority.tsa_cert),
            tsa_key=keys.PrivateKeyInfo.load(key_der),
            certs_to_embed=[to_asn1(authority.cert)],
        )
        self._key = authority.tsa_key

    def _sign_tst_info(self, tst_info_data: bytes, md_algorithm: str, dt: datetime):
        from asn1crypto import core
        from pyhanko.sign.general import as_signing_certificate
        from pyhanko_certvalidator.util import get_pyca_cryptography_hash

        digest = hashes.Hash(get_pyca_cryptography_hash(md_algorithm))
        digest.update(tst_info_data)
        signed_attrs = cms.CMSAttributes(
            [
                simple_cms_attribute("content_type", "tst_info"),
                simple_cms_attribute("signing_time", cms.Time({"utc_time": core.UTCTime(dt)})),
                simple_cms_attribute("signing_certificate", as_signing_certificate(self.tsa_cert)),
                simple_cms_attribute("message_digest", digest.finalize()),
            ]
        )
        signature = self._key.sign(
            signed_attrs.dump(), padding.PKCS1v15(), get_pyca_cryptography_hash(md_algorithm.upper())
        )
        return signature, signed_attrs


def local_timestamper() -> LocalTimeStamper:
    authority = local_authority()
    if authority is None:
        raise SigningError("Chưa có máy chủ cấp dấu thời gian thử nghiệm (chạy signing_demo_credentials).")
    with _authority_lock:
        stamper = _timestampers.get(id(authority))
        if stamper is None:
            _timestampers.clear()
            stamper = _timestampers[id(authority)] = LocalTimeStamper(authority)
        return stamper


_timestampers: dict[int, LocalTimeStamper] = {}


def answer_timestamp_request(body: bytes) -> bytes:
    """Answer one RFC 3161 TimeStampReq (DER) with a TimeStampResp (DER)."""
    try:
        req = tsp.TimeStampReq.load(body)
        req.native  # noqa: B018  (parse it all now so a malformed request fails here)
    except (ValueError, TypeError) as exc:
        raise SigningError("Yêu cầu cấp dấu thời gian không hợp lệ.") from exc
    return local_timestamper().request_tsa_response(req).dump()


@lru_cache(maxsize=4)
def _http_timestamper(url: str, auth: str):
    from pyhanko.sign.timestamps.aiohttp_client import HTTPTimeStamper

    user_pass = tuple(auth.split(":", 1)) if auth else None
    return HTTPTimeStamper(url, timeout=15, auth=user_pass)


def timestamper():
    """The configured TSA: the in-process test TSA (tests, benchmark) or an RFC 3161 URL."""
    if settings.SIGNING_TSA_IN_PROCESS:
        return local_timestamper()
    return _http_timestamper(settings.SIGNING_TSA_URL, settings.SIGNING_TSA_AUTH)


# ---- signers ----------------------------------------------------------------------------------------


class LoadedKeySigner(signers.Signer):
    """A signer holding an already loaded private key (pyHanko's SimpleSigner re-parses it every time)."""

    def __init__(
        self, *, private_key, signing_cert: asn1_x509.Certificate, chain: list[asn1_x509.Certificate]
    ):
        self._private_key = private_key
        super().__init__(
            signing_cert=signing_cert,
            cert_registry=SimpleCertificateStore.from_certs([signing_cert, *chain]),
            embed_roots=True,
        )

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run=False) -> bytes:
        from pyhanko_certvalidator.util import get_pyca_cryptography_hash

        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        algo = mechanism.signature_algo
        key = self._private_key
        if algo == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPrivateKey):
            return key.sign(data, padding.PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
        if algo == "ecdsa" and isinstance(key, ec.EllipticCurvePrivateKey):
            return key.sign(data, ec.ECDSA(get_pyca_cryptography_hash(digest_algorithm)))
        raise SigningError(f"Unsupported signature mechanism {algo}")


# ---- signing ----------------------------------------------------------------------------------------


class _PdfBytesPage(PdfContent):
    """Page 0 of an in-memory PDF as a form XObject (pyHanko's ImportedPdfPage only reads files)."""

    def __init__(self, data: bytes):
        self.data = data
        super().__init__()

    def render(self) -> bytes:
        import uuid

        writer = self._ensure_writer
        xobj = writer.import_page_as_xobject(PdfFileReader(io.BytesIO(self.data)), page_ix=0)
        name = "/Stamp" + uuid.uuid4().hex
        self.resources.xobject[name] = xobj
        x1, y1, x2, y2 = xobj.get_object()["/BBox"]
        self.box = layout.BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
        return name.encode("ascii") + b" Do"


def stamp_style(stamp_pdf: bytes) -> StaticStampStyle:
    return StaticStampStyle(
        background=_PdfBytesPage(stamp_pdf),
        border_width=0,
        background_opacity=1.0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(0),
        ),
    )


def open_for_signing(data: bytes) -> IncrementalPdfFileWriter:
    if not data.startswith(b"%PDF-") and b"%PDF-" not in data[:1024]:
        raise SigningError("Tệp không phải là PDF.")
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    except Exception as exc:  # pyHanko raises several types for damaged files
        raise SigningError("Tệp PDF bị hỏng, không đọc được.") from exc
    if writer.prev.encrypted:
        raise SigningError("Tệp PDF được mã hóa; không thể ký.")
    return writer


def next_field_name(writer: IncrementalPdfFileWriter, kind: str) -> str:
    existing = {name for name, _value, _ref in fields.enumerate_sig_fields(writer.prev)}
    n = len(existing) + 1
    while f"Sig{n}_{kind}" in existing:
        n += 1
    return f"Sig{n}_{kind}"


@dataclass
class SignOptions:
    kind: str = "leader"
    level: str = "B-T"
    box: StampBox | None = None
    stamp_pdf: bytes | None = None
    reason: str | None = None
    location: str | None = None
    name: str | None = None


def signature_metadata(options: SignOptions, field_name: str) -> signers.PdfSignatureMetadata:
    if options.level not in LEVELS:
        raise SigningError(f"Unknown PAdES level {options.level}")
    long_term = options.level in ("B-LT", "B-LTA")
    return signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=options.reason,
        location=options.location,
        name=options.name,
        embed_validation_info=long_term,
        use_pades_lta=options.level == "B-LTA",
        validation_context=validation_context(for_signing=True) if long_term else None,
    )


def field_spec(options: SignOptions, field_name: str) -> fields.SigFieldSpec:
    if options.box is None:
        return fields.SigFieldSpec(sig_field_name=field_name)
    return fields.SigFieldSpec(sig_field_name=field_name, on_page=options.box.page, box=options.box.rect)


def sign_pdf(data: bytes, *, signer: signers.Signer, options: SignOptions) -> bytes:
    """One more signature on ``data``, as an incremental update (earlier signatures stay valid)."""
    writer = open_for_signing(data)
    field_name = next_field_name(writer, options.kind)
    pdf_signer = signers.PdfSigner(
        signature_metadata(options, field_name),
        signer=signer,
        timestamper=timestamper() if options.level != "B-B" else None,
        stamp_style=stamp_style(options.stamp_pdf) if options.stamp_pdf and options.box else None,
        new_field_spec=field_spec(options, field_name),
    )
    try:
        out = sync.call(pdf_signer.sign_pdf, writer, bytes_reserved=SIGNATURE_BYTES_RESERVED)
    except SigningError:
        raise
    except Exception as exc:
        raise SigningError(f"Không ký được tệp: {exc}") from exc
    return out.getvalue()
