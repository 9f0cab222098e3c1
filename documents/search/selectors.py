"""Reads of the search page: the combined, ranked, permission-filtered search and the saved searches.

Query count of a results page, whatever the number of matches: one COUNT over the UNION, one page of the
UNION (ranked, LIMIT/OFFSET), then per kind on the page one query for the records and, when a match is in
the PDF text only, one for their texts (the snippets).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from documents.models import SavedSearch
from documents.search import highlight, sources
from documents.search.sources import Criteria, SearchResult

PAGE_SIZE = 20
EXPORT_LIMIT = 5000

ORDERS = {
    "": ("-meta_hit", "-rank", "-doc_date", "-oid"),
    "newest": ("-doc_date", "-oid"),
    "oldest": ("doc_date", "oid"),
}


def _parts(*, user, criteria: Criteria) -> list[QuerySet]:
    return [qs for s in sources.sources() if (qs := s.queryset(user, criteria)) is not None]


def _union(parts: list[QuerySet]) -> QuerySet:
    return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]


def combined(*, user, criteria: Criteria) -> QuerySet | None:
    """Every source's matching rows in one ``UNION ALL`` query, ordered (None: no source can match)."""
    parts = _parts(user=user, criteria=criteria)
    if not parts:
        return None
    sort = criteria.sort if criteria.sort in ORDERS else ""
    if criteria.query is None and not sort:
        sort = "newest"  # no words: nothing to rank by
    return _union(parts).order_by(*ORDERS[sort])


class _Rows:
    """What the paginator pages: COUNT(*) over the union (of the ids only: no rank computed), and a slice
    of the ranked union (LIMIT/OFFSET)."""

    def __init__(self, *, user, criteria: Criteria):
        self.user, self.criteria = user, criteria

    def count(self) -> int:
        parts = _parts(user=self.user, criteria=self.criteria)
        return _union([p.values("oid") for p in parts]).count() if parts else 0

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        qs = combined(user=self.user, criteria=self.criteria)
        return list(qs[key]) if qs is not None else []


def _load(user, rows: Sequence[dict], criteria: Criteria) -> list[SearchResult]:
    """The records of ``rows`` (one query per kind), highlighted; snippets for full-text matches."""
    by_kind: dict[str, list[int]] = {}
    for row in rows:
        by_kind.setdefault(row["kind"], []).append(row["oid"])
    loaded: dict[tuple[str, int], SearchResult] = {}
    texts: dict[tuple[str, int], tuple[str, str]] = {}
    terms = criteria.query.terms if criteria.query is not None else ()
    for kind, pks in by_kind.items():
        source = sources.get(kind)
        if source is None:
            continue
        for pk, result in source.load(user, pks).items():
            loaded[(kind, pk)] = result
        need_text = [r["oid"] for r in rows if r["kind"] == kind and terms and not r["meta_hit"]]
        if need_text:
            for pk, content, folded in source.model.objects.filter(pk__in=need_text).values_list(
                "pk", "text_content", "text_folded"
            ):
                texts[(kind, pk)] = (content, folded)
    results = []
    for row in rows:
        result = loaded.get((row["kind"], row["oid"]))
        if result is None:
            continue  # gone between the two queries
        result.meta_hit, result.rank = row["meta_hit"], row["rank"]
        result.number_html = highlight.highlight(result.number_symbol, terms)
        result.summary_html = highlight.highlight(highlight.truncate(result.summary, 320), terms)
        result.issuer_html = highlight.highlight(result.issuer, terms)
        result.doc_type_html = highlight.highlight(result.doc_type, terms)
        content, folded = texts.get((row["kind"], row["oid"]), ("", ""))
        if content:
            result.snippet_html = highlight.snippet(content, folded, terms)
        results.append(result)
    return results


def search_page(*, user, criteria: Criteria, page: str | int | None = 1) -> Page:
    """One page of results (``page.object_list``: ``SearchResult``), with the total count."""
    paginator = Paginator(_Rows(user=user, criteria=criteria), PAGE_SIZE)
    current = paginator.get_page(page)
    current.object_list = _load(user, list(current.object_list), criteria)
    return current


def search_all(*, user, criteria: Criteria, limit: int | None = None) -> tuple[list[SearchResult], bool]:
    """Up to ``limit`` (``EXPORT_LIMIT``) results for the export, and whether there were more."""
    limit = limit or EXPORT_LIMIT
    qs = combined(user=user, criteria=criteria)
    if qs is None:
        return [], False
    rows = list(qs[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    by_kind: dict[str, list[int]] = {}
    for row in rows:
        by_kind.setdefault(row["kind"], []).append(row["oid"])
    loaded: dict[tuple[str, int], SearchResult] = {}
    for kind, pks in by_kind.items():
        source = sources.get(kind)
        if source is not None:
            loaded.update({(kind, pk): r for pk, r in source.load(user, pks).items()})
    return [loaded[(r["kind"], r["oid"])] for r in rows if (r["kind"], r["oid"]) in loaded], more


# --- saved searches -----------------------------------------------------------------------------------


def saved_searches(*, user) -> QuerySet[SavedSearch]:
    return SavedSearch.objects.filter(user=user).order_by("name", "id")


def saved_search_get(*, user, pk: int) -> SavedSearch:
    """The user's own saved search; 404 for anybody else's."""
    return get_object_or_404(SavedSearch, pk=pk, user=user)
