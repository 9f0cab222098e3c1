"""Agency identification codes (mã định danh) in their two forms, recognised, normalised and converted.

- Decision 20/2020/QĐ-TTg: up to 35 characters, dot-separated groups that grow left to right, level 1
  first: a letter and two digits (``H99``), then one group per level (``H99.05``, ``G22.10.03``). The
  groups below level 1 are taken here as two or three digits.
- QCVN 102:2016/BTTTT (what the national axis and the samples still use): 13 characters
  ``V1V2V3.Z1Z2.Y1Y2.MX1X2`` read right to left — ``MX1X2`` level 1, ``Y1Y2`` level 2, ``Z1Z2`` level 3,
  ``V1V2V3`` level 4, a group of zeros meaning "no such level" (``000.00.31.H26`` is ``H26.31``).

Conversion is defined where both forms can say the same thing: at most four levels, the level-2 and
level-3 groups of two digits, the level-4 group of at most three digits (left-padded with zeros), and no
level after an absent one. Elsewhere the functions return ``None``: the caller keeps the code as sent.
"""

from __future__ import annotations

import re
from typing import Literal

Kind = Literal["qd20", "qcvn102"]

QD20_MAX_LENGTH = 35
_QCVN102 = re.compile(r"(?P<v>\d{3})\.(?P<z>\d{2})\.(?P<y>\d{2})\.(?P<m>[A-Z]\d{2})")
_QD20 = re.compile(r"[A-Z]\d{2}(?:\.\d{2,3})*")
_SPACES = re.compile(r"\s+")


def normalise(code: str) -> str:
    """The code as compared and stored: no surrounding or inner white space, upper case."""
    return _SPACES.sub("", code or "").upper()


def kind_of(code: str) -> Kind | None:
    """``"qcvn102"`` for the 13-character form, ``"qd20"`` for the Decision 20/2020 form, else ``None``.

    The code is normalised first (``" h99.05 "`` is a QĐ 20/2020 code)."""
    value = normalise(code)
    if _QCVN102.fullmatch(value):
        return "qcvn102"
    if len(value) <= QD20_MAX_LENGTH and _QD20.fullmatch(value):
        return "qd20"
    return None


def is_valid(code: str) -> bool:
    return kind_of(code) is not None


def to_qd20(code: str) -> str | None:
    """The Decision 20/2020 form of ``code`` (already in it: normalised), or ``None`` where undefined."""
    value = normalise(code)
    kind = kind_of(value)
    if kind == "qd20":
        return value
    if kind is None:
        return None
    match = _QCVN102.fullmatch(value)
    levels = [match["m"], match["y"], match["z"], match["v"]]
    groups = [levels[0]]
    for index, group in enumerate(levels[1:], start=1):
        if int(group) == 0:
            if any(int(rest) for rest in levels[index + 1 :]):
                return None  # a level below an absent one: QĐ 20/2020 cannot say it
            break
        groups.append(group)
    return ".".join(groups)


def to_qcvn102(code: str) -> str | None:
    """The 13-character QCVN 102 form of ``code`` (already in it: normalised), or ``None`` where undefined
    (more than four levels, a level-2 or level-3 group of three digits)."""
    value = normalise(code)
    kind = kind_of(value)
    if kind == "qcvn102":
        return value
    if kind is None:
        return None
    level1, *rest = value.split(".")
    if len(rest) > 3 or any(len(group) != 2 for group in rest[:2]):
        return None
    y, z, v = (rest + ["", "", ""])[:3]
    return f"{(v or '0').zfill(3)}.{(z or '0').zfill(2)}.{(y or '0').zfill(2)}.{level1}"


def same_agency(a: str, b: str) -> bool:
    """Whether two codes, in either form, name the same agency (a code equals itself when not convertible)."""
    left, right = normalise(a), normalise(b)
    if left == right:
        return True
    converted_left, converted_right = to_qd20(left), to_qd20(right)
    return converted_left is not None and converted_left == converted_right
