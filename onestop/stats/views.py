"""The one-stop statistics page, the list behind each number, the exports and the register (form 07)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from documents.stats.exports import rate_text
from documents.stats.forms import PERIOD_CHOICES
from eoffice.charts import Segment, Series, donut
from eoffice.db import page_of
from eoffice.db_router import replica_reads
from onestop import register as printed
from onestop.selectors import PAGE_SIZE
from onestop.stats import selectors
from onestop.stats.forms import GROUP_CHOICES, RegisterForm, StatsForm

FORMATS = ("pdf", "xlsx")


def _scope(user) -> selectors.Scope:
    scope = selectors.scope_for(user)
    if scope is None:
        raise PermissionDenied(_("Chỉ cán bộ một cửa, lãnh đạo cơ quan và trưởng đơn vị được xem thống kê."))
    return scope


def list_url(period, column: str, group: str = "", key: str = "") -> str:
    params = {**period.query(), "col": column}
    if group and key:
        params.update(group=group, key=key)
    return f"{reverse('onestop:stats_list')}?{urlencode(params)}"


def _cells(report: selectors.Report, counts: selectors.Counts, key: str = "") -> list[dict]:
    period, group = report.period, report.group
    cells = [
        {
            "column": c,
            "value": counts[c],
            "url": list_url(period, c, group, key),
            "sum": c == "resolved",
            "bad": c in selectors.BAD and counts[c],
        }
        for c in selectors.NUMBER_COLUMNS
    ]
    cells.append({"column": "rate", "text": rate_text(counts)})
    cells.append({"column": "rating", "text": selectors.rating_text(counts.rating)})
    cells.append({"column": "rated", "value": counts["rated"], "url": list_url(period, "rated", group, key)})
    return cells


def _charts(report: selectors.Report, total: selectors.Counts) -> list:
    def segments(columns_tones):
        return [
            Segment(Series(c, str(selectors.SHORT[c]), tone), total[c], list_url(report.period, c))
            for c, tone in columns_tones
        ]

    done = donut(
        key="onestop-resolved",
        title=_("Kết quả giải quyết trong kỳ"),
        segments=segments((("early", "early"), ("on_time", "ontime"), ("late", "late"))),
        center_label=_("đã giải quyết"),
        empty_label=_("Chưa có hồ sơ giải quyết trong kỳ"),
    )
    now = donut(
        key="onestop-open",
        title=_("Đang giải quyết (hiện tại)"),
        segments=segments((("open_on_time", "open"), ("open_overdue", "overdue"), ("paused", "paused"))),
        center_label=_("đang giải quyết"),
        empty_label=_("Không có hồ sơ đang giải quyết"),
    )
    return [done, now]


def _page_context(report: selectors.Report) -> dict:
    total = report.total
    top, under = printed.stats_header()
    period = report.period
    return {
        "report": report,
        "rows": [{"row": row, "cells": _cells(report, row.counts, row.key)} for row in report.rows],
        "total": _cells(report, total),
        "header_top": top,
        "header_under": under,
        "cards": [
            (column, selectors.LABELS[column], total[column], list_url(period, column))
            for column in ("received", "resolved", "open_overdue", "paused")
        ],
        "rate": rate_text(total),
        "rating": selectors.rating_text(total.rating),
        "rated": total["rated"],
        "rated_url": list_url(period, "rated"),
        "charts": _charts(report, total),
        "definitions": selectors.definitions(report.scope, report.group),
        "export_query": urlencode({**period.query(), "group": report.group}),
        "register_query": urlencode(period.query()),
    }


def _filters(form) -> dict:
    return {
        "form": form,
        "periods": PERIOD_CHOICES,
        "groups": GROUP_CHOICES,
        "current_period": form.data.get("period") or "month",
        "current_group": form.data.get("group") or "procedure",
        "date_from": form.data.get("date_from", ""),
        "date_to": form.data.get("date_to", ""),
    }


@login_required
@replica_reads
def stats_page(request):
    scope = _scope(request.user)
    form = StatsForm(request.GET)
    context = {"scope": scope, **_filters(form)}
    if form.is_valid():
        data = form.cleaned_data
        report = selectors.report(scope=scope, period=data["range"], group=data["group"])
        context.update(
            _page_context(report),
            current_period=data["period"],
            date_from=report.period.date_from.isoformat(),
            date_to=report.period.date_to.isoformat(),
        )
    return render(request, "onestop/stats/stats.html", context)


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@replica_reads
def stats_export(request):
    scope = _scope(request.user)
    form = StatsForm(request.GET)
    fmt = request.GET.get("format", "")
    if fmt not in FORMATS:
        raise Http404
    if not form.is_valid():
        return render(request, "onestop/stats/stats.html", {"scope": scope, **_filters(form)})
    data = form.cleaned_data
    report = selectors.report(scope=scope, period=data["range"], group=data["group"])
    return _download(*printed.stats_render(report=report, fmt=fmt, made_by=request.user.get_full_name()))


@login_required
@replica_reads
def stats_list(request):
    scope = _scope(request.user)
    column, group, key = request.GET.get("col", ""), request.GET.get("group", ""), request.GET.get("key", "")
    if column not in selectors.COLUMNS or (group and group not in selectors.GROUPINGS):
        raise Http404
    row_label = selectors.group_object(scope=scope, group=group, key=key) if group and key else ""
    form = RegisterForm(request.GET)
    context = {"scope": scope, "form": form, "column": column, "column_label": selectors.LABELS[column]}
    if form.is_valid():
        period = form.cleaned_data["range"]
        qs = selectors.records(scope=scope, period=period, column=column, group=group, key=key)
        back = {**period.query(), "group": group or "procedure"}
        context.update(
            page=page_of(qs, request.GET.get("page"), PAGE_SIZE),
            period=period,
            row_label=row_label,
            group_label=selectors.GROUPINGS.get(group, ""),
            back_url=f"{reverse('onestop:stats')}?{urlencode(back)}",
        )
    return render(request, "onestop/stats/list.html", context)


@login_required
@replica_reads
def register(request):
    scope = _scope(request.user)
    form = RegisterForm(request.GET)
    context = {"scope": scope, **_filters(form)}
    if not form.is_valid():
        return render(request, "onestop/stats/register.html", context)
    period = form.cleaned_data["range"]
    dossiers = list(printed.rows(scope=scope, period=period))
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        counter = printed.counter_name(scope)
        return _download(
            *printed.render(fmt=fmt, dossiers=dossiers, scope=scope, period=period, counter_name=counter)
        )
    context.update(
        period=period,
        table=printed.table(dossiers),
        columns=printed.columns(),
        current_period=form.cleaned_data["period"],
        date_from=period.date_from.isoformat(),
        date_to=period.date_to.isoformat(),
        export_query=urlencode(period.query()),
    )
    return render(request, "onestop/stats/register.html", context)
