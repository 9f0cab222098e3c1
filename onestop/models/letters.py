"""The official letters of a dossier (form 04, the apology asking for more time, and form 05, the notice
of stopping, of Circular 01/2018/TT-VPCP): each is an outgoing document of the agency, numbered, signed
and registered through the outgoing flow; this links the dossier to it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.models.dossier import Dossier


class DossierLetter(models.Model):
    class Form(models.TextChoices):
        APOLOGY = "04", _("Mẫu 04: Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết")
        STOP = "05", _("Mẫu 05: Thông báo dừng giải quyết hồ sơ")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="letters")
    form = models.CharField(_("mẫu"), max_length=2, choices=Form.choices)
    outgoing = models.OneToOneField(
        "documents.OutgoingDocument",
        verbose_name=_("văn bản đi"),
        on_delete=models.PROTECT,
        related_name="dossier_letter",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("văn bản của hồ sơ một cửa")
        verbose_name_plural = _("văn bản của hồ sơ một cửa")
        ordering = ["dossier", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.dossier_id} · {self.form}"
