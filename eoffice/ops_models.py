"""The tables of operations (issue 21): the task outbox, the failed tasks and the heartbeats of the
worker and of beat. Part of the ``eoffice`` app (imported by ``eoffice.models``)."""

from __future__ import annotations

from django.contrib.postgres.indexes import BrinIndex
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TaskOutbox(models.Model):
    """A Celery task written in the same transaction as the change that needs it (eoffice.outbox): the
    relay sends it to the broker after the commit, and again from the beat scan while the broker is down, so
    a task is never lost with Redis; a row is marked sent in the transaction that published it."""

    task = models.CharField(_("tác vụ"), max_length=200)
    args = models.JSONField(_("tham số"), default=list, blank=True)
    kwargs = models.JSONField(_("tham số tên"), default=dict, blank=True)
    queue = models.CharField(_("hàng đợi"), max_length=50, blank=True)
    not_before = models.DateTimeField(_("chạy từ"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    sent_at = models.DateTimeField(_("đã gửi lúc"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("số lần gửi"), default=0)
    last_error = models.CharField(_("lỗi gần nhất"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("tác vụ chờ gửi")
        verbose_name_plural = _("tác vụ chờ gửi")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(sent_at__isnull=True), name="task_outbox_pending"
            ),
            BrinIndex(fields=["sent_at"], name="task_outbox_sent_brin"),
        ]

    def __str__(self) -> str:
        return f"{self.task} #{self.pk}"


class FailedTask(models.Model):
    """A Celery task that raised (celery's task_failure signal), for the system status page: what failed,
    with what (secrets left out), and who sent it again."""

    task_id = models.CharField(max_length=255, db_index=True)
    task = models.CharField(_("tác vụ"), max_length=200)
    args = models.JSONField(_("tham số"), default=list, blank=True)
    kwargs = models.JSONField(_("tham số tên"), default=dict, blank=True)
    queue = models.CharField(_("hàng đợi"), max_length=50, blank=True)
    retryable = models.BooleanField(_("gửi lại được"), default=True)
    error = models.TextField(_("lỗi"), blank=True)
    failed_at = models.DateTimeField(_("lỗi lúc"), default=timezone.now)
    retried_at = models.DateTimeField(_("gửi lại lúc"), null=True, blank=True)
    retried_by = models.ForeignKey(
        "eoffice.User",
        verbose_name=_("người gửi lại"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("tác vụ lỗi")
        verbose_name_plural = _("tác vụ lỗi")
        ordering = ["-failed_at", "-id"]
        indexes = [
            models.Index(
                fields=["-failed_at"], condition=Q(retried_at__isnull=True), name="failed_task_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task} {self.failed_at:%Y-%m-%d %H:%M}"


class ServiceHeartbeat(models.Model):
    """The last sign of life of a Celery worker or of beat, for /readyz and the system status page."""

    class Kind(models.TextChoices):
        WORKER = "worker", _("Tiến trình xử lý (worker)")
        BEAT = "beat", _("Bộ lập lịch (beat)")

    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    hostname = models.CharField(_("tên máy/tiến trình"), max_length=255)
    pid = models.PositiveIntegerField(null=True, blank=True)
    queues = models.CharField(_("hàng đợi"), max_length=255, blank=True)
    started_at = models.DateTimeField(_("khởi động lúc"), default=timezone.now)
    seen_at = models.DateTimeField(_("hoạt động lần cuối"), default=timezone.now)

    class Meta:
        verbose_name = _("nhịp hoạt động")
        verbose_name_plural = _("nhịp hoạt động")
        ordering = ["kind", "hostname"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "hostname"], name="heartbeat_kind_host_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.hostname}"
