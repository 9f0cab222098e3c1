"""The deadline status (on time, due soon, overdue, paused, none, done), derived in SQL from ``due_at`` and
``due_soon_at``: the expression for a list and the filter its partial indexes serve."""

from __future__ import annotations

from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DeadlineStatus(models.TextChoices):
    ON_TIME = "on_time", _("Trong hạn")
    DUE_SOON = "due_soon", _("Sắp đến hạn")
    OVERDUE = "overdue", _("Quá hạn")
    PAUSED = "paused", _("Tạm dừng")
    NO_DEADLINE = "none", _("Không có hạn")
    DONE = "done", _("Đã xong")


DEADLINE_PILL = {
    DeadlineStatus.ON_TIME: "pill-ontime",
    DeadlineStatus.DUE_SOON: "pill-duesoon",
    DeadlineStatus.OVERDUE: "pill-overdue",
    DeadlineStatus.PAUSED: "pill-muted",
    DeadlineStatus.NO_DEADLINE: "pill-muted",
    DeadlineStatus.DONE: "pill-done",
}


def deadline_status_expression(*, now=None, open_q: Q, paused_q: Q | None = None) -> Case:
    """SQL CASE deriving the deadline status from due_at / due_soon_at at ``now``."""
    now = now or timezone.now()
    whens = [When(~open_q, then=Value(DeadlineStatus.DONE))]
    if paused_q is not None:
        whens.append(When(paused_q, then=Value(DeadlineStatus.PAUSED)))
    whens += [
        When(due_at__isnull=True, then=Value(DeadlineStatus.NO_DEADLINE)),
        When(due_at__lt=now, then=Value(DeadlineStatus.OVERDUE)),
        When(due_soon_at__lt=now, then=Value(DeadlineStatus.DUE_SOON)),
    ]
    return Case(*whens, default=Value(DeadlineStatus.ON_TIME), output_field=models.CharField())


def deadline_status_q(status: str, *, now=None, open_q: Q, paused_q: Q | None = None) -> Q:
    """A filter equivalent to ``deadline_status == status`` that the partial indexes can serve."""
    now = now or timezone.now()
    not_paused = ~paused_q if paused_q is not None else Q()
    if status == DeadlineStatus.DONE:
        return ~open_q
    if status == DeadlineStatus.PAUSED and paused_q is not None:
        return open_q & paused_q
    if status == DeadlineStatus.NO_DEADLINE:
        return open_q & not_paused & Q(due_at__isnull=True)
    if status == DeadlineStatus.OVERDUE:
        return open_q & not_paused & Q(due_at__lt=now)
    if status == DeadlineStatus.DUE_SOON:
        return open_q & not_paused & Q(due_at__gte=now, due_soon_at__lt=now)
    if status == DeadlineStatus.ON_TIME:
        return (
            open_q & not_paused & Q(due_at__gte=now) & (Q(due_soon_at__isnull=True) | Q(due_soon_at__gte=now))
        )
    return Q(pk__in=[])
