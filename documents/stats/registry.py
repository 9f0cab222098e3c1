"""What the statistics add to the shell: the menu entry and the dashboard widget with its charts."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eoffice.dashboard import Widget
from eoffice.dashboard import register as register_widget
from eoffice.menu import MenuItem
from eoffice.menu import register as register_menu

WIDGET_KIND = "all"


def _month_label(period) -> str:
    return f"{period.date_from.month}/{period.date_from.year}"


def widget_context(user):
    """A leader: the agency; a head: the unit; anyone else: their own parts (nothing if there are none)."""
    from documents.stats import exports, links, selectors
    from eoffice.charts import Segment, Series, donut, stacked_bars

    data = selectors.dashboard(user=user, kind=WIDGET_KIND)
    if data is None or (data.scope.level == "person" and data.empty):
        return None
    scope, kind = data.scope, WIDGET_KIND
    month = data.months[-1]
    series = [
        Series(b, str(selectors.BUCKET_LABELS[b]), selectors.BUCKET_TONES[b]) for b in selectors.BUCKETS
    ]
    bars = stacked_bars(
        key="stats-months",
        title=_("Tình hình xử lý 6 tháng gần đây"),
        categories=[_month_label(p) for p in data.months],
        series=series,
        values=[[getattr(c, b) for b in selectors.BUCKETS] for c in data.series],
        links=[[links.list_url(scope.key, p, kind, b) for b in selectors.BUCKETS] for p in data.months],
        category_links=[links.list_url(scope.key, p, kind, "all") for p in data.months],
    )
    labels = {
        "open": _("Trong hạn"),
        "duesoon": _("Sắp đến hạn"),
        "overdue": _("Quá hạn"),
        "none": _("Không có hạn"),
        "paused": _("Tạm dừng tính hạn"),
    }
    tones = {"open": "open", "duesoon": "duesoon", "overdue": "overdue", "none": "none", "paused": "paused"}
    segments = [
        Segment(Series(key, labels[key], tones[key]), value)
        for key, value in data.open_now.items()
        if value or key in ("open", "duesoon", "overdue")
    ]
    ring = donut(
        key="stats-open",
        title=_("Đang xử lý theo hạn (hiện tại)"),
        segments=segments,
        center_label=_("đang xử lý"),
        empty_label=_("Không có việc đang xử lý"),
    )
    this = data.this_month
    headline = [
        (b, label, this.get(b), links.list_url(scope.key, month, kind, b))
        for b, label in (
            ("all", _("Tiếp nhận, giao") if scope.level == "agency" else _("Được giao")),
            ("finished", _("Đã hoàn thành")),
            ("open", _("Đang xử lý trong hạn")),
            ("overdue", _("Quá hạn")),
        )
    ]
    return {
        "stats_scope": scope,
        "stats_headline": headline,
        "stats_rate": exports.rate_text(this),
        "stats_bars": bars,
        "stats_donut": ring,
        "stats_url": links.stats_url(scope.key, month, kind),
        "stats_month": _month_label(month),
    }


def register_all() -> None:
    register_menu(
        MenuItem(
            key="documents.stats",
            section="documents",
            label=gettext_lazy("Báo cáo thống kê"),
            url_name="documents:stats",
            icon="chart",
            order=50,
        )
    )
    register_widget(
        Widget(
            key="documents.stats",
            template="documents/stats/_widget.html",
            context=widget_context,
            order=8,
            wide=True,
        )
    )
