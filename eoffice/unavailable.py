"""A 503 "thử lại" page, not a 500, while the database (or the file store) is away.

When PostgreSQL restarts, the requests in flight fail with ``django.db.OperationalError`` (server closed
the connection, terminating connection due to administrator command, cannot connect) or
``InterfaceError`` (connection already closed). Each write runs in one ``transaction.atomic`` in its
service, so such a request has changed nothing: telling the person to try again is the truth. The next
request reconnects by itself (``CONN_HEALTH_CHECKS``; Django closes a connection that raised at the end of
the request), so the processes need no restart.

The error is raised in two places:

- in the view: ``process_exception`` answers it;
- in a middleware before the view (the session, the user, two-factor): Django turns it into a 500 inside
  that middleware's wrapper, so ``process_exception`` never sees it. The ``got_request_exception`` signal,
  sent there while the exception is being handled, marks the request, and the middleware (placed at the
  top, so that it wraps everything) replaces that 500 with the 503.

The page is rendered from ``templates/503.html`` with a plain context (no request, no context processor):
nothing on the way touches the database. Each occurrence is one log line, not a traceback.

A file store that is full or read-only (``eoffice.files.StorageUnavailable``, raised by the storage
backend) gets the same treatment where no form caught it: a 503 with its own message.
"""

from __future__ import annotations

import logging
import sys

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
UNAVAILABLE_ERRORS: tuple[type[BaseException], ...] = (OperationalError, InterfaceError)
_MARK = "_eoffice_unavailable"


def _storage_error() -> type[BaseException]:
    from eoffice.files import StorageUnavailable

    return StorageUnavailable


def _is_unavailable(exc: BaseException | None) -> bool:
    return isinstance(exc, (*UNAVAILABLE_ERRORS, _storage_error()))


def _summary(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:200]}"


def _mark_request(sender, request=None, **kwargs) -> None:
    """``got_request_exception``: remember on the request that it failed for want of the database."""
    exc = sys.exc_info()[1]
    if request is not None and _is_unavailable(exc):
        setattr(request, _MARK, exc)


class OneLineUnavailable(logging.Filter):
    """Django's "Internal Server Error" record of an unavailable database: one line, no traceback (the
    middleware answers 503; a restart would otherwise print a traceback for every request in flight)."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if _is_unavailable(exc):
            path = getattr(getattr(record, "request", None), "path", "")
            record.msg = "service unavailable (503) %s: %s"
            record.args = (path, _summary(exc))
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info = None
            record.exc_text = None
        return True


_filter = OneLineUnavailable()


def _retry_url(request) -> str:
    """Where "Thử lại" leads: the same page for a read; for a form sent, the page it was sent from."""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = request.headers.get("Referer", "")
    try:
        host = request.get_host()
    except Exception:  # DisallowedHost: the link stays on this site
        return "/"
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={host}, require_https=request.is_secure()
    ):
        return referer
    return "/"


def unavailable_response(request, exc: BaseException | None = None) -> HttpResponse:
    """The 503 answer: the full page, or a short fragment for htmx (which never swaps an error in, so the
    page being typed in is kept; ``HX-Trigger`` lets a script tell the person)."""
    storage = exc is not None and isinstance(exc, _storage_error())
    message = (
        _("Không lưu được tệp: bộ nhớ lưu trữ đã đầy hoặc không ghi được. Vui lòng báo quản trị hệ thống.")
        if storage
        else _("Hệ thống đang tạm gián đoạn, vui lòng thử lại sau ít phút.")
    )
    if request.headers.get("HX-Request") == "true":
        body = f'<p class="alert alert-error" role="alert">{message}</p>'
        response = HttpResponse(body, status=503, content_type="text/html; charset=utf-8")
        response.headers["HX-Trigger"] = "eoffice:unavailable"
    else:
        html = loader.get_template("503.html").render({"message": message, "retry_url": _retry_url(request)})
        response = HttpResponse(html, status=503, content_type="text/html; charset=utf-8")
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Second in ``MIDDLEWARE`` (after the request log): an unavailable database (or file store) is a 503
    "thử lại" page."""

    def __init__(self, get_response):
        self.get_response = get_response
        got_request_exception.connect(_mark_request, dispatch_uid="eoffice.unavailable.mark")
        request_logger = logging.getLogger("django.request")
        if _filter not in request_logger.filters:
            request_logger.addFilter(_filter)

    def __call__(self, request):
        try:
            response = self.get_response(request)
        except UNAVAILABLE_ERRORS as exc:  # only where DEBUG_PROPAGATE_EXCEPTIONS lets it through
            logger.warning("service unavailable (503) %s: %s", request.path, _summary(exc))
            return unavailable_response(request, exc)
        exc = getattr(request, _MARK, None)
        if exc is not None and response.status_code >= 500:
            return unavailable_response(request, exc)
        return response

    def process_exception(self, request, exception):
        if not _is_unavailable(exception):
            return None
        logger.warning("service unavailable (503) %s: %s", request.path, _summary(exception))
        return unavailable_response(request, exception)
