"""URLs of the statistics pages: every number links to the list behind it, with the same filter."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from documents.stats.selectors import Period


def _query(scope_key: str, period: Period, kind: str, **extra) -> str:
    params = {"scope": scope_key, **period.query(), "kind": kind}
    params.update({k: v for k, v in extra.items() if v})
    return urlencode(params)


def stats_url(scope_key: str, period: Period, kind: str) -> str:
    """The statistics page of a scope (the period as chosen: a preset stays a preset)."""
    params = {"scope": scope_key, "kind": kind}
    params.update(period.query() if period.preset == "custom" else {"period": period.preset})
    return f"{reverse('documents:stats')}?{urlencode(params)}"


def list_url(scope_key: str, period: Period, kind: str, bucket: str, by: str = "") -> str:
    """The list behind one number; the period by its dates, so that the list counts what was counted."""
    return f"{reverse('documents:stats_list')}?{_query(scope_key, period, kind, bucket=bucket, by=by)}"
