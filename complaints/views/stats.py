"""The statistics report page (with its PDF and Excel downloads) and the list behind each number, under the
same visibility (the user's visible cases and visits)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from complaints import rules, stats
from complaints.forms.stats import GROUP_CHOICES, RegisterForm, StatsForm
from complaints.models import CaseKind
from documents.stats.forms import PERIOD_CHOICES
from eoffice.db import page_of
from eoffice.db_router import replica_reads
from eoffice.models import Role

PER_PAGE = 30
FORMATS = ("pdf", "xlsx")


def _allowed(user) -> None:
    if not (rules.is_staff_of(user) or (user.department_id and user.has_role(Role.DEPARTMENT_HEAD))):
        raise PermissionDenied(
            _("Chỉ cán bộ xử lý đơn, người có thẩm quyền và trưởng đơn vị được xem báo cáo.")
        )


def list_url(period, column: str, *, table: str = "cases", group: str = "", key: str = "") -> str:
    params = {**period.query(), "table": table, "col": column}
    if group:
        params["group"] = group
    if key:
        params["key"] = key
    return f"{reverse('complaints:stats_list')}?{urlencode(params)}"


def _cells(rep: stats.Report, line: stats.Line) -> list[dict]:
    return [
        {"value": line.counts[c], "url": list_url(rep.period, c, group=rep.group, key=line.key), "col": c}
        for _label, cols in stats.HEADER
        for c in cols
    ]


def _visit_cells(rep: stats.Report, line: stats.Line) -> list[dict]:
    return [
        {
            "value": line.counts[c],
            "url": list_url(rep.period, c, table="visits", key=line.key) if c in stats.VISIT_LINKED else "",
            "col": c,
        }
        for c in stats.VISIT_COLUMNS
    ]


@login_required
@require_safe
@replica_reads
def stats_page(request):
    _allowed(request.user)
    form = StatsForm(request.GET)
    context = {
        "form": form,
        "periods": PERIOD_CHOICES,
        "groups": GROUP_CHOICES,
        "current_period": form.data.get("period") or "month",
        "current_group": form.data.get("group") or "kind",
        "date_from": form.data.get("date_from", ""),
        "date_to": form.data.get("date_to", ""),
    }
    if form.is_valid():
        data = form.cleaned_data
        rep = stats.report(user=request.user, period=data["range"], group=data["group"])
        fmt = request.GET.get("format", "")
        if fmt:
            if fmt not in FORMATS:
                raise Http404
            content, content_type, name = stats.render(rep=rep, fmt=fmt, made_by=request.user.get_full_name())
            response = HttpResponse(content, content_type=content_type)
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        top, under = stats.header(rep.group_label)
        context.update(
            rep=rep,
            header_top=top,
            header_under=under,
            rows=[(line, _cells(rep, line)) for line in rep.lines],
            total=_cells(rep, rep.total),
            visit_headings=[stats.VISIT_LABELS[c] for c in stats.VISIT_COLUMNS],
            visit_rows=[(line, _visit_cells(rep, line)) for line in rep.visit_lines],
            visit_total=_visit_cells(rep, rep.visit_total),
            definitions=stats.definitions(),
            current_period=data["period"],
            date_from=rep.period.date_from.isoformat(),
            date_to=rep.period.date_to.isoformat(),
            export_query=urlencode({**rep.period.query(), "group": rep.group}),
        )
    return render(request, "complaints/stats/stats.html", context)


def _back(period, group: str) -> str:
    return f"{reverse('complaints:stats')}?{urlencode({**period.query(), 'group': group or 'kind'})}"


@login_required
@require_safe
@replica_reads
def stats_list(request):
    _allowed(request.user)
    table, column = request.GET.get("table", "cases"), request.GET.get("col", "")
    group, key = request.GET.get("group", ""), request.GET.get("key", "")
    if table == "visits":
        if column not in stats.VISIT_LINKED or (key and key not in CaseKind.values):
            raise Http404
        label = stats.VISIT_LABELS[column]
    else:
        if column not in stats.COLUMNS or (group and group not in stats.GROUPINGS):
            raise Http404
        if key and key not in dict(stats.GROUP_CHOICES.get(group, ())):
            raise Http404
        label = stats.LABELS[column]
    form = RegisterForm(request.GET)
    context = {"form": form, "table": table, "column_label": label}
    if form.is_valid():
        period = form.cleaned_data["range"]
        if table == "visits":
            qs = stats.visit_records(user=request.user, period=period, column=column, key=key)
            row_label = CaseKind(key).label if key else ""
        else:
            qs = stats.records(user=request.user, period=period, column=column, group=group, key=key)
            row_label = dict(stats.GROUP_CHOICES[group])[key] if group and key else ""
        context.update(
            page=page_of(qs, request.GET.get("page"), PER_PAGE),
            period=period,
            row_label=row_label,
            back_url=_back(period, group),
            page_query=urlencode({k: v for k, v in request.GET.items() if k != "page"}),
        )
    return render(request, "complaints/stats/list.html", context)
