"""The core: agencies, departments, staff and their roles, notifications."""

from __future__ import annotations

from functools import cached_property

from django.contrib.auth.models import AbstractUser, Group
from django.contrib.postgres.indexes import BrinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eoffice.search import fold
from eoffice.validators import agency_code_validator, validate_transparent_png


class Role(models.TextChoices):
    CLERK = "clerk", _("Văn thư")
    LEADER = "leader", _("Lãnh đạo")
    DEPARTMENT_HEAD = "department_head", _("Trưởng/Phó đơn vị")
    OFFICER = "officer", _("Chuyên viên")
    ONESTOP_OFFICER = "onestop_officer", _("Cán bộ một cửa")
    AGENCY_ADMIN = "agency_admin", _("Quản trị cơ quan")
    ARCHIVIST = "archivist", _("Lưu trữ cơ quan")
    # Văn phòng (chánh văn phòng or the person given the role) checks format before signing (Điều 12.2)
    FORMAT_REVIEWER = "format_reviewer", _("Kiểm tra thể thức (Văn phòng)")


def _seal_path(instance: Agency, filename: str) -> str:
    return f"agencies/{instance.code}/seal.png"


def _signature_path(instance: User, filename: str) -> str:
    return f"signatures/{instance.pk or 'new'}/signature.png"


class Agency(models.Model):
    """Cơ quan, tổ chức: one of the hundreds of agencies of the installation."""

    name = models.CharField(_("tên cơ quan"), max_length=255)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan chủ quản"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    code = models.CharField(
        _("mã định danh"),
        max_length=13,
        unique=True,
        validators=[agency_code_validator],
        help_text=_("Mã định danh 13 ký tự theo QCVN 102:2016/BTTTT, ví dụ 000.00.31.H26."),
    )
    code_qd20 = models.CharField(
        _("mã định danh (QĐ 20/2020)"),
        max_length=35,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Mã định danh theo Quyết định 20/2020/QĐ-TTg, ví dụ H26.05 (để trống nếu chưa có)."),
    )
    abbreviation = models.CharField(
        _("chữ viết tắt"),
        max_length=30,
        help_text=_("Dùng trong ký hiệu văn bản, ví dụ UBND trong 15/QĐ-UBND."),
    )
    place_name = models.CharField(
        _("địa danh"), max_length=100, help_text=_("Dùng trong dòng địa danh, ngày tháng, ví dụ Hà Nội.")
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=50, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    seal_image = models.ImageField(
        _("hình ảnh con dấu"),
        upload_to=_seal_path,
        blank=True,
        validators=[validate_transparent_png],
        help_text=_("Ảnh PNG nền trong suốt, màu đỏ, kích thước thật của con dấu."),
    )
    # Secret documents at or above this level (1 Mật, 2 Tối mật, 3 Tuyệt mật) are held as metadata and
    # the place of the paper original only, never as a file (Điều 16.3, 22.4); 4 = every level keeps files.
    secret_metadata_only_from = models.PositiveSmallIntegerField(
        _("văn bản mật chỉ lưu thông tin từ độ mật"),
        default=2,
        choices=[(1, _("Mật")), (2, _("Tối mật")), (3, _("Tuyệt mật")), (4, _("Không áp dụng"))],
        help_text=_(
            "Văn bản có độ mật từ mức này trở lên chỉ lưu thông tin và nơi lưu bản giấy, không lưu tệp."
        ),
    )
    # Staff sign-in with a second factor (Phụ lục VI III.3.a)
    two_factor = models.CharField(
        _("xác thực hai lớp"),
        max_length=10,
        default="optional",
        choices=[
            ("optional", _("Tùy chọn của từng người")),
            ("leaders", _("Bắt buộc với lãnh đạo, văn thư và quản trị")),
            ("all", _("Bắt buộc với mọi người")),
        ],
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("Cơ quan không thể là cơ quan chủ quản của chính nó.")})

    @property
    def parent_name(self) -> str:
        return self.parent.name if self.parent_id else ""


