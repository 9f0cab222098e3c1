"""The meeting page's minutes section, rendered with its own reads: the page (``meetings:detail``) hands its
partials only ``meeting``, ``actions`` and ``user``."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def minutes_section(context) -> str:
    from meetings.views.minutes import section_context

    meeting = context["meeting"]
    user = context.get("user") or context["request"].user
    section = context.template.engine.get_template("meetings/minutes/_section.html")
    with context.push(**section_context(user=user, meeting=meeting)):
        return section.render(context)
