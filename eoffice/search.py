"""Vietnamese folding for search: NFC, drop combining marks, đ→d, lower case."""

import unicodedata


def fold(text: str) -> str:
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).replace("đ", "d").replace("Đ", "D").lower()


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
