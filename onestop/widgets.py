"""The one-stop dashboard widget: the open dossiers by queue and this month's on-time rate."""

from __future__ import annotations

from types import SimpleNamespace

from django.utils.translation import gettext_lazy as _

from eoffice.dashboard import Widget, register
from eoffice.models import Role

LABELS = {
    "open": _("Đang giải quyết"),
    "overdue": _("Quá hạn"),
    "supplement": _("Chờ công dân bổ sung"),
    "returning": _("Chờ trả kết quả"),
}
"""The label of each of ``onestop.selectors.WIDGET_QUEUES``."""


def widget_context(user) -> dict | None:
    """Counts for one-stop officers, leaders and unit heads (the queues they link to show the same
    dossiers); nothing when every number is zero. One query (and the person's roles, usually cached)."""
    from documents.stats.exports import rate_text
    from onestop.selectors import WIDGET_QUEUES
    from onestop.stats import selectors as stats

    scope = stats.scope_for(user)
    if scope is None:
        return None
    counts = stats.widget_counts(user, scope)
    if not any(counts[name] for name in WIDGET_QUEUES) and not counts["resolved"]:
        return None
    month = counts["month"].date_from
    return {
        "scope": scope,
        "queues": [(name, LABELS[name], counts[name]) for name in WIDGET_QUEUES],
        "rate": rate_text(SimpleNamespace(rate=counts["rate"])),
        "resolved": counts["resolved"],
        "month": f"{month.month}/{month.year}",
    }


def register_all() -> None:
    register(
        Widget(
            key="onestop.stats",
            template="onestop/stats/_widget.html",
            context=widget_context,
            roles=frozenset({Role.ONESTOP_OFFICER, Role.LEADER, Role.DEPARTMENT_HEAD}),
            order=7,
        )
    )
