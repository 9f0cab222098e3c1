"""Case files (hồ sơ công việc): opened from the annual list, documents added by link, then closed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.incoming.models import IncomingDocument
from eoffice.models import Agency, Department


class CaseFile(models.Model):
    """Hồ sơ công việc: opened from the annual list, documents added without copies, then closed."""

    class Status(models.TextChoices):
        OPEN = "open", _("Đang mở")
        CLOSED = "closed", _("Đã kết thúc")

    class Retention(models.TextChoices):
        PERMANENT = "permanent", _("Vĩnh viễn")
        Y70 = "70", _("70 năm")
        Y50 = "50", _("50 năm")
        Y30 = "30", _("30 năm")
        Y20 = "20", _("20 năm")
        Y10 = "10", _("10 năm")
        Y5 = "5", _("5 năm")

    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Department,
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    code = models.CharField(_("số và ký hiệu hồ sơ"), max_length=50)
    title = models.CharField(_("tiêu đề hồ sơ"), max_length=300)
    retention = models.CharField(_("thời hạn bảo quản"), max_length=10, choices=Retention.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lập hồ sơ"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("tình trạng"), max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(_("ngày mở"), default=timezone.now)
    closed_at = models.DateTimeField(_("ngày kết thúc"), null=True, blank=True)
    documents = models.ManyToManyField(IncomingDocument, through="CaseFileItem", related_name="case_files")

    class Meta:
        verbose_name = _("hồ sơ công việc")
        verbose_name_plural = _("hồ sơ công việc")
        ordering = ["-year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "code"], name="casefile_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("documents:casefile_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class CaseFileItem(models.Model):
    case_file = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="items")
    document = models.ForeignKey(IncomingDocument, on_delete=models.PROTECT, related_name="case_file_items")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case_file", "document"], name="casefile_item_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.case_file_id} · {self.document_id}"
