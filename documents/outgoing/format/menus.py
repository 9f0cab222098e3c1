"""The format check's menu entries: the reviewer's queue (with its badge) and the admin's assignment page;
the name of its approval in the history."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from eoffice.menu import MenuItem, register
from eoffice.models import Role


def _count(user) -> int:
    from documents.outgoing import selectors

    return selectors.queue_counts(user)["format"]


def _preview(user, n: int) -> list[tuple[str, str]]:
    from documents.outgoing import selectors

    rows = selectors.visible_outgoing(user).filter(selectors.queue_q(user, "format")).order_by("-created_at")
    return [(doc.summary, doc.get_absolute_url()) for doc in rows[:n]]


def _is_reviewer(user) -> bool:
    from documents.outgoing.format.reviewers import is_reviewer_anywhere

    return is_reviewer_anywhere(user)


def register_all() -> None:
    from workflow.models import ACTIONS, ActionInfo

    # the history's name of the reviewer's approval (the return is the engine's "Trả lại")
    ACTIONS.setdefault("format_approve", ActionInfo(_("Đạt thể thức, trình ký"), "primary"))
    register(
        MenuItem(
            key="documents.outgoing.format",
            section="documents",
            label=_("Chờ kiểm tra thể thức"),
            url_name="documents:outgoing_queue",
            url_kwargs={"queue": "format"},
            icon="check-circle",
            order=22,
            can_open=_is_reviewer,
            counter=_count,
            todo=_("Văn bản chờ bạn kiểm tra thể thức trước khi trình ký"),
            todo_rank=18,
            preview=_preview,
        )
    )
    register(
        MenuItem(
            key="documents.outgoing.format_rules",
            section="agency",
            label=_("Phân công kiểm tra thể thức"),
            url_name="documents:outgoing_format_rules",
            icon="check-circle",
            order=160,
            roles={Role.AGENCY_ADMIN},
            can_open=lambda user: bool(user.agency_id),
        )
    )
