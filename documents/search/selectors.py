"""Reads of the search page: the combined, ranked, permission-filtered search and the saved searches.

Query count of a results page, whatever the number of matches: one page of the UNION (ranked,
LIMIT/OFFSET) with the number of all matches beside it (``COUNT(*) OVER ()``), then per kind on the page
one query for the records and, when a match is in the PDF text only, one for their texts (the snippets).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from documents.models import SavedSearch
from documents.search import highlight, sources
from documents.search.sources import Criteria, SearchResult
from eoffice.db import Counted
from eoffice.db_router import read_alias
from eoffice.params import page_number

PAGE_SIZE = 20
EXPORT_LIMIT = 5000

ORDERS = {
    "": ("-meta_hit", "-rank", "-doc_date", "-oid"),
    "newest": ("-doc_date", "-oid"),
    "oldest": ("doc_date", "oid"),
    "kind": ("kind", "-doc_date", "-oid"),
}


def _parts(*, user, criteria: Criteria) -> list[QuerySet]:
    return [
        qs
        for s in sources.sources()
        if (s.metadata or not criteria.has_metadata) and (qs := s.queryset(user, criteria)) is not None
    ]


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


def _page_rows(*, user, criteria: Criteria, offset: int) -> tuple[list[dict], int, bool]:
    """One page of the ranked union, the number of matches and whether a kind filled its ranking window
    (``sources.RANK_WINDOW``), in one query: the ranking reads every match anyway, so counting them beside
    it costs nothing more, whereas a separate COUNT ran the whole search a second time."""
    parts = _parts(user=user, criteria=criteria)
    if not parts:
        return [], 0, False
    sort = criteria.sort if criteria.sort in ORDERS else ""
    if criteria.query is None and not sort:
        sort = "newest"  # no words: nothing to rank by
    order = ", ".join(f"{key.lstrip('-')} {'DESC' if key.startswith('-') else 'ASC'}" for key in ORDERS[sort])
    try:
        sql, params = _union(parts).query.sql_with_params()
    except EmptyResultSet:
        return [], 0, False
    columns = ", ".join(sources.COLUMNS)
    # Django compiles the union; every value stays a parameter, and ``order`` comes from ORDERS.
    sql = (
        f"WITH matches AS ({sql}) SELECT {columns}, "  # noqa: S608
        "(SELECT COUNT(*) FROM matches), "
        "(SELECT COALESCE(MAX(n), 0) FROM (SELECT COUNT(*) AS n FROM matches GROUP BY kind) AS per_kind) "
        f"FROM matches ORDER BY {order} LIMIT %s OFFSET %s"
    )
    with connections[read_alias()].cursor() as cursor:
        cursor.execute(sql, [*params, PAGE_SIZE, offset])
        fetched = cursor.fetchall()
    total, most = (fetched[0][-2], fetched[0][-1]) if fetched else (0, 0)
    ranked_window = criteria.query is not None and not criteria.sort
    capped = ranked_window and most >= sources.RANK_WINDOW
    return [dict(zip(sources.COLUMNS, row[:-2], strict=True)) for row in fetched], total, capped


def _enrich(user, results: Sequence[SearchResult], columns: Sequence[str]) -> None:
    """The chosen columns that need other tables, one query each whatever the number of results: the case
    files of the agency that hold each record (Phụ lục VI Phần II "mã hồ sơ"), the recipients of each
    outgoing document (its delivery list; the printed "nơi nhận" when it has none)."""
    from django.db.models import Q

    if not results:
        return
    if "case_files" in columns:
        from documents.records.models import CaseFileItem

        by_kind: dict[str, list[int]] = {}
        for r in results:
            by_kind.setdefault(r.kind, []).append(r.pk)
        match = Q(pk__in=[])
        for kind, pks in by_kind.items():
            match |= Q(kind=kind, object_id__in=pks)
        held: dict[tuple[str, int], list[str]] = {}
        for kind, oid, code, title in (
            CaseFileItem.objects.filter(match, case_file__agency_id=user.agency_id)
            .order_by("case_file__year", "case_file__code")
            .values_list("kind", "object_id", "case_file__code", "case_file__title")
        ):
            held.setdefault((kind, oid), []).append(f"{code} – {title}" if code else title)
        for r in results:
            r.case_files = held.get((r.kind, r.pk), [])
    if "recipients" in columns:
        from documents.outgoing.models import OutgoingRecipient

        pks = [r.pk for r in results if r.kind == "outgoing"]
        names: dict[int, list[str]] = {}
        for document_id, name in (
            OutgoingRecipient.objects.filter(document_id__in=pks)
            .order_by("pk")
            .values_list("document_id", "name")
        ):
            names.setdefault(document_id, []).append(name)
        for r in results:
            if r.kind == "outgoing" and names.get(r.pk):
                r.recipients = names[r.pk]


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
    if terms:
        for kind in by_kind:
            source = sources.get(kind)
            if source is not None and source.hits is not None:
                source.hits([r for r in results if r.kind == kind], terms)
    return results


def search_page(*, user, criteria: Criteria, page: str | int | None = 1, columns: Sequence[str] = ()) -> Page:
    """One page of results (``page.object_list``: ``SearchResult``), with the total count; ``columns`` the
    chosen columns (those reading other tables add one query each)."""
    number = page_number(page)
    rows, total, capped = _page_rows(user=user, criteria=criteria, offset=(number - 1) * PAGE_SIZE)
    if not rows and number > 1:  # past the end (or the end moved): the last page, as Paginator.get_page
        _rows, total, capped = _page_rows(user=user, criteria=criteria, offset=0)
        number = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
        rows, total, capped = _page_rows(user=user, criteria=criteria, offset=(number - 1) * PAGE_SIZE)
    paginator = Paginator(Counted(total), PAGE_SIZE)
    results = _load(user, rows, criteria)
    _enrich(user, results, columns)
    page = Page(results, number, paginator)
    page.capped = capped  # more matches than were ranked: the page asks to narrow the search
    page.rank_window = sources.RANK_WINDOW
    return page


def search_all(
    *, user, criteria: Criteria, limit: int | None = None, columns: Sequence[str] = ()
) -> tuple[list[SearchResult], bool]:
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
    results = [loaded[(r["kind"], r["oid"])] for r in rows if (r["kind"], r["oid"]) in loaded]
    _enrich(user, results, columns)
    return results, more


# --- saved searches -----------------------------------------------------------------------------------


def saved_searches(*, user) -> QuerySet[SavedSearch]:
    return SavedSearch.objects.filter(user=user).order_by("name", "id")


def saved_search_get(*, user, pk: int) -> SavedSearch:
    """The user's own saved search; 404 for anybody else's."""
    return get_object_or_404(SavedSearch, pk=pk, user=user)
