"""Exchange with agencies outside the installation (QCVN 102:2016, QĐ 28/2018/QĐ-TTg): the directory of
external agencies and the transport each is reached by, the outbox the worker sends from (one row per
package or status, written in the transaction of the business change), every attempt, and the inbox the
poller fills (each received package or status stored as it came, imported exactly once).

Loaded into the app by ``documents.models`` (app label ``documents``). Writes are in
``documents.exchange.services``. A transport is a key of ``settings.EXCHANGE_TRANSPORTS`` (the national axis,
or another eoffice installation's exchange node); its URL and secret live in the settings, never here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eoffice.models import Agency


class ExternalAgency(models.Model):
    """An agency outside the installation: from the axis' directory (synchronised) or entered by an admin.
    Both codes are kept: the 13-character QCVN 102 form the axis still uses, and the QĐ 20/2020 form."""

    class Source(models.TextChoices):
        DIRECTORY = "directory", _("Đồng bộ từ danh bạ trục liên thông")
        MANUAL = "manual", _("Quản trị nhập")

    code = models.CharField(_("mã định danh (QCVN 102)"), max_length=13, unique=True, null=True, blank=True)
    code_qd20 = models.CharField(
        _("mã định danh (QĐ 20/2020)"), max_length=35, unique=True, null=True, blank=True
    )
    name = models.CharField(_("tên cơ quan"), max_length=255)
    parent_name = models.CharField(_("cơ quan chủ quản"), max_length=255, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    email = models.CharField(_("thư điện tử"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=100, blank=True)
    fax = models.CharField(_("fax"), max_length=100, blank=True)
    website = models.CharField(_("trang thông tin"), max_length=255, blank=True)
    transport = models.CharField(
        _("kênh liên thông"),
        max_length=40,
        default="axis",
        help_text=_(
            "Khóa trong cấu hình EXCHANGE_TRANSPORTS: trục quốc gia hoặc nút liên thông eoffice khác."
        ),
    )
    source = models.CharField(_("nguồn"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    active = models.BooleanField(_("đang hoạt động"), default=True)
    synced_at = models.DateTimeField(_("đồng bộ lúc"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cơ quan ngoài hệ thống")
        verbose_name_plural = _("cơ quan ngoài hệ thống")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__isnull=False) | Q(code_qd20__isnull=False), name="external_agency_has_code"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def organ_id(self) -> str:
        """The id the axis addresses it by (the QCVN 102 code when known)."""
        return self.code or self.code_qd20 or ""


class DirectorySync(models.Model):
    """One synchronisation of the directory from a transport, and what it changed (for the admin)."""

    transport = models.CharField(_("kênh liên thông"), max_length=40)
    started_at = models.DateTimeField(_("bắt đầu"), default=timezone.now)
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    added = models.JSONField(_("thêm mới"), default=list, blank=True)
    changed = models.JSONField(_("thay đổi"), default=list, blank=True)
    deactivated = models.JSONField(_("ngừng hoạt động"), default=list, blank=True)
    error = models.TextField(_("lỗi"), blank=True)

    class Meta:
        verbose_name = _("lần đồng bộ danh bạ")
        verbose_name_plural = _("các lần đồng bộ danh bạ")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.transport} {self.started_at:%d/%m/%Y %H:%M}"


class MessageKind(models.TextChoices):
    PACKAGE = "package", _("Gói tin văn bản")
    STATUS = "status", _("Thông điệp trạng thái")


def outbox_path(instance: OutboxMessage, filename: str) -> str:
    now = timezone.now()
    return f"exchange/out/{now:%Y/%m}/{instance.sha256[:16] or 'message'}.edxml"


def inbox_path(instance: InboxMessage, filename: str) -> str:
    now = timezone.now()
    return f"exchange/in/{now:%Y/%m}/{instance.sha256[:16] or 'message'}.edxml"


class OutboxMessage(models.Model):
    """A package or status to send, written in the same transaction as the change it reports; the worker
    builds and signs it on its first attempt (kept, so every retry sends the same bytes), sends it with
    retries and exponential backoff, and records every attempt. A row that keeps failing is "gửi lỗi"."""

    class State(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi lỗi")
        CANCELLED = "cancelled", _("Đã hủy")

    kind = models.CharField(_("loại"), max_length=8, choices=MessageKind.choices)
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan gửi"), on_delete=models.PROTECT, related_name="+"
    )
    external_agency = models.ForeignKey(
        ExternalAgency, verbose_name=_("cơ quan nhận"), on_delete=models.PROTECT, related_name="outbox"
    )
    transport = models.CharField(_("kênh liên thông"), max_length=40)
    # a package: the recipient row of an issued outgoing document, and its business type (0 new, 1 recall,
    # 2 update, 3 replace); a status: the incoming document it reports on and its QCVN 102 code
    recipient = models.ForeignKey(
        "documents.OutgoingRecipient",
        verbose_name=_("nơi nhận"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outbox",
    )
    business_type = models.PositiveSmallIntegerField(_("loại nghiệp vụ"), default=0)
    incoming = models.ForeignKey(
        "documents.IncomingDocument",
        verbose_name=_("văn bản đến"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exchange_statuses",
    )
    status_code = models.CharField(_("mã trạng thái"), max_length=2, blank=True)
    description = models.TextField(_("nội dung, lý do"), blank=True)
    staff_name = models.CharField(_("người xử lý"), max_length=255, blank=True)
    document_id = models.CharField(_("mã văn bản (DocumentId)"), max_length=255, blank=True)
    file = models.FileField(_("gói tin"), upload_to=outbox_path, max_length=300, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.BigIntegerField(default=0)
    state = models.CharField(_("tình trạng"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("gửi lần tới lúc"), default=timezone.now)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    remote_id = models.CharField(_("mã gói tin trên trục"), max_length=100, blank=True)
    sent_at = models.DateTimeField(_("đã gửi lúc"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("gói tin gửi đi")
        verbose_name_plural = _("gói tin gửi đi")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["next_attempt_at"], name="outbox_due_idx", condition=Q(state="pending")),
            models.Index(fields=["agency", "-created_at"], name="outbox_agency_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="package") & Q(recipient__isnull=False))
                | (Q(kind="status") & Q(incoming__isnull=False) & ~Q(status_code="")),
                name="outbox_package_or_status",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.external_agency_id} ({self.state})"


class OutboxAttempt(models.Model):
    """One try at sending an outbox row (append-only)."""

    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField(default=timezone.now)
    ok = models.BooleanField(default=False)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.message_id} {'ok' if self.ok else 'error'}"


class InboxMessage(models.Model):
    """A package or status fetched from a transport, kept as it came. Imported exactly once: the pair
    (transport, remote id) is unique, and a package whose content hash was already imported is linked as a
    duplicate, not imported again."""

    class State(models.TextChoices):
        RECEIVED = "received", _("Đã nhận, chờ xử lý")
        IMPORTED = "imported", _("Đã tiếp nhận")
        REFUSED = "refused", _("Bị từ chối")
        DUPLICATE = "duplicate", _("Trùng gói tin đã nhận")

    kind = models.CharField(_("loại"), max_length=8, choices=MessageKind.choices, blank=True)
    transport = models.CharField(_("kênh liên thông"), max_length=40)
    remote_id = models.CharField(_("mã gói tin trên trục"), max_length=100)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.BigIntegerField(default=0)
    file = models.FileField(_("gói tin"), upload_to=inbox_path, max_length=300)
    state = models.CharField(_("tình trạng"), max_length=10, choices=State.choices, default=State.RECEIVED)
    error_code = models.CharField(_("mã lỗi"), max_length=60, blank=True)
    error_message = models.TextField(_("lý do"), blank=True)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan nhận"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sender_code = models.CharField(_("mã cơ quan gửi"), max_length=35, blank=True)
    sender_name = models.CharField(_("cơ quan gửi"), max_length=255, blank=True)
    document_id = models.CharField(_("mã văn bản (DocumentId)"), max_length=255, blank=True)
    business_type = models.PositiveSmallIntegerField(_("loại nghiệp vụ"), null=True, blank=True)
    status_code = models.CharField(_("mã trạng thái"), max_length=2, blank=True)
    xml_signature = models.JSONField(_("chữ ký gói tin"), default=dict, blank=True)
    pdf_signatures = models.JSONField(_("chữ ký số trên tệp"), default=list, blank=True)
    notices = models.JSONField(_("lưu ý khi đọc gói tin"), default=list, blank=True)
    incoming = models.OneToOneField(
        "documents.IncomingDocument",
        verbose_name=_("văn bản đến"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="exchange_inbox",
    )
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(_("nhận lúc"), default=timezone.now)
    processed_at = models.DateTimeField(_("xử lý lúc"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("đã xác nhận với trục lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("gói tin nhận về")
        verbose_name_plural = _("gói tin nhận về")
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["agency", "-received_at"], name="inbox_agency_idx")]
        constraints = [
            models.UniqueConstraint(fields=["transport", "remote_id"], name="inbox_once_per_remote_id")
        ]

    def __str__(self) -> str:
        return f"{self.transport}:{self.remote_id}"
