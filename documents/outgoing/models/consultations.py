"""Lấy ý kiến: consultations on an outgoing draft and each respondent's answer."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.outgoing.models.document import OutgoingDocument
from documents.outgoing.models.versions import OutgoingVersion
from eoffice.models import Department


class Consultation(models.Model):
    """Lấy ý kiến: a question on the draft to several people or units in parallel, with a deadline."""

    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, related_name="consultations")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    question = models.TextField(_("nội dung xin ý kiến"))
    version = models.ForeignKey(OutgoingVersion, on_delete=models.SET_NULL, null=True, related_name="+")
    deadline = models.DateTimeField(_("hạn góp ý"))
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(_("ngày tổng hợp"), null=True, blank=True)
    summary = models.TextField(_("tổng hợp ý kiến"), blank=True)

    class Meta:
        verbose_name = _("đợt lấy ý kiến")
        verbose_name_plural = _("đợt lấy ý kiến")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.question[:60]

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class ConsultationAnswer(models.Model):
    class Answer(models.TextChoices):
        PENDING = "pending", _("Chưa trả lời")
        AGREE = "agree", _("Đồng ý")
        DISAGREE = "disagree", _("Không đồng ý")
        OTHER = "other", _("Ý kiến khác")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="answers")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người cho ý kiến"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("thay mặt đơn vị"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answer = models.CharField(_("ý kiến"), max_length=10, choices=Answer.choices, default=Answer.PENDING)
    note = models.TextField(_("ghi chú"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ý kiến góp ý")
        verbose_name_plural = _("ý kiến góp ý")
        ordering = ["consultation", "id"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "respondent"], name="consultation_answer_unique")
        ]
        indexes = [models.Index(fields=["respondent", "answer"], name="consult_respondent_idx")]

    def __str__(self) -> str:
        return f"{self.respondent_id}: {self.answer}"
