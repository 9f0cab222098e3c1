"""One-stop dossiers (hồ sơ một cửa): the procedures catalogue, dossiers, their hand-offs and their clock.

Every day count, hour and form field is data: the procedure's legal time and its internal steps, the
agency's cut-off hour and receiving-unit code (``OnestopConfig``). Models only guard and change fields;
every write goes through ``onestop.services``.
"""

from __future__ import annotations

from datetime import time
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, transition

from eoffice.models import Agency, Department, Role
from workflow.models import WorkflowRecord


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Toàn trình")
    PARTIAL = "partial", _("Một phần")
    OFFLINE = "offline", _("Không trực tuyến")


class TimeUnit(models.TextChoices):
    DAYS = "days", _("ngày làm việc")
    HOURS = "hours", _("giờ làm việc")


class CutoffScope(models.TextChoices):
    """Which receptions the agency's cut-off hour (giờ chốt) moves to the next working day's opening."""

    NONE = "none", _("Không áp dụng")
    HOURS = "hours", _("Chỉ thủ tục giải quyết trong ngày / tính theo giờ")
    ALL = "all", _("Mọi thủ tục")


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
        from workflow import calendar

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


class Channel(models.TextChoices):
    COUNTER = "counter", _("Trực tiếp")
    POST = "post", _("Bưu chính")
    ONLINE = "online", _("Trực tuyến")


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("Cá nhân")
    ORGANISATION = "organisation", _("Tổ chức")


class DossierState(models.TextChoices):
    SUBMITTED = "submitted", _("Chờ tiếp nhận")
    INCOMPLETE = "incomplete", _("Yêu cầu bổ sung")
    REFUSED = "refused", _("Từ chối tiếp nhận")
    RECEIVED = "received", _("Đã tiếp nhận")
    UNIT = "unit", _("Chờ phân công")
    PROCESSING = "processing", _("Đang thụ lý")
    REVIEW = "review", _("Chờ lãnh đạo phòng xem xét")
    APPROVAL = "approval", _("Chờ lãnh đạo phê duyệt")
    SIGNING = "signing", _("Chờ ký số kết quả")
    SUPPLEMENT = "supplement", _("Chờ công dân bổ sung")
    RETURNING = "returning", _("Chờ trả kết quả")
    RETURNED = "returned", _("Đã trả kết quả")
    STOPPED = "stopped", _("Dừng xử lý")


OPEN_STATES = frozenset(
    {
        DossierState.RECEIVED,
        DossierState.UNIT,
        DossierState.PROCESSING,
        DossierState.REVIEW,
        DossierState.APPROVAL,
        DossierState.SIGNING,
        DossierState.SUPPLEMENT,
    }
)
"""The states in which the dossier's clock runs (or is paused): from receipt to the result ready."""

PROCESSING_STATES = OPEN_STATES - {DossierState.SUPPLEMENT}
UNIT_STATES = (DossierState.UNIT, DossierState.PROCESSING, DossierState.REVIEW, DossierState.APPROVAL)
"""With the specialised unit, before the result is signed: a supplement may be asked, a refusal given."""
UNIT_HEAD_STATES = (DossierState.UNIT, DossierState.REVIEW)
"""Waiting on the unit's head (to assign an officer, to review the draft)."""
COUNTER_STATES = (DossierState.SUBMITTED, DossierState.RECEIVED, DossierState.RETURNING)
"""At the one-stop counter: to receive, to hand to the unit, to hand the result over."""
CLOSED_STATES = frozenset(
    {DossierState.INCOMPLETE, DossierState.REFUSED, DossierState.RETURNED, DossierState.STOPPED}
)
STATE_STEP = {
    DossierState.RECEIVED: StepKind.RECEIVE,
    DossierState.UNIT: StepKind.ASSIGN,
    DossierState.PROCESSING: StepKind.PROCESS,
    DossierState.REVIEW: StepKind.REVIEW,
    DossierState.APPROVAL: StepKind.APPROVE,
    DossierState.SIGNING: StepKind.APPROVE,
    DossierState.RETURNING: StepKind.RETURN,
}


class Outcome(models.TextChoices):
    PENDING = "", _("Chưa có")
    APPROVED = "approved", _("Giải quyết")
    REFUSED = "refused", _("Không giải quyết (trả lại có lý do)")
    STOPPED = "stopped", _("Dừng xử lý")


