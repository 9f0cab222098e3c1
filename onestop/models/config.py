"""An agency's one-stop settings and the daily dossier-code counter (the e-mail confirmation codes of the
public pages are ``eoffice.otp``)."""

from __future__ import annotations

from datetime import time

from django.db import models
from django.utils.translation import gettext_lazy as _

from eoffice.models import Agency


class CutoffScope(models.TextChoices):
    """Which receptions the agency's cut-off hour (giờ chốt) moves to the next working day's opening."""

    NONE = "none", _("Không áp dụng")
    HOURS = "hours", _("Chỉ thủ tục giải quyết trong ngày / tính theo giờ")
    ALL = "all", _("Mọi thủ tục")


class OnestopConfig(models.Model):
    """An agency's settings for its reception and result-return unit (bộ phận một cửa)."""

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="onestop_config")
    receiving_code = models.CharField(
        _("mã đơn vị tiếp nhận"),
        max_length=20,
        blank=True,
        help_text=_("Phần đầu của mã hồ sơ; để trống thì dùng mã định danh của cơ quan."),
    )
    counter_name = models.CharField(
        _("tên bộ phận một cửa"), max_length=255, default="Bộ phận Tiếp nhận và Trả kết quả"
    )
    counter_address = models.CharField(_("địa chỉ bộ phận một cửa"), max_length=255, blank=True)
    counter_phone = models.CharField(_("điện thoại"), max_length=50, blank=True)
    cutoff = models.TimeField(
        _("giờ chốt tiếp nhận"),
        default=time(15, 0),
        help_text=_(
            "Hồ sơ nhận sau giờ này, trong phạm vi áp dụng dưới đây, được tính hạn từ đầu giờ ngày làm "
            "việc tiếp theo. Mốc 15:00 lấy từ quy định chuyển hồ sơ của bộ phận một cửa: hồ sơ nhận sau 15 "
            "giờ được chuyển cho đơn vị giải quyết vào đầu giờ ngày làm việc tiếp theo. Quy định đó nói về "
            "thời điểm chuyển hồ sơ, không quy định thời hạn giải quyết tính từ ngày hôm sau."
        ),
    )
    cutoff_scope = models.CharField(
        _("phạm vi áp dụng giờ chốt"),
        max_length=5,
        choices=CutoffScope.choices,
        default=CutoffScope.HOURS,
        help_text=_(
            "Mặc định (cách hiểu của hệ thống, không phải quy định pháp luật): chỉ thủ tục giải quyết "
            "trong ngày hoặc tính theo giờ, vì thời hạn của chúng tính theo giờ làm việc nên hồ sơ chuyển "
            "vào sáng hôm sau mất thời gian giải quyết. Thủ tục tính theo ngày không tính ngày tiếp nhận, "
            "nên hồ sơ nhận buổi chiều không bị dời hạn. Từng thủ tục có thể chọn khác."
        ),
    )
    supplement_days = models.PositiveSmallIntegerField(
        _("hạn bổ sung hồ sơ (ngày làm việc)"),
        default=0,
        help_text=_("0: không ghi hạn trên phiếu yêu cầu bổ sung."),
    )

    class Meta:
        verbose_name = _("cấu hình một cửa")
        verbose_name_plural = _("cấu hình một cửa")

    def __str__(self) -> str:
        return str(self.agency)

    @property
    def code_prefix(self) -> str:
        return self.receiving_code or self.agency.code


class DossierCounter(models.Model):
    """The daily sequence of dossier codes per receiving code (upserted, row-locked)."""

    prefix = models.CharField(max_length=20)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "day"], name="dossier_counter_unique")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.day:%y%m%d}: {self.last}"
