"""``{% case_section "complaints/case/_intake.html" %}``: include a section of the case page that another area
owns, rendered with the page's context; nothing while that template does not exist yet."""

from __future__ import annotations

from django import template
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

register = template.Library()


@register.simple_tag(takes_context=True)
def case_section(context, name: str):
    try:
        found = get_template(name)
    except TemplateDoesNotExist:
        return ""
    return found.render(context.flatten(), context.get("request"))
