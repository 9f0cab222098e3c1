"""The menu of the shell: each app registers its entries; counters (badges) are filled per user.

    from eoffice.menu import MenuItem, register
    register(MenuItem(key="incoming.todo", section="documents", label=_("Văn bản đến"),
                      url_name="documents:incoming_list", icon="inbox",
                      roles={Role.CLERK, Role.LEADER}, counter=selectors.incoming_todo_count, order=10))

``counter(user) -> int`` must be one cheap query; the badge is hidden at zero.
``roles=None`` means every signed-in member of an agency.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

SECTIONS: dict[str, object] = {
    "home": _("Tổng quan"),
    "documents": _("Văn bản"),
    "work": _("Công việc"),
    "onestop": _("Một cửa"),
    "meetings": _("Lịch họp"),
    "complaints": _("Đơn thư"),
    "agency": _("Cơ quan"),
}


@dataclass(frozen=True)
class MenuItem:
    key: str
    label: object
    url_name: str
    icon: str = "dot"
    section: str = "home"
    order: int = 100
    roles: frozenset[str] | None = None
    counter: Callable[[object], int] | None = None
    counter_tone: str = "info"  # "info" or "alert" (red badge, e.g. overdue)
    url_kwargs: dict = field(default_factory=dict)


_REGISTRY: dict[str, MenuItem] = {}


def register(item: MenuItem) -> MenuItem:
    roles = frozenset(item.roles) if item.roles is not None else None
    _REGISTRY[item.key] = MenuItem(**{**item.__dict__, "roles": roles})
    return item


def registered() -> list[MenuItem]:
    return sorted(_REGISTRY.values(), key=lambda i: (list(SECTIONS).index(i.section), i.order, i.key))


def visible_items(user) -> Iterable[MenuItem]:
    for item in registered():
        if item.roles is None or user.is_superuser or user.has_role(*item.roles):
            yield item


def menu_for(user, path: str) -> list[dict]:
    """Sections with their entries for ``user``; the longest matching URL prefix is active."""
    entries = []
    for item in visible_items(user):
        try:
            url = reverse(item.url_name, kwargs=item.url_kwargs or None)
        except NoReverseMatch:
            continue
        count = item.counter(user) if item.counter else 0
        entries.append({"item": item, "url": url, "count": count, "active": False})
    matches = [e for e in entries if path == e["url"] or (e["url"] != "/" and path.startswith(e["url"]))]
    if matches:
        max(matches, key=lambda e: len(e["url"]))["active"] = True
    sections: dict[str, dict] = {}
    for entry in entries:
        key = entry["item"].section
        sections.setdefault(key, {"key": key, "label": SECTIONS.get(key, key), "entries": []})
        sections[key]["entries"].append(entry)
    return list(sections.values())


def _unread(user) -> int:
    from eoffice.selectors import unread_count

    return unread_count(user)


def _core_items() -> None:
    from eoffice.models import Role

    register(MenuItem(key="home", label=_("Bảng điều khiển"), url_name="dashboard", icon="home", order=0))
    register(
        MenuItem(
            key="notifications",
            label=_("Thông báo"),
            url_name="notifications",
            icon="bell",
            order=90,
            counter=_unread,
        )
    )
    register(
        MenuItem(key="directory", label=_("Danh bạ"), url_name="directory", icon="users", section="agency")
    )
    register(
        MenuItem(
            key="admin",
            label=_("Quản trị"),
            url_name="admin:index",
            icon="settings",
            section="agency",
            order=200,
            roles=frozenset({Role.AGENCY_ADMIN}),
        )
    )


_core_items()
