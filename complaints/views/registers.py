"""The registers page (sổ tiếp công dân, sổ xử lý đơn for a period, on screen) and their downloads (PDF,
Excel); the JSON export of cases for the national database (``complaints.export``). Officers and deciders of
the agency only; people by their label, never an identity."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from complaints import export, registers, rules
from complaints.forms.stats import RegisterForm
from documents.stats.forms import PERIOD_CHOICES


def _staff(user) -> None:
    if not rules.is_staff_of(user):
        raise PermissionDenied(_("Chỉ cán bộ tiếp công dân, xử lý đơn và người có thẩm quyền được xem sổ."))


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def _filters(form) -> dict:
    return {
        "form": form,
        "periods": PERIOD_CHOICES,
        "current_period": form.data.get("period") or "month",
        "date_from": form.data.get("date_from", ""),
        "date_to": form.data.get("date_to", ""),
    }


@login_required
@require_safe
def registers_page(request):
    _staff(request.user)
    kind = request.GET.get("kind") or "letters"
    if kind not in registers.KINDS:
        raise Http404
    form = RegisterForm(request.GET)
    context = {"kind": kind, **_filters(form)}
    if form.is_valid():
        period = form.cleaned_data["range"]
        rows = registers.rows_for(kind, user=request.user, period=period)
        context.update(
            period=period,
            table=registers.table(kind, rows),
            columns=registers.columns(kind),
            current_period=form.cleaned_data["period"],
            date_from=period.date_from.isoformat(),
            date_to=period.date_to.isoformat(),
            query=urlencode(period.query()),
        )
    return render(request, "complaints/registers/registers.html", context)


def _register_download(request, kind: str, fmt: str):
    _staff(request.user)
    if fmt not in registers.FORMATS:
        raise Http404
    form = RegisterForm(request.GET)
    if not form.is_valid():
        return render(request, "complaints/registers/registers.html", {"kind": kind, **_filters(form)})
    period = form.cleaned_data["range"]
    rows = registers.rows_for(kind, user=request.user, period=period)
    return _download(
        *registers.render(kind=kind, fmt=fmt, rows=rows, agency=request.user.agency, period=period)
    )


@login_required
@require_safe
def register_visits(request, fmt: str):
    return _register_download(request, "visits", fmt)


@login_required
@require_safe
def register_letters(request, fmt: str):
    return _register_download(request, "letters", fmt)


@login_required
@require_safe
def export_cases(request):
    """The staff download of the JSON export (the cases the user may see, received in the period)."""
    _staff(request.user)
    form = RegisterForm(request.GET)
    if not form.is_valid():
        return render(request, "complaints/registers/registers.html", {"kind": "letters", **_filters(form)})
    period = form.cleaned_data["range"]
    name = f"vu-viec-{period.date_from:%Y%m%d}-{period.date_to:%Y%m%d}.json"
    content = export.user_export(user=request.user, period=period)
    return _download(content, "application/json; charset=utf-8", name)
