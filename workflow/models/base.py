"""The state-machine base every record kind uses: the states, the canonical actions and their labels,
``WorkflowRecord`` (the protected state field, the actions a user may take now)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin


class WorkflowState(models.TextChoices):
    """Every state a record kind may use; each kind picks its subset with its transitions."""

    NEW = "new", _("Mới tạo")
    RECEIVED = "received", _("Đã tiếp nhận")
    ASSIGNED = "assigned", _("Đã giao")
    PROCESSING = "processing", _("Đang xử lý")
    SUBMITTED = "submitted", _("Chờ duyệt")
    APPROVED = "approved", _("Đã duyệt")
    FORMAT_CHECK = "format_check", _("Chờ kiểm tra thể thức")
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
