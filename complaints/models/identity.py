"""The identity of the people behind a letter or a visit (họ tên, giấy tờ tùy thân, địa chỉ, liên hệ, chữ
ký), stored apart from the case and encrypted with a key kept outside the database
(``complaints.crypto``). ``display_name`` is the only plain column, and it is left empty for a protected
person: lists, search and exports read it, and nothing else.

A protected identity (a denouncer, or anyone who asked for protection) is readable only by the officer who
took it (``received_by``) and the person who decides; every read is an ``IdentityRead`` row."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .letters import Letter
from .reception import Visit

ENCRYPTED_FIELDS = ("name", "id_number", "address", "phone", "email", "note")

# What every page prints in place of a protected person.
PROTECTED_LABEL = _("Người gửi đơn (thông tin được giữ bí mật)")


class Identity(models.Model):
    class Role(models.TextChoices):
        SIGNER = "signer", _("Người đứng đơn")
        REPRESENTATIVE = "representative", _("Người đại diện")
        VISITOR = "visitor", _("Người được tiếp")
        AUTHORISED = "authorised", _("Người được ủy quyền")

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, null=True, blank=True, related_name="people")
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, null=True, blank=True, related_name="people")
    role = models.CharField(_("tư cách"), max_length=16, choices=Role.choices, default=Role.SIGNER)
    order = models.PositiveSmallIntegerField(default=0)
    protected = models.BooleanField(_("giữ bí mật"), default=False)
    display_name = models.CharField(_("họ tên (hiển thị)"), max_length=255, blank=True)
    # Fernet tokens (complaints.crypto); never read them directly: use Identity.decrypt through the service.
    name_enc = models.TextField(blank=True)
    id_number_enc = models.TextField(blank=True)
    address_enc = models.TextField(blank=True)
    phone_enc = models.TextField(blank=True)
    email_enc = models.TextField(blank=True)
    note_enc = models.TextField(blank=True, help_text="Other identifying details (signature, handwriting)")
    # HMAC of the folded name and ID number (``services.identity.match_key``): finds the same person's earlier
    # letters (duplicates) without storing or revealing the name.
    match_key = models.CharField(max_length=64, blank=True, db_index=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("thông tin người gửi đơn")
        verbose_name_plural = _("thông tin người gửi đơn")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(letter__isnull=False, visit__isnull=True)
                | Q(letter__isnull=True, visit__isnull=False),
                name="identity_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(protected=False) | Q(display_name=""), name="identity_protected_no_plain_name"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or str(PROTECTED_LABEL)


class IdentityRead(models.Model):
    """One read of a protected identity: who, when, from where, why (append-only)."""

    identity = models.ForeignKey(Identity, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    purpose = models.CharField(max_length=100)
    address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("lượt xem thông tin người tố cáo")
        verbose_name_plural = _("nhật ký xem thông tin người tố cáo")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.at:%Y-%m-%d %H:%M}"
