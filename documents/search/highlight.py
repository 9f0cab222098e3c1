"""Matched words marked in the original (diacritic) text, and a snippet of the full text around a match.

Every piece of text is escaped; only the ``<mark>`` tags we add are markup.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from eoffice.search import fold

WORD = re.compile(r"[^\W_]+")
Terms = Sequence[tuple[str, bool]]


def _matches(word: str, terms: Terms) -> bool:
    folded = fold(word)
    # A word of the text may hold several tokens of the index ("QĐ-UBND" is split by punctuation, but a
    # word like "v1" is one token): compare each alphanumeric run of the folded word.
    for piece in re.findall(r"[a-z0-9]+", folded) or [folded]:
        for token, prefix in terms:
            if piece == token or (prefix and piece.startswith(token)):
                return True
    return False


def highlight(text: str, terms: Terms) -> SafeString:
    """``text`` escaped, with every word that matches a query term inside ``<mark>``."""
    text = unicodedata.normalize("NFC", text or "")
    if not terms:
        return mark_safe(escape(text))  # noqa: S308 - escaped just above
    out: list[str] = []
    pos = 0
    for match in WORD.finditer(text):
        out.append(escape(text[pos : match.start()]))
        word = match.group()
        out.append(f"<mark>{escape(word)}</mark>" if _matches(word, terms) else escape(word))
        pos = match.end()
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped


def truncate(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a word boundary, with an ellipsis."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] or text[:limit]
    return cut.rstrip(" ,;:.-") + "…"


def _term_pattern(terms: Terms) -> re.Pattern:
    parts = [re.escape(token) + ("" if prefix else "(?![a-z0-9])") for token, prefix in terms]
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(parts) + ")")


def _original_offset(original: str, folded: str, index: int) -> int:
    """Where ``folded[index]`` comes from in ``original`` (``folded`` is ``fold(original)``)."""
    if len(original) == len(folded):
        return index  # the usual case: folding keeps one character for one (NFC Vietnamese text)
    seen = 0
    for i, ch in enumerate(original):
        seen += len(fold(ch))
        if seen > index:
            return i
    return len(original)


def _best_start(folded: str, terms: Terms, *, span: int, scan: int = 50_000) -> int | None:
    """Where the snippet should centre: the match with the most distinct terms within ``span``
    characters after it (the earliest of the best), in the first ``scan`` characters (else the first)."""
    pattern = _term_pattern(terms)
    matches = [(m.start(), m.group()) for m in pattern.finditer(folded, 0, scan)]
    if not matches:
        first = pattern.search(folded)
        return first.start() if first else None
    best, best_score = matches[0][0], 0
    for i, (start, _word) in enumerate(matches):
        distinct = set()
        for at, word in matches[i : i + 64]:
            if at - start > span:
                break
            distinct.add(word)
        if len(distinct) > best_score:
            best, best_score = start, len(distinct)
            if best_score == len(terms):
                break
    return best


def snippet(text: str, folded: str, terms: Terms, *, before: int = 70, after: int = 150) -> SafeString:
    """A short piece of ``text`` (the PDF text) around the best match, highlighted; empty if none."""
    if not text or not terms:
        return SafeString("")
    folded = folded or fold(text)
    found = _best_start(folded, terms, span=after)
    if found is None:
        return SafeString("")
    at = _original_offset(text, folded, found)
    start, end = max(0, at - before), min(len(text), at + after)
    # Whole words only (a word is not followed further than 30 characters).
    for _ in range(30):
        if start == 0 or text[start - 1].isspace():
            break
        start -= 1
    for _ in range(30):
        if end == len(text) or text[end].isspace():
            break
        end += 1
    piece = " ".join(text[start:end].split())
    body = highlight(piece, terms)
    return mark_safe(("… " if start > 0 else "") + body + (" …" if end < len(text) else ""))  # noqa: S308
