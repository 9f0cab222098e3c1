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
the same way (``kept_visible_items``), and so is the person's stamp (``person_stamp``), under which the
dashboard keeps its widgets and previews (``eoffice.dashboard.dashboard_parts``); the three are read in one
round trip. The bell shows the "Thông báo" badge (the unread count, kept and forgotten the same way). The
rendered shell is kept by ``eoffice.templatetags.eoffice_shell`` under a key made of what it shows.
"""

from __future__ import annotations

import contextlib
import functools
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
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


_NOT_READ = object()


def kept_visible_items(user, kept=_NOT_READ) -> list[MenuItem]:
    """``visible_items`` kept in the cache with the badges (same lifetime, forgotten with them): some entries'
    own checks query (a format reviewer named by a rule, a complaints role), and the menu is on every page.
    The menu only shows the way; every view checks the right again. ``kept``: the cached value when the
    caller has read it already (``menu_for`` reads the menu's keys in one round trip)."""
    seconds = settings.EOFFICE_BADGE_SECONDS
    if seconds:
        if kept is _NOT_READ:
            kept, seconds = _cache_get(_open_key(user.pk))
        if kept is not None:
            return [item for item in registered() if item.key in kept]
    items = list(visible_items(user))
    if seconds:
        with contextlib.suppress(Exception):  # no cache: the next page checks again
            cache.set(_open_key(user.pk), [item.key for item in items], seconds)
    return items


def _cache_get(key: str) -> tuple[object, int]:
    """The kept value (None when missing) and the badge lifetime, 0 when the cache cannot be read."""
    try:
        return cache.get(key), settings.EOFFICE_BADGE_SECONDS
    except Exception:  # noqa: BLE001 - no cache: count live
        return None, 0


def _kept_menu(user) -> dict[str, object]:
    """The person's kept entries, badges and stamp in one round trip to the cache ({} when it is off)."""
    if not settings.EOFFICE_BADGE_SECONDS:
        return {}
    try:
        return cache.get_many([_open_key(user.pk), _badge_key(user.pk), _stamp_key(user.pk)])
    except Exception:  # noqa: BLE001 - no cache: count live
        return {}


def primary_sections(user) -> list[str]:
    """The person's own sections, in the order of their roles; "Tổng quan" always first."""
    order = ["home"]
    for role, sections in ROLE_SECTIONS.items():
        if user.has_role(role):
            order += [key for key in sections if key not in order]
    return order


def _badge_key(user_id: int) -> str:
    return f"menu-badges:{user_id}"


def _stamp_key(user_id: int) -> str:
    return f"menu-stamp:{user_id}"


def forget_badges(user_ids) -> None:
    """Recompute these people's badges at their next page (after the current transaction commits); their
    stamp (``person_stamp``) changes with them, so what is kept under it (their dashboard) is read again."""
    keys = [key(pk) for pk in {pk for pk in user_ids if pk} for key in (_badge_key, _open_key, _stamp_key)]
    if keys and settings.EOFFICE_BADGE_SECONDS:
        transaction.on_commit(lambda: _delete(keys))


def _delete(keys: list[str]) -> None:
    with contextlib.suppress(Exception):  # a cache outage must not break a write; badges expire anyway
        cache.delete_many(keys)


def person_stamp(user, kept=_NOT_READ, *, renew: bool = False) -> str:
    """A token that changes whenever the person's badges are counted afresh (forgotten by
    ``forget_badges``, or expired): what is kept per person beside the badges (the dashboard's widgets and
    previews) is keyed by it, so it lives no longer than the badges do. "" when nothing may be kept (no
    cache, or ``EOFFICE_BADGE_SECONDS`` is 0). ``menu_for`` renews it when it counted the badges."""
    if not renew and (stamp := getattr(user, "_menu_stamp", None)) is not None:
        return stamp
    seconds = settings.EOFFICE_BADGE_SECONDS
    stamp = ""
    if seconds and not renew:
        if kept is _NOT_READ:
            kept, seconds = _cache_get(_stamp_key(user.pk))
        stamp = kept or ""
    if seconds and not stamp:
        stamp = secrets.token_hex(8)
        try:
            cache.set(_stamp_key(user.pk), stamp, seconds)
        except Exception:  # noqa: BLE001 - no cache: nothing kept
            stamp = ""
    user._menu_stamp = stamp
    return stamp


def badges(user, items: list[MenuItem], kept=_NOT_READ) -> dict[str, int]:
    """The counters of ``items`` for ``user``: from the cache when fresh, else counted and kept."""
    wanted = [item for item in items if item.counter]
    seconds = settings.EOFFICE_BADGE_SECONDS
    if seconds:
        if kept is _NOT_READ:
            kept, seconds = _cache_get(_badge_key(user.pk))
        if kept is not None and all(item.key in kept for item in wanted):
            return kept
    counts = {item.key: item.counter(user) for item in wanted}
    if seconds:
        with contextlib.suppress(Exception):  # no cache: the next page counts again
            cache.set(_badge_key(user.pk), counts, seconds)
    return counts


def kept_count(user, key: str) -> int | None:
    """The badge ``key`` as this request's menu counted or read it (None before the menu, or without it)."""
    return (getattr(user, "_menu_counts", None) or {}).get(key)


@functools.lru_cache(maxsize=512)
def _reversed(url_name: str, kwargs: tuple, prefix: str, urlconf: str) -> str | None:
    try:
        return reverse(url_name, kwargs=dict(kwargs) or None)
    except NoReverseMatch:
        return None


def menu_for(user, path: str) -> list[dict]:
    """Sections with their entries for ``user``; the longest matching URL prefix is active.

    The person's own sections first (``primary_sections``) and open; the others after them, collapsed unless
    they hold the active entry, or unless the person has no role (nothing to put first: all open)."""
    kept = _kept_menu(user)
    items = kept_visible_items(user, kept.get(_open_key(user.pk)))
    kept_badges = kept.get(_badge_key(user.pk))
    counts = badges(user, items, kept_badges)
    user._menu_counts = counts
    person_stamp(user, kept.get(_stamp_key(user.pk)), renew=counts is not kept_badges)
    prefix, urlconf = get_script_prefix(), str(get_urlconf() or settings.ROOT_URLCONF)
    entries = []
    for item in items:
        url = _reversed(item.url_name, tuple(sorted(item.url_kwargs.items())), prefix, urlconf)
        if url is None:
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
