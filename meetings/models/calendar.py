"""Calendar feeds (webcal, read-only, secret token), reminders sent once, and what each person last saw."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from eoffice.models import Department
from meetings.models.meeting import Meeting


class CalendarFeed(models.Model):
    """A read-only iCalendar feed of a person's or a unit's published schedule. The URL carries a secret
    token; only its SHA-256 is kept. Revoking it ends the feed at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lịch đồng bộ (iCalendar)")
        verbose_name_plural = _("lịch đồng bộ (iCalendar)")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, department__isnull=True)
                | Q(user__isnull=True, department__isnull=False),
                name="calendar_feed_one_owner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user or self.department}"


class MeetingReminder(models.Model):
    """One reminder sent to one person for one meeting: the unique row makes it sent once."""

    class Kind(models.TextChoices):
        EVENING = "evening", _("Nhắc tối hôm trước")
        SOON = "soon", _("Nhắc trước giờ họp")
        PREPARE = "prepare", _("Nhắc hạn chuẩn bị")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    start_at = models.DateTimeField(
        help_text="The meeting's start when sent: a moved meeting is reminded again"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user", "kind", "start_at"], name="meeting_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.meeting_id} · {self.user_id}"


class ScheduleSeen(models.Model):
    """When a person last looked at a week: meetings changed after it carry "đã thay đổi"."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week_start = models.DateField()
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "week_start"], name="schedule_seen_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.week_start}"