class Timing(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


def timing_of(finished, due) -> str:
    """Early: finished on a day before the due day; on time: by the due instant; late: after it."""
    if due is None or finished is None:
        return ""
    if finished > due:
        return Timing.LATE
    if timezone.localtime(finished).date() < timezone.localtime(due).date():
        return Timing.EARLY
    return Timing.ON_TIME


def _is_onestop(dossier, user) -> bool:
    return user.agency_id == dossier.agency_id and user.has_role(Role.ONESTOP_OFFICER)


def _is_leader(dossier, user) -> bool:
    return user.agency_id == dossier.agency_id and user.has_role(Role.LEADER)


def _is_unit_head(dossier, user) -> bool:
    return (
        user.agency_id == dossier.agency_id
        and user.has_role(Role.DEPARTMENT_HEAD)
        and dossier.department_id is not None
        and user.department_id == dossier.department_id
    )


def _is_holder(dossier, user) -> bool:
    return dossier.holder_id == user.pk


def _may_process(dossier, user) -> bool:
    return _is_holder(dossier, user) or _is_unit_head(dossier, user)


def _may_act_in_processing(dossier, user) -> bool:
    """Who may ask for a supplement, refuse, stop or apologise: the holder, the unit's head, a leader."""
    return _may_process(dossier, user) or _is_leader(dossier, user)


def _dossier_upload(instance, filename: str) -> str:
    return f"onestop/{timezone.now():%Y/%m}/{filename}"


class Dossier(WorkflowRecord):
    """Hồ sơ thủ tục hành chính: one application, from the counter (or the web) to the result handed over."""

    state_labels = dict(DossierState.choices)

    state = FSMField(
        _("trạng thái"),
        max_length=20,
        choices=DossierState.choices,
        default=DossierState.SUBMITTED,
        protected=True,
        db_index=True,
    )
    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="dossiers"
    )
    code = models.CharField(_("mã hồ sơ"), max_length=40, null=True, blank=True, unique=True)
    # A dossier not (yet) received has a public reference instead of a code (online submissions, forms 02/03).
    reference = models.CharField(_("mã tham chiếu"), max_length=20, unique=True)
    channel = models.CharField(
        _("hình thức nộp"), max_length=10, choices=Channel.choices, default=Channel.COUNTER
    )

    applicant_kind = models.CharField(
        _("người nộp là"), max_length=12, choices=ApplicantKind.choices, default=ApplicantKind.PERSON
    )
    applicant_name = models.CharField(_("họ tên người nộp / tên tổ chức"), max_length=255)
    applicant_id_number = models.CharField(_("số định danh / mã số doanh nghiệp"), max_length=20, blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    applicant_phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    summary = models.CharField(_("nội dung yêu cầu"), max_length=500, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    submitted_at = models.DateTimeField(_("ngày nộp"), default=timezone.now)
    received_at = models.DateTimeField(_("ngày tiếp nhận"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tiếp nhận"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    clock_start = models.DateTimeField(_("bắt đầu tính hạn"), null=True, blank=True)
    due_at = models.DateTimeField(_("hẹn trả kết quả"), null=True, blank=True)
    original_due_at = models.DateTimeField(_("hẹn trả ban đầu"), null=True, blank=True)
    paused_at = models.DateTimeField(_("tạm dừng từ"), null=True, blank=True)
    paused_state = models.CharField(max_length=20, blank=True)
    paused_seconds = models.BigIntegerField(default=0)
    extended = models.BooleanField(_("đã gia hạn"), default=False)
    extension_reason = models.TextField(_("lý do quá hạn"), blank=True)
    resolved_at = models.DateTimeField(_("ngày có kết quả"), null=True, blank=True)
    returned_at = models.DateTimeField(_("ngày trả kết quả"), null=True, blank=True)
    timing = models.CharField(_("kết quả về thời hạn"), max_length=10, choices=Timing.choices, blank=True)

    # Where it is now.
    department = models.ForeignKey(
        Department,
        verbose_name=_("đơn vị giải quyết"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đang xử lý"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chuyên viên thụ lý"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lãnh đạo phê duyệt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    # Outcomes and what the forms print.
    outcome = models.CharField(
        _("kết quả giải quyết"), max_length=10, choices=Outcome.choices, blank=True, default=""
    )
    missing_papers = models.TextField(_("giấy tờ cần bổ sung, hoàn thiện"), blank=True)
    refusal_reason = models.TextField(_("lý do từ chối"), blank=True)
    stop_reason = models.TextField(_("lý do dừng xử lý"), blank=True)
    result_file = models.FileField(_("tệp kết quả"), upload_to=_dossier_upload, blank=True, max_length=300)
    result_sha256 = models.CharField(max_length=64, blank=True)
    result_signed = models.BooleanField(_("kết quả đã ký số"), default=False)
    result_number = models.CharField(_("số, ký hiệu kết quả"), max_length=100, blank=True)
    sign_request = models.OneToOneField(
        "signing.SignatureRequest", on_delete=models.SET_NULL, null=True, blank=True, related_name="dossier"
    )
    returned_to = models.CharField(_("người nhận kết quả"), max_length=255, blank=True)

    # Satisfaction at the return.
    rating = models.PositiveSmallIntegerField(
        _("mức độ hài lòng"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.TextField(_("góp ý"), blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hồ sơ một cửa")
        verbose_name_plural = _("hồ sơ một cửa")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="dossier_rating_1_5"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["submitted", "incomplete", "refused"]) | Q(code__isnull=False),
                name="dossier_received_has_code",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "state", "-submitted_at"], name="dossier_agency_state_idx"),
            models.Index(fields=["agency", "received_at"], name="dossier_agency_received_idx"),
            models.Index(fields=["holder", "state"], name="dossier_holder_idx"),
            models.Index(fields=["department", "state"], name="dossier_unit_idx"),
            models.Index(
                fields=["due_at"],
                condition=Q(state__in=sorted(s.value for s in OPEN_STATES)),
                name="dossier_open_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.code or self.reference

    def get_absolute_url(self) -> str:
        return reverse("onestop:detail", args=[self.pk])

    @property
    def public_code(self) -> str:
        return self.code or self.reference

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None

    @property
    def is_overdue(self) -> bool:
        if self.state not in PROCESSING_STATES or self.due_at is None:
            return False
        return timezone.now() > self.due_at

    @property
    def masked_name(self) -> str:
        """ "Nguyễn Văn An" → "Nguyễn V** A*"; an organisation keeps its first word."""
        words = self.applicant_name.split()
        if not words:
            return ""
        return " ".join([words[0], *(w[0] + "*" * (len(w) - 1) for w in words[1:])])

    def clean(self) -> None:
        if self.procedure_id and self.agency_id and self.procedure.agency_id != self.agency_id:
            raise ValidationError({"procedure": _("Thủ tục không thuộc cơ quan này.")})

    # Transitions: services call them after their own checks; permissions guard the buttons.
    @transition(
        field=state, source=DossierState.SUBMITTED, target=DossierState.RECEIVED, permission=_is_onestop
    )
    def accept(self) -> None:
        pass

    @transition(
        field=state, source=DossierState.SUBMITTED, target=DossierState.INCOMPLETE, permission=_is_onestop
    )
    def ask_complete(self) -> None:
        pass

    @transition(
        field=state, source=DossierState.SUBMITTED, target=DossierState.REFUSED, permission=_is_onestop
    )
    def refuse_reception(self) -> None:
        pass

    @transition(field=state, source=DossierState.RECEIVED, target=DossierState.UNIT, permission=_is_onestop)
    def hand_to_unit(self) -> None:
        pass

    @transition(
        field=state, source=DossierState.UNIT, target=DossierState.PROCESSING, permission=_is_unit_head
    )
    def assign_officer(self) -> None:
        pass

    @transition(
        field=state, source=DossierState.PROCESSING, target=DossierState.REVIEW, permission=_is_holder
    )
    def submit_review(self) -> None:
        pass

    @transition(
        field=state, source=DossierState.PROCESSING, target=DossierState.APPROVAL, permission=_may_process
    )
    def submit_approval(self) -> None:
        pass

    @transition(
        field=state, source=DossierState.REVIEW, target=DossierState.APPROVAL, permission=_is_unit_head
    )
    def forward_approval(self) -> None:
        pass

    @transition(
        field=state,
        source=[DossierState.REVIEW, DossierState.APPROVAL],
        target=DossierState.PROCESSING,
        permission=lambda d, u: _is_unit_head(d, u) or _is_leader(d, u),
    )
    def send_back(self) -> None:
        pass

    @transition(field=state, source=DossierState.APPROVAL, target=DossierState.SIGNING, permission=_is_leader)
    def to_signing(self) -> None:
        pass

    @transition(field=state, source=DossierState.SIGNING, target=DossierState.APPROVAL, permission=_is_leader)
    def cancel_signing(self) -> None:
        pass

    @transition(
        field=state,
        source=[DossierState.APPROVAL, DossierState.SIGNING],
        target=DossierState.RETURNING,
        permission=_is_leader,
    )
    def approve(self) -> None:
        pass

    @transition(
        field=state,
        source=UNIT_STATES,
        target=DossierState.SUPPLEMENT,
        permission=_may_act_in_processing,
    )
    def ask_supplement(self) -> None:
        pass

    @transition(
        field=state,
        source=DossierState.SUPPLEMENT,
        target=RETURN_VALUE(*UNIT_STATES),
        permission=lambda d, u: _is_onestop(d, u) or _may_act_in_processing(d, u),
    )
    def supplement_received(self) -> str:
        return self.paused_state

    @transition(
        field=state,
        source=UNIT_STATES,
        target=DossierState.RETURNING,
        permission=_may_act_in_processing,
    )
    def refuse(self) -> None:
        pass

    @transition(
        field=state,
        source=[s.value for s in OPEN_STATES - {DossierState.SIGNING}],
        target=DossierState.STOPPED,
        permission=lambda d, u: _is_leader(d, u) or _is_onestop(d, u),
    )
    def stop(self) -> None:
        pass

    @transition(
        field=state, source=DossierState.RETURNING, target=DossierState.RETURNED, permission=_is_onestop
    )
    def hand_over(self) -> None:
        pass


class DossierPaper(models.Model):
    """A paper of a dossier: ticked at the counter, uploaded online, or added with a supplement."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="papers")
    required = models.ForeignKey(
        RequiredPaper, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    kind = models.CharField(
        _("loại bản"), max_length=10, choices=PaperKind.choices, default=PaperKind.ORIGINAL
    )
    quantity = models.PositiveSmallIntegerField(_("số lượng"), default=1)
    received = models.BooleanField(_("đã nhận"), default=True)
    file = models.FileField(_("bản quét"), upload_to=_dossier_upload, blank=True, max_length=300)
    file_name = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.BigIntegerField(null=True, blank=True)
    supplement = models.ForeignKey(
        "SupplementRequest", on_delete=models.PROTECT, null=True, blank=True, related_name="papers"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("giấy tờ trong hồ sơ")
        verbose_name_plural = _("giấy tờ trong hồ sơ")
        ordering = ["dossier", "id"]

    def __str__(self) -> str:
        return self.name


class DossierStep(models.Model):
    """One hand-off (phiếu kiểm soát quá trình giải quyết hồ sơ, form 06): who gave it to whom, when, and
    whether the step finished early, on time or late against its allotted working time."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("bước"), max_length=10, choices=StepKind.choices)
    name = models.CharField(_("nội dung"), max_length=255)
    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bên giao"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    giver_name = models.CharField(max_length=255, blank=True)
    receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bên nhận"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    receiver_department = models.ForeignKey(
        Department,
        verbose_name=_("đơn vị nhận"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    started_at = models.DateTimeField(_("thời gian giao, nhận"))
    hours = models.DecimalField(max_digits=6, decimal_places=1, default=0)
    due_at = models.DateTimeField(_("hạn của bước"))
    finished_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    timing = models.CharField(_("kết quả"), max_length=10, choices=Timing.choices, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("bước giao nhận")
        verbose_name_plural = _("phiếu kiểm soát quá trình")
        ordering = ["dossier", "started_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(finished_at__isnull=True), name="dossier_one_open_step"
            ),
        ]
        indexes = [
            models.Index(fields=["receiver", "dossier"], name="dossier_step_receiver_idx"),
            models.Index(fields=["receiver_department", "dossier"], name="dossier_step_unit_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def receiver_label(self) -> str:
        if self.receiver_id:
            return str(self.receiver)
        return str(self.receiver_department) if self.receiver_department_id else ""


class SupplementRequest(models.Model):
    """Yêu cầu bổ sung during processing: the clock stops from ``requested_at`` to ``answered_at``."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="supplements")
    content = models.TextField(_("nội dung yêu cầu bổ sung"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_via = models.CharField(max_length=10, choices=Channel.choices, blank=True)
    answer_note = models.TextField(_("ghi chú khi nhận bổ sung"), blank=True)
    paused_seconds = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("yêu cầu bổ sung")
        verbose_name_plural = _("yêu cầu bổ sung")
        ordering = ["dossier", "requested_at", "id"]

    def __str__(self) -> str:
        return self.content[:80]


class EmailCode(models.Model):
    """A one-time code sent to confirm an applicant's email before an online submission."""

    email = models.EmailField()
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["email", "created_at"], name="emailcode_email_idx")]

    def __str__(self) -> str:
        return self.email


class DossierReminder(models.Model):
    """One row per (dossier, level): a reminder goes out once, whatever the workers or restarts."""

    class Level(models.IntegerChoices):
        DUE_SOON = 1, _("Sắp đến hạn trả kết quả")
        OVERDUE = 2, _("Quá hạn trả kết quả")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="reminders")
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    due_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dossier", "level", "due_at"], name="dossier_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier} · {self.get_level_display()}"
