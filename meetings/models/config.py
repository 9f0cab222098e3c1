"""An agency's schedule settings (every window, cap and day is data), the units the office unlocked, the
published weeks, the duty roster and the leaders' citizen-reception days."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from eoffice.models import Agency, Department


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Thứ Hai")
    TUESDAY = 1, _("Thứ Ba")
    WEDNESDAY = 2, _("Thứ Tư")
    THURSDAY = 3, _("Thứ Năm")
    FRIDAY = 4, _("Thứ Sáu")
    SATURDAY = 5, _("Thứ Bảy")
    SUNDAY = 6, _("Chủ nhật")


class ScheduleSettings(models.Model):
    """The schedule rules of one agency (quy chế làm việc). A missing row means the defaults below."""

    agency = models.OneToOneField(
        Agency, verbose_name=_("cơ quan"), on_delete=models.CASCADE, related_name="schedule_settings"
    )
    manager_department = models.ForeignKey(
        Department,
        verbose_name=_("đơn vị quản lý lịch"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "Đơn vị duyệt và tổng hợp lịch (mặc định: Văn phòng). Trưởng, phó và văn thư của đơn vị "
            "này duyệt lịch."
        ),
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người quản lý lịch"),
        blank=True,
        related_name="+",
        help_text=_("Những người được giao quyền duyệt lịch, ngoài đơn vị quản lý lịch."),
    )
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đứng đầu cơ quan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Cuộc họp do người này chủ trì được ưu tiên phòng họp (sau khi xác nhận)."),
    )
    publish_weekday = models.PositiveSmallIntegerField(
        _("ngày ban hành lịch tuần sau"), choices=Weekday.choices, default=Weekday.FRIDAY
    )
    publish_time = models.TimeField(_("giờ ban hành lịch tuần sau"), default=dt.time(16, 0))
    lock_enabled = models.BooleanField(_("khóa đăng ký khi tổng hợp lịch"), default=True)
    lock_from_weekday = models.PositiveSmallIntegerField(
        _("khóa từ ngày"), choices=Weekday.choices, default=Weekday.THURSDAY
    )
    lock_from_time = models.TimeField(_("khóa từ giờ"), default=dt.time(16, 0))
    lock_until_weekday = models.PositiveSmallIntegerField(
        _("mở lại ngày"), choices=Weekday.choices, default=Weekday.MONDAY
    )
    lock_until_time = models.TimeField(_("mở lại lúc"), default=dt.time(8, 0))
    remind_evening_before = models.BooleanField(_("nhắc tối hôm trước"), default=True)
    remind_evening_time = models.TimeField(_("giờ nhắc tối hôm trước"), default=dt.time(17, 0))
    remind_minutes_before = models.PositiveIntegerField(
        _("nhắc trước giờ họp (phút)"), default=60, help_text=_("0: không nhắc.")
    )
    prepare_remind_days = models.PositiveSmallIntegerField(_("nhắc hạn chuẩn bị trước (ngày)"), default=1)
    weekly_cap_hours = models.PositiveSmallIntegerField(
        _("số giờ họp tối đa mỗi tuần của một người"),
        null=True,
        blank=True,
        help_text=_("Vượt quá thì cảnh báo khi đăng ký; để trống: không giới hạn."),
    )
    roll_call_minutes = models.PositiveSmallIntegerField(
        _("điểm danh trước và sau giờ bắt đầu (phút)"), default=30
    )
    publish_public = models.BooleanField(_("công khai lịch trên trang không cần đăng nhập"), default=False)

    class Meta:
        verbose_name = _("cấu hình lịch công tác")
        verbose_name_plural = _("cấu hình lịch công tác")

    def __str__(self) -> str:
        return str(self.agency)


class UnitUnlock(models.Model):
    """The office lets one unit register in a locked week."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(
        Department, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="+"
    )
    week_start = models.DateField(_("tuần (thứ Hai)"))
    unlocked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    unlocked_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(_("lý do"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("mở khóa đăng ký lịch")
        verbose_name_plural = _("mở khóa đăng ký lịch")
        constraints = [
            models.UniqueConstraint(fields=["department", "week_start"], name="meetings_unlock_unique")
        ]

    def __str__(self) -> str:
        return f"{self.department} · {self.week_start:%d/%m/%Y}"


class PublishedWeek(models.Model):
    """The office published an agency's week (thông báo lịch công tác tuần)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    week_start = models.DateField(_("tuần (thứ Hai)"))
    published_at = models.DateTimeField(_("thời điểm ban hành"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("lịch tuần đã ban hành")
        verbose_name_plural = _("lịch tuần đã ban hành")
        constraints = [
            models.UniqueConstraint(fields=["agency", "week_start"], name="meetings_published_week_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency} · {self.week_start:%d/%m/%Y}"


class DutyShift(models.Model):
    """Trực lãnh đạo: who is on duty on a day."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("ngày"))
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("lãnh đạo trực"), on_delete=models.PROTECT, related_name="+"
    )
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("lịch trực lãnh đạo")
        verbose_name_plural = _("lịch trực lãnh đạo")
        ordering = ["date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "date", "person"], name="meetings_duty_unique")
        ]
        indexes = [models.Index(fields=["agency", "date"], name="meetings_duty_day_idx")]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} · {self.person}"


class ReceptionDay(models.Model):
    """Tiếp công dân định kỳ of a leader. Entered here, or fed by another module (``source``)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("ngày"))
    start_time = models.TimeField(_("từ giờ"), default=dt.time(7, 30))
    end_time = models.TimeField(_("đến giờ"), default=dt.time(11, 30))
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("lãnh đạo tiếp"), on_delete=models.PROTECT, related_name="+"
    )
    place = models.CharField(_("địa điểm"), max_length=255, blank=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    source = models.CharField(_("nguồn"), max_length=40, blank=True, help_text=_("Trống: nhập tay."))
    source_ref = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("lịch tiếp công dân")
        verbose_name_plural = _("lịch tiếp công dân")
        ordering = ["date", "start_time", "id"]
        indexes = [models.Index(fields=["agency", "date"], name="meetings_reception_day_idx")]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} · {self.leader}"
