"""Vietnamese folding for search: NFC, drop combining marks, đ→d, lower case."""

import unicodedata
from functools import cache


def fold(text: str) -> str:
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).replace("đ", "d").replace("Đ", "D").lower()


_COMBINING_MARKS = "\u0300\u0301\u0302\u0303\u0306\u0309\u031b\u0323"


@cache
def _fold_table() -> tuple[str, str]:
    """The arguments of SQL ``translate()`` that fold Vietnamese like ``fold``: every accented Latin letter
    to its base letter, ``đ`` to ``d``, stray combining marks (text stored decomposed) dropped."""
    source, target = [], []
    for point in [*range(0xC0, 0x250), *range(0x1EA0, 0x1EFA)]:
        char = chr(point)
        folded = fold(char)
        if len(folded) == 1 and folded.isascii() and folded != char:
            source.append(char)
            target.append(folded)
    return "".join(source) + _COMBINING_MARKS, "".join(target)


def fold_sql(*fields: str):
    """``fold`` of the fields (joined by a space) inside the query, for tables without a stored folded
    column (no PostgreSQL extension needed)."""
    from django.db.models import F, Func, Value
    from django.db.models.functions import Concat, Lower

    parts: list = []
    for name in fields:
        parts += [F(name), Value(" ")]
    source, target = _fold_table()
    text = Concat(*parts[:-1]) if len(fields) > 1 else F(fields[0])
    return Func(Lower(text), Value(source), Value(target), function="TRANSLATE")


# The search page of the top-bar search box: an app registers its URL name (the core imports no app).
_SEARCH_PAGE: list[str] = []


def register_search_page(url_name: str) -> None:
    """The page the top-bar box sends its ``q`` to (the last registration wins)."""
    _SEARCH_PAGE[:] = [url_name]


def search_page_url() -> str:
    """The URL of the registered search page, or "" when none is registered (no box is shown)."""
    from django.urls import NoReverseMatch, reverse

    if not _SEARCH_PAGE:
        return ""
    try:
        return reverse(_SEARCH_PAGE[0])
    except NoReverseMatch:
        return ""
