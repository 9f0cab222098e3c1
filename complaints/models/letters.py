"""The sổ xử lý đơn: one ``Letter`` per letter received (in person, by post, forwarded, online …), its
scans, and the people who signed it (``Identity``, kept apart and encrypted)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eoffice.models import Agency

from .reception import Visit


class Source(models.TextChoices):
    IN_PERSON = "in_person", _("Trực tiếp tại nơi tiếp công dân")
    POST = "post", _("Qua bưu chính")
    ONLINE = "online", _("Trực tuyến")
    FORWARDED = "forwarded", _("Cơ quan khác chuyển đến")
    PRESS = "press", _("Cơ quan báo chí chuyển đến")
    PEOPLES_COUNCIL = "peoples_council", _("Hội đồng nhân dân chuyển đến")
    DEPUTIES = "deputies", _("Đại biểu Quốc hội chuyển đến")
    FATHERLAND_FRONT = "fatherland_front", _("Mặt trận Tổ quốc chuyển đến")
    LEADER = "leader", _("Lãnh đạo chỉ đạo")


def letter_file_path(instance: LetterFile, filename: str) -> str:
    return f"complaints/{instance.letter.agency_id}/{instance.letter_id}/{instance.kind}-{filename}"


class Letter(models.Model):
    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveIntegerField(_("số vào sổ"))
    received_on = models.DateField(
        _("ngày nhận đơn"), help_text=_("Quyết định phiên bản thời hạn theo luật được áp dụng.")
    )
    registered_at = models.DateTimeField(_("vào sổ lúc"), default=timezone.now)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận đơn"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Đơn trực tuyến: cán bộ nhận xử lý đơn."),
    )
    source = models.CharField(_("nguồn đơn"), max_length=20, choices=Source.choices)
    source_org = models.CharField(_("cơ quan chuyển đến"), max_length=255, blank=True)
    source_reference = models.CharField(_("số, ngày văn bản chuyển"), max_length=100, blank=True)
    incoming = models.ForeignKey(
        "documents.IncomingDocument",
        verbose_name=_("văn bản đến kèm theo"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    visit = models.ForeignKey(
        Visit,
        verbose_name=_("lượt tiếp"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letters",
    )
    summary = models.TextField(
        _("tóm tắt nội dung"), help_text=_("Không ghi họ tên, địa chỉ người tố cáo được giữ bí mật.")
    )
    signer_count = models.PositiveSmallIntegerField(_("số người đứng đơn"), default=1)
    anonymous = models.BooleanField(_("đơn không rõ họ tên, địa chỉ"), default=False)
    protected = models.BooleanField(_("giữ bí mật người tố cáo"), default=False)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("trùng với đơn"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    decider = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người có thẩm quyền giải quyết"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("đơn")
        verbose_name_plural = _("sổ xử lý đơn")
        ordering = ["-registered_at", "-pk"]
        indexes = [models.Index(fields=["agency", "-registered_at"], name="letter_register_idx")]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "number"], name="letter_number_unique"),
            models.CheckConstraint(condition=models.Q(signer_count__gte=1), name="letter_signer_count"),
        ]

    def __str__(self) -> str:
        return f"{self.number}/{self.year}"

    def get_absolute_url(self) -> str:
        return reverse("complaints:letter", args=[self.pk])

    @property
    def multi_signer(self) -> bool:
        return self.signer_count > 1


class LetterFile(models.Model):
    """A scan of the letter or of a paper handed in. A protected letter's originals are stored encrypted
    (``encrypted``) and only entitled people download them; everyone else gets the ``REDACTED`` copy, whose
    masks are burned into page images with no text layer."""

    class Kind(models.TextChoices):
        LETTER = "letter", _("Bản chụp đơn")
        PAPER = "paper", _("Tài liệu kèm theo")
        REDACTED = "redacted", _("Bản đã che thông tin người tố cáo")

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("tên tệp"), max_length=255)
    file = models.FileField(_("tệp"), upload_to=letter_file_path, max_length=500)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    encrypted = models.BooleanField(default=False)
    redacted_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="redactions"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("tệp đơn")
        verbose_name_plural = _("tệp đơn")
        ordering = ["letter", "kind", "pk"]

    def __str__(self) -> str:
        return self.name
