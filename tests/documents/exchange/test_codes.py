"""documents.exchange.edxml.codes: the two forms of agency codes, recognised, normalised and converted."""

from __future__ import annotations

import pytest

from documents.exchange.edxml import codes


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("000.00.00.G22", "qcvn102"),
        ("000.00.31.H26", "qcvn102"),
        (" 000.00.31.h26 ", "qcvn102"),
        ("H99", "qd20"),
        ("H99.05", "qd20"),
        ("G22.10.03", "qd20"),
        ("g22.10.03", "qd20"),
        ("H26.18.20.105", "qd20"),
        ("", None),
        ("H9", None),
        ("99H", None),
        ("H99.", None),
        ("H99..05", None),
        ("H99.5", None),
        ("H99.AB", None),
        ("00.00.00.G22", None),
        ("000.00.00.G2", None),
        ("000-00-00-G22", None),
        ("VPCP", None),
        ("6b6b0f2c-1c1e-4a0e-9d1f-6f8c8b0a1c2d", None),
        ("H99" + ".01" * 11, None),  # 36 characters: over the 35 of QĐ 20/2020
    ],
)
def test_kind_of(code, kind):
    assert codes.kind_of(code) == kind
    assert codes.is_valid(code) is (kind is not None)


def test_longest_qd20_code_is_35_characters():
    longest = "H99" + ".001" * 8
    assert len(longest) == 35 and codes.kind_of(longest) == "qd20"
    too_long = "H99" + ".01" * 11
    assert len(too_long) == 36 and codes.kind_of(too_long) is None


def test_normalise():
    assert codes.normalise("  h26.31 ") == "H26.31"
    assert codes.normalise("000.00.31.\th26") == "000.00.31.H26"
    assert codes.normalise(None) == ""


@pytest.mark.parametrize(
    ("qcvn", "qd20"),
    [
        ("000.00.00.G22", "G22"),
        ("000.00.31.H26", "H26.31"),
        ("000.03.10.G22", "G22.10.03"),
        ("105.03.10.G22", "G22.10.03.105"),
    ],
)
def test_conversion_both_ways(qcvn, qd20):
    assert codes.to_qd20(qcvn) == qd20
    assert codes.to_qcvn102(qd20) == qcvn
    assert codes.to_qd20(qd20) == qd20
    assert codes.to_qcvn102(qcvn) == qcvn
    assert codes.same_agency(qcvn, qd20) and codes.same_agency(qd20.lower(), qcvn)


def test_conversion_undefined():
    assert codes.to_qd20("001.00.31.H26") is None  # level 4 below an absent level 3
    assert codes.to_qd20("000.05.00.H26") is None
    assert codes.to_qcvn102("H26.31.05.001.02") is None  # five levels
    assert codes.to_qcvn102("H26.310") is None  # a three-digit level 2
    assert codes.to_qcvn102("G22.10.03.5") is None  # not a QĐ 20 code at all (one digit)
    assert codes.to_qd20("VPCP") is None and codes.to_qcvn102("VPCP") is None


def test_level_four_of_two_digits_is_padded():
    assert codes.to_qcvn102("G22.10.03.05") == "005.03.10.G22"


def test_same_agency():
    assert codes.same_agency("000.00.31.H26", "H26.31")
    assert not codes.same_agency("000.00.31.H26", "000.00.32.H26")
    assert not codes.same_agency("000.00.31.H26", "H26")
    assert codes.same_agency("VPCP", " vpcp")  # not a code: equal to itself only
    assert not codes.same_agency("VPCP", "H26")
