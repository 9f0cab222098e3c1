"""The menu of the shell: each app registers its entries; counters (badges) are filled per user.

    from eoffice.menu import MenuItem, register
    register(MenuItem(key="incoming.todo", section="documents", label=_("Văn bản đến"),
                      url_name="documents:incoming_list", icon="inbox",
                      roles={Role.CLERK, Role.LEADER}, counter=selectors.incoming_todo_count, order=10))

``counter(user) -> int`` must be one cheap query; the badge is hidden at zero.
``roles=None`` means every signed-in member of an agency.

An entry is shown only to people who can open its page: ``roles`` is the view's role check, and
``can_open(user) -> bool`` the rest of it when the view asks more (an agency, a unit, staff status). Nobody
is special-cased: a superuser without an agency holds no role and sees what they can open, nothing more.

An entry with ``todo`` is pending work: when its counter is above zero the dashboard opens with a card for it
("Việc cần làm ngay"), ranked by ``todo_rank`` within the person's sections; ``preview(user, n)`` may list the
first ``n`` records as ``(text, url)`` (one query).

The sections come in the order of the person's roles (``ROLE_SECTIONS``): a one-stop officer's "Một cửa"
first, a clerk's "Văn bản"... The person's own sections are open, the others collapsed, except the one
holding the active entry.

The badges of a person are kept in the cache for ``EOFFICE_BADGE_SECONDS`` (30 s): the counters are most of
the cost of every page. They are recomputed at once after the person's own actions (any POST,
``BadgeMiddleware``) and when somebody sends them a notification (``eoffice.services.notify``), which is how
work reaches a person; the lists themselves are always read live. Which entries a person may open is kept
the same way (``kept_visible_items``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import SimpleNamespace

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
    "complaints": _("Đơn thư, tiếp dân"),
    "records": _("Hồ sơ, lưu trữ"),
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
    can_open: Callable[[object], bool] | None = None
    todo: object = None  # the dashboard card's text ("văn bản chờ bạn ký"); None: not pending work
    todo_rank: int = 100
    preview: Callable[[object, int], list[tuple[str, str]]] | None = None


_REGISTRY: dict[str, MenuItem] = {}


def register(item: MenuItem) -> MenuItem:
    roles = frozenset(item.roles) if item.roles is not None else None
    _REGISTRY[item.key] = MenuItem(**{**item.__dict__, "roles": roles})
    return item


def registered() -> list[MenuItem]:
    return sorted(_REGISTRY.values(), key=lambda i: (list(SECTIONS).index(i.section), i.order, i.key))


# The sections each role works in, most used first (role codes of eoffice.models.Role).
ROLE_SECTIONS: dict[str, tuple[str, ...]] = {
    "archivist": ("records",),
    "onestop_officer": ("onestop",),
    "clerk": ("documents",),
    "leader": ("documents", "work"),
    "department_head": ("documents", "work"),
    "officer": ("work", "documents"),
    "agency_admin": ("agency",),
}


def can_open(item: MenuItem, user) -> bool:
    """The same predicate as the entry's view: its roles, then its own check."""
    if item.roles is not None and not user.has_role(*item.roles):
        return False
    return item.can_open is None or bool(item.can_open(user))


def visible_items(user) -> Iterable[MenuItem]:
    for item in registered():
        if can_open(item, user):
            yield item


def _open_key(user_id: int) -> str:
    return f"menu-open:{user_id}"


def kept_visible_items(user) -> list[MenuItem]:
    """``visible_items`` kept in the cache with the badges (same lifetime, forgotten with them): some entries'
    own checks query (a format reviewer named by a rule, a complaints role), and the menu is on every page.
    The menu only shows the way; every view checks the right again."""
    seconds = settings.EOFFICE_BADGE_SECONDS
    if seconds:
        try:
            kept = cache.get(_open_key(user.pk))
        except Exception:  # noqa: BLE001 - no cache: check live
            kept, seconds = None, 0
        if kept is not None:
            return [item for item in registered() if item.key in kept]
    items = list(visible_items(user))
    if seconds:
        with contextlib.suppress(Exception):  # no cache: the next page checks again
            cache.set(_open_key(user.pk), [item.key for item in items], seconds)
    return items


def primary_sections(user) -> list[str]:
    """The person's own sections, in the order of their roles; "Tổng quan" always first."""
    order = ["home"]
    for role, sections in ROLE_SECTIONS.items():
        if user.has_role(role):
            order += [key for key in sections if key not in order]
    return order


def _badge_key(user_id: int) -> str:
    return f"menu-badges:{user_id}"


def forget_badges(user_ids) -> None:
    """Recompute these people's badges at their next page (after the current transaction commits)."""
    keys = [key(pk) for pk in {pk for pk in user_ids if pk} for key in (_badge_key, _open_key)]
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
    """Sections with their entries for ``user``; the longest matching URL prefix is active.

    The person's own sections first (``primary_sections``) and open; the others after them, collapsed unless
    they hold the active entry, or unless the person has no role (nothing to put first: all open)."""
    items = kept_visible_items(user)
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
    primary = primary_sections(user)
    everything_open = len(primary) == 1
    sections: dict[str, dict] = {}
    for entry in entries:
        key = entry["item"].section
        section = sections.setdefault(
            key,
            {
                "key": key,
                "label": SECTIONS.get(key, key),
                "entries": [],
                "primary": key in primary,
                "open": everything_open or key in primary,
                "pending": False,
                "active": False,
            },
        )
        section["entries"].append(entry)
        section["open"] |= entry["active"]
        section["active"] |= entry["active"]
        section["pending"] |= bool(entry["count"] and entry["item"].counter)
    rank = {key: i for i, key in enumerate(primary)}
    return sorted(sections.values(), key=lambda s: rank.get(s["key"], len(rank)))


def _unread(user) -> int:
    from eoffice.selectors import unread_count

    return unread_count(user)


def _opens_admin(user) -> bool:
    from django.contrib import admin

    return admin.site.has_permission(SimpleNamespace(user=user))


def _core_items() -> None:
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
            key="audit.stats",
            label=_("Thống kê truy cập"),
            url_name="audit:stats",
            icon="chart",
            section="agency",
            order=150,
            roles={"agency_admin", "leader"},
            can_open=lambda user: bool(user.agency_id),
        )
    )
    register(
        MenuItem(
            key="admin",
            label=_("Quản trị"),
            url_name="admin:index",
            icon="settings",
            section="agency",
            order=200,
            can_open=_opens_admin,
        )
    )


_core_items()
