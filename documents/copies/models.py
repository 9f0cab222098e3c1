"""A copy (bản sao) of an issued outgoing or a received incoming document, and where it was sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eoffice.models import Agency


class CopyForm(models.TextChoices):
    """Hình thức bản sao (Điều 25) and its symbol in the copy's number ("01/SY-VP")."""

    SY = "SY", _("Sao y")
    SL = "SL", _("Sao lục")
    TS = "TS", _("Trích sao")


def upload_copy_path(instance: DocumentCopy, filename: str) -> str:
    now = timezone.now()
    return f"documents/copies/{now:%Y/%m}/{instance.agency_id}-{instance.form}-{instance.sha256[:16]}.pdf"


class DocumentCopy(models.Model):
    """Bản sao: drafted by the clerk (form, source, excerpt, signer, recipients), then numbered, signed with
    the agency's certificate and issued in one step; delivered like an outgoing document."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Đang lập")
        ISSUED = "issued", _("Đã ban hành")
        CANCELLED = "cancelled", _("Đã hủy")

    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+")
    form = models.CharField(_("hình thức sao"), max_length=2, choices=CopyForm.choices)
    state = models.CharField(_("tình trạng"), max_length=10, choices=State.choices, default=State.DRAFT)
    source_outgoing = models.ForeignKey(
        "documents.OutgoingDocument",
        verbose_name=_("văn bản đi được sao"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="copies_made",
    )
    source_incoming = models.ForeignKey(
        "documents.IncomingDocument",
        verbose_name=_("văn bản đến được sao"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="copies_made",
    )
    # Trích sao: the pages (or text) taken from the original, e.g. "2-3" or "1,4"
    pages = models.CharField(_("trang trích sao"), max_length=50, blank=True)
    excerpt = models.TextField(_("phần trích sao"), blank=True)
    register = models.ForeignKey(
        "documents.Register", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    number = models.PositiveIntegerField(_("số"), null=True, blank=True)
    number_symbol = models.CharField(_("số, ký hiệu bản sao"), max_length=100, blank=True)
    place_name = models.CharField(_("địa danh"), max_length=100, blank=True)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ký bản sao"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signer_authority = models.CharField(_("thẩm quyền ký"), max_length=5, blank=True)
    authority_title = models.CharField(_("chức danh người đứng đầu / tập thể"), max_length=150, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=150, blank=True)
    distribution = models.TextField(_("nơi nhận"), blank=True, help_text=_("Mỗi nơi một dòng."))
    archive_note = models.CharField(_("lưu"), max_length=100, blank=True)
    file = models.FileField(_("tệp bản sao"), upload_to=upload_copy_path, max_length=300, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    page_count = models.PositiveIntegerField(_("số trang"), default=0)
    public_code = models.CharField(_("mã tra cứu công khai"), max_length=32, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField(_("ngày sao"), null=True, blank=True)

    class Meta:
        verbose_name = _("bản sao văn bản")
        verbose_name_plural = _("bản sao văn bản")
        ordering = ["-created_at", "-id"]
        default_permissions = ("add", "change", "view")
        constraints = [
            models.UniqueConstraint(
                fields=["register", "year", "number"],
                condition=Q(number__isnull=False),
                name="copy_unique_number",
            ),
            models.CheckConstraint(
                condition=Q(source_outgoing__isnull=False) ^ Q(source_incoming__isnull=False),
                name="copy_has_one_source",
            ),
        ]
        indexes = [models.Index(fields=["agency", "form", "-issued_at"], name="copy_agency_form_idx")]

    def __str__(self) -> str:
        return self.number_symbol or f"{self.get_form_display()} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("documents:copy_detail", args=[self.pk])


class CopyRecipient(models.Model):
    """Where a copy was sent: an agency of the installation (delivered as an incoming document) or a line
    of "Nơi nhận" outside it."""

    copy = models.ForeignKey(DocumentCopy, on_delete=models.CASCADE, related_name="recipients")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    name = models.CharField(_("nơi nhận"), max_length=255)
    incoming = models.OneToOneField(
        "documents.IncomingDocument",
        verbose_name=_("văn bản đến tại nơi nhận"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="source_copy_recipient",
    )
    delivered_at = models.DateTimeField(_("đã gửi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("nơi nhận bản sao")
        verbose_name_plural = _("nơi nhận bản sao")
        ordering = ["copy", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["copy", "agency"], condition=Q(agency__isnull=False), name="copy_recipient_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name
