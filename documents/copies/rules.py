"""Predicates and formatters of copies (Điều 25–27, Phụ lục I Phần II, Phụ lục III): the copy's symbol,
the heading of its block, the pages an excerpt takes, who may copy."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from documents.copies.models import CopyForm
from eoffice.models import Role, User

# Phụ lục III, I: "Bản sao y — SY", "Bản trích sao — TrS", "Bản sao lục — SL".
SYMBOLS = {CopyForm.SY: "SY", CopyForm.SL: "SL", CopyForm.TS: "TrS"}
HEADINGS = {CopyForm.SY: "SAO Y", CopyForm.SL: "SAO LỤC", CopyForm.TS: "TRÍCH SAO"}
AUTHORITIES = ["", "TM.", "KT.", "Q.", "TL.", "TUQ."]
MAX_PAGES_TEXT = 50
_PART = re.compile(r"^(\d{1,4})(?:\s*-\s*(\d{1,4}))?$")


def symbol(*, form: str, agency) -> str:
    """The copy's symbol after its number: ``SY-SKHĐT`` (type of copy, then the copying agency)."""
    abbr = agency.abbreviation or ""
    return f"{SYMBOLS[form]}-{abbr}" if abbr else SYMBOLS[form]


def number_symbol(*, number: int, form: str, agency) -> str:
    return f"{number:02d}/{symbol(form=form, agency=agency)}"


def heading(form: str) -> str:
    return HEADINGS[form]


def parse_pages(text: str, *, page_count: int) -> list[int]:
    """The 1-based pages of "2-3, 5" as 0-based indexes in order, each once; a clear message otherwise."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"pages": _("Vui lòng nhập các trang trích sao, ví dụ: 1-2, 4.")})
    if len(text) > MAX_PAGES_TEXT:
        raise ValidationError({"pages": _("Danh sách trang quá dài.")})
    chosen: list[int] = []
    for part in text.replace(";", ",").split(","):
        match = _PART.match(part.strip())
        if not match:
            raise ValidationError(
                {
                    "pages": _("“%(part)s” không phải là trang hoặc khoảng trang (ví dụ: 2-3).")
                    % {"part": part}
                }
            )
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if first < 1 or last < first:
            raise ValidationError(
                {
                    "pages": _(
                        "Khoảng trang “%(part)s” không hợp lệ: trang đầu phải nhỏ hơn hoặc bằng trang cuối."
                    )
                    % {"part": part.strip()}
                }
            )
        if last > page_count:
            raise ValidationError({"pages": _("Văn bản chỉ có %(n)s trang.") % {"n": page_count}})
        for page in range(first - 1, last):
            if page not in chosen:
                chosen.append(page)
    return chosen


def can_copy(user: User) -> bool:
    """Văn thư makes copies (the head of the agency decides and signs them, Điều 27)."""
    return bool(user.is_authenticated and user.agency_id and user.has_role(Role.CLERK))


def can_see_register(user: User) -> bool:
    return bool(user.agency_id and user.has_role(Role.CLERK, Role.LEADER, Role.DEPARTMENT_HEAD))
