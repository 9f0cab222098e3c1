"""History: one append-only row per event of a record's life (no update or delete path)."""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eoffice.models import Agency
from workflow.models.base import ACTIONS, state_label


class HistoryIsAppendOnly(Exception):  # noqa: N818
    """Raised on any attempt to change or delete a history row."""


class HistoryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise HistoryIsAppendOnly("history rows cannot be updated")

    def delete(self):
        raise HistoryIsAppendOnly("history rows cannot be deleted")

    def bulk_update(self, objs, fields, batch_size=None):
        raise HistoryIsAppendOnly("history rows cannot be updated")

    def update_or_create(self, *args, **kwargs):
        raise HistoryIsAppendOnly("history rows cannot be updated")

    def _raw_delete(self, using):
        raise HistoryIsAppendOnly("history rows cannot be deleted")

    def for_record(self, record) -> HistoryQuerySet:
        ct = ContentType.objects.get_for_model(record.__class__)
        return self.filter(content_type=ct, object_id=record.pk)


def history_upload_path(instance: HistoryEntry, filename: str) -> str:
    now = timezone.now()
    return f"workflow/history/{now:%Y/%m}/{filename}"


class HistoryEntry(models.Model):
    """One event of a record's life: a transition, or another event worth keeping (views, deadlines …)."""

    class Event(models.TextChoices):
        TRANSITION = "transition", _("Chuyển trạng thái")
        CREATED = "created", _("Khởi tạo")
        ASSIGNED = "assigned", _("Giao xử lý")
        REASSIGNED = "reassigned", _("Chuyển giao")
        PROGRESS = "progress", _("Báo cáo tiến độ")
        COMPLETED = "completed", _("Hoàn thành phần việc")
        READ = "read", _("Đã xem")
        VIEW = "view", _("Xem hồ sơ mật")
        DEADLINE = "deadline", _("Thay đổi hạn xử lý")
        PAUSED = "paused", _("Tạm dừng tính hạn")
        RESUMED = "resumed", _("Tiếp tục tính hạn")
        COMMENT = "comment", _("Ý kiến")
        UPDATED = "updated", _("Cập nhật nội dung")

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.BigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    event = models.CharField(_("sự kiện"), max_length=20, choices=Event.choices)
    action = models.CharField(_("thao tác"), max_length=40, blank=True)
    from_state = models.CharField(_("từ trạng thái"), max_length=20, blank=True)
    to_state = models.CharField(_("sang trạng thái"), max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("thời gian"), default=timezone.now)
    comment = models.TextField(_("ý kiến, chỉ đạo"), blank=True)
    attachment = models.FileField(
        _("tệp đính kèm"), upload_to=history_upload_path, blank=True, max_length=300
    )
    attachment_name = models.CharField(max_length=255, blank=True)
    attachment_sha256 = models.CharField(max_length=64, blank=True)
    attachment_size = models.BigIntegerField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = HistoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("lịch sử xử lý")
        verbose_name_plural = _("lịch sử xử lý")
        ordering = ["created_at", "id"]
        default_permissions = ("add", "view")
        indexes = [
            models.Index(fields=["content_type", "object_id", "created_at"], name="history_record_idx"),
            models.Index(fields=["actor", "created_at"], name="history_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} · {self.created_at:%d/%m/%Y %H:%M}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise HistoryIsAppendOnly("history rows cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise HistoryIsAppendOnly("history rows cannot be deleted")

    @cached_property
    def record_model(self) -> type | None:
        """The model class of the record; from the content-type cache (no query per row).

        A page showing one record's history sets it once for all rows (``{% workflow_history %}``).
        """
        return ContentType.objects.get_for_id(self.content_type_id).model_class()

    @property
    def from_label(self):
        return state_label(self.from_state, self.record_model) if self.from_state else ""

    @property
    def to_label(self):
        return state_label(self.to_state, self.record_model) if self.to_state else ""

    @property
    def action_label(self):
        if self.action in ACTIONS:
            return ACTIONS[self.action].label
        return self.get_event_display()

    def get_attachment_url(self) -> str:
        return reverse("workflow:history_file", args=[self.pk]) if self.attachment else ""
