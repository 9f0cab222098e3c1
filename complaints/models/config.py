"""An agency's settings for citizen reception and letters: who receives and handles letters, who decides,
its own deadline for petitions, whether it serves a remote area; and the register counters."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from eoffice.models import Agency, Department


class ComplaintSettings(models.Model):
    agency = models.OneToOneField(
        Agency, verbose_name=_("cơ quan"), on_delete=models.CASCADE, related_name="complaint_settings"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("đơn vị tiếp dân, xử lý đơn"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Mặc định: đơn vị có tên viết tắt TTr (Thanh tra)."),
    )
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ tiếp công dân, xử lý đơn"),
        blank=True,
        related_name="+",
    )
    deciders = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người có thẩm quyền giải quyết"),
        blank=True,
        related_name="+",
        help_text=_("Mặc định: thủ trưởng cơ quan (lãnh đạo không thuộc đơn vị nào)."),
    )
    petition_days = models.PositiveSmallIntegerField(
        _("hạn trả lời kiến nghị, phản ánh (ngày làm việc)"), default=15
    )
    remote_area = models.BooleanField(_("vùng sâu, vùng xa đi lại khó khăn"), default=False)
    publish_answers = models.BooleanField(
        _("công khai trả lời kiến nghị (khi người gửi đồng ý)"), default=True
    )

    class Meta:
        verbose_name = _("cấu hình tiếp công dân, xử lý đơn")
        verbose_name_plural = _("cấu hình tiếp công dân, xử lý đơn")

    def __str__(self) -> str:
        return str(self.agency)


class RegisterCounter(models.Model):
    """The last number of a register (sổ tiếp công dân, sổ xử lý đơn) for an agency and year; locked with
    SELECT … FOR UPDATE by the write that takes a number."""

    class Register(models.TextChoices):
        VISITS = "visits", _("Sổ tiếp công dân")
        LETTERS = "letters", _("Sổ xử lý đơn")

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    register = models.CharField(max_length=10, choices=Register.choices)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "register", "year"], name="complaints_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.register} {self.year}: {self.last}"
