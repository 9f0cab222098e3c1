"""The demo's letters (``documents.demo.letter_pdf``) go through ``eoffice.output.pdf`` like every other
document: the same pages, text and fonts as when the demo called WeasyPrint itself
(``demo_letter_before.json``)."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pypdf

from documents.demo import letter_pdf

BEFORE = json.loads((Path(__file__).parent / "demo_letter_before.json").read_text(encoding="utf-8"))


def test_letter_has_the_pages_text_and_fonts_it_had():
    context = {
        "issuer": "SỞ TƯ PHÁP",
        "parent": "UBND TỈNH AN HÒA",
        "issuer_short": "Sở",
        "unit": "VP",
        "number_symbol": "12/STP-VP",
        "is_letter": True,
        "summary": "V/v thử",
        "summary_short": "thử",
        "type_name": "Công văn",
        "issued": date(2026, 1, 5),
        "urgency": "Khẩn",
        "secret": "Mật",
        "paragraphs": [f"Đoạn {i}: " + "nội dung văn bản thử nghiệm " * 30 for i in range(12)],
        "signer_title": "GIÁM ĐỐC",
        "signer": "Trần Thị B",
    }
    reader = pypdf.PdfReader(io.BytesIO(letter_pdf(context)))
    assert len(reader.pages) == BEFORE["pages"] == 4
    assert [" ".join(page.extract_text().split()) for page in reader.pages] == BEFORE["text"]
    fonts = {
        str(font["/BaseFont"]).split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert sorted(fonts) == BEFORE["fonts"]
