"""Who may sign for whom (Điều 13 Decree 30): the records that allow a signer's prefix — giao ký thay (KT.),
giao quyền (Q.), thừa lệnh (TL.), ủy quyền (TUQ.) — each with its scope, its period and its decision."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eoffice.models import Agency


class SigningAuthorization(models.Model):
    """A person allowed to sign with a prefix, for a period, within a scope, by a decision."""

    class Authority(models.TextChoices):
        KT = "KT.", _("KT. (ký thay người đứng đầu)")
        Q = "Q.", _("Q. (quyền)")
        TL = "TL.", _("TL. (thừa lệnh)")
        TUQ = "TUQ.", _("TUQ. (thừa ủy quyền)")

    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.CASCADE, related_name="+")
    authority = models.CharField(_("hình thức"), max_length=5, choices=Authority.choices)
    grantor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người giao (ủy quyền)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Người đứng đầu giao ký thay, giao quyền hoặc ủy quyền."),
    )
    grantee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người được giao"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The title printed above the prefix line ("GIÁM ĐỐC", "CHỦ TỊCH"): whose authority is used.
    authority_title = models.CharField(_("chức danh người đứng đầu"), max_length=150, blank=True)
    doc_types = models.ManyToManyField(
        "documents.DocumentType",
        verbose_name=_("loại văn bản được ký"),
        blank=True,
        related_name="+",
        help_text=_("Để trống: mọi loại văn bản."),
    )
    scope = models.TextField(_("phạm vi"), blank=True, help_text=_("Nội dung, lĩnh vực được giao ký."))
    valid_from = models.DateField(_("từ ngày"))
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)
    decision_number = models.CharField(_("số, ký hiệu văn bản giao"), max_length=100)
    decision_date = models.DateField(_("ngày văn bản giao"))
    decision = models.ForeignKey(
        "documents.OutgoingDocument",
        verbose_name=_("văn bản giao trong hệ thống"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("ngày chấm dứt"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("giao ký, ủy quyền ký")
        verbose_name_plural = _("giao ký, ủy quyền ký")
        ordering = ["agency", "-valid_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="authorization_period_order",
            )
        ]
        indexes = [models.Index(fields=["agency", "grantee"], name="authorization_grantee_idx")]

    def __str__(self) -> str:
        return f"{self.authority} {self.grantee_id} ({self.decision_number})"
