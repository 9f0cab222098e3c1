"""The shared workflow engine: state machine base, history, assignments, calendar, reminders, work items.

Models only guard and change fields; every write goes through ``workflow.services``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from eoffice.models import Agency, Department, Role


class WorkflowState(models.TextChoices):
    """Every state a record kind may use; each kind picks its subset with its transitions."""

    NEW = "new", _("Mới tạo")
    RECEIVED = "received", _("Đã tiếp nhận")
    ASSIGNED = "assigned", _("Đã giao")
    PROCESSING = "processing", _("Đang xử lý")
    SUBMITTED = "submitted", _("Chờ duyệt")
    APPROVED = "approved", _("Đã duyệt")
    SIGNING = "signing", _("Chờ ký")
    SIGNED = "signed", _("Đã ký")
    ISSUED = "issued", _("Đã ban hành")
    ARCHIVED = "archived", _("Đã lưu trữ")
    RETURNED = "returned", _("Bị trả lại")
    REJECTED = "rejected", _("Bị từ chối")
    RECALLED = "recalled", _("Đã thu hồi")
    CANCELLED = "cancelled", _("Đã hủy")


CLOSED_STATES = frozenset(
    {
        WorkflowState.APPROVED,
        WorkflowState.ISSUED,
        WorkflowState.ARCHIVED,
        WorkflowState.REJECTED,
        WorkflowState.RECALLED,
        WorkflowState.CANCELLED,
    }
)


@dataclass(frozen=True)
class ActionInfo:
    label: object
    tone: str = "secondary"  # primary / secondary / danger
    comment_required: bool = False


# The canonical verbs; a transition may override any of these with ``custom={...}``.
ACTIONS: dict[str, ActionInfo] = {
    "receive": ActionInfo(_("Tiếp nhận"), "primary"),
    "assign": ActionInfo(_("Giao xử lý"), "primary"),
    "start": ActionInfo(_("Bắt đầu xử lý"), "primary"),
    "process": ActionInfo(_("Xử lý"), "primary"),
    "submit": ActionInfo(_("Trình phê duyệt"), "primary"),
    "approve": ActionInfo(_("Phê duyệt"), "primary"),
    "issue": ActionInfo(_("Ban hành"), "primary"),
    "sign": ActionInfo(_("Ký số"), "primary"),
    "archive": ActionInfo(_("Lưu trữ"), "secondary"),
    "send_back": ActionInfo(_("Trả lại"), "secondary", comment_required=True),
    "reject": ActionInfo(_("Từ chối"), "danger", comment_required=True),
    "recall": ActionInfo(_("Thu hồi"), "danger", comment_required=True),
    "cancel": ActionInfo(_("Hủy"), "danger", comment_required=True),
    "reopen": ActionInfo(_("Mở lại"), "secondary", comment_required=True),
    # Not transitions: events of ``services.assignments_add``, named here for the timeline.
    "add_coordinate": ActionInfo(_("Bổ sung phối hợp")),
    "add_inform": ActionInfo(_("Gửi để biết")),
}


def state_label(state: str, model: type | None = None):
    """The label of ``state`` for a record kind: the kind's own ``state_labels`` first, then the engine's."""
    labels = getattr(model, "state_labels", None) or {}
    if state in labels:
        return labels[state]
    return WorkflowState(state).label if state in WorkflowState.values else ""


@dataclass(frozen=True)
class Action:
    """An action a user may take on a record now: drives the buttons of the record page."""

    name: str
    label: object
    tone: str
    comment_required: bool
    target: str
    # Done through the record page's own form (``custom={"form": True}``): no generic button.
    form: bool = False

    @classmethod
    def from_transition(cls, transition_obj) -> Action:
        info = ACTIONS.get(transition_obj.name, ActionInfo(transition_obj.name))
        custom = transition_obj.custom or {}
        return cls(
            name=transition_obj.name,
            label=custom.get("label", info.label),
            tone=custom.get("tone", info.tone),
            comment_required=custom.get("comment_required", info.comment_required),
            target=str(transition_obj.target or ""),
            form=bool(custom.get("form", False)),
        )


class WorkflowRecord(FSMModelMixin, models.Model):
    """Base of every record kind that moves through the workflow.

    The state field is protected: only transitions (called by ``workflow.services``) move it.
    A concrete kind declares its transitions with ``django_fsm.transition(field="state", ...,
    permission=callable(record, user), conditions=[...])`` and implements ``visible_to(user)``.
    A transition with ``custom={"form": True}`` is done through its own form on the record page: the
    generic buttons (``{% workflow_actions %}``) leave it out.
    A kind may name the states in its own words with ``state_labels`` ({state: lazy label}); the others
    keep the engine's labels (``WorkflowState``).
    """

    state_labels: ClassVar[dict[str, object]] = {}

    state = FSMField(
        _("trạng thái"),
        max_length=20,
        choices=WorkflowState.choices,
        default=WorkflowState.NEW,
        protected=True,
        db_index=True,
    )

    class Meta:
        abstract = True

    @classmethod
    def visible_to(cls, user) -> models.QuerySet:  # pragma: no cover - each kind implements it
        raise NotImplementedError

    @property
    def is_open(self) -> bool:
        return self.state not in CLOSED_STATES

    @classmethod
    def label_for_state(cls, state: str):
        return state_label(state, cls)

    @property
    def state_label(self):
        """The current state in this kind's words."""
        return state_label(self.state, type(self))

    def available_actions(self, user) -> list[Action]:
        """The transitions this user may run now (state, conditions and permission all met)."""
        if not getattr(user, "is_authenticated", False):
            return []
        return [Action.from_transition(t) for t in self.get_available_user_state_transitions(user)]

    def button_actions(self, user) -> list[Action]:
        """The available actions that are plain buttons (those with their own form left out)."""
        return [a for a in self.available_actions(user) if not a.form]


