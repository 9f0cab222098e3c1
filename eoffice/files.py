"""Serving stored files only after a permission check."""

from __future__ import annotations

import logging
import mimetypes

from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header

logger = logging.getLogger(__name__)


def serve_field_file(
    field_file, *, filename: str | None = None, inline: bool = True, mark_for=None
) -> FileResponse | HttpResponse:
    """The stored file after the caller's permission check. With ``mark_for`` (a user) a PDF is served as
    a copy carrying the print mark (``eoffice.output.printmark``: who, when, "Bản in từ hệ thống"), added
    as an incremental update so its signatures stay valid; the stored file is only read."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    name = filename or field_file.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if mark_for is not None and (
        content_type == "application/pdf" or field_file.name.lower().endswith(".pdf")
    ):
        marked = _marked(handle, user=mark_for)
        if marked is not None:
            response = HttpResponse(marked, content_type="application/pdf")
            response.headers["Content-Disposition"] = content_disposition_header(not inline, name)
            response.headers["Cache-Control"] = "private, no-store"
            response.headers["X-Content-Type-Options"] = "nosniff"
            return response
        handle = field_file.open("rb")
    response = FileResponse(handle, as_attachment=not inline, filename=name, content_type=content_type)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def mark_bytes(data: bytes, *, user) -> bytes:
    """PDF bytes with the print mark for ``user`` (the bytes unchanged when they cannot be marked)."""
    import io

    marked = _marked(io.BytesIO(data), user=user)
    return data if marked is None else marked


def _marked(handle, *, user) -> bytes | None:
    """The file's bytes with the print mark, or None when it cannot be marked (not a PDF, damaged,
    encrypted): the caller then serves the file as stored."""
    from eoffice.output.printmark import PrintMarkError, mark_pdf

    try:
        data = handle.read()
    finally:
        handle.close()
    if b"%PDF-" not in data[:1024]:
        return None
    try:
        return mark_pdf(data, user=user)
    except PrintMarkError:
        logger.warning("print mark not added: the PDF cannot be marked", exc_info=True)
        return None
