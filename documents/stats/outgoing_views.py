"""The outgoing documents' report (V.4), its drill-down list and exports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from documents.stats import outgoing
from documents.stats.forms import PERIOD_CHOICES, PeriodForm
from eoffice.params import page_number

PER_PAGE = 25


def _list_url(period, unit_key: str, bucket: str) -> str:
    query = QueryDict(mutable=True)
    query.update(period.query())
    query["unit"], query["bucket"] = unit_key, bucket
    return f"{reverse('documents:stats_outgoing_list')}?{query.urlencode()}"


def _filters(request, form) -> dict:
    return {
        "form": form,
        "periods": PERIOD_CHOICES,
        "current_period": form.data.get("period") or "month",
        "date_from": form.data.get("date_from", ""),
        "date_to": form.data.get("date_to", ""),
    }


@login_required
@require_safe
def outgoing_report(request):
    if not outgoing.can_view(request.user):
        raise PermissionDenied
    unit = outgoing.scope_unit(request.user, request.GET.get("unit", ""))
    form = PeriodForm(request.GET)
    context = _filters(request, form)
    context["unit"] = unit
    context["units"] = (
        None
        if not request.user.has_role("leader", "clerk", "agency_admin")
        else [("", _("Toàn cơ quan"))]
        + [
            (str(d.pk), d.name)
            for d in outgoing.Department.objects.filter(agency_id=request.user.agency_id).order_by(
                "order", "name"
            )
        ]
    )
    if not form.is_valid():
        return render(request, "documents/stats/outgoing.html", context)
    period = form.cleaned_data["range"]
    data = outgoing.report(user=request.user, period=period, unit=unit)
    fmt = request.GET.get("format")
    if fmt in ("pdf", "xlsx"):
        content, content_type, name = outgoing.render(
            data=data, fmt=fmt, made_by=request.user.get_full_name()
        )
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    rows = [
        {
            "label": line.label,
            "cells": [(b, line.get(b), _list_url(period, line.key, b)) for b in outgoing.BUCKETS],
        }
        for line in data.lines
    ]
    total_key = str(unit.pk) if unit else ""
    context.update(
        report=data,
        period=period,
        rows=rows,
        total=[(b, data.total.get(b), _list_url(period, total_key, b)) for b in outgoing.BUCKETS],
        labels=[outgoing.LABELS[b] for b in outgoing.BUCKETS],
        definitions=outgoing.definitions(),
        current_period=period.preset,
        date_from=period.date_from.isoformat(),
        date_to=period.date_to.isoformat(),
        current_unit=str(unit.pk) if unit else "",
    )
    return render(request, "documents/stats/outgoing.html", context)


@login_required
@require_safe
def outgoing_list(request):
    if not outgoing.can_view(request.user):
        raise PermissionDenied
    bucket = request.GET.get("bucket", "all")
    unit_key = request.GET.get("unit", "")
    if bucket not in (*outgoing.BUCKETS, "all") or not (
        unit_key in ("", outgoing.NO_UNIT) or (unit_key.isascii() and unit_key.isdigit())
    ):
        raise Http404
    form = PeriodForm(request.GET)
    context = {"form": form, "bucket": bucket}
    if not form.is_valid():
        return render(request, "documents/stats/outgoing_list.html", context)
    period = form.cleaned_data["range"]
    qs = outgoing.documents(user=request.user, period=period, unit_key=unit_key, bucket=bucket)
    page = Paginator(qs, PER_PAGE).get_page(page_number(request.GET.get("page")))
    back = QueryDict(mutable=True)
    back.update(period.query())
    if unit_key and unit_key != outgoing.NO_UNIT:
        back["unit"] = unit_key
    context.update(
        page=page,
        period=period,
        bucket_label=outgoing.LABELS.get(bucket, ""),
        back_url=f"{reverse('documents:stats_outgoing')}?{back.urlencode()}",
        tabs=[(b, outgoing.LABELS[b], _list_url(period, unit_key, b)) for b in outgoing.BUCKETS],
    )
    return render(request, "documents/stats/outgoing_list.html", context)
