"""Meeting rooms of an agency (phòng họp), managed in the admin."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from eoffice.models import Agency


class Room(models.Model):
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="rooms"
    )
    name = models.CharField(_("tên phòng"), max_length=200)
    capacity = models.PositiveIntegerField(_("sức chứa (người)"), default=20)
    equipment = models.TextField(
        _("trang thiết bị"), blank=True, help_text=_("Ví dụ: máy chiếu, cầu truyền hình.")
    )
    location = models.CharField(_("vị trí"), max_length=255, blank=True)
    auto_approve = models.BooleanField(
        _("tự động duyệt"),
        default=False,
        help_text=_("Đăng ký phòng này được duyệt ngay nếu không trùng lịch."),
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("người quản lý phòng"), blank=True, related_name="+"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang sử dụng"), default=True)

    class Meta:
        verbose_name = _("phòng họp")
        verbose_name_plural = _("phòng họp")
        ordering = ["agency", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="meetings_room_unique_name")]

    def __str__(self) -> str:
        return self.name
