"""Validation of uploaded files by their content and SHA-256. The content check is the core's one
(:mod:`eoffice.uploads`); these names stay for the apps that import them."""

from __future__ import annotations

import hashlib

from eoffice import uploads


def sniff(head: bytes, file) -> str | None:
    """The kind of file by its content (``head`` is ignored: the file is read from its start)."""
    return uploads.sniff(file)


def validate_upload(file) -> None:
    """PDF, images, .docx and .xlsx only, recognised and checked by content; at most
    EOFFICE_MAX_UPLOAD_MB; the name's extension agrees with the content."""
    uploads.check_upload(file, kinds=uploads.ATTACHMENT_KINDS)


def sha256_of(file) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(65536), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()
