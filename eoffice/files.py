"""Stored files: the local storage backend that turns a full or read-only disk into a clear message, and
serving stored files only after a permission check. The sweep of orphaned files is ``eoffice.orphans``."""

from __future__ import annotations

import contextlib
import errno
import logging
import mimetypes
import os
import threading

from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy

logger = logging.getLogger(__name__)

# The errors that mean "the store cannot take this file now" (full, over quota, read-only, refused,
# failing), as opposed to a bug (a missing temporary file, a name that is a directory).
STORAGE_ERRNOS = frozenset(
    {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO, errno.EFBIG}
)
STORAGE_MESSAGE = gettext_lazy(
    "Không lưu được tệp: bộ nhớ lưu trữ đã đầy hoặc không ghi được. Vui lòng báo quản trị hệ thống."
)


class StorageUnavailable(ValidationError):
    """The file store is full or unwritable. A ValidationError, so that every form and service that shows
    a service's ValidationError shows this message (the transaction around it rolls back); where nothing
    catches it, ``eoffice.unavailable`` answers 503 with the same message."""

    def __init__(self):
        super().__init__(STORAGE_MESSAGE, code="storage_unavailable")


class LocalStorage(FileSystemStorage):
    """Django's FileSystemStorage (``STORAGES["default"]``), with two changes when the disk refuses a write
    (ENOSPC, EROFS, EACCES, ...): the partly written file is removed at once, and the error becomes
    :class:`StorageUnavailable` instead of an OSError that would be a 500."""

    _local = threading.local()

    def get_available_name(self, name, max_length=None):
        # Called inside _save only when another process took the name meanwhile: the file at the first
        # name is then not ours, and must not be removed on a failure.
        if getattr(self._local, "saving", False):
            self._local.renamed = True
        return super().get_available_name(name, max_length=max_length)

    def _save(self, name, content):
        full_path = self.path(name)
        existed = os.path.lexists(full_path)
        self._local.saving, self._local.renamed = True, False
        try:
            return super()._save(name, content)
        except OSError as exc:
            if exc.errno not in STORAGE_ERRNOS:
                raise
            if not existed and not self._local.renamed:
                # never created, or the store refuses even that: the sweep removes it later
                with contextlib.suppress(OSError):
                    os.unlink(full_path)
            logger.error(
                "file store refused a write (%s): %s", errno.errorcode.get(exc.errno, exc.errno), exc
            )
            raise StorageUnavailable() from exc
        finally:
            self._local.saving = False


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
