"""Small database helpers shared by the apps."""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import Count, QuerySet, Window

from eoffice.params import page_number


def count_each(querysets: dict[str, QuerySet]) -> dict[str, int]:
    """``{key: qs.count()}`` in one round trip: ``SELECT (SELECT COUNT(*) …), (SELECT COUNT(*) …)``.

    Each count stays a separate subquery, so PostgreSQL plans each on its own index — unlike one
    ``COUNT(*) FILTER (…)`` per key over a common scan, which reads every row the widest filter allows.
    A queryset that can match nothing (``pk__in=[]``) counts 0 without SQL.
    """
    counts = dict.fromkeys(querysets, 0)
    parts, params, keys, using = [], [], [], None
    for key, qs in querysets.items():
        try:
            sql, qs_params = qs.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:
            continue
        using = using or qs.db
        # The SQL is Django's own compilation of the querysets; every value stays a parameter.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS _c{len(parts)})")  # noqa: S608
        params.extend(qs_params)
        keys.append(key)
    if not parts:
        return counts
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        counts.update(zip(keys, cursor.fetchone(), strict=True))
    return counts


class Counted:
    """What a Paginator needs of rows whose number is already known."""

    def __init__(self, total: int):
        self.total = total

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total


def page_of(qs: QuerySet, number, per_page: int) -> Page:
    """``Paginator(qs, per_page).get_page(number)`` with the filter evaluated once instead of twice.

    Django's paginator runs ``COUNT(*)`` and then the page: two full evaluations of the filter, which for a
    word search over a person's documents is most of the page's time. Here one query returns the page's ids
    in ``qs``'s order with the number of all rows beside them (``COUNT(*) OVER ()``), and a second loads
    those rows with everything ``qs`` annotates and joins. ``number`` is read by
    ``eoffice.params.page_number`` (malformed: the first page); past the last page, the last page (as
    ``get_page``)."""
    number = page_number(number)

    def ids_and_total(page: int) -> tuple[list, int]:
        start = (page - 1) * per_page
        rows = list(
            qs.values_list("pk", Window(Count("pk")))[start : start + per_page]  # noqa: E203
        )
        return [pk for pk, _total in rows], (rows[0][1] if rows else 0)

    ids, total = ids_and_total(number)
    if not ids and number > 1:
        _ids, total = ids_and_total(1)
        number = max((total + per_page - 1) // per_page, 1)
        ids, total = ids_and_total(number)
    by_pk = {obj.pk: obj for obj in qs.filter(pk__in=ids)} if ids else {}
    rows = [by_pk[pk] for pk in ids if pk in by_pk]
    return Page(rows, number, Paginator(Counted(total), per_page))
