"""Dashboard widget of the complaints module: the person's own open cases (handler or verification team)
by deadline status, each number opening the queue filtered the same way. One query; nothing shown when the
person has no open case."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from eoffice.dashboard import Widget, register
from workflow.models import DEADLINE_PILL, DeadlineStatus

SHOWN = (
    DeadlineStatus.OVERDUE,
    DeadlineStatus.DUE_SOON,
    DeadlineStatus.ON_TIME,
    DeadlineStatus.PAUSED,
    DeadlineStatus.NO_DEADLINE,
)


def widget_context(user) -> dict | None:
    from complaints import queue

    if not getattr(user, "agency_id", None):
        return None
    counts = queue.my_counts(user)
    total = sum(counts.get(status) or 0 for status in SHOWN)
    if not total:
        return None
    base = reverse("complaints:cases")
    rows = [
        {
            "status": status,
            "label": DeadlineStatus(status).label,
            "count": counts.get(status) or 0,
            "pill": DEADLINE_PILL.get(status, "pill-muted"),
            "url": f"{base}?{urlencode({'mine': 'on', 'deadline': status})}",
        }
        for status in SHOWN
    ]
    return {
        "rows": [row for row in rows if row["count"] or row["status"] in (SHOWN[0], SHOWN[1])],
        "total": total,
        "all_url": f"{base}?mine=on",
        "title": _("Vụ việc đơn thư của tôi"),
    }


def register_all() -> None:
    register(
        Widget(key="complaints.mine", template="complaints/_widget.html", context=widget_context, order=8)
    )
