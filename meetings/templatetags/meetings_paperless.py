"""The meeting page's paperless section, rendered with its own reads: the page (``meetings:detail``) hands
its partials only ``meeting``, ``actions`` and ``user``."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def paperless_section(context) -> str:
    from meetings.views.paperless import section_context

    meeting = context["meeting"]
    user = context.get("user") or context["request"].user
    section = context.template.engine.get_template("meetings/paperless/_section.html")
    with context.push(**section_context(user=user, meeting=meeting)):
        return section.render(context)
