"""Thin views of the search page: the search (GET), its Excel export, saved searches (POST)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from documents.search import export, forms, selectors, services


def _search_url(query: str = "") -> str:
    url = reverse("documents:search")
    return f"{url}?{query}" if query else url


@login_required
@require_safe
def search(request):
    form = forms.SearchForm(request.GET or None)
    query = forms.canonical_query(request.GET)
    context = {
        "form": form,
        "query": query,
        "saved": selectors.saved_searches(user=request.user),
        "save_form": forms.SaveSearchForm(initial={"query": query}),
    }
    if form.is_bound and form.is_valid():
        criteria = form.criteria()
        if criteria.is_empty:
            context["nothing_asked"] = True
        else:
            context["page"] = selectors.search_page(
                user=request.user, criteria=criteria, page=request.GET.get("page")
            )
    return render(request, "documents/search/search.html", context)


@login_required
@require_safe
def search_export(request):
    form = forms.SearchForm(request.GET or None)
    query = forms.canonical_query(request.GET)
    if not (form.is_bound and form.is_valid()) or form.criteria().is_empty:
        messages.error(request, _("Chưa có điều kiện tìm kiếm hợp lệ để xuất Excel."))
        return redirect(_search_url(query))
    rows, more = selectors.search_all(user=request.user, criteria=form.criteria())
    data = export.xlsx(rows=rows, more=more, form=form, user=request.user)
    response = HttpResponse(data, content_type=export.CONTENT_TYPE)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="tra-cuu-van-ban-{stamp}.xlsx"'
    return response


def _posted_query(request) -> str:
    """The search the POST came from (hidden ``query``), to go back to it."""
    return forms.canonical_query(QueryDict(request.POST.get("query", "")[:2000]))


def _errors(exc_or_form) -> str:
    if isinstance(exc_or_form, ValidationError):
        return " ".join(exc_or_form.messages)
    return " ".join(str(e) for errors in exc_or_form.errors.values() for e in errors)


@login_required
@require_POST
def saved_create(request):
    form = forms.SaveSearchForm(request.POST)
    query = _posted_query(request)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect(_search_url(query))
    try:
        saved = services.saved_search_create(
            user=request.user, name=form.cleaned_data["name"], query=form.cleaned_data["query"]
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect(_search_url(query))
    messages.success(request, _("Đã lưu tìm kiếm “%(name)s”.") % {"name": saved.name})
    return redirect(_search_url(saved.query))


@login_required
@require_POST
def saved_delete(request, pk: int):
    saved = selectors.saved_search_get(user=request.user, pk=pk)
    services.saved_search_delete(saved=saved, user=request.user)
    messages.success(request, _("Đã xóa tìm kiếm “%(name)s”.") % {"name": saved.name})
    return redirect(_search_url(_posted_query(request)))
