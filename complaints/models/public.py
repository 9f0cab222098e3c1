"""The public side: answers to petitions published (with consent, identity removed) on the public list."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .cases import Case


class PublishedAnswer(models.Model):
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="published_answer")
    agency = models.ForeignKey("eoffice.Agency", on_delete=models.PROTECT, related_name="+")
    question = models.TextField(_("nội dung kiến nghị (đã bỏ thông tin cá nhân)"))
    answer = models.TextField(_("nội dung trả lời"))
    published_at = models.DateTimeField(_("công khai lúc"), default=timezone.now)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(_("gỡ lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("câu trả lời công khai")
        verbose_name_plural = _("câu trả lời công khai")
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(
                fields=["-published_at"],
                name="published_answer_live_idx",
                condition=models.Q(withdrawn_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return self.question[:80]
