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

from documents.search import columns as search_columns
from documents.search import docx, export, forms, rtf, selectors, services
from eoffice.db_router import replica_reads

# "doc" is an RTF document under the .doc name (documents.search.rtf): Word opens it as a Word document.
EXPORT_FORMATS = {
    "xlsx": export.CONTENT_TYPE,
    "pdf": "application/pdf",
    "docx": docx.CONTENT_TYPE,
    "doc": rtf.CONTENT_TYPE,
}


def _search_url(query: str = "") -> str:
    url = reverse("documents:search")
    return f"{url}?{query}" if query else url


@login_required
@require_safe
@replica_reads
def search(request):
    form = forms.SearchForm(request.GET or None, user=request.user)
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
            keys = form.chosen_columns()
            context["page"] = selectors.search_page(
                user=request.user, criteria=criteria, page=request.GET.get("page"), columns=keys
            )
            context["columns"] = columns = search_columns.chosen(keys) if keys else []
            for result in context["page"].object_list:
                result.cells = [(c, c.value(result)) for c in columns]
    return render(request, "documents/search/search.html", context)


@login_required
@require_safe
@replica_reads
def search_export(request):
    """The results in the chosen columns: Excel (default), ``?format=pdf``, ``?format=docx`` or
    ``?format=doc`` (RTF saved as .doc)."""
    fmt = request.GET.get("format") or "xlsx"
    form = forms.SearchForm(request.GET or None, user=request.user)
    query = forms.canonical_query(request.GET)
    if fmt not in EXPORT_FORMATS or not (form.is_bound and form.is_valid()) or form.criteria().is_empty:
        messages.error(request, _("Chưa có điều kiện tìm kiếm hợp lệ để xuất kết quả."))
        return redirect(_search_url(query))
    keys = form.chosen_columns()
    rows, more = selectors.search_all(user=request.user, criteria=form.criteria(), columns=keys)
    if fmt == "pdf":
        data = export.pdf(
            rows=rows, more=more, form=form, user=request.user, agency=request.user.agency, keys=keys
        )
    elif fmt == "docx":
        data = export.docx(rows=rows, more=more, form=form, user=request.user, keys=keys)
    elif fmt == "doc":
        data = export.doc(rows=rows, more=more, form=form, user=request.user, keys=keys)
    else:
        data = export.xlsx(rows=rows, more=more, form=form, user=request.user, keys=keys)
    response = HttpResponse(data, content_type=EXPORT_FORMATS[fmt])
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="tra-cuu-van-ban-{stamp}.{fmt}"'
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
