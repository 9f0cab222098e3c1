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


QUEUE_MENU = [
    # key, label, icon, roles, order
    ("mine", _("Dự thảo của tôi"), "edit", None, 21),
    ("review", _("Dự thảo chờ duyệt"), "check-circle", {Role.DEPARTMENT_HEAD, Role.LEADER}, 22),
    ("consult", _("Xin ý kiến dự thảo"), "message", None, 23),
    ("issue", _("Chờ phát hành"), "send", {Role.CLERK}, 24),
]


def register_all() -> None:
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
    for key, label, icon, roles, order in QUEUE_MENU:
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
            )
        )
