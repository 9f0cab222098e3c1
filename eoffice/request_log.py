"""The request log: one line per request on the logger ``eoffice.request``, and the JSON formatter used for
every log line when ``LOG_FORMAT=json``.

A line holds the method, the path (never the query string: a search or a tracking code can be personal
data), the status, the duration in milliseconds, the user's id (never the name or e-mail), the request id
and the client address (``eoffice.client_ip``). Request bodies, headers, cookies and the session are never
read for it, so passwords, PINs, CSRF tokens and session ids cannot reach the log.

The request id comes from the proxy's ``X-Request-ID`` when it is a plain token (nginx ``$request_id``),
otherwise a new one; it is echoed in the response's ``X-Request-ID`` and added to every log line written
while the request runs (``RequestIdFilter``), so one request's lines can be found together.

Health probes and static files are logged at DEBUG only (a probe every few seconds would drown the rest).

Imported by the logging configuration (``django.setup()``): nothing here may import models at module level.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import time
import uuid

from django.conf import settings

from eoffice.client_ip import client_address

logger = logging.getLogger("eoffice.request")

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("eoffice_request_id", default=None)
_VALID_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
_QUIET_PATHS = ("/healthz", "/readyz", "/favicon.ico")


def _quiet(path: str) -> bool:
    static = settings.STATIC_URL or "/static/"
    if not static.startswith("/"):
        static = "/" + static
    return path.startswith(static) or path.rstrip("/") in _QUIET_PATHS


def _user_id(request) -> int | None:
    user = getattr(request, "user", None)
    if user is None:
        return None
    try:
        return user.pk if user.is_authenticated else None
    except Exception:  # noqa: BLE001 - the session or the database failed: the line is still written
        return None


class RequestLogMiddleware:
    """Logs each request once it is answered; sets and echoes its ``X-Request-ID``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = given if _VALID_ID.fullmatch(given) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
            response.headers["X-Request-ID"] = request_id
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            path = request.path
            user_id = _user_id(request)
            client = client_address(request)
            logger.log(
                logging.DEBUG if _quiet(path) else logging.INFO,
                "%s %s %s %.1fms user=%s client=%s",
                request.method,
                path,
                response.status_code,
                duration_ms,
                user_id if user_id is not None else "-",
                client,
                extra={
                    "method": request.method,
                    "path": path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                    "user_id": user_id,
                    "client": client,
                    "request_id": request_id,
                },
            )
            return response
        finally:
            _request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to each line written while a request runs (None outside one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            # django.request logs a 4xx/5xx after the middleware returned: its record carries the request
            record.request_id = _request_id.get() or getattr(
                getattr(record, "request", None), "request_id", None
            )
        return True


# The attributes every LogRecord has: anything else was passed as ``extra`` and goes into the JSON line.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}
# Extras that are objects, not values: Django's ``django.request`` passes the request itself, whose text
# carries the query string. Only plain values are written.
_PLAIN = (str, int, float, bool, type(None))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ``ts`` (UTC, ISO 8601), ``level``, ``logger``, ``msg``, then the plain
    ``extra`` values (``request_id``, and the request line's fields), and ``exc`` with a traceback."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in line and isinstance(value, _PLAIN):
                line[key] = value
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exc"] = record.exc_text
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)
