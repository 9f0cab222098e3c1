"""The menu of the shell: each app registers its entries; counters (badges) are filled per user.

    from eoffice.menu import MenuItem, register
    register(MenuItem(key="incoming.todo", section="documents", label=_("Văn bản đến"),
                      url_name="documents:incoming_list", icon="inbox",
                      roles={Role.CLERK, Role.LEADER}, counter=selectors.incoming_todo_count, order=10))

``counter(user) -> int`` must be one cheap query; the badge is hidden at zero.
``roles=None`` means every signed-in member of an agency.

The badges of a person are kept in the cache for ``EOFFICE_BADGE_SECONDS`` (30 s): the counters are most of
the cost of every page. They are recomputed at once after the person's own actions (any POST,
``BadgeMiddleware``) and when somebody sends them a notification (``eoffice.services.notify``), which is how
work reaches a person; the lists themselves are always read live.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
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


def _badge_key(user_id: int) -> str:
    return f"menu-badges:{user_id}"


def forget_badges(user_ids) -> None:
    """Recompute these people's badges at their next page (after the current transaction commits)."""
    keys = [_badge_key(pk) for pk in {pk for pk in user_ids if pk}]
    if keys and settings.EOFFICE_BADGE_SECONDS:
        transaction.on_commit(lambda: _delete(keys))


def _delete(keys: list[str]) -> None:
    with contextlib.suppress(Exception):  # a cache outage must not break a write; badges expire anyway
        cache.delete_many(keys)


def badges(user, items: list[MenuItem]) -> dict[str, int]:
    """The counters of ``items`` for ``user``: from the cache when fresh, else counted and kept."""
    wanted = [item for item in items if item.counter]
    seconds = settings.EOFFICE_BADGE_SECONDS
    if seconds:
        try:
            kept = cache.get(_badge_key(user.pk))
        except Exception:  # noqa: BLE001 - no cache: count live
            kept, seconds = None, 0
        if kept is not None and all(item.key in kept for item in wanted):
            return kept
    counts = {item.key: item.counter(user) for item in wanted}
    if seconds:
        with contextlib.suppress(Exception):  # no cache: the next page counts again
            cache.set(_badge_key(user.pk), counts, seconds)
    return counts


def menu_for(user, path: str) -> list[dict]:
    """Sections with their entries for ``user``; the longest matching URL prefix is active."""
    items = list(visible_items(user))
    counts = badges(user, items)
    entries = []
    for item in items:
        try:
            url = reverse(item.url_name, kwargs=item.url_kwargs or None)
        except NoReverseMatch:
            continue
        entries.append({"item": item, "url": url, "count": counts.get(item.key, 0), "active": False})
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
