"""The agency header block of Decree 30/2020 (Phụ lục I, boxes 1–4), shared by outgoing documents and the
one-stop forms: the template ``templates/eoffice/output/_agency_header.html``, its layout
``eoffice/output/agency_header.css`` (``eoffice.output.pdf.header_stylesheet()``), and the names it prints.
"""

from __future__ import annotations

import unicodedata

TEMPLATE = "eoffice/output/_agency_header.html"

# The parent agency's name is written with its common phrases abbreviated (Phụ lục I, II.2: "tên của cơ quan,
# tổ chức chủ quản trực tiếp được viết tắt những cụm từ thông dụng"): "UBND TỈNH AN HÒA".
PARENT_ABBREVIATIONS = (
    ("ủy ban nhân dân", "UBND"),
    ("uỷ ban nhân dân", "UBND"),
    ("hội đồng nhân dân", "HĐND"),
)


def parent_name(name: str) -> str:
    """The parent agency's name with its common phrases abbreviated: "UBND tỉnh An Hòa"."""
    text = unicodedata.normalize("NFC", name or "").strip()
    for phrase, short in PARENT_ABBREVIATIONS:
        if text.lower().startswith(phrase):
            return short + text[len(phrase) :]
    return text


def parent_line(name: str) -> str:
    """The parent agency's line of the header: abbreviated, upper case ("" without a parent)."""
    return parent_name(name).upper()
