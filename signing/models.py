"""Credentials, the signature log, signature requests and batches, publicly verifiable issued files.

``signing`` knows nothing of documents: it signs PDF bytes and keeps what it needs to prove it did.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Backend(models.TextChoices):
    PKCS12 = "pkcs12", _("Tệp PKCS#12 trên máy chủ")
    PKCS11 = "pkcs11", _("Thiết bị ký số (USB token/HSM)")
    CSC = "csc", _("Ký số từ xa (CSC)")


class CredentialKind(models.TextChoices):
    PERSON = "person", _("Cá nhân")
    SEAL = "seal", _("Cơ quan, tổ chức")


class Credential(models.Model):
    """A certificate and the means to use its private key: of a person, or of an agency (the seal).

    PKCS#12 keys are kept encrypted at rest: the PKCS#12 file itself is encrypted (AES-256/PBKDF2) with the
    owner's PIN, which the server never stores; the PIN unlocks the key at signing time.
    """

    kind = models.CharField(_("loại"), max_length=10, choices=CredentialKind.choices)
    backend = models.CharField(_("phương thức"), max_length=10, choices=Backend.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người sở hữu"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signing_credentials",
    )
    agency = models.ForeignKey(
        "eoffice.Agency",
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        related_name="signing_credentials",
    )
    label = models.CharField(_("tên gọi"), max_length=150)
    certificate = models.BinaryField(_("chứng thư số (DER)"))
    chain = models.BinaryField(_("chuỗi chứng thư (PEM)"), default=b"", blank=True)
    subject = models.CharField(_("chủ thể"), max_length=500)
    issuer = models.CharField(_("đơn vị cấp"), max_length=500)
    serial = models.CharField(_("số hiệu"), max_length=80)
    not_before = models.DateTimeField(_("hiệu lực từ"))
    not_after = models.DateTimeField(_("hiệu lực đến"))
    pkcs12_data = models.BinaryField(_("PKCS#12 (mã hóa bằng PIN)"), null=True, blank=True, editable=False)
    token_label = models.CharField(_("nhãn thiết bị"), max_length=100, blank=True)
    key_label = models.CharField(_("nhãn khóa"), max_length=100, blank=True)
    service_url = models.URLField(_("địa chỉ dịch vụ ký từ xa"), blank=True)
    remote_credential_id = models.CharField(_("mã chứng thư trên dịch vụ"), max_length=200, blank=True)
    remote_async = models.BooleanField(
        _("phê duyệt trên điện thoại"),
        default=False,
        help_text=_("Chữ ký được xác nhận sau trên ứng dụng di động."),
    )
    is_test = models.BooleanField(_("chứng thư thử nghiệm"), default=False)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    pin_failures = models.PositiveSmallIntegerField(
        _("số lần nhập sai mã PIN liên tiếp"), default=0, editable=False
    )
    pin_locked_until = models.DateTimeField(
        _("tạm khóa đến"),
        null=True,
        blank=True,
        help_text=_("Bị tạm khóa do nhập sai mã PIN nhiều lần; xóa trường này để mở khóa sớm."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("chứng thư số")
        verbose_name_plural = _("chứng thư số")
        ordering = ["-not_after", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="seal", owner__isnull=True) | Q(kind="person", owner__isnull=False),
                name="credential_owner_matches_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "is_active"], name="credential_owner_idx"),
            models.Index(fields=["agency", "kind", "is_active"], name="credential_agency_idx"),
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        if self.backend == Backend.PKCS12 and not self.pkcs12_data:
            raise ValidationError(_("Thiếu tệp PKCS#12."))

    @property
    def is_pin_locked(self) -> bool:
        return self.pin_locked_until is not None and self.pin_locked_until > timezone.now()

    @property
    def days_left(self) -> int:
        return (self.not_after - timezone.now()).days

    @property
    def is_expired(self) -> bool:
        return self.not_after <= timezone.now()

    @property
    def expires_soon(self) -> bool:
        return not self.is_expired and self.not_after - timezone.now() <= dt.timedelta(
            days=settings.SIGNING_CERT_WARNING_DAYS
        )


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("append-only")

    def delete(self):
        raise PermissionError("append-only")


class SignatureLog(models.Model):
    """Every signature attempt, append-only: who, which file (SHA-256 before and after), backend, result."""

    class Result(models.TextChoices):
        OK = "ok", _("Thành công")
        FAILED = "failed", _("Thất bại")
        PENDING = "pending", _("Chờ xác nhận")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người ký"), on_delete=models.PROTECT, related_name="+"
    )
    credential = models.ForeignKey(
        Credential, verbose_name=_("chứng thư số"), on_delete=models.PROTECT, null=True, related_name="logs"
    )
    kind = models.CharField(_("loại chữ ký"), max_length=20)
    backend = models.CharField(_("phương thức"), max_length=10)
    title = models.CharField(_("tệp"), max_length=255, blank=True)
    sha256_before = models.CharField(_("SHA-256 trước khi ký"), max_length=64)
    sha256_after = models.CharField(_("SHA-256 sau khi ký"), max_length=64, blank=True)
    result = models.CharField(_("kết quả"), max_length=10, choices=Result.choices)
    error = models.TextField(_("lỗi"), blank=True)
    created_at = models.DateTimeField(_("thời gian"), auto_now_add=True, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhật ký ký số")
        verbose_name_plural = _("nhật ký ký số")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.actor} · {self.title} · {self.result}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("SignatureLog is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("SignatureLog is append-only")

    @property
    def kind_label(self) -> str:
        return dict(SignatureRequest.Kind.choices).get(self.kind, self.kind)

    @property
    def reason_label(self) -> str:
        """The failure reason for people (the stored ``error`` is a short technical code or a message)."""
        return str(
            {
                "wrong PIN": _("Sai mã PIN"),
                "wrong PIN (locked)": _("Sai mã PIN, chứng thư số bị tạm khóa"),
                "credential locked after wrong PINs": _("Chứng thư số đang tạm khóa"),
                "permission denied": _("Không có quyền dùng chứng thư số"),
            }.get(self.error, self.error)
        )


def _request_path(instance, filename: str) -> str:
    return f"signing/requests/{timezone.now():%Y/%m}/{filename}"


class SignatureBatch(models.Model):
    """A batch signed by a worker. ``heartbeat_at`` moves after each item: a batch that is not finished and
    whose heartbeat stopped (the worker was killed) is queued again by the beat scan
    (``services.batches_resume``); ``pin_token`` is the cache key of the encrypted PIN (never the PIN),
    cleared when the batch finishes; ``runs`` counts the runs, so that a batch that kills its worker every
    time is stopped after a few."""

    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("lần cuối hoạt động"), default=timezone.now)
    pin_token = models.CharField(max_length=64, blank=True, editable=False)
    runs = models.PositiveSmallIntegerField(_("số lần chạy"), default=0, editable=False)

    class Meta:
        verbose_name = _("lượt ký hàng loạt")
        verbose_name_plural = _("lượt ký hàng loạt")
        indexes = [
            models.Index(
                fields=["heartbeat_at"], condition=Q(finished_at__isnull=True), name="sigbatch_unfinished_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"


class SignatureRequest(models.Model):
    """A PDF waiting for a signature. The caller (e.g. the document module) knows what it is."""

    class Kind(models.TextChoices):
        LEADER = "leader", _("Chữ ký người có thẩm quyền")
        SEAL = "seal", _("Chữ ký số cơ quan")
        ATTACHMENT = "attachment", _("Chữ ký số cơ quan trên văn bản kèm theo")

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ ký")
        QUEUED = "queued", _("Đang xếp hàng")
        AWAITING_REMOTE = "awaiting_remote", _("Chờ xác nhận trên điện thoại")
        SIGNED = "signed", _("Đã ký")
        FAILED = "failed", _("Lỗi")
        CANCELLED = "cancelled", _("Đã hủy")

    title = models.CharField(_("tiêu đề"), max_length=255)
    pdf = models.FileField(_("tệp PDF"), upload_to=_request_path)
    sha256 = models.CharField(max_length=64)
    agency = models.ForeignKey("eoffice.Agency", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người trình"), on_delete=models.PROTECT, related_name="+"
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ký"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signature_requests",
        help_text=_("Người có thẩm quyền ký; để trống với chữ ký số cơ quan (văn thư ký)."),
    )
    kind = models.CharField(_("loại chữ ký"), max_length=20, choices=Kind.choices)
    page = models.PositiveIntegerField(_("trang"), default=0)
    box = models.JSONField(_("vị trí"), null=True, blank=True, help_text=_("[x1, y1, x2, y2] theo điểm PDF."))
    stamp_text = models.CharField(_("số, ký hiệu"), max_length=100, blank=True)
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.PENDING)
    batch = models.ForeignKey(
        SignatureBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )
    result = models.FileField(_("tệp đã ký"), upload_to=_request_path, blank=True)
    result_sha256 = models.CharField(max_length=64, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    callback = models.CharField(
        _("hàm gọi lại"),
        max_length=200,
        blank=True,
        help_text=_("Đường dẫn dạng module.hàm, gọi khi ký xong."),
    )
    prepare = models.CharField(
        _("hàm chuẩn bị"),
        max_length=200,
        blank=True,
        help_text=_(
            "Đường dẫn dạng module.hàm, gọi ngay trước khi ký trong cùng giao dịch; trả về tệp PDF cần ký "
            "(và vị trí chữ ký). Lỗi khi ký sẽ hoàn tác mọi việc hàm này đã làm."
        ),
    )
    on_signed = models.CharField(
        _("hàm hoàn tất"),
        max_length=200,
        blank=True,
        help_text=_("Đường dẫn dạng module.hàm, gọi trong cùng giao dịch khi đã ký xong."),
    )
    source_url = models.CharField(
        _("trang hồ sơ"), max_length=300, blank=True, help_text=_("Trang của hồ sơ cần ký (nếu có).")
    )
    remote_state = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("yêu cầu ký số")
        verbose_name_plural = _("yêu cầu ký số")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["signer", "status"], name="sigreq_signer_status_idx"),
            models.Index(fields=["agency", "kind", "status"], name="sigreq_agency_kind_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in {self.Status.PENDING, self.Status.FAILED}


def _public_path(instance, filename: str) -> str:
    return f"signing/public/{instance.code}.pdf"


class PublicVerification(models.Model):
    """A signed file this installation issued, verifiable by anyone through a random public code."""

    code = models.CharField(_("mã tra cứu"), max_length=32, unique=True)
    title = models.CharField(_("tiêu đề"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    file = models.FileField(_("tệp"), upload_to=_public_path)
    allow_download = models.BooleanField(_("cho phép tải về"), default=False)
    report = models.JSONField(_("kết quả kiểm tra"), default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp tra cứu công khai")
        verbose_name_plural = _("tệp tra cứu công khai")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.code} · {self.title}"
