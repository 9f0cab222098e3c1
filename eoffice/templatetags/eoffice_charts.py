"""``{% load eoffice_charts %}{% chart chart %}``: a chart of ``eoffice.charts``, in a figure with its
legend."""

from __future__ import annotations

from django import template

register = template.Library()


@register.inclusion_tag("eoffice/_chart.html")
def chart(chart, caption: str = ""):
    return {"chart": chart, "caption": caption}
