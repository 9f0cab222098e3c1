"""The "Sao lưu dữ liệu" page of the installation's administrators: the runs, and "Sao lưu ngay"."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eoffice.backup import selectors, services


@login_required
def backup_list(request):
    context = {
        "runs": selectors.backup_runs(user=request.user),
        "last": selectors.last_backup(user=request.user),
        "last_ok": selectors.last_success(user=request.user),
        "backup_dir": settings.EOFFICE_BACKUP_DIR,
        "keep": settings.EOFFICE_BACKUP_KEEP,
    }
    return render(request, "eoffice/backup/list.html", context)


@login_required
@require_POST
def backup_now(request):
    if services.backup_request(by=request.user):
        messages.success(request, _("Đã đưa bản sao lưu vào hàng đợi; kết quả hiện ở danh sách dưới đây."))
    else:
        messages.warning(request, _("Đang có một bản sao lưu chạy; chờ nó xong rồi thử lại."))
    return redirect("backup_list")
