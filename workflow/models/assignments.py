"""Assignments: a record given to a unit and/or a person, as lead, coordinator or for information."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eoffice.models import Agency, Department, Role
from workflow.models.deadlines import (
    DEADLINE_PILL,
    DeadlineStatus,
    deadline_status_expression,
    deadline_status_q,
)

ASSIGNMENT_OPEN = Q(status="open")
ASSIGNMENT_PAUSED = Q(paused_at__isnull=False)


class AssignmentQuerySet(models.QuerySet):
    def open(self) -> AssignmentQuerySet:
        return self.filter(ASSIGNMENT_OPEN)

    def for_record(self, record) -> AssignmentQuerySet:
        ct = ContentType.objects.get_for_model(record.__class__)
        return self.filter(content_type=ct, object_id=record.pk)

    def held_by(self, user) -> AssignmentQuerySet:
        """Assignments the user holds: personally, or as head of the assigned unit."""
        return self.filter(held_by_q(user))

    def with_deadline_status(self, now=None) -> AssignmentQuerySet:
        return self.annotate(
            deadline_status=deadline_status_expression(
                now=now, open_q=ASSIGNMENT_OPEN, paused_q=ASSIGNMENT_PAUSED
            )
        )

    def with_status(self, status: str, now=None) -> AssignmentQuerySet:
        return self.filter(
            deadline_status_q(status, now=now, open_q=ASSIGNMENT_OPEN, paused_q=ASSIGNMENT_PAUSED)
        )


def held_by_q(user, prefix: str = "") -> Q:
    q = Q(**{f"{prefix}assignee_id": user.pk})
    if user.department_id and user.has_role(Role.DEPARTMENT_HEAD):
        q |= Q(**{f"{prefix}assignee__isnull": True, f"{prefix}department_id": user.department_id})
    return q


class Assignment(models.Model):
    """A record given to a unit and/or a person, as lead, coordinator or for information."""

    class Kind(models.TextChoices):
        LEAD = "lead", _("Chủ trì")
        COORDINATE = "coordinate", _("Phối hợp")
        INFORM = "inform", _("Để biết")

    class Status(models.TextChoices):
        OPEN = "open", _("Đang xử lý")
        DONE = "done", _("Đã hoàn thành")
        CANCELLED = "cancelled", _("Đã hủy")

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.BigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("vai trò"), max_length=12, choices=Kind.choices)
    department = models.ForeignKey(
        Department,
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xử lý"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="workflow_assignments",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("giao lại từ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    instruction = models.TextField(_("ý kiến chỉ đạo"), blank=True)
    status = models.CharField(_("tình trạng"), max_length=12, choices=Status.choices, default=Status.OPEN)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    progress_note = models.TextField(_("ghi chú tiến độ"), blank=True)
    assigned_at = models.DateTimeField(_("ngày giao"), default=timezone.now)
    due_at = models.DateTimeField(_("hạn xử lý"), null=True, blank=True)
    due_soon_at = models.DateTimeField(null=True, blank=True)
    escalate_at = models.DateTimeField(null=True, blank=True)
    paused_at = models.DateTimeField(_("tạm dừng từ"), null=True, blank=True)
    paused_seconds = models.BigIntegerField(default=0)
    extension_count = models.PositiveSmallIntegerField(_("số lần gia hạn"), default=0)
    reminder_level = models.PositiveSmallIntegerField(_("mức nhắc"), default=0)
    read_at = models.DateTimeField(_("đã xem lúc"), null=True, blank=True)
    completed_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    superseded = models.BooleanField(_("đã được giao lại"), default=False)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân công")
        verbose_name_plural = _("phân công")
        ordering = ["assigned_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(assignee__isnull=False) | Q(department__isnull=False),
                name="assignment_has_holder",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="assignment_progress_max_100"),
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(role="lead", parent__isnull=True) & ~Q(status="cancelled"),
                name="assignment_one_lead",
            ),
            models.UniqueConstraint(
                fields=["parent"],
                condition=Q(role="lead", parent__isnull=False) & ~Q(status="cancelled"),
                name="assignment_one_lead_per_forward",
            ),
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="assignment_record_idx"),
            models.Index(
                fields=["assignee", "due_at"], condition=Q(status="open"), name="assignment_mine_idx"
            ),
            models.Index(
                fields=["department", "due_at"],
                condition=Q(status="open", assignee__isnull=True),
                name="assignment_unit_idx",
            ),
            models.Index(
                fields=["due_soon_at"],
                condition=Q(status="open", paused_at__isnull=True, reminder_level__lt=1),
                name="assignment_remind1_idx",
            ),
            models.Index(
                fields=["due_at"],
                condition=Q(status="open", paused_at__isnull=True, reminder_level__lt=2),
                name="assignment_remind2_idx",
            ),
            models.Index(
                fields=["escalate_at"],
                condition=Q(status="open", paused_at__isnull=True, reminder_level__lt=3),
                name="assignment_remind3_idx",
            ),
            # "Which records does this person / unit hold a part of?" read from the index alone (the
            # visibility filters of every list, at any number of records).
            models.Index(
                fields=["assignee", "content_type"], include=["object_id"], name="assignment_holder_cover_idx"
            ),
            models.Index(
                fields=["department", "content_type"], include=["object_id"], name="assignment_unit_cover_idx"
            ),
            # Statistics (documents.stats): lead parts given in a period, per agency, unit and person.
            models.Index(
                fields=["agency", "assigned_at"],
                condition=Q(role="lead", parent__isnull=True),
                name="assignment_lead_top_idx",
            ),
            models.Index(
                fields=["department", "assigned_at"],
                condition=Q(role="lead", parent__isnull=True),
                name="assignment_lead_unit_idx",
            ),
            models.Index(
                fields=["assignee", "assigned_at"],
                condition=Q(role="lead"),
                name="assignment_lead_person_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.holder_name}"

    @property
    def holder_name(self) -> str:
        if self.assignee_id:
            return str(self.assignee)
        return str(self.department) if self.department_id else ""

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def pill_class(self) -> str:
        return DEADLINE_PILL.get(getattr(self, "deadline_status", ""), "pill-muted")

    def deadline_label(self):
        status = getattr(self, "deadline_status", "")
        return DeadlineStatus(status).label if status in DeadlineStatus.values else ""
