"""What outgoing documents add to the shell: menu entries with counters and a notification kind."""

from __future__ import annotations

from functools import partial

from django.utils.translation import gettext_lazy as _

from eoffice.menu import MenuItem
from eoffice.menu import register as register_menu
from eoffice.models import Role
from eoffice.notifications import register_kind


def _count(queue: str, user) -> int:
    from documents.outgoing import selectors

    return selectors.queue_counts(user)[queue]


def _preview(queue: str, user, n: int) -> list[tuple[str, str]]:
    from documents.outgoing import selectors

    rows = (
        selectors.visible_outgoing(user).filter(selectors.queue_q(user, queue)).order_by("-created_at", "-id")
    )
    return [
        (f"{doc.number_symbol} · {doc.summary}" if doc.number_symbol else doc.summary, doc.get_absolute_url())
        for doc in rows[:n]
    ]


QUEUE_MENU = [
    # key, label, icon, roles, order, dashboard card text (pending work), its rank
    ("mine", _("Dự thảo của tôi"), "edit", None, 21, None, 100),
    (
        "review",
        _("Dự thảo chờ duyệt"),
        "check-circle",
        {Role.DEPARTMENT_HEAD, Role.LEADER},
        22,
        _("Dự thảo văn bản chờ bạn duyệt"),
        20,
    ),
    ("consult", _("Xin ý kiến dự thảo"), "message", None, 23, _("Dự thảo đang chờ ý kiến của bạn"), 40),
    ("issue", _("Chờ phát hành"), "send", {Role.CLERK}, 24, _("Văn bản đã ký, chờ cấp số và phát hành"), 15),
]


def register_all() -> None:
    from documents.outgoing.format import menus as format_menus

    format_menus.register_all()
    register_kind(
        "documents.outgoing", _("Dự thảo, văn bản đi chờ duyệt, chờ ký, chờ phát hành"), email_default=True
    )
    register_menu(
        MenuItem(
            key="documents.outgoing",
            section="documents",
            label=_("Văn bản đi"),
            url_name="documents:outgoing_list",
            icon="send",
            order=20,
        )
    )
    for key, label, icon, roles, order, todo, rank in QUEUE_MENU:
        register_menu(
            MenuItem(
                key=f"documents.outgoing.{key}",
                section="documents",
                label=label,
                url_name="documents:outgoing_queue",
                url_kwargs={"queue": key},
                icon=icon,
                order=order,
                roles=frozenset(roles) if roles else None,
                counter=partial(_count, key),
                counter_tone="info",
                todo=todo,
                todo_rank=rank,
                preview=partial(_preview, key) if todo else None,
            )
        )
