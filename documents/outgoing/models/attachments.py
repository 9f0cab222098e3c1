"""What goes with an outgoing document (Phụ lục I): appendices printed in the body's own PDF after the
signature, and attached files (văn bản kèm theo, tài liệu kèm theo) each stamped and signed at issuance."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.outgoing.models.document import OutgoingDocument


class OutgoingAppendix(models.Model):
    """Phụ lục I, II …: printed after the signature in the body's PDF, with its own title and pages."""

    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, related_name="appendices")
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    title = models.CharField(_("tên phụ lục"), max_length=500)
    body = models.TextField(_("nội dung phụ lục"), blank=True)
    landscape = models.BooleanField(_("trang nằm ngang"), default=False)

    class Meta:
        verbose_name = _("phụ lục")
        verbose_name_plural = _("phụ lục")
        ordering = ["document", "position", "id"]

    def __str__(self) -> str:
        return self.title


def upload_attachment_path(instance: OutgoingAttachment, filename: str) -> str:
    now = timezone.now()
    return f"documents/outgoing/attachments/{now:%Y/%m}/{instance.document_id}-{instance.sha256[:16]}.pdf"


def upload_stamped_path(instance: OutgoingAttachment, filename: str) -> str:
    now = timezone.now()
    return (
        f"documents/outgoing/attachments/{now:%Y/%m}/{instance.document_id}-{instance.sha256[:16]}-issued.pdf"
    )


class OutgoingAttachment(models.Model):
    """A file attached to an outgoing document. ``file`` is what the drafter gave (never rewritten);
    ``issued_file`` is the copy with the agency's stamp (number, date, signing time, Phụ lục I Mục II)
    and signature, made at issuance and delivered."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Văn bản kèm theo")
        MATERIAL = "material", _("Tài liệu kèm theo")

    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, related_name="attachments")
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices, default=Kind.MATERIAL)
    title = models.CharField(_("tên tệp đính kèm"), max_length=500)
    file = models.FileField(_("tệp"), upload_to=upload_attachment_path, max_length=300)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True)
    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField(default=0)
    pages = models.PositiveIntegerField(_("số trang"), default=1)
    issued_file = models.FileField(
        _("tệp đã ký số cơ quan"), upload_to=upload_stamped_path, max_length=300, blank=True
    )
    issued_sha256 = models.CharField(max_length=64, blank=True)
    signed_at = models.DateTimeField(_("thời gian ký số cơ quan"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("tệp đính kèm văn bản đi")
        verbose_name_plural = _("tệp đính kèm văn bản đi")
        ordering = ["document", "position", "id"]

    def __str__(self) -> str:
        return self.title
