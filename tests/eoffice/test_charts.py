"""Server-drawn SVG charts: geometry, accessibility, links, empty data, no inline style."""

import re

import pytest
from django.template import Context, Template

from eoffice.charts import Segment, Series, donut, nice_scale, stacked_bars

SERIES = [Series("done", "Đã xong", "ontime"), Series("late", "Quá hạn <b>", "overdue")]


def test_stacked_bars_heights_follow_the_values_and_link_each_segment():
    chart = stacked_bars(
        key="t",
        title="Sáu tháng",
        categories=["1/2026", "2/2026"],
        series=SERIES,
        values=[[3, 1], [0, 0]],
        links=[["/l?m=1&b=done", "/l?m=1&b=late"], [None, None]],
    )
    svg = str(chart.svg)
    heights = [float(h) for h in re.findall(r'<rect class="chart-bar[^"]*"[^>]*height="([\d.]+)"', svg)]
    assert len(heights) == 2 and heights[0] == pytest.approx(3 * heights[1])  # zero segments are not drawn
    assert 'href="/l?m=1&amp;b=done"' in svg and 'aria-label="1/2026 · Đã xong: 3"' in svg
    assert 'role="group"' in svg and '<title id="chart-t-title">Sáu tháng</title>' in svg
    assert "Quá hạn &lt;b&gt;" in svg and "<b>" not in svg  # labels are escaped
    assert "style=" not in svg and "<script" not in svg
    assert [(i.label, i.value) for i in chart.legend] == [("Đã xong", 3), ("Quá hạn <b>", 1)]
    assert not chart.empty


def test_stacked_bars_without_data_say_so():
    chart = stacked_bars(key="e", title="T", categories=["1", "2"], series=SERIES, values=[[0, 0], [0, 0]])
    assert chart.empty and "Chưa có dữ liệu" in str(chart.svg) and 'role="img"' in str(chart.svg)
    assert "<rect" not in str(chart.svg)


def test_stacked_bars_refuse_mismatched_values():
    with pytest.raises(ValueError):
        stacked_bars(key="x", title="T", categories=["1"], series=SERIES, values=[[1]])


def test_nice_scale_reaches_the_maximum_with_few_round_steps():
    cases = {0: (1, 4), 1: (1, 2), 3: (1, 3), 5: (1, 5), 6: (2, 3), 10: (2, 5), 56: (20, 3), 130: (50, 3)}
    assert {n: nice_scale(n) for n in cases} == cases
    for n in range(1, 2000, 7):
        step, steps = nice_scale(n)
        assert step * steps >= n and steps <= 5 and str(step).lstrip("125").strip("0") == ""


def test_donut_arcs_share_the_circle():
    chart = donut(
        key="d",
        title="Đang xử lý",
        segments=[Segment(SERIES[0], 3, "/x"), Segment(SERIES[1], 1)],
        center_label="việc",
    )
    svg = str(chart.svg)
    dashes = [tuple(map(float, d.split())) for d in re.findall(r'stroke-dasharray="([^"]+)"', svg)]
    circumference = sum(dashes[0])
    assert len(dashes) == 2 and all(sum(d) == pytest.approx(circumference) for d in dashes)
    assert dashes[0][0] > 2.5 * dashes[1][0]
    assert ">4</text>" in svg and 'href="/x"' in svg and "style=" not in svg


def test_donut_without_data_is_an_empty_ring():
    chart = donut(key="z", title="T", segments=[Segment(SERIES[0], 0)], empty_label="Không có việc")
    assert chart.empty and "chart-arc" not in str(chart.svg) and "Không có việc" in str(chart.svg)


def test_template_tag_renders_figure_and_legend():
    chart = donut(key="tag", title="Vòng", segments=[Segment(SERIES[0], 2, "/list")])
    out = Template("{% load eoffice_charts %}{% chart c %}").render(Context({"c": chart}))
    assert '<figure class="chart chart-donut"' in out and "<figcaption" in out
    assert 'class="chart-swatch tone-ontime"' in out and '<a href="/list">' in out
    assert "<svg" in out and "&lt;svg" not in out
