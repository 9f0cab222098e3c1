from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eoffice.files import serve_field_file
from eoffice.models import Role
from eoffice.params import page_number
from workflow import rules, selectors, services
from workflow.forms import (
    ActionForm,
    CompleteForm,
    ExtendForm,
    ForwardForm,
    NotificationPreferencesForm,
    ProgressForm,
    WorkFilterForm,
    WorkItemForm,
)
from workflow.models import Assignment, DeadlineStatus

PAGE_SIZE = 30


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) if str(exc) else _("Bạn không có quyền thực hiện thao tác này.")


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
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, _("Đã giao việc “%(title)s”.") % {"title": item.title})
            return redirect(item)
    return render(request, "workflow/workitem_form.html", {"form": form})


@login_required
def workitem_detail(request, pk: int):
    item = selectors.work_item_access(user=request.user, pk=pk)
    services.assignments_mark_read(record=item, user=request.user)
    mine = selectors.my_assignments_on(record=item, user=request.user)
    forwardable = [a for a in mine if a.department_id and request.user.has_role(Role.DEPARTMENT_HEAD)]
    context = {
        "item": item,
        "assignments": selectors.assignments_for(record=item),
        "mine": mine,
        "is_lead": any(a.role == Assignment.Kind.LEAD for a in mine),
        "progress_form": ProgressForm(),
        "extend_form": ExtendForm() if item.created_by_id == request.user.pk and item.is_open else None,
        "forward": [
            (
                a,
                ForwardForm(
                    people=selectors.department_people(
                        department_id=a.department_id, agency_id=item.agency_id
                    ).exclude(pk=request.user.pk),
                    prefix=f"fw{a.pk}",
                ),
            )
            for a in forwardable
        ],
        # One form per coordinate part, each with its own prefix (no two fields of the page share an id).
        "complete_forms": [
            (a, CompleteForm(prefix=f"complete-{a.pk}")) for a in mine if a.role == Assignment.Kind.COORDINATE
        ],
    }
    return render(request, "workflow/workitem_detail.html", context)


@login_required
@require_POST
def workitem_action(request, pk: int):
    item = selectors.work_item_access(user=request.user, pk=pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Yêu cầu không hợp lệ."))
        return redirect(item)
    try:
        services.work_item_transition(
            item=item,
            action=form.cleaned_data["action"],
            by=request.user,
            comment=form.cleaned_data["comment"],
            expected_state=form.cleaned_data["expected_state"] or None,
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Đã cập nhật công việc."))
    return redirect(item)


@login_required
@require_POST
def workitem_progress(request, pk: int):
    item = selectors.work_item_access(user=request.user, pk=pk)
    form = ProgressForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.work_item_report_progress(item=item, by=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("Đã gửi báo cáo tiến độ."))
            return redirect(item)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(item)


@login_required
@require_POST
def workitem_extend(request, pk: int):
    item = selectors.work_item_access(user=request.user, pk=pk)
    form = ExtendForm(request.POST)
    if form.is_valid():
        try:
            services.work_item_extend(item=item, by=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("Đã gia hạn công việc."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(item)


@login_required
@require_POST
def assignment_complete(request, pk: int):
    assignment = selectors.assignment_access(user=request.user, pk=pk)
    form = CompleteForm(request.POST, prefix=f"complete-{assignment.pk}")
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.assignment_complete(assignment=assignment, by=request.user, note=note)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Đã báo cáo hoàn thành phần việc."))
    return redirect(assignment.record)


@login_required
@require_POST
def assignment_forward(request, pk: int):
    assignment = selectors.assignment_access(user=request.user, pk=pk)
    people = selectors.department_people(
        department_id=assignment.department_id, agency_id=assignment.agency_id
    )
    form = ForwardForm(request.POST, people=people, prefix=f"fw{assignment.pk}")
    if form.is_valid():
        try:
            services.assignment_forward(assignment=assignment, by=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("Đã chuyển giao phần việc."))
    else:
        messages.error(request, _("Vui lòng chọn cán bộ trong đơn vị."))
    return redirect(assignment.record)


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
