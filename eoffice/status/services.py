"""Writes of the "Tình trạng hệ thống" page: sending a failed task again."""

from __future__ import annotations

import logging

from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice.models import FailedTask, User
from eoffice.status.selectors import can_see_status

logger = logging.getLogger(__name__)


def _send(row: FailedTask) -> None:
    """Queue the task again with its arguments, in the caller's transaction: through the task outbox when
    the installation has it (eoffice.outbox), else after the commit."""
    try:
        from eoffice.outbox import enqueue
    except ImportError:
        enqueue = None
    if enqueue is not None:
        enqueue(row.task, args=row.args, kwargs=row.kwargs, queue=row.queue or None)
        return
    from eoffice.celery import app

    task, args, kwargs, queue = row.task, list(row.args), dict(row.kwargs), row.queue or None
    if app.conf.task_always_eager:
        transaction.on_commit(lambda: app.tasks[task].apply_async(args=args, kwargs=kwargs, queue=queue))
    else:
        transaction.on_commit(lambda: app.send_task(task, args=args, kwargs=kwargs, queue=queue))


def failed_task_retry(*, pk: int, by: User) -> FailedTask:
    """Send failed task ``pk`` again with the same arguments; record when and by whom (on the row and in
    the admin's history). A row is sent again once: if the task fails again, a new row says so."""
    if not can_see_status(by):
        raise PermissionDenied
    with transaction.atomic():
        row = FailedTask.objects.select_for_update().filter(pk=pk).first()
        if row is None:
            raise ValidationError(_("Không tìm thấy tác vụ lỗi này."))
        if not row.retryable:
            raise ValidationError(
                _(
                    "Tác vụ này không gửi lại được (tham số có thông tin bí mật, không được lưu); "
                    "hãy thực hiện lại thao tác từ đầu."
                )
            )
        if row.retried_at is not None:
            raise ValidationError(
                _("Tác vụ này đã được gửi lại lúc %(time)s.")
                % {"time": timezone.localtime(row.retried_at).strftime("%d/%m/%Y %H:%M")}
            )
        from eoffice.celery import app

        app.loader.import_default_modules()  # a web process has not imported every app's tasks module
        if row.task not in app.tasks:
            raise ValidationError(
                _("Phiên bản đang chạy không còn tác vụ “%(task)s”; không gửi lại được.") % {"task": row.task}
            )
        _send(row)
        row.retried_at = timezone.now()
        row.retried_by = by
        row.save(update_fields=["retried_at", "retried_by"])
        LogEntry.objects.log_actions(
            user_id=by.pk,
            queryset=[row],
            action_flag=CHANGE,
            change_message=_("Gửi lại tác vụ lỗi (trang Tình trạng hệ thống)."),
            single_object=True,
        )
    logger.info("failed task %s (%s) sent again by user %s", row.pk, row.task, by.pk)
    return row
