"""What a dossier gathers while handled: papers, hand-offs (form 06), supplement requests, reminders."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eoffice.models import Department
from onestop.models.catalogue import PaperKind, RequiredPaper, StepKind
from onestop.models.dossier import Dossier, dossier_upload
from onestop.models.states import Channel, Timing


class DossierPaper(models.Model):
    """A paper of a dossier: ticked at the counter, uploaded online, or added with a supplement."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="papers")
    required = models.ForeignKey(
        RequiredPaper, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    kind = models.CharField(
        _("loại bản"), max_length=10, choices=PaperKind.choices, default=PaperKind.ORIGINAL
    )
    quantity = models.PositiveSmallIntegerField(_("số lượng"), default=1)
    received = models.BooleanField(_("đã nhận"), default=True)
    file = models.FileField(_("bản quét"), upload_to=dossier_upload, blank=True, max_length=300)
    file_name = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.BigIntegerField(null=True, blank=True)
    supplement = models.ForeignKey(
        "SupplementRequest", on_delete=models.PROTECT, null=True, blank=True, related_name="papers"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("giấy tờ trong hồ sơ")
        verbose_name_plural = _("giấy tờ trong hồ sơ")
        ordering = ["dossier", "id"]

    def __str__(self) -> str:
        return self.name


class DossierStep(models.Model):
    """One hand-off (phiếu kiểm soát quá trình giải quyết hồ sơ, form 06): who gave it to whom, when, and
    whether the step finished early, on time or late against its allotted working time."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("bước"), max_length=10, choices=StepKind.choices)
    name = models.CharField(_("nội dung"), max_length=255)
    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bên giao"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    giver_name = models.CharField(max_length=255, blank=True)
    receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bên nhận"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    receiver_department = models.ForeignKey(
        Department,
        verbose_name=_("đơn vị nhận"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    started_at = models.DateTimeField(_("thời gian giao, nhận"))
    hours = models.DecimalField(max_digits=6, decimal_places=1, default=0)
    due_at = models.DateTimeField(_("hạn của bước"))
    finished_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    timing = models.CharField(_("kết quả"), max_length=10, choices=Timing.choices, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("bước giao nhận")
        verbose_name_plural = _("phiếu kiểm soát quá trình")
        ordering = ["dossier", "started_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(finished_at__isnull=True), name="dossier_one_open_step"
            ),
        ]
        indexes = [
            models.Index(fields=["receiver", "dossier"], name="dossier_step_receiver_idx"),
            models.Index(fields=["receiver_department", "dossier"], name="dossier_step_unit_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def receiver_label(self) -> str:
        if self.receiver_id:
            return str(self.receiver)
        return str(self.receiver_department) if self.receiver_department_id else ""


class SupplementRequest(models.Model):
    """Yêu cầu bổ sung during processing: the clock stops from ``requested_at`` to ``answered_at``."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="supplements")
    content = models.TextField(_("nội dung yêu cầu bổ sung"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_via = models.CharField(max_length=10, choices=Channel.choices, blank=True)
    answer_note = models.TextField(_("ghi chú khi nhận bổ sung"), blank=True)
    paused_seconds = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("yêu cầu bổ sung")
        verbose_name_plural = _("yêu cầu bổ sung")
        ordering = ["dossier", "requested_at", "id"]

    def __str__(self) -> str:
        return self.content[:80]


class DossierReminder(models.Model):
    """One row per (dossier, level): a reminder goes out once, whatever the workers or restarts."""

    class Level(models.IntegerChoices):
        DUE_SOON = 1, _("Sắp đến hạn trả kết quả")
        OVERDUE = 2, _("Quá hạn trả kết quả")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="reminders")
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    due_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dossier", "level", "due_at"], name="dossier_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier} · {self.get_level_display()}"
