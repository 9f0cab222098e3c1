"""The search box's words → a PostgreSQL ``tsquery`` over the folded ``simple`` vectors, built safely.

Rules (the text is folded first: "Quyết định" → "quyet dinh", "QĐ" → "qd"):

- words are ANDed: ``quyet dinh`` → ``quyet & dinh:*``;
- a chain of tokens joined by punctuation is a phrase: ``123/QĐ-UBND`` → ``123 <-> qd <-> ubnd:*``;
- the last token of each chain, and the last plain word, is a prefix: "123/QĐ" finds "123/QĐ-UBND",
  "dau t" finds "đầu tư";
- quoted text is an exact phrase: ``"ke hoach"`` → ``ke <-> hoach``.

Only ``[a-z0-9]+`` tokens ever reach the tsquery text (the rest of the input is dropped), so no input can
change its syntax; the text is passed as a parameter of ``to_tsquery`` (``SearchQuery(search_type="raw")``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from eoffice.search import fold

MAX_INPUT = 300
MIN_PREFIX = 3
MAX_GROUPS = 12
MAX_TOKENS = 24
MAX_TOKEN_LENGTH = 60

TOKEN = re.compile(r"[a-z0-9]+")


class QueryError(ValueError):
    """The text holds nothing to search for (only punctuation, for example)."""


EMPTY_MESSAGE = _("Từ khóa cần có ít nhất một chữ hoặc một chữ số.")


@dataclass(frozen=True)
class Group:
    """Tokens that must follow each other (one token: a single word); ``prefix``: the last one is a prefix."""

    tokens: tuple[str, ...]
    prefix: bool

    def tsquery(self, weight: str = "") -> str:
        parts = []
        for i, token in enumerate(self.tokens):
            last = i == len(self.tokens) - 1
            mark = ("*" if (last and self.prefix) else "") + weight
            parts.append(f"{token}:{mark}" if mark else token)
        text = " <-> ".join(parts)
        return f"({text})" if len(parts) > 1 else text


@dataclass(frozen=True)
class ParsedQuery:
    groups: tuple[Group, ...]

    def tsquery(self, weight: str = "") -> str:
        """The tsquery text; ``weight="A"`` keeps only matches in the metadata (number, summary …)."""
        return " & ".join(g.tsquery(weight) for g in self.groups)

    def search_query(self, weight: str = "") -> SearchQuery:
        return SearchQuery(self.tsquery(weight), search_type="raw", config="simple")

    @property
    def terms(self) -> tuple[tuple[str, bool], ...]:
        """(token, is_prefix) of every token, for highlighting."""
        seen: dict[str, bool] = {}
        for group in self.groups:
            for i, token in enumerate(group.tokens):
                prefix = group.prefix and i == len(group.tokens) - 1
                seen[token] = seen.get(token, False) or prefix
        return tuple(seen.items())


def _tokens(text: str) -> list[str]:
    return [t[:MAX_TOKEN_LENGTH] for t in TOKEN.findall(text)]


def parse(text: str) -> ParsedQuery:
    """Parse the search box; ``QueryError`` when nothing searchable is left."""
    folded = fold(unicodedata.normalize("NFC", text or ""))[:MAX_INPUT]
    groups: list[Group] = []
    # Between quotes (odd parts): exact phrases; outside: words and chains. An unclosed quote runs to the end.
    for index, part in enumerate(folded.split('"')):
        if index % 2:
            tokens = _tokens(part)
            if tokens:
                groups.append(Group(tuple(tokens), prefix=False))
            continue
        chunks = [_tokens(chunk) for chunk in part.split()]
        chunks = [c for c in chunks if c]
        for n, tokens in enumerate(chunks):
            # A chain's last token is a prefix; so is the last plain word of the run when it has at least
            # MIN_PREFIX characters ("so:*" alone would open thousands of words of the index).
            prefix = len(tokens) > 1 or (n == len(chunks) - 1 and len(tokens[0]) >= MIN_PREFIX)
            groups.append(Group(tuple(tokens), prefix=prefix))
    unique: list[Group] = []
    count = 0
    for group in groups:
        if group in unique:
            continue
        if len(unique) >= MAX_GROUPS or count + len(group.tokens) > MAX_TOKENS:
            break
        unique.append(group)
        count += len(group.tokens)
    if not unique:
        raise QueryError(str(EMPTY_MESSAGE))
    return ParsedQuery(tuple(unique))


def try_parse(text: str) -> ParsedQuery | None:
    try:
        return parse(text)
    except QueryError:
        return None


def matches_q(text: str) -> Q | None:
    """The filter of a list's search field: the document's vector matches ``text`` (None: nothing to
    search for). Lists and the search page use the same rules."""
    parsed = try_parse(text)
    if parsed is None:
        return None
    return Q(search_vector=parsed.search_query())


def symbol_prefilter(text: str) -> SearchQuery | None:
    """The candidates of a number and symbol search, for the GIN index ("123/QĐ" → ``123``);
    ``symbol_pattern`` then checks the number column itself, so this only finds a superset, cheaply:

    - the whole tokens (all but the last) ANDed, without weight and without phrase: a weight or a phrase
      makes PostgreSQL re-read the whole vector of each candidate (metadata and PDF text), a plain AND not;
    - the last token, a prefix, only when no whole token has MIN_PREFIX characters: a prefix such as
      ``qd:*`` unites the posting lists of every word starting with "qd" — one in ten documents at a
      million — while the number ``123`` alone names a handful."""
    tokens = _tokens(fold(unicodedata.normalize("NFC", text or ""))[:MAX_INPUT])[:MAX_TOKENS]
    if not tokens:
        return None
    whole = list(dict.fromkeys(tokens[:-1]))
    parts = whole if any(len(t) >= MIN_PREFIX for t in whole) else [*whole, f"{tokens[-1]}:*"]
    return SearchQuery(" & ".join(parts), search_type="raw", config="simple")


def symbol_pattern(text: str) -> str | None:
    """A regular expression over a folded number and symbol: the tokens in order, separated by
    punctuation, starting at a token, the last one a prefix ("123/QĐ" → ``(^|[^a-z0-9])123[^a-z0-9]+qd``)."""
    tokens = _tokens(fold(unicodedata.normalize("NFC", text or ""))[:MAX_INPUT])[:MAX_TOKENS]
    if not tokens:
        return None
    return "(^|[^a-z0-9])" + "[^a-z0-9]+".join(tokens)
