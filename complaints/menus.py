"""The complaints module's menu entries (section "Đơn thư") and its dashboard widget. Each entry is shown to
who may open its page; the queue's badge counts the open cases the person sees whose deadline is near or
past (one query, cached with the other badges)."""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from eoffice.menu import MenuItem
from eoffice.menu import register as register_menu


def _access(user) -> tuple[bool, bool]:
    """(officer or decider, may open the queue): asked by every page's menu, so kept on the user object
    for the request and in the cache for ``EOFFICE_BADGE_SECONDS`` like the badges (a few queries each)."""
    from complaints import queue, rules

    if not getattr(user, "agency_id", None):
        return False, False
    if "_complaints_menu" in user.__dict__:
        return user.__dict__["_complaints_menu"]
    key, seconds = f"complaints-menu:{user.pk}", settings.EOFFICE_BADGE_SECONDS
    found = None
    if seconds:
        with contextlib.suppress(Exception):  # no cache: compute
            found = cache.get(key)
    if found is None:
        staff = rules.is_staff_of(user)
        found = (staff, staff or queue.may_open_queue(user))
        if seconds:
            with contextlib.suppress(Exception):
                cache.set(key, found, seconds)
    user.__dict__["_complaints_menu"] = tuple(found)
    return tuple(found)


def _may_open_queue(user) -> bool:
    return _access(user)[1]


def _is_staff(user) -> bool:
    return _access(user)[0]


def _has_agency(user) -> bool:
    return bool(user.agency_id)


def _attention(user) -> int:
    from complaints import queue

    return queue.attention_count(user)


def _preview(user, n: int) -> list[tuple[str, str]]:
    from complaints import queue

    return queue.attention_rows(user, n)


# The section's pages after the queue: (key, label, icon), in menu order, each open to the staff.
_PAGES = (
    ("letters", _("Sổ xử lý đơn"), "inbox"),
    ("visits", _("Tiếp công dân"), "users"),
    ("sessions", _("Lịch tiếp công dân"), "calendar"),
    ("stats", _("Báo cáo đơn thư"), "chart"),
    ("registers", _("In sổ, xuất dữ liệu"), "archive"),
)


def register() -> None:
    from complaints import search, widgets

    register_menu(
        MenuItem(
            key="complaints.cases",
            label=_("Vụ việc"),
            url_name="complaints:cases",
            icon="briefcase",
            section="complaints",
            order=70,
            can_open=_may_open_queue,
            counter=_attention,
            counter_tone="alert",
            todo=_("Vụ việc đơn thư sắp đến hạn, quá hạn"),
            todo_rank=30,
            preview=_preview,
        )
    )
    for order, (name, label, icon) in enumerate(_PAGES, start=71):
        register_menu(
            MenuItem(
                key=f"complaints.{name}",
                label=label,
                url_name=f"complaints:{name}",
                icon=icon,
                section="complaints",
                order=order,
                can_open=_is_staff,
            )
        )
    widgets.register_all()
    search.register_source()
