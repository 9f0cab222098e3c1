"""Reminders: the beat-driven scan (once per assignment, round and level), their delivery, the digest."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice.models import User
from eoffice.services import notify
from workflow import calendar
from workflow.models import Assignment, ReminderLevel, ReminderMark
from workflow.rules import record_url
from workflow.selectors import assignment_holders, department_heads

_SCAN_SQL = """
WITH picked AS (
    SELECT id, extension_count FROM workflow_assignment
    WHERE status = 'open' AND paused_at IS NULL AND reminder_level < %(level)s AND {column} <= %(now)s
    ORDER BY {column}
    LIMIT %(batch)s
    FOR UPDATE SKIP LOCKED
), marked AS (
    INSERT INTO workflow_remindermark (assignment_id, round, level, created_at)
    SELECT id, extension_count, %(level)s, %(now)s FROM picked
    ON CONFLICT DO NOTHING
    RETURNING id
), bumped AS (
    UPDATE workflow_assignment a SET reminder_level = %(level)s
    FROM picked WHERE a.id = picked.id
    RETURNING a.id
)
SELECT (SELECT count(*) FROM bumped), ARRAY(SELECT id FROM marked)
"""

_LEVEL_COLUMNS = (
    (ReminderLevel.CRITICISM, "escalate_at"),
    (ReminderLevel.OVERDUE, "due_at"),
    (ReminderLevel.DUE_SOON, "due_soon_at"),
)


def reminders_scan(*, now: datetime | None = None, batch: int | None = None, deliver: bool = True) -> dict:
    """Find open assignments newly due soon, overdue, or overdue for long; mark each level once.

    Batched with ``FOR UPDATE SKIP LOCKED``; the marker table's unique (assignment, round, level)
    and ``ON CONFLICT DO NOTHING`` make a reminder go out once whatever the number of scans.
    Delivery (notifications) is queued per batch on commit.
    """
    now = now or timezone.now()
    batch = batch or settings.WORKFLOW_REMINDER_BATCH
    result = {"picked": 0, "marked": 0}
    for level, column in _LEVEL_COLUMNS:
        sql = _SCAN_SQL.format(column=column)
        while True:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, {"level": int(level), "now": now, "batch": batch})
                picked, mark_ids = cursor.fetchone()
                if mark_ids and deliver:
                    _queue_delivery(list(mark_ids))
            result["picked"] += picked
            result["marked"] += len(mark_ids)
            if picked < batch:
                break
    redelivered = _redeliver_stale_marks(now=now, batch=batch) if deliver else 0
    if redelivered:
        result["redelivered"] = redelivered
    return result


STALE_MARK = timedelta(minutes=2)


def _redeliver_stale_marks(*, now: datetime, batch: int) -> int:
    """Queue again the marks left undelivered for STALE_MARK: their delivery task died with its worker
    (killed in the middle: the delivery's transaction rolled back, and its message waits in Redis for the
    broker's visibility timeout). A mark is delivered once whatever the number of deliveries queued:
    ``reminders_deliver`` takes it ``SKIP LOCKED`` and marks it in the transaction that notifies."""
    ids = list(
        ReminderMark.objects.filter(
            delivered_at__isnull=True, created_at__lt=now - STALE_MARK, created_at__gt=now - timedelta(days=2)
        )
        .order_by("pk")
        .values_list("pk", flat=True)[: batch * 10]
    )
    for start in range(0, len(ids), batch):
        with transaction.atomic():
            _queue_delivery(ids[start : start + batch])
    return len(ids)


def _queue_delivery(mark_ids: list[int]) -> None:
    from eoffice.outbox import enqueue
    from workflow.tasks import deliver_reminders

    enqueue(deliver_reminders, args=(mark_ids,))


REMINDER_KINDS = {
    ReminderLevel.DUE_SOON: "workflow.due_soon",
    ReminderLevel.OVERDUE: "workflow.overdue",
    ReminderLevel.CRITICISM: "workflow.criticism",
}


def reminders_deliver(*, mark_ids: Sequence[int]) -> int:
    """Send the notifications of the given marks; a mark already delivered is skipped (idempotent)."""
    sent = 0
    with transaction.atomic():
        marks = list(
            ReminderMark.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=list(mark_ids), delivered_at__isnull=True)
            .select_related("assignment__assignee", "assignment__department")
            .prefetch_related("assignment__record")
        )
        if not marks:
            return 0
        assignments = [m.assignment for m in marks]
        holders = assignment_holders(assignments)
        heads = department_heads(a.department_id for a in assignments)
        for mark in marks:
            a = mark.assignment
            record = a.record
            if record is None:
                continue
            recipients = list(holders[a.pk])
            if mark.level >= ReminderLevel.OVERDUE:
                recipients += heads.get(a.department_id, [])
            due = timezone.localtime(a.due_at).strftime("%H:%M %d/%m/%Y") if a.due_at else ""
            titles = {
                ReminderLevel.DUE_SOON: _("Sắp đến hạn: %(title)s"),
                ReminderLevel.OVERDUE: _("Nhắc nhở — quá hạn: %(title)s"),
                ReminderLevel.CRITICISM: _("Phê bình — quá hạn kéo dài: %(title)s"),
            }
            notify(
                recipients=recipients,
                kind=REMINDER_KINDS[ReminderLevel(mark.level)],
                title=titles[ReminderLevel(mark.level)] % {"title": record},
                body=_("%(role)s: %(holder)s · Hạn xử lý: %(due)s")
                % {"role": a.get_role_display(), "holder": a.holder_name, "due": due},
                url=record_url(record),
            )
            sent += 1
        ReminderMark.objects.filter(pk__in=[m.pk for m in marks]).update(delivered_at=timezone.now())
    return sent


def digest_send(*, now: datetime | None = None) -> int:
    """One summary per person with open work, once a day, on working days."""
    now = now or timezone.now()
    day = timezone.localtime(now).date()
    if not calendar.is_working_day(day):
        return 0
    rows = list(
        Assignment.objects.open()
        .filter(assignee__isnull=False, assignee__is_active=True)
        .values("assignee_id")
        .annotate(
            total=Count("id"),
            overdue=Count("id", filter=Q(paused_at__isnull=True, due_at__lt=now)),
            due_soon=Count("id", filter=Q(paused_at__isnull=True, due_at__gte=now, due_soon_at__lt=now)),
        )
    )
    if not rows:
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO workflow_digestmark (user_id, day, created_at) "
            "SELECT unnest(%s::bigint[]), %s, %s ON CONFLICT DO NOTHING RETURNING user_id",
            [[r["assignee_id"] for r in rows], day, now],
        )
        fresh = {r[0] for r in cursor.fetchall()}
        users = User.objects.in_bulk(fresh)
        from django.urls import reverse

        for row in rows:
            user = users.get(row["assignee_id"])
            if user is None:
                continue
            notify(
                recipients=[user],
                kind="workflow.digest",
                title=_("Tóm tắt công việc ngày %(day)s") % {"day": day.strftime("%d/%m/%Y")},
                body=_("%(total)d việc đang xử lý, %(soon)d sắp đến hạn, %(overdue)d quá hạn.")
                % {"total": row["total"], "soon": row["due_soon"], "overdue": row["overdue"]},
                url=reverse("workflow:my_work"),
            )
    return len(fresh)
