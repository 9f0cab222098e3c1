"""Checking uploads by content (the core's one check, :mod:`eoffice.uploads`): the document itself (PDF,
or scanned images turned into one PDF) and attachments; SHA-256; stored files removed again when the
transaction that saved them rolls back."""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from eoffice import uploads as checks

logger = logging.getLogger(__name__)

IMAGE_KINDS = {"png", "jpeg"}  # the scans merged into a PDF


@dataclass
class MainFile:
    data: bytes
    name: str
    sha256: str
    pages: int
    converted: bool = False


def _limit() -> int:
    return settings.EOFFICE_MAX_UPLOAD_MB * 1024 * 1024


def _read(upload) -> bytes:
    if upload.size > _limit():
        raise ValidationError(
            _("Tệp “%(name)s” lớn hơn %(mb)d MB.")
            % {"name": upload.name, "mb": settings.EOFFICE_MAX_UPLOAD_MB},
            code="too_large",
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if not data:
        raise ValidationError(_("Tệp “%(name)s” rỗng.") % {"name": upload.name}, code="empty")
    return data


def kind_of(data: bytes) -> str | None:
    kind = checks.kind_of_head(data[:1024])
    return kind if kind in {"pdf", *IMAGE_KINDS} else None


def pdf_pages(data: bytes) -> int:
    """Open the PDF and count its pages; a damaged or password-protected file is refused."""
    return checks.pdf_pages(data)


def check_scans(images: Sequence[bytes]) -> None:
    """Each scan's pixel count read from its header (no decoding), within the scan limit, and all of
    them together within what may be merged in memory."""
    total = 0
    for data in images:
        _fmt, width, height = checks.image_size(io.BytesIO(data), max_pixels=checks.SCAN_MAX_PIXELS)
        total += width * height
    if total > checks.MERGE_MAX_PIXELS:
        raise ValidationError(
            _(
                "Các ảnh quét có tổng kích thước quá lớn để ghép thành một tệp PDF. "
                "Vui lòng quét ở 300 dpi, hoặc tải lên một tệp PDF."
            ),
            code="too_many_pixels",
        )


def images_to_pdf(images: Sequence[bytes]) -> bytes:
    from PIL import Image

    check_scans(images)
    frames = []
    try:
        for data in images:
            image = Image.open(io.BytesIO(data))
            image.load()
            frames.append(image.convert("RGB"))
    except Exception as exc:  # a damaged image raises many different exception types
        raise ValidationError(_("Ảnh quét bị hỏng, không đọc được."), code="damaged") from exc
    out = io.BytesIO()
    frames[0].save(out, format="PDF", save_all=True, append_images=frames[1:], resolution=150.0)
    return out.getvalue()


def prepare_main_file(uploads: Sequence) -> MainFile:
    """One PDF, or one or more scanned images (PNG, JPEG) converted to a single PDF."""
    if not uploads:
        raise ValidationError(_("Vui lòng chọn tệp văn bản."), code="required")
    blobs = [(_read(u), u.name) for u in uploads]
    kinds = [kind_of(data) for data, _name in blobs]
    if kinds == ["pdf"]:
        data, name = blobs[0]
        return MainFile(data=data, name=name, sha256=sha256_bytes(data), pages=pdf_pages(data))
    if kinds and all(k in IMAGE_KINDS for k in kinds):
        data = images_to_pdf([d for d, _n in blobs])
        if len(data) > _limit():
            raise ValidationError(_("Tệp PDF tạo từ ảnh quét quá lớn."), code="too_large")
        name = blobs[0][1].rsplit(".", 1)[0] + ".pdf"
        return MainFile(data=data, name=name, sha256=sha256_bytes(data), pages=len(blobs), converted=True)
    if "pdf" in kinds:
        raise ValidationError(_("Chỉ chọn một tệp PDF, hoặc một hay nhiều ảnh quét."), code="mixed")
    raise ValidationError(
        _("Tệp văn bản phải là PDF hoặc ảnh quét (PNG, JPEG); kiểu tệp được kiểm tra theo nội dung."),
        code="bad_type",
    )


def check_attachment(upload) -> str:
    """Validate an attachment by content (the core's one check: PDF, images, .docx, .xlsx); its SHA-256."""
    from workflow.files import sha256_of

    checks.check_upload(upload, kinds=checks.ATTACHMENT_KINDS)
    return sha256_of(upload)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@contextmanager
def removed_on_error() -> Iterator[list[str]]:
    """Collect stored names; if the block raises (the transaction rolled back), delete those files."""
    names: list[str] = []
    try:
        yield names
    except BaseException:
        for name in names:
            try:
                default_storage.delete(name)
            except OSError:  # pragma: no cover - best effort
                logger.warning("could not remove %s after rollback", name)
        raise
