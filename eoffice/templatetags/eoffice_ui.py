"""Small presentation filters of the UI shell: ``{% load eoffice_ui %}``.

Django's own Vietnamese catalogue does not translate ``timesince``/``naturaltime``, so relative times
and long dates are formatted here with Vietnamese source strings.
"""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

register = template.Library()

_WEEKDAYS = (
    gettext_noop("Thứ Hai"),
    gettext_noop("Thứ Ba"),
    gettext_noop("Thứ Tư"),
    gettext_noop("Thứ Năm"),
    gettext_noop("Thứ Sáu"),
    gettext_noop("Thứ Bảy"),
    gettext_noop("Chủ Nhật"),
)


@register.filter
def ago(value: datetime.datetime | None, now: datetime.datetime | None = None) -> str:
    """ "vừa xong", "5 phút trước", "2 giờ trước", "3 ngày trước", then the date (dd/mm/yyyy)."""
    if not value:
        return ""
    now = now or timezone.now()
    seconds = int((now - value).total_seconds())
    if seconds < 60:
        return _("vừa xong")
    minutes = seconds // 60
    if minutes < 60:
        return ngettext("%(n)d phút trước", "%(n)d phút trước", minutes) % {"n": minutes}
    hours = minutes // 60
    if hours < 24:
        return ngettext("%(n)d giờ trước", "%(n)d giờ trước", hours) % {"n": hours}
    days = hours // 24
    if days < 7:
        return ngettext("%(n)d ngày trước", "%(n)d ngày trước", days) % {"n": days}
    return (
        timezone.localtime(value).strftime("%d/%m/%Y")
        if timezone.is_aware(value)
        else value.strftime("%d/%m/%Y")
    )


@register.filter
def long_date(value: datetime.date | datetime.datetime | None) -> str:
    """ "Thứ Bảy, ngày 21 tháng 11 năm 2026" (the administrative style of dates)."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return _("%(weekday)s, ngày %(day)s tháng %(month)s năm %(year)d") % {
        "weekday": _(_WEEKDAYS[value.weekday()]),
        "day": f"{value.day:02d}",
        "month": f"{value.month:02d}" if value.month < 3 else str(value.month),
        "year": value.year,
    }


@register.simple_tag
def today():
    return timezone.localdate()


@register.simple_tag(takes_context=True)
def render_widget(context, entry: dict) -> str:
    """Render a dashboard widget's template with the widget's own context on top of the page's (or the
    widget as kept rendered: ``eoffice.dashboard.dashboard_parts``)."""
    if "html" in entry:
        return mark_safe(entry["html"])  # noqa: S308 - rendered (and escaped) by the template engine
    widget_template = context.template.engine.get_template(entry["template"])
    with context.push(**entry["context"]):
        return widget_template.render(context)
