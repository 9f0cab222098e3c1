"""Dashboard widgets: each app registers what it shows on the person's dashboard.

    register(Widget(key="incoming.waiting", template="documents/_widget_waiting.html",
                    roles={Role.LEADER}, context=lambda user: {...}, order=10))

A widget whose ``context`` returns None is not shown; with no widget at all the dashboard shows
the person's agency, department and roles and a "nothing to do yet" state.

Before the widgets the dashboard opens with "Việc cần làm ngay" (``pending_work``): a card for each menu entry
marked as pending work (``MenuItem.todo``) whose counter is above zero — the same counts as the menu's badges,
so no query of its own — in the order of the person's sections, then ``todo_rank``; the first
``PREVIEWED`` cards list their first ``PREVIEW_ROWS`` records (one query each).

``dashboard_parts`` keeps the widgets (rendered) and the previews in the cache beside the person's badges,
under their stamp (``eoffice.menu.person_stamp``): they live no longer than the badges, and whatever forgets
the badges (a notification to the person, their own action, a part handed away from them, a grant revoked:
``eoffice.menu.forget_badges``) makes the next dashboard read them again.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone, translation

PREVIEWED = 3
PREVIEW_ROWS = 3


@dataclass(frozen=True)
class Widget:
    key: str
    template: str
    context: Callable[[object], dict | None]
    roles: frozenset[str] | None = None
    order: int = 100
    wide: bool = False


_WIDGETS: dict[str, Widget] = {}


def register(widget: Widget) -> Widget:
    _WIDGETS[widget.key] = widget
    return widget


def widgets_for(user) -> list[dict]:
    shown = []
    for widget in sorted(_WIDGETS.values(), key=lambda w: (w.order, w.key)):
        if widget.roles is not None and not user.has_role(*widget.roles):
            continue
        context = widget.context(user)
        if context is not None:
            shown.append({"widget": widget, "template": widget.template, "context": context})
    return shown


def pending_work(user, sections: list[dict], kept_rows: dict | None = None) -> list[dict]:
    """The cards of "Việc cần làm ngay" from the person's menu (``eoffice.menu.menu_for``); ``kept_rows``:
    the previews kept with the person's badges (``dashboard_parts``), by menu entry."""
    cards = []
    for rank, section in enumerate(sections):
        for entry in section["entries"]:
            item = entry["item"]
            if item.todo and entry["count"] > 0:
                cards.append({"item": item, "url": entry["url"], "count": entry["count"], "rank": rank})
    cards.sort(key=lambda c: (c["rank"], c["item"].todo_rank, c["item"].order))
    for card in cards[:PREVIEWED]:
        if card["item"].preview is not None:
            key = card["item"].key
            if kept_rows is not None and key in kept_rows:
                card["rows"] = kept_rows[key]
            else:
                card["rows"] = card["item"].preview(user, PREVIEW_ROWS)
    return cards


def dashboard_parts(request, sections: list[dict], *, widgets: Callable = widgets_for) -> tuple[list, list]:
    """The pending-work cards and the widgets of the person's dashboard, kept beside their badges (see the
    module): the widgets rendered, the previews as rows. Nothing is kept when the badges are not."""
    from eoffice.menu import person_stamp

    user = request.user
    stamp = person_stamp(user)
    key = ""
    if stamp and settings.EOFFICE_BADGE_SECONDS:
        day = timezone.localdate().isoformat()
        key = f"dashboard:{user.pk}:{stamp}:{translation.get_language()}:{day}"
        try:
            kept = cache.get(key)
        except Exception:  # noqa: BLE001 - no cache: compute
            kept = None
        if kept is not None and all(k in _WIDGETS for k, _html in kept["widgets"]):
            pending = pending_work(user, sections, kept["rows"])
            if all("rows" not in c or c["item"].key in kept["rows"] for c in pending):
                shown = [{"widget": _WIDGETS[k], "html": html} for k, html in kept["widgets"]]
                return pending, shown
    pending = pending_work(user, sections)
    shown = widgets(user)
    if key:
        for entry in shown:
            entry["html"] = render_to_string(entry["template"], entry["context"], request)
        kept = {
            "rows": {c["item"].key: c["rows"] for c in pending if "rows" in c},
            "widgets": [(e["widget"].key, e["html"]) for e in shown],
        }
        with contextlib.suppress(Exception):  # no cache: the next dashboard computes again
            cache.set(key, kept, settings.EOFFICE_BADGE_SECONDS)
    return pending, shown
