"""Document types and registers (sổ văn bản) with their yearly counters, shared by incoming and outgoing
documents (NĐ 30 Điều 7, Phụ lục III and VI). The counters are locked by ``documents.registers.numbering``."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from eoffice.models import Agency


class DocumentType(models.Model):
    """A type of document of NĐ 30 Điều 7 / Phụ lục III; công văn has no abbreviation."""

    name = models.CharField(_("tên loại"), max_length=100, unique=True)
    abbreviation = models.CharField(_("chữ viết tắt"), max_length=10, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang sử dụng"), default=True)

    class Meta:
        verbose_name = _("loại văn bản")
        verbose_name_plural = _("loại văn bản")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["abbreviation"], condition=~Q(abbreviation=""), name="doctype_unique_abbreviation"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Register(models.Model):
    """A register (sổ) of an agency: incoming or outgoing; an agency may keep several of each kind."""

    class Kind(models.TextChoices):
        INCOMING = "incoming", _("Văn bản đến")
        OUTGOING = "outgoing", _("Văn bản đi")
        COPY = "copy", _("Bản sao văn bản")

    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("loại sổ"), max_length=10, choices=Kind.choices)
    code = models.CharField(_("mã sổ"), max_length=30)
    name = models.CharField(_("tên sổ"), max_length=200)
    is_default = models.BooleanField(_("sổ mặc định"), default=False)
    is_active = models.BooleanField(_("đang sử dụng"), default=True)
    # Outgoing numbering scheme (decided by the agency head): one series for everything, or several.
    # A secret register numbers the secret documents; a register with types numbers those types; the
    # default register numbers the rest.
    is_secret = models.BooleanField(
        _("sổ văn bản mật"), default=False, help_text=_("Văn bản mật được đánh số theo hệ thống số riêng.")
    )
    doc_types = models.ManyToManyField(
        DocumentType,
        verbose_name=_("loại văn bản dùng sổ này"),
        blank=True,
        related_name="+",
        help_text=_("Để trống nếu sổ dùng chung cho các loại văn bản không có sổ riêng."),
    )

    class Meta:
        verbose_name = _("sổ văn bản")
        verbose_name_plural = _("sổ văn bản")
        ordering = ["agency", "kind", "-is_default", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "kind", "code"], name="register_unique_code"),
            models.UniqueConstraint(
                fields=["agency", "kind"], condition=Q(is_default=True), name="register_one_default"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RegisterCounter(models.Model):
    """The last number issued in a register for a year; locked FOR UPDATE by ``documents.numbering``."""

    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="counters")
    year = models.PositiveSmallIntegerField(_("năm"))
    last_number = models.PositiveIntegerField(_("số cuối cùng"), default=0)

    class Meta:
        verbose_name = _("bộ đếm số")
        verbose_name_plural = _("bộ đếm số")
        constraints = [models.UniqueConstraint(fields=["register", "year"], name="counter_unique_year")]

    def __str__(self) -> str:
        return f"{self.register} · {self.year}: {self.last_number}"
