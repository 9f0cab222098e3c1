"""Small database helpers shared by the apps."""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet


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
