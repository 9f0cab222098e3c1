"""Where a request's time goes, measured inside the server: PDF rendering (WeasyPrint), signing (pyHanko and
the key load), verifying signatures, the database (every SQL statement), password hashing and the HTML
templates (Django's), reported per request in a
``Server-Timing`` header (``bench/actions.py`` reads it; "other" is the rest of the time the client waited).

Used only by the benchmark's settings ``bench/settings_actions.py``: ``ServerTimingMiddleware`` (first in
``MIDDLEWARE``) installs the wrappers once per process and opens a fresh account per request. The product's
code is not changed: the wrappers are put around library entry points (classes of WeasyPrint, pyHanko and
Django's password hashers, ``signing.backends.pkcs12_signer``, ``signing.verification.verify_pdf``: its
callers import it when they call it) and around the connection's
``execute_wrapper``.

Times are exclusive: a part called inside another (a query while a PDF is drawn, WeasyPrint's
``HTML.write_pdf`` calling ``HTML.render``) is counted once, in the innermost part, so the parts add up to at
most the request's time.
"""

from __future__ import annotations

import contextlib
import functools
import threading
import time
from collections.abc import Callable

PARTS = ("render", "sign", "verify", "db", "hash", "tpl")
HEADER = "Server-Timing"
_local = threading.local()
_installed: list[tuple[object, str, object]] = []  # (owner, attribute, its own value before, or None)
_install_lock = threading.Lock()


class Account:
    """The parts of one request: exclusive milliseconds per part, SQL statements counted."""

    def __init__(self) -> None:
        self.ms = dict.fromkeys(PARTS, 0.0)
        self.queries = 0
        self._children: list[float] = []  # per open frame: time spent in parts called inside it

    def measure(self, part: str, fn: Callable, *args, **kwargs):
        self._children.append(0.0)
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            inner = self._children.pop()
            self.ms[part] += elapsed - inner
            if self._children:
                self._children[-1] += elapsed

    def db(self, execute, sql, params, many, context):
        """A ``connection.execute_wrapper`` hook."""
        self.queries += 1
        return self.measure("db", execute, sql, params, many, context)

    def header(self, total_ms: float) -> str:
        items = [f"{part};dur={self.ms[part]:.2f}" for part in PARTS]
        items.append(f'queries;desc="{self.queries}"')
        items.append(f"app;dur={total_ms:.2f}")
        return ", ".join(items)


def current() -> Account | None:
    return getattr(_local, "account", None)


def timed(part: str, fn: Callable) -> Callable:
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        account = current()
        if account is None:
            return fn(*args, **kwargs)
        return account.measure(part, fn, *args, **kwargs)

    wrapper.__bench_timed__ = True
    return wrapper


def _wrap(owner, name: str, part: str) -> None:
    fn = getattr(owner, name, None)
    if fn is not None and not getattr(fn, "__bench_timed__", False):
        _installed.append((owner, name, vars(owner).get(name)))
        setattr(owner, name, timed(part, fn))


def targets() -> list[tuple[object, str, str]]:
    """(owner, attribute, part) of every wrapped entry point."""
    from django.conf import settings
    from django.template.backends.django import Template
    from django.utils.module_loading import import_string
    from pyhanko.sign import signers
    from weasyprint import HTML
    from weasyprint.document import Document

    from signing import backends, verification

    found = [
        (HTML, "render", "render"),
        (HTML, "write_pdf", "render"),
        (Document, "write_pdf", "render"),
        (signers.PdfSigner, "sign_pdf", "sign"),
        (backends, "pkcs12_signer", "sign"),  # the PKCS#12 key load (cached after the first use)
        (verification, "verify_pdf", "verify"),  # checking the signatures of a PDF (on delivery)
        (Template, "render", "tpl"),  # a page's HTML (the queries it runs lazily count as db)
    ]
    for path in settings.PASSWORD_HASHERS:
        hasher = import_string(path)
        found += [(hasher, "verify", "hash"), (hasher, "encode", "hash")]
    return found


def install() -> None:
    """Wrap the entry points (once per process)."""
    with _install_lock:
        if _installed:
            return
        for owner, name, part in targets():
            _wrap(owner, name, part)


def uninstall() -> None:
    """Put the entry points back as they were (the tests: nothing stays wrapped for the next ones)."""
    with _install_lock:
        while _installed:
            owner, name, own = _installed.pop()
            if own is None:
                delattr(owner, name)  # it was inherited
            else:
                setattr(owner, name, own)


@contextlib.contextmanager
def recording():
    """Account for the parts of what runs inside (this thread, this database connection)."""
    from django.db import connection

    install()
    account = Account()
    _local.account = account
    try:
        with connection.execute_wrapper(account.db):
            yield account
    finally:
        _local.account = None


class ServerTimingMiddleware:
    """First in MIDDLEWARE: times the whole stack below it and adds the ``Server-Timing`` header."""

    def __init__(self, get_response):
        install()
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        with recording() as account:
            response = self.get_response(request)
        response[HEADER] = account.header((time.perf_counter() - started) * 1000)
        return response


def parse(header: str) -> dict:
    """``Server-Timing`` → {"render": ms, "sign": ms, "db": ms, "hash": ms, "app": ms, "queries": n}."""
    out: dict = {}
    for item in (header or "").split(","):
        name, *params = (p.strip() for p in item.split(";"))
        if not name:
            continue
        for param in params:
            key, _sep, value = param.partition("=")
            if key == "dur":
                out[name] = float(value)
            elif key == "desc" and name == "queries":
                out[name] = int(value.strip('"'))
    return out
