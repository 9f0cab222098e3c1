"""The paperless meeting (họp không giấy): the meeting's files with their viewers, comments on them, and
votes (biểu quyết). Roll call and substitutes are fields of ``Participant``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.models.meeting import Meeting


def meeting_file_path(instance: MeetingFile, filename: str) -> str:
    now = timezone.now()
    return f"meetings/{now:%Y/%m}/{instance.meeting_id}/{filename}"


class MeetingFile(models.Model):
    """A document of the meeting's dossier. ``restricted``: only the listed ``viewers`` (and the organiser,
    chair and schedule managers) open it; otherwise every participant does."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("tệp"), upload_to=meeting_file_path, max_length=300)
    name = models.CharField(_("tên tài liệu"), max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField(default=0)
    content_type = models.CharField(max_length=100, blank=True)
    restricted = models.BooleanField(_("chỉ người được chọn xem"), default=False)
    viewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("người được xem"), blank=True, related_name="+"
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("tài liệu cuộc họp")
        verbose_name_plural = _("tài liệu cuộc họp")
        ordering = ["meeting", "order", "id"]

    def __str__(self) -> str:
        return self.name


class FileComment(models.Model):
    """A participant's comment on one of the meeting's documents (append-only)."""

    file = models.ForeignKey(MeetingFile, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("ý kiến"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ý kiến về tài liệu")
        verbose_name_plural = _("ý kiến về tài liệu")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class Vote(models.Model):
    """Biểu quyết: a question with options, open while the meeting runs; one answer per person."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Chưa mở")
        OPEN = "open", _("Đang biểu quyết")
        CLOSED = "closed", _("Đã kết thúc")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="votes")
    question = models.CharField(_("nội dung biểu quyết"), max_length=500)
    anonymous = models.BooleanField(_("biểu quyết kín"), default=False)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("biểu quyết")
        verbose_name_plural = _("biểu quyết")
        ordering = ["meeting", "created_at", "id"]

    def __str__(self) -> str:
        return self.question


class VoteOption(models.Model):
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(_("phương án"), max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["vote", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["vote", "label"], name="vote_option_unique_label")]

    def __str__(self) -> str:
        return self.label


class Ballot(models.Model):
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="ballots")
    option = models.ForeignKey(VoteOption, on_delete=models.PROTECT, related_name="ballots")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cast_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["vote", "voter"], name="ballot_one_per_voter")]

    def __str__(self) -> str:
        return f"{self.vote_id} · {self.voter_id}"
