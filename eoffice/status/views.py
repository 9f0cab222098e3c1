"""The "Tình trạng hệ thống" page of the installation's administrators, and its "Gửi lại" button."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eoffice.status import selectors, services


@login_required
def status_page(request):
    user = request.user
    rows = selectors.heartbeats(user=user)
    failed, failed_open = selectors.failed_tasks(user=user, page=request.GET.get("page", 1))
    context = {
        "queues": selectors.queues(user=user),
        "heartbeats": rows,
        "alive": selectors.readiness_summary(rows),
        "failed": failed,
        "failed_open": failed_open,
        "periodic": selectors.periodic_tasks(user=user),
        "outbox": selectors.task_outbox(user=user),
        "sections": selectors.sections(user=user),
        "disk": selectors.media_disk(user=user),
        "disk_warn_percent": selectors.DISK_WARN_PERCENT,
    }
    return render(request, "eoffice/status/page.html", context)


@login_required
@require_POST
def failed_task_retry(request, pk: int):
    try:
        row = services.failed_task_retry(pk=pk, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã gửi lại tác vụ “%(task)s”.") % {"task": row.task})
    return redirect("system_status")
