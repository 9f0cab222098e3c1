"""What the processes print: logging filters of ``settings.LOGGING``, and WeasyPrint's font configurations
released at exit.

Imported by the logging configuration (``django.setup()`` in the web, worker, beat and ``manage.py``
processes), which registers ``release_font_configurations`` with ``atexit`` in each of them.
"""

from __future__ import annotations

import atexit
import gc
import logging
import shutil


class OneLineClientErrors(logging.Filter):
    """A refused or bad request (4xx: a 403 from ``PermissionDenied``, a 400) is one line — what, where,
    and the reason given — not a traceback: it is the product working, not a fault. 5xx keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if record.exc_info and isinstance(status, int) and 400 <= status < 500:
            exc = record.exc_info[1]
            detail = " ".join(str(exc).split()) if exc is not None else ""
            message = record.getMessage()
            record.msg = f"{message} ({detail})" if detail and detail not in message else message
            record.args = ()
            record.exc_info = None
            record.exc_text = None
        return True


class Once(logging.Filter):
    """Each distinct message once per process (WeasyPrint repeats the same warning for every document)."""

    def __init__(self, name: str = "") -> None:
        super().__init__(name)
        self.seen: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR:
            return True
        key = record.getMessage()
        if key in self.seen:
            return False
        if len(self.seen) >= 1000:  # messages that name a URL are many: forget them now and then
            self.seen.clear()
        self.seen.add(key)
        return True


def release_font_configurations() -> None:
    """Remove the temporary font folders of WeasyPrint's live ``FontConfiguration`` objects while the
    interpreter is whole.

    The renderers keep one configuration per process (documents.outgoing.render, signing.appearance). Left
    to interpreter shutdown, its ``__del__`` runs after ``weasyprint.text.fonts`` is torn down and fails
    ("Exception ignored in: FontConfiguration.__del__ … TypeError"), leaving its folder in /tmp. Emptying
    ``_folder`` makes the later ``__del__`` a no-op.
    """
    import sys

    fonts = sys.modules.get("weasyprint.text.fonts")
    if fonts is None:  # the process rendered nothing
        return
    gc.collect()
    for obj in gc.get_objects():
        if isinstance(obj, fonts.FontConfiguration) and getattr(obj, "_folder", None):
            shutil.rmtree(obj._folder, ignore_errors=True)
            obj._folder = None


atexit.register(release_font_configurations)
