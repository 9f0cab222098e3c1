"""eoffice.output.header: the Decree-30 agency header block of outgoing documents and one-stop forms."""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from pypdf import PdfReader

from eoffice.output import header, pdf


def test_parent_names_are_abbreviated():
    assert header.parent_name("Ủy ban nhân dân tỉnh An Hòa") == "UBND tỉnh An Hòa"
    assert header.parent_name("Uỷ ban nhân dân huyện Tân Phú") == "UBND huyện Tân Phú"
    assert header.parent_name("Hội đồng nhân dân xã Đông") == "HĐND xã Đông"
    assert header.parent_name("Bộ Tài chính") == "Bộ Tài chính"
    assert header.parent_line("Ủy ban nhân dân tỉnh An Hòa") == "UBND TỈNH AN HÒA"


def _block(**context) -> str:
    return render_to_string(header.TEMPLATE, context)


def test_the_block_prints_what_it_is_given_and_nothing_else():
    html = _block(
        parent="UBND TỈNH AN HÒA",
        agency="SỞ KẾ HOẠCH VÀ ĐẦU TƯ",
        number_line="Số: 15/SKHĐT-VP",
        subject="V/v kế hoạch năm 2026",
        date_line="An Hòa, ngày 05 tháng 3 năm 2026",
        urgency="HỎA TỐC",
    )
    for text in (
        "UBND TỈNH AN HÒA",
        "SỞ KẾ HOẠCH VÀ ĐẦU TƯ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 15/SKHĐT-VP",
        "V/v kế hoạch năm 2026",
        "An Hòa, ngày 05 tháng 3 năm 2026",
        "HỎA TỐC",
    ):
        assert text in html
    bare = _block(agency="SỞ TƯ PHÁP", date_line="An Hòa, ngày 05 tháng 3 năm 2026")
    assert "parent-agency" not in bare and 'class="number"' not in bare and "subject" not in bare
    assert "stamp" not in bare


def test_the_block_lays_out_with_its_stylesheet():
    html = _block(agency="SỞ TƯ PHÁP", number_line="Số: 01/STP", date_line="An Hòa, ngày 05 tháng 3 năm 2026")
    content = pdf.write(html, stylesheets=[pdf.header_stylesheet()])
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "SỞ TƯ PHÁP" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Số: 01/STP" in text
