"""Meeting statistics for a period (meetings:stats) and their PDF and Excel exports."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from documents.stats.forms import PERIOD_CHOICES, PeriodForm
from eoffice.db_router import replica_reads
from meetings import stats

FORMATS = ("pdf", "xlsx")
TEMPLATE = "meetings/stats.html"


def _denied(request):
    """Not a leader or schedule manager of an agency: 403, with the reason on the page."""
    if stats.may_see(request.user):
        return None
    message = _("Chỉ lãnh đạo cơ quan và người quản lý lịch được xem thống kê lịch họp.")
    return render(request, TEMPLATE, {"denied": message}, status=403)


def _filters(form) -> dict:
    return {
        "form": form,
        "periods": PERIOD_CHOICES,
        "current_period": form.data.get("period") or "month",
        "date_from": form.data.get("date_from", ""),
        "date_to": form.data.get("date_to", ""),
        "definitions": stats.definitions(),
    }


@login_required
@replica_reads
def stats_page(request):
    if denied := _denied(request):
        return denied
    form = PeriodForm(request.GET)
    context = _filters(form)
    if form.is_valid():
        data = stats.report(agency=request.user.agency, period=form.cleaned_data["range"])
        period = data.period
        context.update(
            report=data,
            header=stats.header(),
            units=[(line, stats.values(line)) for line in data.units],
            chairs=[(line, stats.values(line)) for line in data.chairs],
            total=stats.values(data.total),
            hours_total=stats.hours_text(data.total),
            rate_total=stats.rate_text(data.total),
            current_period=form.cleaned_data["period"],
            date_from=period.date_from.isoformat(),
            date_to=period.date_to.isoformat(),
            export_query=urlencode(period.query()),
        )
    return render(request, TEMPLATE, context)


@login_required
@replica_reads
def stats_export(request):
    if denied := _denied(request):
        return denied
    fmt = request.GET.get("format", "")
    if fmt not in FORMATS:
        raise Http404
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return render(request, TEMPLATE, _filters(form))
    data = stats.report(agency=request.user.agency, period=form.cleaned_data["range"])
    content, content_type, name = stats.render(data, fmt=fmt, made_by=request.user.get_full_name())
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
