"""documents.outgoing.render.layout: the date and number lines, the parent agency's abbreviated name."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from documents.outgoing import render
from documents.outgoing.render import layout
from tests.documents.outgoing.render.helpers import (
    pages_text,
    quyet_dinh,
)


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (dt.date(2026, 3, 5), "An Hòa, ngày 05 tháng 3 năm 2026"),
        (dt.date(2026, 1, 9), "An Hòa, ngày 09 tháng 01 năm 2026"),
        (dt.date(2026, 2, 28), "An Hòa, ngày 28 tháng 02 năm 2026"),
        (dt.date(2026, 12, 25), "An Hòa, ngày 25 tháng 12 năm 2026"),
    ],
)
def test_date_format(date, expected):
    assert render.format_date("An Hòa", date) == expected


def test_before_signing_number_and_date_are_blank():
    result = render.render(quyet_dinh(number=None, date=None))
    text = pages_text(result.pdf)[0]
    year = dt.datetime.now(render.VIETNAM).year
    assert re.search(r"Số:\s{4,}/QĐ-SKHĐT", text)
    assert re.search(rf"An Hòa, ngày\s{{4,}}tháng\s{{4,}}năm {year}", text)
    assert not re.search(r"Số:\s*\d", text)


def test_parent_agency_common_phrases_are_abbreviated():
    """Phụ lục I, II.2: the parent agency's name abbreviates its common phrases."""
    assert layout.parent_name("Ủy ban nhân dân tỉnh An Hòa") == "UBND tỉnh An Hòa"
    assert layout.parent_name("Hội đồng nhân dân huyện Tân Phú") == "HĐND huyện Tân Phú"
    assert layout.parent_name("Bộ Tài chính") == "Bộ Tài chính"
