"""Template tags of the signing app: ``{% load signing_tags %}{% verification_qr code %}``."""

from django import template
from django.utils.safestring import mark_safe

from signing import rules

register = template.Library()


@register.simple_tag
def verification_qr(code: str) -> str:
    """The QR code (inline SVG) of the public verification page of ``code``."""
    return mark_safe(rules.verification_qr_svg(code))  # noqa: S308 - segno's own markup, code escaped


@register.simple_tag
def verification_url(code: str) -> str:
    return rules.verification_url(code)


@register.filter
def iso_datetime(value: str | None) -> str:
    """An ISO 8601 time as kept in a verification report, shown as "HH:MM:SS dd/mm/YYYY" (its own offset)."""
    import datetime as dt

    if not value:
        return ""
    try:
        return dt.datetime.fromisoformat(value).strftime("%H:%M:%S %d/%m/%Y")
    except (TypeError, ValueError):
        return str(value)