class Department(models.Model):
    """Đơn vị/phòng of an agency; may nest one level."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="departments"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    name = models.CharField(_("tên đơn vị"), max_length=255)
    abbreviation = models.CharField(
        _("chữ viết tắt"),
        max_length=30,
        help_text=_("Dùng trong ký hiệu công văn, ví dụ VP trong 05/UBND-VP."),
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["agency", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "abbreviation"], name="department_unique_abbreviation"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent_id:
            parent = self.parent
            if parent.agency_id != self.agency_id:
                raise ValidationError({"parent": _("Đơn vị cấp trên phải thuộc cùng cơ quan.")})
            if parent.parent_id:
                raise ValidationError({"parent": _("Đơn vị chỉ được lồng một cấp.")})
            if self.pk and parent.pk == self.pk:
                raise ValidationError({"parent": _("Đơn vị không thể trực thuộc chính nó.")})
            if self.pk and self.children.exists():
                raise ValidationError(
                    {"parent": _("Đơn vị đã có đơn vị trực thuộc nên không thể lồng thêm.")}
                )


class AgencyRoleQuerySet(models.QuerySet):
    def group_for(self, agency: Agency, role: str) -> Group:
        """The Django group that carries ``role`` in ``agency`` (created on first use)."""
        existing = self.filter(agency=agency, role=role).select_related("group").first()
        if existing:
            return existing.group
        group, _created = Group.objects.get_or_create(name=f"{agency.code} · {Role(role).label}")
        self.create(agency=agency, role=role, group=group)
        return group


class AgencyRole(models.Model):
    """A role in one agency, carried by a Django group: roles are groups scoped by agency."""

    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="agency_role")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("vai trò"), max_length=30, choices=Role.choices)

    objects = AgencyRoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("vai trò trong cơ quan")
        verbose_name_plural = _("vai trò trong cơ quan")
        constraints = [models.UniqueConstraint(fields=["agency", "role"], name="agency_role_unique")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.agency.abbreviation}"


class User(AbstractUser):
    """A civil servant (cán bộ, công chức) of one agency."""

    full_name = models.CharField(_("họ và tên"), max_length=150)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    position = models.CharField(
        _("chức vụ"), max_length=100, blank=True, help_text=_("Ví dụ: Giám đốc, Trưởng phòng, Chuyên viên.")
    )
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    signature_image = models.ImageField(
        _("hình ảnh chữ ký"),
        upload_to=_signature_path,
        blank=True,
        validators=[validate_transparent_png],
        help_text=_("Ảnh PNG nền trong suốt, mực màu xanh."),
    )

    search_name = models.CharField(max_length=300, blank=True, editable=False)

    REQUIRED_FIELDS = ["email", "full_name"]

    class Meta:
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ")
        ordering = ["full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(department__isnull=True) | Q(agency__isnull=False),
                name="user_department_needs_agency",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def clean(self) -> None:
        super().clean()
        if self.department_id and self.department.agency_id != self.agency_id:
            raise ValidationError({"department": _("Đơn vị phải thuộc cơ quan của cán bộ.")})

    def save(self, *args, **kwargs) -> None:
        self.search_name = fold(self.full_name)
        if kwargs.get("update_fields") is not None and "full_name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name"}
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return (self.full_name.split()[-1] if self.full_name else "") or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        """Role codes this person holds in their own agency."""
        if not self.pk or not self.agency_id:
            return frozenset()
        return frozenset(
            AgencyRole.objects.filter(group__user=self, agency_id=self.agency_id).values_list(
                "role", flat=True
            )
        )

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def role_labels(self) -> list[str]:
        return [str(Role(code).label) for code in Role.values if code in self.roles]

    @property
    def initials(self) -> str:
        parts = (self.full_name or self.username).split()
        return ((parts[0][:1] + parts[-1][:1]) if len(parts) > 1 else parts[0][:2]).upper()


class Notification(models.Model):
    """An in-app notification (the bell). Email delivery follows the person's preferences."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("loại"), max_length=50)
    title = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"), blank=True)
    url = models.CharField(_("đường dẫn"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("thời gian"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("đã gửi thư lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["recipient", "-created_at"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def mark_emailed(self) -> None:
        from django.utils import timezone

        self.emailed_at = timezone.now()
        self.save(update_fields=["emailed_at"])

    def clean(self) -> None:
        if self.url and not self.url.startswith("/"):
            raise ValidationError({"url": _("Đường dẫn phải là đường dẫn nội bộ.")})


class NotificationPreference(models.Model):
    """Which kinds of notification a person also wants by email (in-app is always on)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notification_preferences")
    kind = models.CharField(_("loại"), max_length=50)
    email = models.BooleanField(_("gửi thư điện tử"), default=False)

    class Meta:
        verbose_name = _("tùy chọn thông báo")
        verbose_name_plural = _("tùy chọn thông báo")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_pref_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind}"


class EmailFailure(models.Model):
    """An email that could not be sent, kept with its content: the beat scan sends it again with a growing
    wait (``eoffice.notifications.retry_delay``), the admin shows it and can send it again at once."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ gửi lại")
        SENT = "sent", _("Đã gửi lại")
        GAVE_UP = "gave_up", _("Ngừng gửi lại")

    source = models.CharField(_("nguồn"), max_length=50)
    recipients = models.CharField(_("người nhận"), max_length=1000)
    subject = models.CharField(_("tiêu đề"), max_length=255)
    content = models.JSONField(_("nội dung thư"), default=dict)
    error = models.TextField(_("lỗi gần nhất"), blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("số lần đã thử"), default=1)
    notification = models.ForeignKey(
        Notification,
        verbose_name=_("thông báo"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="email_failures",
    )
    created_at = models.DateTimeField(_("lỗi lần đầu"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("thử lần cuối"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("thử lại lúc"), null=True, blank=True)
    sent_at = models.DateTimeField(_("đã gửi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thư gửi lỗi")
        verbose_name_plural = _("thư gửi lỗi")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"], condition=Q(status="pending"), name="email_failure_due_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipients}: {self.subject}"


class OneTimeCode(models.Model):
    """A one-time code sent to confirm an e-mail address on a public page (``eoffice.otp``); ``purpose``
    keeps one page's codes apart from another's. Only a keyed hash of the code is stored."""

    purpose = models.CharField(max_length=30)
    email = models.EmailField()
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mã xác nhận thư điện tử")
        verbose_name_plural = _("mã xác nhận thư điện tử")
        indexes = [models.Index(fields=["purpose", "email", "created_at"], name="onetimecode_email_idx")]

    def __str__(self) -> str:
        return f"{self.purpose}: {self.email}"


class AccessEvent(models.Model):
    """One view, download, print or export of a record by a person (Phụ lục VI III.5a, III.6l): append
    only. ``kind`` names the record's kind as the records registry does (incoming, outgoing, dossier,
    casefile …), ``object_id`` the record. The statistics read the daily summary (``AccessDaily``) plus
    today's rows, so this table is only ever scanned by its indexes."""

    class Action(models.TextChoices):
        VIEW = "view", _("Xem")
        DOWNLOAD = "download", _("Tải về")
        PRINT = "print", _("In")
        EXPORT = "export", _("Kết xuất")

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(_("thời gian"), default=timezone.now)
    user = models.ForeignKey("User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    kind = models.CharField(_("loại"), max_length=20)
    object_id = models.BigIntegerField()
    action = models.CharField(_("thao tác"), max_length=10, choices=Action.choices, default=Action.VIEW)

    class Meta:
        verbose_name = _("lượt truy cập tài liệu")
        verbose_name_plural = _("lượt truy cập tài liệu")
        indexes = [
            BrinIndex(fields=["at"], name="accessevent_at_brin"),
            models.Index(fields=["kind", "object_id", "at"], name="accessevent_record"),
            models.Index(fields=["user", "at"], name="accessevent_user"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.kind}#{self.object_id}"


class AccessDaily(models.Model):
    """Accesses summed per day, record, person and action by the nightly roll-up of ``AccessEvent``."""

    day = models.DateField()
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    user = models.ForeignKey("User", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    action = models.CharField(max_length=10, choices=AccessEvent.Action.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("thống kê truy cập theo ngày")
        verbose_name_plural = _("thống kê truy cập theo ngày")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "kind", "object_id", "user", "action"],
                name="accessdaily_unique",
                nulls_distinct=False,
            )
        ]
        indexes = [
            models.Index(fields=["agency", "day"], name="accessdaily_agency_day"),
            models.Index(fields=["kind", "object_id"], name="accessdaily_record"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind}#{self.object_id} {self.count}"


class AccessMonthly(models.Model):
    """Accesses summed per month, agency, record kind, person and action (from ``AccessDaily``): what a
    year-long statistics page reads, so its cost follows the months and not the events."""

    month = models.DateField()  # the first day of the month
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    user = models.ForeignKey("User", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=20)
    action = models.CharField(max_length=10, choices=AccessEvent.Action.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("thống kê truy cập theo tháng")
        verbose_name_plural = _("thống kê truy cập theo tháng")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "agency", "kind", "user", "action"],
                name="accessmonthly_unique",
                nulls_distinct=False,
            )
        ]
        indexes = [models.Index(fields=["agency", "month"], name="accessmonthly_agency_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.kind} {self.count}"


class AccessMonthlyRecord(models.Model):
    """Accesses summed per month, record and action (from ``AccessDaily``): the top records of a long period
    are read from here (their distinct people are counted from the daily rows, for those records only)."""

    month = models.DateField()
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    action = models.CharField(max_length=10, choices=AccessEvent.Action.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("thống kê truy cập văn bản theo tháng")
        verbose_name_plural = _("thống kê truy cập văn bản theo tháng")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "agency", "kind", "object_id", "action"],
                name="accessmonthlyrecord_unique",
                nulls_distinct=False,
            )
        ]
        indexes = [models.Index(fields=["agency", "month"], name="accessmonthlyrec_agency_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.kind}#{self.object_id} {self.count}"


class LoginEvent(models.Model):
    """A sign-in to the system, successful or not (III.6b: the statistics of accesses to the system)."""

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(_("thời gian"), default=timezone.now)
    user = models.ForeignKey("User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    username = models.CharField(_("tên đăng nhập"), max_length=150, blank=True)
    success = models.BooleanField(_("thành công"), default=True)

    class Meta:
        verbose_name = _("lượt đăng nhập")
        verbose_name_plural = _("lượt đăng nhập")
        indexes = [
            BrinIndex(fields=["at"], name="loginevent_at_brin"),
            models.Index(fields=["agency", "at"], name="loginevent_agency_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {'ok' if self.success else 'fail'}"


class BackupRun(models.Model):
    """One backup of the database and the files together (III.5g, IV.1e), scheduled or by hand."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Đang sao lưu")
        OK = "ok", _("Thành công")
        FAILED = "failed", _("Thất bại")

    started_at = models.DateTimeField(_("bắt đầu"), default=timezone.now)
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    status = models.CharField(_("kết quả"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    scheduled = models.BooleanField(_("theo lịch"), default=True)
    path = models.CharField(_("tệp sao lưu"), max_length=500, blank=True)
    size = models.BigIntegerField(_("dung lượng (byte)"), default=0)
    files = models.PositiveIntegerField(_("số tệp"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    message = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("bản sao lưu")
        verbose_name_plural = _("bản sao lưu")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.status}"


# The reliability tables (issue 21) live in their own module; imported here so that Django finds them.
from eoffice.ops_models import FailedTask, ServiceHeartbeat, TaskOutbox  # noqa: E402, F401
