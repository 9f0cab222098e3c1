"""What the documents app adds to the shell: menu entries with counters, notification kinds, a widget."""

from __future__ import annotations

from functools import partial

from django.utils.translation import gettext_lazy as _

from eoffice.dashboard import Widget
from eoffice.dashboard import register as register_widget
from eoffice.menu import MenuItem
from eoffice.menu import register as register_menu
from eoffice.models import Role
from eoffice.notifications import register_kind


def _count(queue: str, user) -> int:
    from documents.incoming import selectors

    return selectors.queue_counts(user)[queue]


def _widget_context(user):
    from documents.incoming import selectors

    if not user.agency_id:
        return None
    queues = []
    if user.has_role(Role.CLERK):
        queues.append(("register", _("Chờ vào sổ")))
    if user.has_role(Role.LEADER):
        queues.append(("direction", _("Chờ chỉ đạo")))
    queues += [("todo", _("Cần xử lý")), ("progress", _("Đang xử lý")), ("overdue", _("Quá hạn"))]
    badges = selectors.queue_counts(user)
    counts = [(key, label, badges[key]) for key, label in queues]
    if not any(n for _k, _l, n in counts):
        return None
    return {"counts": counts}


def _preview(queue: str, user, n: int) -> list[tuple[str, str]]:
    from documents.incoming import selectors

    rows = selectors.visible_incoming(user, queue=queue).filter(selectors.queue_q(user, queue))
    rows = rows.order_by("-received_at", "-id")[:n]
    return [(f"{doc.number_symbol} · {doc.summary}", doc.get_absolute_url()) for doc in rows]


QUEUE_MENU = [
    # key, label, icon, roles, order, tone, dashboard card text (pending work), its rank
    ("register", _("Chờ vào sổ"), "inbox", {Role.CLERK}, 11, "info", _("Văn bản đến chờ vào sổ"), 12),
    ("direction", _("Chờ chỉ đạo"), "pen", {Role.LEADER}, 12, "info", _("Văn bản đến chờ bạn chỉ đạo"), 25),
    ("todo", _("Cần xử lý"), "tasks", None, 13, "info", _("Văn bản đến bạn cần xử lý"), 30),
    ("progress", _("Đang xử lý"), "clock", None, 14, "info", None, 100),
    ("overdue", _("Văn bản quá hạn"), "alert", None, 15, "alert", _("Văn bản đến đã quá hạn xử lý"), 35),
    ("info", _("Văn bản để biết"), "eye", None, 16, "info", None, 100),
]


def register_all() -> None:
    register_kind("documents.incoming", _("Văn bản đến chờ chỉ đạo, được giao chỉ đạo"), email_default=True)
    register_kind("documents.returned", _("Văn bản bị nơi nhận trả lại"))
    register_kind("documents.incoming_arrived", _("Văn bản điện tử liên thông đến, chờ vào sổ"))
    register_kind("documents.incoming_recalled", _("Văn bản đến bị nơi gửi thu hồi"), email_default=True)
    register_menu(
        MenuItem(
            key="documents.incoming",
            section="documents",
            label=_("Văn bản đến"),
            url_name="documents:incoming_list",
            icon="file-text",
            order=10,
        )
    )
    for key, label, icon, roles, order, tone, todo, rank in QUEUE_MENU:
        register_menu(
            MenuItem(
                key=f"documents.incoming.{key}",
                section="documents",
                label=label,
                url_name="documents:incoming_queue",
                url_kwargs={"queue": key},
                icon=icon,
                order=order,
                roles=frozenset(roles) if roles else None,
                counter=partial(_count, key),
                counter_tone=tone,
                todo=todo,
                todo_rank=rank,
                preview=partial(_preview, key) if todo else None,
            )
        )
    register_menu(
        MenuItem(
            key="documents.incoming.done",
            section="documents",
            label=_("Đã hoàn thành"),
            url_name="documents:incoming_queue",
            url_kwargs={"queue": "done"},
            icon="check-circle",
            order=17,
        )
    )
    register_menu(
        MenuItem(
            key="documents.registers",
            section="documents",
            label=_("Sổ văn bản"),
            url_name="documents:registers",
            icon="list",
            order=30,
            roles=frozenset({Role.CLERK, Role.LEADER, Role.DEPARTMENT_HEAD}),
        )
    )
    register_menu(
        MenuItem(
            key="documents.secret_settings",
            section="agency",
            label=_("Văn bản mật"),
            url_name="documents:registers_secret_settings",
            icon="shield",
            order=185,
            roles=frozenset({Role.AGENCY_ADMIN}),
            can_open=lambda user: bool(user.agency_id),
        )
    )
    register_widget(
        Widget(
            key="documents.incoming",
            template="documents/incoming/_widget.html",
            context=_widget_context,
            order=5,
        )
    )
