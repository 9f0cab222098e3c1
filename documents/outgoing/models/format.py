"""Văn phòng's check of format and presentation before signing (Điều 12.2, Phụ lục VI III.5.a): who checks
which document types in an agency, and each check made (its checklist and outcome, on a version)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.outgoing.models.document import OutgoingDocument
from documents.outgoing.models.versions import OutgoingVersion
from eoffice.models import Agency


class FormatReviewRule(models.Model):
    """Who checks format in an agency: for one document type, or (no type) for every type without a rule
    of its own. With no rule at all, the agency's people with the "Kiểm tra thể thức" role check."""

    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.CASCADE, related_name="+")
    doc_type = models.ForeignKey(
        "documents.DocumentType",
        verbose_name=_("loại văn bản"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Để trống: áp dụng cho các loại văn bản không có quy định riêng."),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người kiểm tra"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("phân công kiểm tra thể thức")
        verbose_name_plural = _("phân công kiểm tra thể thức")
        ordering = ["agency", "doc_type", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "doc_type", "reviewer"], name="format_rule_unique", nulls_distinct=False
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} · {self.doc_type_id or '*'} · {self.reviewer_id}"


class FormatCheck(models.Model):
    """One check of a version: the checklist as it was computed and ticked, and the outcome."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Đạt thể thức, trình ký")
        RETURNED = "returned", _("Trả lại để sửa thể thức")

    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, related_name="format_checks")
    version = models.ForeignKey(
        OutgoingVersion, verbose_name=_("phiên bản"), on_delete=models.PROTECT, related_name="+"
    )
    checker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("kết quả"), max_length=10, choices=Outcome.choices)
    # [{"code", "label", "auto": bool, "ok": bool|None, "detail"}] — the automatic checks and the ticks
    checklist = models.JSONField(_("danh mục kiểm tra"), default=list)
    comment = models.TextField(_("ý kiến"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("kiểm tra thể thức")
        verbose_name_plural = _("kiểm tra thể thức")
        ordering = ["document", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.document_id} v{self.version_id} {self.outcome}"
