"""Verify every signature in a PDF: integrity, trust against the configured roots, timestamp, coverage.

``verify_pdf(data) -> VerificationReport``: a dataclass that serialises to JSON (``as_dict``), used by the
verification pages and by the incoming-documents module on every received PDF.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field, fields
from datetime import datetime

from django.conf import settings
from django.utils.translation import gettext as _

from signing import sync
from signing.appearance import VIETNAM
from signing.engine import sha256, validation_context

logger = logging.getLogger(__name__)


class InvalidPdf(ValueError):
    """The upload is not a PDF we can read; the message is a Vietnamese sentence for the user."""


@dataclass
class SignatureReport:
    field_name: str
    signer: str = ""
    organisation: str = ""
    issuer: str = ""
    serial: str = ""
    signing_time: str | None = None  # what the signer claims (ISO 8601, Vietnam time)
    timestamp_time: str | None = None  # what the TSA certifies
    timestamp_valid: bool | None = None
    timestamp_authority: str = ""
    is_document_timestamp: bool = False
    intact: bool = False
    valid: bool = False
    trusted: bool = False
    coverage: str = "unclear"  # entire_file | entire_revision | partial | unclear
    modified_after: bool = False  # later changes exist (new revisions after this signature)
    modification_level: str = ""
    docmdp_ok: bool | None = None
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted and self.docmdp_ok is not False

    @property
    def coverage_label(self) -> str:
        return {
            "entire_file": _("Toàn bộ tệp"),
            "entire_revision": _("Toàn bộ phiên bản đã ký, có thay đổi sau đó"),
            "partial": _("Một phần tệp"),
        }.get(self.coverage, _("Không xác định"))


@dataclass
class VerificationReport:
    sha256: str
    size: int
    pages: int = 0
    signatures: list[SignatureReport] = field(default_factory=list)
    error: str = ""
    checked_at: str = ""

    @property
    def signed(self) -> bool:
        return bool(self.signatures)

    @property
    def all_ok(self) -> bool:
        return self.signed and not self.error and all(s.ok for s in self.signatures)

    def as_dict(self) -> dict:
        """Plain JSON types, built field by field: ``dataclasses.asdict`` deep-copies every value (pyHanko's
        string objects included), which cost more than the verification itself on an issue."""
        out = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "signatures"}
        out["signatures"] = [{f.name: getattr(s, f.name) for f in _SIGNATURE_FIELDS} for s in self.signatures]
        return out

    @classmethod
    def from_dict(cls, data: dict) -> VerificationReport:
        sigs = [SignatureReport(**s) for s in data.get("signatures", [])]
        return cls(**{**data, "signatures": sigs})


_SIGNATURE_FIELDS = fields(SignatureReport)


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(VIETNAM).isoformat(timespec="seconds") if value else None


def _name_part(name, key: str) -> str:
    try:
        return str(name.native.get(key, "") or "")
    except (AttributeError, ValueError):
        return ""


def _coverage(status) -> str:
    from pyhanko.sign.validation.status import SignatureCoverageLevel as Level

    return {
        Level.ENTIRE_FILE: "entire_file",
        Level.ENTIRE_REVISION: "entire_revision",
        Level.CONTIGUOUS_BLOCK_FROM_START: "partial",
    }.get(status.coverage, "unclear")


def check_pdf_upload(data: bytes) -> None:
    """Validate an uploaded PDF by content: size, %PDF magic. Raises InvalidPdf with a user message."""
    limit = settings.EOFFICE_MAX_UPLOAD_MB * 1024 * 1024
    if len(data) > limit:
        raise InvalidPdf(_("Tệp quá lớn (tối đa %(mb)s MB).") % {"mb": settings.EOFFICE_MAX_UPLOAD_MB})
    if not data[:1024].lstrip().startswith(b"%PDF-"):
        raise InvalidPdf(_("Tệp không phải là PDF."))


def _open(data: bytes):
    from pyhanko.pdf_utils.reader import PdfFileReader

    check_pdf_upload(data)
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        pages = int(reader.root["/Pages"]["/Count"])
    except Exception as exc:  # damaged files raise a zoo of exception types
        raise InvalidPdf(_("Tệp PDF bị hỏng, không đọc được.")) from exc
    if reader.encrypted:
        raise InvalidPdf(_("Tệp PDF được mã hóa (đặt mật khẩu); không kiểm tra được chữ ký."))
    return reader, pages


def verify_pdf(data: bytes) -> VerificationReport:
    """Verify all signatures of ``data``. Never raises for a bad file: the report carries the error."""
    from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp

    report = VerificationReport(
        sha256=sha256(data), size=len(data), checked_at=_iso(datetime.now(tz=VIETNAM)) or ""
    )
    try:
        reader, report.pages = _open(data)
        embedded = list(reader.embedded_signatures)
    except InvalidPdf as exc:
        report.error = str(exc)
        return report
    except Exception:
        logger.exception("could not read signatures")
        report.error = _("Không đọc được chữ ký trong tệp.")
        return report
    for sig in embedded:
        item = SignatureReport(field_name=str(sig.field_name or ""))  # pyHanko gives a TextStringObject
        try:
            if sig.sig_object_type == "/DocTimeStamp":
                item.is_document_timestamp = True
                status = sync.call(validate_pdf_timestamp, sig, validation_context=validation_context())
                item.timestamp_time = _iso(status.timestamp)
                item.timestamp_valid = status.valid and status.intact and status.trusted
                item.signer = _name_part(status.signing_cert.subject, "common_name")
                item.timestamp_authority = item.signer
            else:
                vc = validation_context()
                status = sync.call(
                    validate_pdf_signature, sig, signer_validation_context=vc, ts_validation_context=vc
                )
                cert = status.signing_cert
                item.signer = _name_part(cert.subject, "common_name")
                item.organisation = _name_part(cert.subject, "organization_name")
                item.issuer = _name_part(cert.issuer, "common_name")
                item.serial = format(cert.serial_number, "x")
                item.signing_time = _iso(status.signer_reported_dt)
                item.docmdp_ok = status.docmdp_ok
                level = status.modification_level
                item.modification_level = level.name.lower() if level is not None else ""
                ts = status.timestamp_validity
                if ts is not None:
                    item.timestamp_time = _iso(ts.timestamp)
                    item.timestamp_valid = ts.valid and ts.intact and ts.trusted
                    item.timestamp_authority = _name_part(ts.signing_cert.subject, "common_name")
            item.intact = bool(status.intact)
            item.valid = bool(status.valid)
            item.trusted = bool(status.trusted)
            item.coverage = _coverage(status)
            item.modified_after = item.coverage != "entire_file"
        except Exception as exc:
            logger.info("signature %s could not be validated: %s", item.field_name, exc)
            item.error = _("Chữ ký không kiểm tra được: %(error)s") % {"error": str(exc)[:200]}
        report.signatures.append(item)
    return report
