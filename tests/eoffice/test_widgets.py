"""The Python-rendered selects give the same HTML as Django's templates (whitespace aside)."""

import re

import pytest
from django import forms

from eoffice.widgets import FastSelect, FastSelectMultiple, PickerSelect, PickerSelectMultiple

CHOICES = [
    ("", "— Chọn —"),
    ("Đơn vị", [("d:1", 'Phòng <A> & "B"'), ("d:2", "Văn phòng")]),
    ("u:3", "Nguyễn Văn Ánh"),
]


ATTRIBUTE = re.compile(r'[\w-]+(?:="[^"]*")?')


def _tag(match: re.Match) -> str:
    return "<" + match[1] + " " + " ".join(sorted(ATTRIBUTE.findall(match[2]))) + ">"


def _normal(html: str) -> str:
    """Whitespace between tags dropped, and each tag's attributes sorted (their order may differ)."""
    return re.sub(r"<(\w+)([^>]*)>", _tag, re.sub(r">\s+<", "><", html.strip()))


@pytest.mark.parametrize(
    ("fast", "django", "value"),
    [
        (FastSelect, forms.Select, "d:1"),
        (FastSelect, forms.Select, None),
        (FastSelectMultiple, forms.SelectMultiple, ["d:2", "u:3"]),
    ],
)
def test_same_html_as_django(fast, django, value):
    attrs = {"id": "id_x", "required": True, "size": 5}
    assert _normal(fast(attrs=attrs, choices=CHOICES).render("x", value)) == _normal(
        django(attrs=attrs, choices=CHOICES).render("x", value)
    )


def test_labels_are_escaped_and_pickers_keep_their_data_attributes():
    html = PickerSelectMultiple(choices=CHOICES).render("x", ["u:3"])
    assert "Phòng &lt;A&gt; &amp; &quot;B&quot;" in html and "<A>" not in html
    assert 'data-picker=""' in html and "data-picker-i18n=" in html
    assert '<option value="u:3" selected>Nguyễn Văn Ánh</option>' in html
    assert "multiple" in PickerSelectMultiple(choices=CHOICES).render("x", [])
    assert "multiple" not in PickerSelect(choices=CHOICES).render("x", "")
