"""Form widgets shared by every module.

``PickerSelect`` / ``PickerSelectMultiple``: a <select data-picker> that static/js/picker.js turns into a
searchable picker (type to filter, Vietnamese-aware; chips for the chosen items). The <select> stays the form
field, so posting, validation and templates/_field.html work as with a plain select, with or without JS.

base.html loads picker.js/picker.css on every page; the Media is there for templates that do not extend
base.html and render ``{{ form.media }}`` (the script guards against being loaded twice).
"""

from __future__ import annotations

import json

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

PICKER_TEXTS = {
    "placeholder": _("Gõ để tìm…"),
    "noResults": _("Không tìm thấy kết quả phù hợp"),
    "more": _("Còn {n} kết quả nữa — gõ thêm để thu hẹp"),
    "remove": _("Bỏ chọn: {label}"),
    "selected": _("Đã chọn: {label}"),
    "removed": _("Đã bỏ chọn: {label}"),
    "chosen": _("Các mục đã chọn"),
}


class PickerLabel(str):
    """An option's label in two parts: the ``name`` of the thing and a ``detail`` that tells it apart (the
    parent agency, the procedure's code), shown as "name (detail)". The option carries the name alone in
    ``data-name``, so that the picker ranks a match of the name before a match of the detail only:
    "uy ban nhan dan tinh" finds the provincial People's Committee first, not a department whose parent it
    is. A plain ``str`` label is its own name."""

    name: str
    detail: str

    def __new__(cls, name: str, detail: str = ""):
        label = super().__new__(cls, f"{name} ({detail})" if detail else name)
        label.name, label.detail = name, detail
        return label


def _option_attrs(option: dict) -> dict:
    label = option["label"]
    if isinstance(label, PickerLabel) and label.detail:
        return {**option["attrs"], "data-name": label.name}
    return option["attrs"]


class _FastOptionsMixin:
    """Renders the <select> and its options in Python: the template engine renders each option through
    three templates, which for the 500 people of an agency in three fields is most of a page's time. The
    output is the same as Django's templates (attributes through ``flatatt``, every value escaped)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            parts.extend(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    option["value"],
                    flatatt(_option_attrs(option)),
                    option["label"],
                )
                for option in options
            )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part is built by format_html


class FastSelect(_FastOptionsMixin, forms.Select):
    """A plain <select>, rendered in Python (long lists: units and people of an agency)."""


class FastSelectMultiple(_FastOptionsMixin, forms.SelectMultiple):
    """A plain <select multiple>, rendered in Python."""


class _PickerMixin(_FastOptionsMixin):
    class Media:
        css = {"all": ["css/picker.css"]}
        js = [forms.Script("js/picker.js", defer=True)]

    def __init__(self, attrs=None, choices=()):
        super().__init__({**(attrs or {}), "data-picker": ""}, choices)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        texts = {key: str(text) for key, text in PICKER_TEXTS.items()}
        context["widget"]["attrs"]["data-picker-i18n"] = json.dumps(texts, ensure_ascii=False)
        return context


class PickerSelect(_PickerMixin, forms.Select):
    """One choice among many (a person of an agency)."""


class PickerSelectMultiple(_PickerMixin, forms.SelectMultiple):
    """Several choices among many (the recipient agencies of a document)."""
