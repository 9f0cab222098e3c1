"""Work items (giao việc): the first concrete record kind."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import transition

from eoffice.models import Agency, Department, Role
from workflow.models.assignments import Assignment, held_by_q
from workflow.models.base import WorkflowRecord, WorkflowState
from workflow.models.deadlines import deadline_status_expression


def _is_creator(item: WorkItem, user) -> bool:
    return user.is_superuser or item.created_by_id == user.pk


def _is_lead(item: WorkItem, user) -> bool:
    return (
        Assignment.objects.for_record(item)
        .filter(role=Assignment.Kind.LEAD, status=Assignment.Status.OPEN)
        .filter(held_by_q(user))
        .exists()
    )


class WorkItem(WorkflowRecord):
    """Giao việc: a task given by a leader or head, alone or attached to any record."""

    class Priority(models.IntegerChoices):
        LOW = 1, _("Thấp")
        NORMAL = 2, _("Bình thường")
        HIGH = 3, _("Cao")
        URGENT = 4, _("Khẩn")

    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Department,
        verbose_name=_("đơn vị giao"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    title = models.CharField(_("tên công việc"), max_length=300)
    description = models.TextField(_("nội dung"), blank=True)
    priority = models.PositiveSmallIntegerField(
        _("mức ưu tiên"), choices=Priority.choices, default=Priority.NORMAL
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người giao"), on_delete=models.PROTECT, related_name="+"
    )
    due_at = models.DateTimeField(_("hạn hoàn thành"), null=True, blank=True)
    due_soon_at = models.DateTimeField(null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    related_content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    related_object_id = models.BigIntegerField(null=True, blank=True)
    related_record = GenericForeignKey("related_content_type", "related_object_id")
    created_at = models.DateTimeField(_("ngày giao"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(_("ngày hoàn thành"), null=True, blank=True)

    class Meta:
        verbose_name = _("công việc")
        verbose_name_plural = _("công việc")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="workitem_progress_max_100")
        ]
        indexes = [
            models.Index(fields=["agency", "-created_at"], name="workitem_agency_idx"),
            models.Index(fields=["created_by", "-created_at"], name="workitem_creator_idx"),
            models.Index(fields=["department", "-created_at"], name="workitem_unit_idx"),
            models.Index(
                fields=["agency", "due_at"],
                condition=Q(state__in=["assigned", "processing", "submitted"]),
                name="workitem_open_due_idx",
            ),
            models.Index(fields=["related_content_type", "related_object_id"], name="workitem_related_idx"),
        ]

    OPEN_STATES = (WorkflowState.ASSIGNED, WorkflowState.PROCESSING, WorkflowState.SUBMITTED)
    USED_STATES = (*OPEN_STATES, WorkflowState.APPROVED, WorkflowState.CANCELLED)

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workflow:workitem_detail", args=[self.pk])

    @classmethod
    def open_q(cls) -> Q:
        return Q(state__in=cls.OPEN_STATES)

    @classmethod
    def visible_to(cls, user) -> models.QuerySet:
        """Same agency, and: creator, holder of an assignment, head of the giving unit, or a leader."""
        if user.is_superuser:
            return cls.objects.all()
        if not user.agency_id:
            return cls.objects.none()
        ct = ContentType.objects.get_for_model(cls)
        assigned = Assignment.objects.filter(held_by_q(user), content_type=ct, object_id=OuterRef("pk"))
        q = Q(created_by_id=user.pk) | Q(Exists(assigned))
        if user.has_role(Role.LEADER):
            q |= Q(pk__isnull=False)
        elif user.has_role(Role.DEPARTMENT_HEAD) and user.department_id:
            q |= Q(department_id=user.department_id)
        return cls.objects.filter(q, agency_id=user.agency_id)

    @property
    def priority_badge(self) -> str:
        return "pill-overdue" if self.priority >= self.Priority.HIGH else "pill-muted"

    # Transitions: guards only. Services lock the row, check, call these and write the history.

    @transition(
        field="state", source=WorkflowState.NEW, target=WorkflowState.ASSIGNED, permission=_is_creator
    )
    def assign(self) -> None:
        pass

    @transition(
        field="state",
        source=WorkflowState.ASSIGNED,
        target=WorkflowState.PROCESSING,
        permission=_is_lead,
        custom={"label": _("Bắt đầu thực hiện")},
    )
    def start(self) -> None:
        pass

    @transition(
        field="state",
        source=[WorkflowState.ASSIGNED, WorkflowState.PROCESSING],
        target=WorkflowState.SUBMITTED,
        permission=_is_lead,
        custom={"label": _("Báo cáo hoàn thành")},
    )
    def submit(self) -> None:
        self.progress = 100

    @transition(
        field="state",
        source=WorkflowState.SUBMITTED,
        target=WorkflowState.APPROVED,
        permission=_is_creator,
        custom={"label": _("Duyệt hoàn thành")},
    )
    def approve(self) -> None:
        self.completed_at = timezone.now()

    @transition(
        field="state",
        source=WorkflowState.SUBMITTED,
        target=WorkflowState.PROCESSING,
        permission=_is_creator,
    )
    def send_back(self) -> None:
        pass

    @transition(
        field="state",
        source=[WorkflowState.ASSIGNED, WorkflowState.PROCESSING, WorkflowState.SUBMITTED],
        target=WorkflowState.CANCELLED,
        permission=_is_creator,
        custom={"label": _("Hủy việc")},
    )
    def cancel(self) -> None:
        self.completed_at = timezone.now()

    @transition(
        field="state",
        source=[WorkflowState.APPROVED, WorkflowState.CANCELLED],
        target=WorkflowState.PROCESSING,
        permission=_is_creator,
    )
    def reopen(self) -> None:
        self.completed_at = None


WORKITEM_OPEN = Q(state__in=WorkItem.OPEN_STATES)


def workitem_with_deadline_status(qs, now=None):
    return qs.annotate(deadline_status=deadline_status_expression(now=now, open_q=WORKITEM_OPEN))
