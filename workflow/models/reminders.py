"""Reminder and digest markers: a reminder per (assignment, round, level) and a digest per person and day
go out once, whatever the workers or restarts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflow.models.assignments import Assignment


class ReminderLevel(models.IntegerChoices):
    DUE_SOON = 1, _("Sắp đến hạn")
    OVERDUE = 2, _("Nhắc nhở (quá hạn)")
    CRITICISM = 3, _("Phê bình (quá hạn kéo dài)")


class ReminderMark(models.Model):
    """One row per (assignment, level): a reminder is sent once, whatever the workers or restarts."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reminders")
    level = models.PositiveSmallIntegerField(_("mức"), choices=ReminderLevel.choices)
    round = models.PositiveSmallIntegerField(_("lần gia hạn"), default=0)
    created_at = models.DateTimeField(_("thời gian"), default=timezone.now)
    delivered_at = models.DateTimeField(_("đã gửi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("lần nhắc hạn")
        verbose_name_plural = _("lần nhắc hạn")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "round", "level"], name="reminder_once_per_level"),
        ]
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(delivered_at__isnull=True), name="reminder_todo_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} · {self.get_level_display()}"


class DigestMark(models.Model):
    """The daily digest of one person for one day: sent once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_once_per_day")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.day}"
