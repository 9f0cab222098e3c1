"""Biên bản (Mẫu 1.9), signed by the secretary then the presiding person through the signing module, and the
conclusion notice (Thông báo kết luận, an outgoing document) whose tasks become work items."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.models.meeting import Meeting


def minutes_path(instance: Minutes, filename: str) -> str:
    now = timezone.now()
    return f"meetings/minutes/{now:%Y/%m}/{filename}"


class Minutes(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang soạn")
        SECRETARY = "secretary", _("Chờ thư ký ký")
        PRESIDER = "presider", _("Chờ chủ tọa ký")
        SIGNED = "signed", _("Đã ký")

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("thư ký"), on_delete=models.PROTECT, related_name="+"
    )
    presider = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("chủ tọa"), on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("bắt đầu lúc"))
    ended_at = models.DateTimeField(_("kết thúc lúc"))
    attendees = models.TextField(_("thành phần tham dự"), blank=True)
    content = models.TextField(_("nội dung cuộc họp"), blank=True)
    conclusion = models.TextField(_("kết luận"), blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    pdf = models.FileField(_("biên bản"), upload_to=minutes_path, blank=True, max_length=300)
    sha256 = models.CharField(max_length=64, blank=True)
    sign_request = models.ForeignKey(
        "signing.SignatureRequest", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("biên bản cuộc họp")
        verbose_name_plural = _("biên bản cuộc họp")

    def __str__(self) -> str:
        return f"Biên bản · {self.meeting}"


class Conclusion(models.Model):
    """The meeting's conclusions; issued as a Thông báo kết luận through the outgoing flow."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="conclusion")
    text = models.TextField(_("nội dung kết luận"))
    notice = models.ForeignKey(
        "documents.OutgoingDocument", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    tasks_created_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("kết luận cuộc họp")
        verbose_name_plural = _("kết luận cuộc họp")

    def __str__(self) -> str:
        return f"Kết luận · {self.meeting}"


class ConclusionTask(models.Model):
    conclusion = models.ForeignKey(Conclusion, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("nhiệm vụ"), max_length=300)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_date = models.DateField(_("hạn hoàn thành"))
    work_item = models.ForeignKey(
        "workflow.WorkItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("nhiệm vụ sau cuộc họp")
        verbose_name_plural = _("nhiệm vụ sau cuộc họp")
        ordering = ["conclusion", "order", "id"]

    def __str__(self) -> str:
        return self.title
