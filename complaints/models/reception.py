"""Citizen reception (tiếp công dân): the published reception sessions (the reception office's regular
days and the leaders' periodic days) and the sổ tiếp công dân, one row per visit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eoffice.models import Agency


class CaseKind(models.TextChoices):
    COMPLAINT = "complaint", _("Khiếu nại")
    DENUNCIATION = "denunciation", _("Tố cáo")
    PETITION = "petition", _("Kiến nghị")
    FEEDBACK = "feedback", _("Phản ánh")


class ReceptionSession(models.Model):
    """A reception session: the regular reception at the office, or a leader's periodic day (published at
    least 5 working days ahead; it then shows on the weekly schedule)."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Tiếp thường xuyên")
        LEADER = "leader", _("Lãnh đạo tiếp định kỳ")
        UNSCHEDULED = "unscheduled", _("Tiếp đột xuất")

    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("hình thức"), max_length=12, choices=Kind.choices, default=Kind.LEADER)
    date = models.DateField(_("ngày tiếp"))
    start_time = models.TimeField(_("từ"))
    end_time = models.TimeField(_("đến"))
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lãnh đạo tiếp"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    place = models.CharField(_("địa điểm"), max_length=255)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("hủy lúc"), null=True, blank=True)
    cancel_reason = models.CharField(_("lý do hủy"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lịch tiếp công dân")
        verbose_name_plural = _("lịch tiếp công dân")
        ordering = ["date", "start_time", "pk"]
        indexes = [models.Index(fields=["agency", "date"], name="reception_session_day_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")), name="reception_session_times"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="leader") | models.Q(leader__isnull=False),
                name="reception_session_leader",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.start_time:%H:%M}"


class Visit(models.Model):
    """One row of the sổ tiếp công dân. The visitor's identity is in ``Identity`` rows (encrypted)."""

    class Channel(models.TextChoices):
        IN_PERSON = "in_person", _("Trực tiếp")
        ONLINE = "online", _("Trực tuyến")

    class Outcome(models.TextChoices):
        GUIDED = "guided", _("Hướng dẫn, giải thích")
        LETTER = "letter", _("Nhận đơn")
        FORWARDED = "forwarded", _("Chuyển đơn, chuyển cơ quan có thẩm quyền")
        LEADER_MEETING = "leader_meeting", _("Hẹn gặp lãnh đạo")

    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveIntegerField(_("số thứ tự"))
    received_at = models.DateTimeField(_("ngày tiếp"), default=timezone.now)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tiếp"), on_delete=models.PROTECT, related_name="+"
    )
    session = models.ForeignKey(
        ReceptionSession,
        verbose_name=_("buổi tiếp"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
    )
    channel = models.CharField(
        _("hình thức"), max_length=10, choices=Channel.choices, default=Channel.IN_PERSON
    )
    kind = models.CharField(_("phân loại"), max_length=14, choices=CaseKind.choices)
    content = models.TextField(_("nội dung vụ việc"))
    people_count = models.PositiveSmallIntegerField(_("số người"), default=1)
    protected = models.BooleanField(_("giữ bí mật người tố cáo"), default=False)
    outcome = models.CharField(_("kết quả tiếp"), max_length=16, choices=Outcome.choices)
    outcome_note = models.TextField(_("nội dung hướng dẫn, xử lý"), blank=True)
    forwarded_to = models.CharField(_("chuyển đến"), max_length=255, blank=True)
    meeting_at = models.DateTimeField(_("hẹn gặp lãnh đạo lúc"), null=True, blank=True)
    papers = models.TextField(_("tài liệu nhận"), blank=True, help_text=_("Mỗi dòng một tài liệu."))
    due_at = models.DateTimeField(_("hạn trả lời"), null=True, blank=True)
    answered_at = models.DateTimeField(_("đã trả lời lúc"), null=True, blank=True)
    result = models.TextField(_("kết quả trả lời"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lượt tiếp công dân")
        verbose_name_plural = _("sổ tiếp công dân")
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["agency", "-received_at"], name="visit_register_idx")]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "number"], name="visit_number_unique"),
            models.CheckConstraint(condition=models.Q(people_count__gte=1), name="visit_people_count"),
        ]

    def __str__(self) -> str:
        return f"{self.number}/{self.year}"

    def get_absolute_url(self) -> str:
        return reverse("complaints:visit", args=[self.pk])

    @property
    def is_group(self) -> bool:
        return self.people_count >= 5
