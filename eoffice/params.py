"""Integers typed by people or bots: page numbers, ids and years from a query string or a posted field.

One parser for all of them, so that no page reaches PostgreSQL with a number it cannot hold (an ``OFFSET``
past ``bigint``, an ``integer`` column compared with 10²⁰) or calls ``int()`` on what ``str.isdigit()``
accepts but ``int()`` refuses (``"²"``). Only ASCII digits count; anything else is "no value".
"""

from __future__ import annotations

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext

PG_INTEGER_MAX = 2**31 - 1
PG_BIGINT_MAX = 2**63 - 1
MAX_PAGE = 1_000_000
"""Far past any real list: a larger page number shows the last page, as ``Paginator.get_page`` does."""

_MAX_DIGITS = len(str(PG_BIGINT_MAX))


def _digits(raw) -> int | None:
    """``raw`` (a string, an int, or None) as a non-negative int when it is only ASCII digits."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw if raw >= 0 else None
    if not isinstance(raw, str):
        return None
    raw = raw.strip()
    if not raw or not raw.isascii() or not raw.isdigit():
        return None
    if len(raw.lstrip("0")) > _MAX_DIGITS:
        return PG_BIGINT_MAX + 1  # out of every range below; never converts a huge string
    return int(raw)


def int_param(raw, *, default: int | None = None, min_value: int = 0, max_value: int = PG_BIGINT_MAX):
    """An integer query parameter or posted field: ``raw`` if it is ASCII digits within
    ``[min_value, max_value]``, otherwise ``default``. Ids take the default bounds (``bigint`` keys);
    pass ``max_value=PG_INTEGER_MAX`` (or tighter) for ``integer`` columns."""
    value = _digits(raw)
    if value is None or not min_value <= value <= max_value:
        return default
    return value


def page_number(raw) -> int:
    """A page number from ``?page=``: 1 when missing or malformed, at most ``MAX_PAGE`` (past the end, the
    list shows its last page)."""
    value = _digits(raw)
    if value is None or value < 1:
        return 1
    return min(value, MAX_PAGE)


class NulBytesMiddleware:
    """A NUL byte in the path or the query string is a malformed request: 400 before any view runs.

    No page needs one, Django's forms refuse them, and a PostgreSQL text value cannot hold one (a lookup
    with it fails the query: a 500 wherever a path or query value reaches SQL without a form, as the
    admin's list filters do).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path_info or "%00" in query or "\x00" in query:
            return HttpResponseBadRequest(
                gettext("Yêu cầu không hợp lệ: địa chỉ chứa ký tự NUL."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
