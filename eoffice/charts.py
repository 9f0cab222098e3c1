"""Server-drawn SVG charts: a stacked bar chart and a donut, each with a title, a description for screen
readers and a legend. No JavaScript and no ``style`` attribute (the CSP forbids both): geometry goes in
SVG presentation attributes, colours come from CSS classes (``tone-<name>`` in ``static/css/app.css``
sets ``--tone``; ``.chart-bar``, ``.chart-arc`` and ``.chart-swatch`` paint with it).

    from eoffice.charts import Series, donut, stacked_bars

    chart = stacked_bars(
        key="months", title=_("Sáu tháng gần đây"),
        categories=["01/2026", "02/2026"],
        series=[Series("done", _("Đã xong"), "success"), Series("late", _("Quá hạn"), "danger")],
        values=[[3, 1], [5, 0]],              # one list per category, one number per series
        links=[["/list?m=1&b=done", None], …],  # optional: a segment links to what it counts
    )
    {% load eoffice_charts %}{% chart chart %}

A chart with no data still draws its axes (stacked bars) or an empty ring (donut) and says so.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    tone: str  # a CSS tone: tone-<tone> (success, ontime, warning, danger, info, muted …)


@dataclass(frozen=True)
class LegendItem:
    label: str
    tone: str
    value: int | None = None
    href: str | None = None


@dataclass(frozen=True)
class Chart:
    key: str
    kind: str  # "bars" or "donut"
    title: str
    svg: SafeString
    legend: list[LegendItem] = field(default_factory=list)
    empty: bool = False

    @property
    def dom_id(self) -> str:
        return f"chart-{self.key}"


def _num(value: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def nice_scale(maximum: int, max_ticks: int = 5) -> tuple[int, int]:
    """(step, steps): the smallest step of 1, 2 or 5 × 10ⁿ that reaches ``maximum`` in at most
    ``max_ticks`` steps, and the number of steps (two at least; four when there is nothing to show)."""
    if maximum <= 0:
        return 1, 4
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            steps = math.ceil(maximum / step)
            if steps <= max_ticks:
                return step, max(steps, 2)
        magnitude *= 10


def _join(parts: list[SafeString]) -> SafeString:
    """The pieces of an SVG, each already escaped by ``format_html``."""
    return format_html_join("", "{}", ((part,) for part in parts))


def _wrap_link(inner: SafeString, href: str | None, label: str) -> SafeString:
    if not href:
        return inner
    return format_html('<a href="{}" aria-label="{}">{}</a>', href, label, inner)


def _svg_open(chart_id: str, width: int, height: int, title: str, desc: str, interactive: bool) -> SafeString:
    # With links inside, the chart is a group of links; without, one image.
    role = "group" if interactive else "img"
    return format_html(
        '<svg class="chart-svg" id="{id}" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="{role}" '
        'aria-labelledby="{id}-title {id}-desc" preserveAspectRatio="xMidYMid meet" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{title}</title>'
        '<desc id="{id}-desc">{desc}</desc>',
        id=chart_id,
        w=width,
        h=height,
        role=role,
        title=title,
        desc=desc,
    )


def stacked_bars(
    *,
    key: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    values: Sequence[Sequence[int]],
    links: Sequence[Sequence[str | None]] | None = None,
    category_links: Sequence[str | None] | None = None,
    unit: str = "",
    width: int = 420,
    height: int = 230,
) -> Chart:
    """Vertical bars, one per category, each stacked from the series in order (first at the bottom)."""
    if len(values) != len(categories) or any(len(row) != len(series) for row in values):
        raise ValueError("values must have one row per category and one number per series")
    chart_id = f"chart-{key}"
    left, right, top, bottom = 34, 8, 16, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(int(v) for v in row) for row in values]
    maximum = max(totals, default=0)
    step, steps = nice_scale(maximum)
    scale = plot_h / (step * steps)
    interactive = bool(links) or bool(category_links)

    summary = "; ".join(
        f"{cat}: {total}"
        + (
            " (" + ", ".join(f"{s.label} {int(v)}" for s, v in zip(series, row, strict=True) if int(v)) + ")"
            if total
            else ""
        )
        for cat, total, row in zip(categories, totals, values, strict=True)
    )
    parts = [_svg_open(chart_id, width, height, title, summary or _("Chưa có dữ liệu"), interactive)]

    # grid and y axis labels
    for i in range(steps + 1):
        value = step * i
        y = top + plot_h - value * scale
        parts.append(
            format_html(
                '<line class="chart-grid{}" x1="{}" x2="{}" y1="{}" y2="{}"/><text class="chart-axis" '
                'x="{}" y="{}" text-anchor="end" dominant-baseline="middle">{}</text>',
                " chart-grid-base" if i == 0 else "",
                left,
                width - right,
                _num(y),
                _num(y),
                left - 6,
                _num(y),
                value,
            )
        )

    n = max(len(categories), 1)
    slot = plot_w / n
    bar_w = min(slot * 0.62, 46)
    for index, (category, row) in enumerate(zip(categories, values, strict=True)):
        x = left + slot * index + (slot - bar_w) / 2
        y = top + plot_h
        for s_index, (serie, value) in enumerate(zip(series, row, strict=True)):
            value = int(value)
            if value <= 0:
                continue
            h = value * scale
            y -= h
            label = f"{category} · {serie.label}: {value}{(' ' + unit) if unit else ''}"
            rect = format_html(
                '<rect class="chart-bar tone-{}" x="{}" y="{}" width="{}" height="{}">'
                "<title>{}</title></rect>",
                serie.tone,
                _num(x),
                _num(y),
                _num(bar_w),
                _num(h),
                label,
            )
            href = links[index][s_index] if links else None
            parts.append(_wrap_link(rect, href, label))
        total = totals[index]
        if total:
            parts.append(
                format_html(
                    '<text class="chart-value" x="{}" y="{}" text-anchor="middle">{}</text>',
                    _num(x + bar_w / 2),
                    _num(y - 4),
                    total,
                )
            )
        label_el = format_html(
            '<text class="chart-axis chart-category" x="{}" y="{}" text-anchor="middle">{}</text>',
            _num(x + bar_w / 2),
            height - 10,
            category,
        )
        href = category_links[index] if category_links else None
        parts.append(_wrap_link(label_el, href, f"{category}: {total}"))
    empty = maximum == 0
    if empty:
        parts.append(
            format_html(
                '<text class="chart-empty" x="{}" y="{}" text-anchor="middle">{}</text>',
                _num(left + plot_w / 2),
                _num(top + plot_h / 2),
                _("Chưa có dữ liệu"),
            )
        )
    parts.append(mark_safe("</svg>"))
    legend = [
        LegendItem(label=s.label, tone=s.tone, value=sum(int(row[i]) for row in values))
        for i, s in enumerate(series)
    ]
    return Chart(key=key, kind="bars", title=title, svg=_join(parts), legend=legend, empty=empty)


@dataclass(frozen=True)
class Segment:
    series: Series
    value: int
    href: str | None = None


def donut(
    *,
    key: str,
    title: str,
    segments: Sequence[Segment],
    center_label: str = "",
    empty_label: str = "",
    size: int = 180,
) -> Chart:
    """A ring divided in proportion to the values, the total in the middle."""
    chart_id = f"chart-{key}"
    total = sum(max(int(s.value), 0) for s in segments)
    c = size / 2
    stroke = size * 0.16
    r = c - stroke / 2 - 2
    circumference = 2 * math.pi * r
    interactive = any(s.href for s in segments if s.value)
    summary = (
        "; ".join(f"{s.series.label}: {int(s.value)}" for s in segments)
        if total
        else (empty_label or _("Chưa có dữ liệu"))
    )
    parts = [_svg_open(chart_id, size, size, title, summary, interactive)]
    parts.append(
        format_html(
            '<circle class="chart-track" cx="{c}" cy="{c}" r="{r}" fill="none" stroke-width="{w}"/>',
            c=_num(c),
            r=_num(r),
            w=_num(stroke),
        )
    )
    offset = 0.0
    gap = 1.5 if sum(1 for s in segments if s.value > 0) > 1 else 0.0
    for segment in segments:
        value = int(segment.value)
        if value <= 0 or not total:
            continue
        length = circumference * value / total
        label = f"{segment.series.label}: {value}"
        arc = format_html(
            '<circle class="chart-arc tone-{tone}" cx="{c}" cy="{c}" r="{r}" fill="none" stroke-width="{w}" '
            'stroke-dasharray="{a} {b}" stroke-dashoffset="{o}" transform="rotate(-90 {c} {c})">'
            "<title>{label}</title></circle>",
            tone=segment.series.tone,
            c=_num(c),
            r=_num(r),
            w=_num(stroke),
            a=_num(max(length - gap, 0.5)),
            b=_num(circumference - max(length - gap, 0.5)),
            o=_num(-offset),
            label=label,
        )
        parts.append(_wrap_link(arc, segment.href, label))
        offset += length
    parts.append(
        format_html(
            '<text class="chart-total" x="{c}" y="{y1}" text-anchor="middle">{total}</text>'
            '<text class="chart-total-label" x="{c}" y="{y2}" text-anchor="middle">{label}</text>',
            c=_num(c),
            y1=_num(c + 4),
            y2=_num(c + 22),
            total=total,
            label=center_label,
        )
    )
    parts.append(mark_safe("</svg>"))
    legend = [
        LegendItem(label=s.series.label, tone=s.series.tone, value=int(s.value), href=s.href)
        for s in segments
    ]
    return Chart(key=key, kind="donut", title=title, svg=_join(parts), legend=legend, empty=not total)