# ---------------------------------------------------------------------------------------------------
# History: append-only
# ---------------------------------------------------------------------------------------------------


class HistoryIsAppendOnly(Exception):  # noqa: N818
    """Raised on any attempt to change or delete a history row."""


class HistoryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise HistoryIsAppendOnly("history rows cannot be updated")

    def delete(self):
        raise HistoryIsAppendOnly("history rows cannot be deleted")

    def bulk_update(self, objs, fields, batch_size=None):
        raise HistoryIsAppendOnly("history rows cannot be updated")

    def update_or_create(self, *args, **kwargs):
        raise HistoryIsAppendOnly("history rows cannot be updated")

    def _raw_delete(self, using):
        raise HistoryIsAppendOnly("history rows cannot be deleted")

    def for_record(self, record) -> HistoryQuerySet:
        ct = ContentType.objects.get_for_model(record.__class__)
        return self.filter(content_type=ct, object_id=record.pk)


def _history_upload(instance: HistoryEntry, filename: str) -> str:
    now = timezone.now()
    return f"workflow/history/{now:%Y/%m}/{filename}"


class HistoryEntry(models.Model):
    """One event of a record's life: a transition, or another event worth keeping (views, deadlines …)."""

    class Event(models.TextChoices):
        TRANSITION = "transition", _("Chuyển trạng thái")
        CREATED = "created", _("Khởi tạo")
        ASSIGNED = "assigned", _("Giao xử lý")
        REASSIGNED = "reassigned", _("Chuyển giao")
        PROGRESS = "progress", _("Báo cáo tiến độ")
        COMPLETED = "completed", _("Hoàn thành phần việc")
        READ = "read", _("Đã xem")
        VIEW = "view", _("Xem hồ sơ mật")
        DEADLINE = "deadline", _("Thay đổi hạn xử lý")
        PAUSED = "paused", _("Tạm dừng tính hạn")
        RESUMED = "resumed", _("Tiếp tục tính hạn")
        COMMENT = "comment", _("Ý kiến")
        UPDATED = "updated", _("Cập nhật nội dung")

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.BigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    event = models.CharField(_("sự kiện"), max_length=20, choices=Event.choices)
    action = models.CharField(_("thao tác"), max_length=40, blank=True)
    from_state = models.CharField(_("từ trạng thái"), max_length=20, blank=True)
    to_state = models.CharField(_("sang trạng thái"), max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("thời gian"), default=timezone.now)
    comment = models.TextField(_("ý kiến, chỉ đạo"), blank=True)
    attachment = models.FileField(_("tệp đính kèm"), upload_to=_history_upload, blank=True, max_length=300)
    attachment_name = models.CharField(max_length=255, blank=True)
    attachment_sha256 = models.CharField(max_length=64, blank=True)
    attachment_size = models.BigIntegerField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = HistoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("lịch sử xử lý")
        verbose_name_plural = _("lịch sử xử lý")
        ordering = ["created_at", "id"]
        default_permissions = ("add", "view")
        indexes = [
            models.Index(fields=["content_type", "object_id", "created_at"], name="history_record_idx"),
            models.Index(fields=["actor", "created_at"], name="history_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} · {self.created_at:%d/%m/%Y %H:%M}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise HistoryIsAppendOnly("history rows cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise HistoryIsAppendOnly("history rows cannot be deleted")

    @cached_property
    def record_model(self) -> type | None:
        """The model class of the record; from the content-type cache (no query per row).

        A page showing one record's history sets it once for all rows (``{% workflow_history %}``).
        """
        return ContentType.objects.get_for_id(self.content_type_id).model_class()

    @property
    def from_label(self):
        return state_label(self.from_state, self.record_model) if self.from_state else ""

    @property
    def to_label(self):
        return state_label(self.to_state, self.record_model) if self.to_state else ""

    @property
    def action_label(self):
        if self.action in ACTIONS:
            return ACTIONS[self.action].label
        return self.get_event_display()

    def get_attachment_url(self) -> str:
        return reverse("workflow:history_file", args=[self.pk]) if self.attachment else ""


# ---------------------------------------------------------------------------------------------------
# Assignments and deadlines
# ---------------------------------------------------------------------------------------------------


class DeadlineStatus(models.TextChoices):
    ON_TIME = "on_time", _("Trong hạn")
    DUE_SOON = "due_soon", _("Sắp đến hạn")
    OVERDUE = "overdue", _("Quá hạn")
    PAUSED = "paused", _("Tạm dừng")
    NO_DEADLINE = "none", _("Không có hạn")
    DONE = "done", _("Đã xong")


DEADLINE_PILL = {
    DeadlineStatus.ON_TIME: "pill-ontime",
    DeadlineStatus.DUE_SOON: "pill-duesoon",
    DeadlineStatus.OVERDUE: "pill-overdue",
    DeadlineStatus.PAUSED: "pill-muted",
    DeadlineStatus.NO_DEADLINE: "pill-muted",
    DeadlineStatus.DONE: "pill-done",
}


def deadline_status_expression(*, now=None, open_q: Q, paused_q: Q | None = None) -> Case:
    """SQL CASE deriving the deadline status from due_at / due_soon_at at ``now``."""
    now = now or timezone.now()
    whens = [When(~open_q, then=Value(DeadlineStatus.DONE))]
    if paused_q is not None:
        whens.append(When(paused_q, then=Value(DeadlineStatus.PAUSED)))
    whens += [
        When(due_at__isnull=True, then=Value(DeadlineStatus.NO_DEADLINE)),
        When(due_at__lt=now, then=Value(DeadlineStatus.OVERDUE)),
        When(due_soon_at__lt=now, then=Value(DeadlineStatus.DUE_SOON)),
    ]
    return Case(*whens, default=Value(DeadlineStatus.ON_TIME), output_field=models.CharField())


def deadline_status_q(status: str, *, now=None, open_q: Q, paused_q: Q | None = None) -> Q:
    """A filter equivalent to ``deadline_status == status`` that the partial indexes can serve."""
    now = now or timezone.now()
    not_paused = ~paused_q if paused_q is not None else Q()
    if status == DeadlineStatus.DONE:
        return ~open_q
    if status == DeadlineStatus.PAUSED and paused_q is not None:
        return open_q & paused_q
    if status == DeadlineStatus.NO_DEADLINE:
        return open_q & not_paused & Q(due_at__isnull=True)
    if status == DeadlineStatus.OVERDUE:
        return open_q & not_paused & Q(due_at__lt=now)
    if status == DeadlineStatus.DUE_SOON:
        return open_q & not_paused & Q(due_at__gte=now, due_soon_at__lt=now)
    if status == DeadlineStatus.ON_TIME:
        return (
            open_q & not_paused & Q(due_at__gte=now) & (Q(due_soon_at__isnull=True) | Q(due_soon_at__gte=now))
        )
    return Q(pk__in=[])


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


class ReminderLevel(models.IntegerChoices):
    DUE_SOON = 1, _("Sắp đến hạn")
    OVERDUE = 2, _("Nhắc nhở (quá hạn)")
    CRITICISM = 3, _("Phê bình (quá hạn kéo dài)")


class ReminderMark(models.Model):
    """One row per (assignment, level): a reminder is sent once, whatever the workers or restarts."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reminders")
    level = models.PositiveSmallIntegerField(_("mức"), choices=ReminderLevel.choices)
    round = models.PositiveSmallIntegerField(_("lần gia hạn"), default=0)
    created_at = models.DateTimeField(_("thời gian"), default=timezone.now)
    delivered_at = models.DateTimeField(_("đã gửi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("lần nhắc hạn")
        verbose_name_plural = _("lần nhắc hạn")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "round", "level"], name="reminder_once_per_level"),
        ]
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(delivered_at__isnull=True), name="reminder_todo_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} · {self.get_level_display()}"


class DigestMark(models.Model):
    """The daily digest of one person for one day: sent once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_once_per_day")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.day}"


class CalendarException(models.Model):
    """A day that breaks the usual rule: a day off moved, or a Saturday worked."""

    class Kind(models.TextChoices):
        DAY_OFF = "off", _("Ngày nghỉ")
        WORKING_DAY = "work", _("Ngày làm việc")

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=4, choices=Kind.choices)
    reason = models.CharField(_("lý do"), max_length=255)

    class Meta:
        verbose_name = _("ngày nghỉ, làm bù")
        verbose_name_plural = _("ngày nghỉ, làm bù")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} · {self.get_kind_display()}"


# ---------------------------------------------------------------------------------------------------
# Work items (giao việc): the first concrete record kind
# ---------------------------------------------------------------------------------------------------


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
