"""The versions of an outgoing draft (one PDF each, never rewritten) and the reviewers' comments on them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.outgoing.models.document import OutgoingDocument


def upload_version_path(instance: OutgoingVersion, filename: str) -> str:
    now = timezone.now()
    return (
        f"documents/outgoing/{now:%Y/%m}/{instance.document_id}-v{instance.number}-{instance.sha256[:12]}.pdf"
    )


class OutgoingVersion(models.Model):
    """One PDF of a draft: rendered from the form, uploaded, or the signed/sealed result. Never rewritten."""

    class Kind(models.TextChoices):
        RENDERED = "rendered", _("Dự thảo soạn theo mẫu")
        UPLOADED = "uploaded", _("Dự thảo tải lên")
        CONVERTED = "converted", _("Dự thảo chuyển từ DOCX")
        SIGNED = "signed", _("Bản đã ký")
        SEALED = "sealed", _("Bản phát hành (đã ký số cơ quan)")

    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("phiên bản"))
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("tệp PDF"), upload_to=upload_version_path, max_length=300)
    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField(default=0)
    pages = models.PositiveIntegerField(_("số trang"), default=1)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True)
    # Where the leader's stamp goes: {"page": 0-based, "rect": [x1, y1, x2, y2]} in PDF points.
    signature_box = models.JSONField(null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("phiên bản dự thảo")
        verbose_name_plural = _("phiên bản dự thảo")
        ordering = ["document", "number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="outgoing_version_unique")]

    def __str__(self) -> str:
        return f"v{self.number} · {self.get_kind_display()}"


class DraftComment(models.Model):
    """A reviewer's comment on a version of a draft."""

    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, related_name="comments")
    version = models.ForeignKey(
        OutgoingVersion,
        verbose_name=_("phiên bản"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="comments",
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("ý kiến"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ý kiến về dự thảo")
        verbose_name_plural = _("ý kiến về dự thảo")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]
