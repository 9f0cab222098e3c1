"""The statistics page (scope, period, kind; every number a link), the list behind a number, the exports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render

from documents.stats import exports, links, selectors
from documents.stats.forms import PERIOD_CHOICES, StatsForm
from eoffice.db_router import replica_reads
from eoffice.params import page_number

PER_PAGE = 25
PERSON_ITEMS = 10  # the parts listed under a person's row (the list page has them all)
EXPORT_ITEMS = 2000
TABS = (
    "all",
    "finished",
    "early",
    "ontime",
    "late",
    "progress",
    "open",
    "overdue",
)  # the list of a person's parts printed with their row


def _cells(scope_key: str, counts: selectors.Counts, period, kind: str, by: str = "") -> list[dict]:
    return [
        {
            "bucket": bucket,
            "value": counts.get(bucket),
            "url": links.list_url(scope_key, period, kind, bucket, by),
            "group": bucket in ("all", "finished", "progress"),
        }
        for bucket, _group in exports.COLUMNS
    ]


def _page_context(user, scope, report) -> dict:
    period, kind = report.period, report.kind
    head = {
        "label": scope.name,
        "cells": _cells(scope.key, report.headline, period, kind, report.headline_by),
        "rate": exports.rate_text(report.headline),
    }
    rows = [
        {
            "label": row.label,
            "sub": row.sub,
            "depth": row.depth,
            "url": links.stats_url(row.scope_key, period, kind) if row.link else "",
            "cells": _cells(row.scope_key, row.counts, period, kind),
            "rate": exports.rate_text(row.counts),
        }
        for row in report.rows
    ]
    totals = None
    if report.rows_by:
        totals = {
            "cells": _cells(scope.key, report.totals, period, kind, report.rows_by),
            "rate": exports.rate_text(report.totals),
        }
    cards = [
        (
            bucket,
            selectors.BUCKET_LABELS[bucket],
            report.headline.get(bucket),
            links.list_url(scope.key, period, kind, bucket),
        )
        for bucket in ("all", "finished", "progress", "overdue", "late")
    ]
    return {
        "scope": scope,
        "report": report,
        "head": head,
        "rows": rows,
        "totals": totals,
        "cards": cards,
        "rate": exports.rate_text(report.headline),
        "labels": exports.column_labels(),
        "definitions": exports.definitions(scope.level),
        "breadcrumb": [
            (s.name, links.stats_url(s.key, period, kind)) for s in selectors.parent_scopes(user, scope)
        ],
    }


def _filter_context(user, scope, form) -> dict:
    """The filter bar as submitted (the scope chooser offers the current scope even when it is a person)."""
    options = selectors.scope_choices(user)
    if scope is not None and scope.key not in dict(options):
        options.append((scope.key, scope.name))
    return {
        "form": form,
        "scope": scope,
        "scope_options": options,
        "periods": PERIOD_CHOICES,
        "kinds": selectors.KIND_CHOICES,
        "current_period": form.data.get("period") or "month",
        "current_kind": form.data.get("kind") or "all",
        "date_from": form.data.get("date_from", ""),
        "date_to": form.data.get("date_to", ""),
    }


def _person_items(user, scope, data, *, limit: int):
    """A person's statistics come with the list of their parts (the first ``limit``)."""
    if scope.level != "person":
        return None
    parts = selectors.records(user=user, scope=scope, period=data["range"], kind=data["kind"], bucket="all")
    return selectors.list_items(parts[:limit], parts=True)


@login_required
@replica_reads
def stats(request):
    scope = selectors.resolve_scope(request.user, request.GET.get("scope", ""))
    form = StatsForm(request.GET)
    context = _filter_context(request.user, scope, form)
    if scope is None or not form.is_valid():
        return render(request, "documents/stats/stats.html", context)
    data = form.cleaned_data
    report = selectors.report(user=request.user, scope=scope, period=data["range"], kind=data["kind"])
    exporting = request.GET.get("format") in ("pdf", "xlsx")
    items = _person_items(request.user, scope, data, limit=EXPORT_ITEMS if exporting else PERSON_ITEMS)
    if items is not None:
        context["more_items"] = report.headline.total > len(items)
        context["all_items_url"] = links.list_url(scope.key, data["range"], data["kind"], "all")
    if exporting:
        content, content_type, name = exports.render(
            report=report, fmt=request.GET["format"], items=items, made_by=request.user.get_full_name()
        )
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    context.update(
        _page_context(request.user, scope, report),
        items=items,
        current_period=report.period.preset,
        date_from=report.period.date_from.isoformat(),
        date_to=report.period.date_to.isoformat(),
        kind_label=exports.kind_label(report.kind),
    )
    return render(request, "documents/stats/stats.html", context)


@login_required
@replica_reads
def stats_list(request):
    scope = selectors.resolve_scope(request.user, request.GET.get("scope", ""))
    bucket, by = request.GET.get("bucket", "all"), request.GET.get("by", "")
    if scope is None or bucket not in selectors.LIST_BUCKETS or by not in ("", "units", "people"):
        raise Http404
    form = StatsForm(request.GET)
    context = {"form": form, "scope": scope, "bucket": bucket, "by": by}
    if not form.is_valid():
        return render(request, "documents/stats/list.html", context)
    period, kind = form.cleaned_data["range"], form.cleaned_data["kind"]
    qs = selectors.records(user=request.user, scope=scope, period=period, kind=kind, bucket=bucket, by=by)
    page = Paginator(qs, PER_PAGE).get_page(page_number(request.GET.get("page")))
    parts = not (scope.level == "agency" and not by)
    context.update(
        page=page,
        items=selectors.list_items(page.object_list, parts=parts),
        parts=parts,
        hide_holder=scope.level == "person",
        period=period,
        kind_label=exports.kind_label(kind),
        bucket_label=selectors.BUCKET_LABELS[bucket],
        back_url=links.stats_url(scope.key, period, kind),
        buckets=[
            (key, selectors.BUCKET_LABELS[key], links.list_url(scope.key, period, kind, key, by))
            for key in TABS
        ],
    )
    return render(request, "documents/stats/list.html", context)
