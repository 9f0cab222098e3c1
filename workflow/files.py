"""Validation of uploaded files by their content (magic bytes), size and SHA-256."""

from __future__ import annotations

import hashlib
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ALLOWED_EXTENSIONS = {
    "pdf": "pdf",
    "png": "png",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "gif": "gif",
    "webp": "webp",
    "docx": "docx",
    "xlsx": "xlsx",
}


def sniff(head: bytes, file) -> str | None:
    """The kind of file by its first bytes (and, for Office files, the zip entries)."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"PK\x03\x04"):
        try:
            file.seek(0)
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        if "[Content_Types].xml" in names:
            if any(n.startswith("word/") for n in names):
                return "docx"
            if any(n.startswith("xl/") for n in names):
                return "xlsx"
    return None


def validate_upload(file) -> None:
    """PDF, images, .docx and .xlsx only, recognised by content; at most EOFFICE_MAX_UPLOAD_MB."""
    if file is None:
        return
    limit = settings.EOFFICE_MAX_UPLOAD_MB * 1024 * 1024
    if file.size > limit:
        raise ValidationError(
            _("Tệp không được lớn hơn %(mb)d MB.") % {"mb": settings.EOFFICE_MAX_UPLOAD_MB}, code="too_large"
        )
    if file.size == 0:
        raise ValidationError(_("Tệp rỗng."), code="empty")
    extension = file.name.rsplit(".", 1)[-1].lower() if "." in file.name else ""
    try:
        file.seek(0)
        head = file.read(16)
        kind = sniff(head, file)
    finally:
        file.seek(0)
    if kind is None or ALLOWED_EXTENSIONS.get(extension) != kind:
        raise ValidationError(
            _("Chỉ chấp nhận tệp PDF, ảnh (PNG, JPEG, GIF, WEBP), Word (.docx) hoặc Excel (.xlsx)."),
            code="bad_type",
        )


def sha256_of(file) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(65536), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()
