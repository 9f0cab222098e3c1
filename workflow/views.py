"""Thin views: parse the request, call one service or selector, render. The work item page's actions post
to ``workflow.actions`` (``WORK_ITEM_ACTIONS.view`` and ``PART_ACTIONS.view``, wired in ``urls.py``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from eoffice.actions import error_text
from eoffice.files import serve_field_file
from eoffice.models import Role
from eoffice.params import page_number
from workflow import rules, selectors, services
from workflow.actions import work_item_page
from workflow.forms import NotificationPreferencesForm, WorkFilterForm, WorkItemForm
from workflow.models import DeadlineStatus

PAGE_SIZE = 30


@login_required
def my_work(request, status: str | None = None):
    status = status or request.GET.get("status") or None
    if status not in (None, *DeadlineStatus.values):
        status = None
    page = Paginator(selectors.my_work(user=request.user, status=status), PAGE_SIZE).get_page(
        page_number(request.GET.get("page"))
    )
    counts = selectors.my_work_counts(user=request.user)
    return render(request, "workflow/my_work.html", {"page": page, "status": status, "counts": counts})


@login_required
def workitem_list(request, scope: str | None = None):
    scope = scope or request.GET.get("scope") or ("given" if rules.can_give_work(request.user) else "mine")
    if scope not in selectors.WORK_SCOPES:
        scope = "mine"
    form = WorkFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.work_item_list(
        user=request.user,
        scope=scope,
        state=filters.get("state") or None,
        deadline=filters.get("deadline") or None,
    )
    page = Paginator(qs, PAGE_SIZE).get_page(page_number(request.GET.get("page")))
    context = {
        "page": page,
        "scope": scope,
        "form": form,
        "can_give": rules.can_give_work(request.user),
        "is_head": request.user.has_role(Role.DEPARTMENT_HEAD, Role.LEADER),
        "query": request.GET.urlencode(),
    }
    return render(request, "workflow/workitem_list.html", context)


@login_required
def workitem_create(request):
    if not rules.can_give_work(request.user):
        raise PermissionDenied
    form = WorkItemForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.work_item_create(by=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("Đã giao việc “%(title)s”.") % {"title": item.title})
            return redirect(item)
    return render(request, "workflow/workitem_form.html", {"form": form})


@login_required
def workitem_detail(request, pk: int):
    item = selectors.work_item_access(user=request.user, pk=pk)
    services.assignments_mark_read(record=item, user=request.user)
    context = {
        "item": item,
        "assignments": selectors.assignments_for(record=item),
        **work_item_page(item, request.user),
    }
    return render(request, "workflow/workitem_detail.html", context)


@login_required
def history_file(request, pk: int):
    entry = selectors.history_entry_for_file(user=request.user, pk=pk)
    if not entry.attachment:
        raise Http404
    return serve_field_file(entry.attachment, filename=entry.attachment_name or None, inline=False)


@login_required
def notification_settings(request):
    form = NotificationPreferencesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.notification_preferences_set(user=request.user, email_kinds=form.cleaned_data["email_kinds"])
        messages.success(request, _("Đã lưu cài đặt thông báo."))
        return redirect("workflow:notification_settings")
    prefs = selectors.notification_preferences(user=request.user)
    return render(request, "workflow/notification_settings.html", {"form": form, "prefs": prefs})
