"""The one parser of page numbers and integer parameters (eoffice.params)."""

from __future__ import annotations

import pytest

from eoffice.params import MAX_PAGE, PG_BIGINT_MAX, PG_INTEGER_MAX, int_param, page_number


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, 1),
        ("", 1),
        ("1", 1),
        ("7", 7),
        (" 7 ", 7),
        ("007", 7),
        (7, 7),
        ("0", 1),
        ("-1", 1),
        (-3, 1),
        ("abc", 1),
        ("1.5", 1),
        ("1e3", 1),
        ("1_000", 1),  # int() accepts it
        ("²", 1),  # str.isdigit() accepts it, int() refuses it
        ("١٢", 1),  # int() accepts Arabic-Indic digits: not a page number here
        ("１", 1),
        ("\x00", 1),
        ("99999999999999999999", MAX_PAGE),
        ("9" * 5000, MAX_PAGE),  # past int()'s 4300-digit limit: never converted
        (True, 1),
        (["2"], 1),
    ],
)
def test_page_number(raw, expected):
    assert page_number(raw) == expected


def test_int_param_bounds_and_default():
    assert int_param("42") == 42
    assert int_param(None) is None
    assert int_param("", default=5) == 5
    assert int_param("²", default=5) == 5
    assert int_param("-1") is None
    assert int_param("0") == 0
    assert int_param("0", min_value=1) is None
    assert int_param("101", max_value=100) is None
    assert int_param(str(PG_BIGINT_MAX)) == PG_BIGINT_MAX
    assert int_param(str(PG_BIGINT_MAX + 1)) is None
    assert int_param(str(PG_INTEGER_MAX + 1), max_value=PG_INTEGER_MAX) is None
    assert int_param("0" * 30 + "12") == 12  # leading zeros do not count against the length
    assert int_param("9" * 5000) is None
