"""Dashboard widgets: each app registers what it shows on the person's dashboard.

    register(Widget(key="incoming.waiting", template="documents/_widget_waiting.html",
                    roles={Role.LEADER}, context=lambda user: {...}, order=10))

A widget whose ``context`` returns None is not shown; with no widget at all the dashboard shows
the person's agency, department and roles and a "nothing to do yet" state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


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
        if widget.roles is not None and not user.is_superuser and not user.has_role(*widget.roles):
            continue
        context = widget.context(user)
        if context is not None:
            shown.append({"widget": widget, "template": widget.template, "context": context})
    return shown
