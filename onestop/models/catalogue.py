"""The procedures catalogue: fields (lĩnh vực), procedures, their required papers and internal steps."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from eoffice.models import Agency, Department, Role
from workflow import calendar


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Toàn trình")
    PARTIAL = "partial", _("Một phần")
    OFFLINE = "offline", _("Không trực tuyến")


class TimeUnit(models.TextChoices):
    DAYS = "days", _("ngày làm việc")
    HOURS = "hours", _("giờ làm việc")


class CutoffRule(models.TextChoices):
    """A procedure's own choice about the cut-off hour, over the agency's scope."""

    INHERIT = "", _("Theo cấu hình một cửa của cơ quan")
    APPLY = "apply", _("Áp dụng giờ chốt")
    SKIP = "skip", _("Không áp dụng giờ chốt")


class ProcedureField(models.Model):
    """Lĩnh vực: the field a procedure belongs to (đăng ký kinh doanh, đầu tư, hộ tịch …)."""

    code = models.CharField(_("mã lĩnh vực"), max_length=30, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=255, unique=True)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProcedureQuerySet(models.QuerySet):
    def active(self) -> ProcedureQuerySet:
        return self.filter(is_active=True)

    def online(self) -> ProcedureQuerySet:
        return self.active().exclude(online_level=OnlineLevel.OFFLINE)


class Procedure(models.Model):
    """Thủ tục hành chính offered by one agency."""

    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+")
    code = models.CharField(
        _("mã thủ tục"), max_length=30, help_text=_("Mã trên Cơ sở dữ liệu quốc gia, ví dụ 1.001612.")
    )
    name = models.CharField(_("tên thủ tục"), max_length=500)
    field = models.ForeignKey(
        ProcedureField, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="procedures"
    )
    online_level = models.CharField(
        _("mức độ dịch vụ công trực tuyến"),
        max_length=10,
        choices=OnlineLevel.choices,
        default=OnlineLevel.FULL,
    )
    time_value = models.DecimalField(
        _("thời hạn giải quyết"),
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
        help_text=_("Theo quy định của pháp luật."),
    )
    time_unit = models.CharField(
        _("đơn vị thời hạn"), max_length=5, choices=TimeUnit.choices, default=TimeUnit.DAYS
    )
    fee_amount = models.PositiveIntegerField(_("phí, lệ phí (đồng)"), default=0)
    fee_note = models.CharField(_("ghi chú phí, lệ phí"), max_length=500, blank=True)
    result_name = models.CharField(
        _("kết quả thực hiện"), max_length=255, help_text=_("Ví dụ: Giấy chứng nhận đăng ký doanh nghiệp.")
    )
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    handling_department = models.ForeignKey(
        Department,
        verbose_name=_("đơn vị giải quyết"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Phòng chuyên môn thường nhận hồ sơ của thủ tục này."),
    )
    cutoff_rule = models.CharField(
        _("giờ chốt tiếp nhận"),
        max_length=5,
        choices=CutoffRule.choices,
        default=CutoffRule.INHERIT,
        blank=True,
        help_text=_(
            "Hồ sơ nhận sau giờ chốt có được tính hạn từ đầu giờ ngày làm việc tiếp theo không. "
            "Mặc định theo phạm vi áp dụng giờ chốt trong cấu hình một cửa của cơ quan."
        ),
    )
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["field__name", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="procedure_unique_code")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("onestop_public:procedure", args=[self.pk])

    @property
    def legal_hours(self) -> Decimal:
        """The legal time in working hours (a working day is the calendar's office hours)."""
        if self.time_unit == TimeUnit.HOURS:
            return self.time_value
        return self.time_value * Decimal(calendar.seconds_per_day()) / Decimal(3600)

    @property
    def time_label(self) -> str:
        return f"{_hours_text(self.time_value)} {self.get_time_unit_display()}"

    @property
    def counted_in_hours(self) -> bool:
        """The legal time is counted in office time (hours, or a part of a day): a procedure settled within
        the day or by the hour. Whole days end at the close of office of the last day."""
        return self.time_unit == TimeUnit.HOURS or self.time_value != self.time_value.to_integral()

    @property
    def accepts_online(self) -> bool:
        return self.is_active and self.online_level != OnlineLevel.OFFLINE

    def steps_error(self, hours: list[Decimal]) -> str:
        """Why these step allotments do not add up to the legal time ("" when they do)."""
        total = sum(hours, Decimal(0))
        if total != self.legal_hours:
            return str(
                _("Tổng thời gian các bước (%(total)s giờ) phải bằng thời hạn giải quyết (%(legal)s giờ).")
                % {"total": _hours_text(total), "legal": _hours_text(self.legal_hours)}
            )
        return ""


def _hours_text(value: Decimal) -> str:
    """12 → "12", 12.50 → "12.5" (``normalize`` would print 20 as "2E+1")."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class PaperKind(models.TextChoices):
    ORIGINAL = "original", _("Bản chính")
    COPY = "copy", _("Bản sao")
    CERTIFIED = "certified", _("Bản sao chứng thực")
    ORIGINAL_OR_COPY = "either", _("Bản chính hoặc bản sao")


class RequiredPaper(models.Model):
    """Thành phần hồ sơ: one paper the applicant must (or may) bring."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="papers")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    kind = models.CharField(
        _("loại bản"), max_length=10, choices=PaperKind.choices, default=PaperKind.ORIGINAL
    )
    quantity = models.PositiveSmallIntegerField(_("số lượng"), default=1, validators=[MinValueValidator(1)])
    mandatory = models.BooleanField(_("bắt buộc"), default=True)

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["procedure", "order", "id"]

    def __str__(self) -> str:
        return self.name


class StepKind(models.TextChoices):
    """The internal steps every dossier goes through, in this order (review is optional)."""

    RECEIVE = "receive", _("Tiếp nhận và chuyển hồ sơ")
    ASSIGN = "assign", _("Phân công thụ lý")
    PROCESS = "process", _("Thẩm định, xử lý hồ sơ")
    REVIEW = "review", _("Xem xét, trình ký")
    APPROVE = "approve", _("Phê duyệt, ký kết quả")
    RETURN = "return", _("Trả kết quả")


STEP_ORDER = [
    StepKind.RECEIVE,
    StepKind.ASSIGN,
    StepKind.PROCESS,
    StepKind.REVIEW,
    StepKind.APPROVE,
    StepKind.RETURN,
]
STEP_ROLE = {
    StepKind.RECEIVE: Role.ONESTOP_OFFICER,
    StepKind.ASSIGN: Role.DEPARTMENT_HEAD,
    StepKind.PROCESS: Role.OFFICER,
    StepKind.REVIEW: Role.DEPARTMENT_HEAD,
    StepKind.APPROVE: Role.LEADER,
    StepKind.RETURN: Role.ONESTOP_OFFICER,
}


class ProcedureStep(models.Model):
    """An internal step of a procedure with the working time allotted to it (quy trình nội bộ)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("bước"), max_length=10, choices=StepKind.choices)
    name = models.CharField(_("nội dung công việc"), max_length=255, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("đơn vị thực hiện"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    hours = models.DecimalField(
        _("thời gian (giờ làm việc)"),
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(Decimal(0))],
    )

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("quy trình nội bộ")
        ordering = ["procedure", "id"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "kind"], name="procedure_step_unique_kind")
        ]

    def __str__(self) -> str:
        return self.name or self.get_kind_display()

    @property
    def role(self) -> str:
        return STEP_ROLE[StepKind(self.kind)]

    @property
    def label(self) -> str:
        return self.name or str(self.get_kind_display())
