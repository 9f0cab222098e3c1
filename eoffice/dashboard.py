"""Dashboard widgets: each app registers what it shows on the person's dashboard.

    register(Widget(key="incoming.waiting", template="documents/_widget_waiting.html",
                    roles={Role.LEADER}, context=lambda user: {...}, order=10))

A widget whose ``context`` returns None is not shown; with no widget at all the dashboard shows
the person's agency, department and roles and a "nothing to do yet" state.

Before the widgets the dashboard opens with "Việc cần làm ngay" (``pending_work``): a card for each menu entry
marked as pending work (``MenuItem.todo``) whose counter is above zero — the same counts as the menu's badges,
so no query of its own — in the order of the person's sections, then ``todo_rank``; the first
``PREVIEWED`` cards list their first ``PREVIEW_ROWS`` records (one query each).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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


def pending_work(user, sections: list[dict]) -> list[dict]:
    """The cards of "Việc cần làm ngay" from the person's menu (``eoffice.menu.menu_for``)."""
    cards = []
    for rank, section in enumerate(sections):
        for entry in section["entries"]:
            item = entry["item"]
            if item.todo and entry["count"] > 0:
                cards.append({"item": item, "url": entry["url"], "count": entry["count"], "rank": rank})
    cards.sort(key=lambda c: (c["rank"], c["item"].todo_rank, c["item"].order))
    for card in cards[:PREVIEWED]:
        if card["item"].preview is not None:
            card["rows"] = card["item"].preview(user, PREVIEW_ROWS)
    return cards
