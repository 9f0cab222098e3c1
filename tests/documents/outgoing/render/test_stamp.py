"""documents.outgoing.render.stamp: number and date written into an uploaded draft, the signature box found
above the signer's name."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from documents.outgoing import render
from tests.documents.outgoing.render.helpers import (
    PARAGRAPH,
    SEVEN,
    flat,
    pages_text,
    quyet_dinh,
    run_of,
    runs,
)


@pytest.fixture(scope="module")
def uploaded() -> bytes:
    """A draft as someone would upload it: number and day/month blank."""
    return render.render(quyet_dinh(number=None, date=None)).pdf


def test_stamp_number_writes_number_and_date_on_page_one(uploaded):
    year = dt.datetime.now(render.VIETNAM).year
    out = render.stamp_number(
        uploaded, number_text="15/QĐ-SKHĐT", date_text=f"An Hòa, ngày 05 tháng 3 năm {year}"
    )
    reader = PdfReader(io.BytesIO(out))
    assert len(reader.pages) == len(PdfReader(io.BytesIO(uploaded)).pages)
    assert "/AcroForm" not in reader.trailer["/Root"]
    so = run_of(out, "Số:        /QĐ-SKHĐT")
    number = run_of(out, "15")
    assert number["y"] == pytest.approx(so["y"], abs=0.5)  # same baseline
    slash_x = so["x"] + render.text_width("Số:        ", "Regular", so["size"])
    number_end = number["x"] + render.text_width("15", "Regular", number["size"])
    assert number_end == pytest.approx(slash_x, abs=1.5)  # "15" right against "/QĐ-SKHĐT"
    assert number["size"] == pytest.approx(13, abs=0.1)
    date = [r for r in runs(out) if r["text"].startswith("An Hòa, ngày")][0]
    day, month = run_of(out, "05"), run_of(out, "3")
    for part in (day, month):
        assert part["y"] == pytest.approx(date["y"], abs=0.5)
        assert "Italic" in part["font"] and part["size"] == pytest.approx(14, abs=0.1)
    ngay_end = date["x"] + render.text_width("An Hòa, ngày", "Italic", date["size"])
    thang = date["x"] + render.text_width("An Hòa, ngày      ", "Italic", date["size"])
    nam = date["x"] + render.text_width("An Hòa, ngày      tháng      ", "Italic", date["size"])
    assert ngay_end < day["x"] < thang < month["x"] < nam
    assert year == int(re.search(r"năm (\d{4})", flat(pages_text(out)[0])).group(1))


def test_stamp_number_fills_dotted_blanks_in_another_font():
    """A draft typed in DejaVu Serif with dotted blanks: positions come from the PDF's own font widths."""
    from weasyprint import HTML

    pdf = HTML(
        string="<html><body style='font-family: DejaVu Serif; font-size: 13pt'><p>SỞ KẾ HOẠCH VÀ ĐẦU TƯ</p>"
        "<p>Số: .........<span style='display: inline-block'>/TB-SKHĐT</span></p>"
        "<p><i>An Hòa, ngày ..... <span style='display: inline-block'>tháng</span> ..... năm .....</i></p>"
        "<p>Nội dung thông báo.</p></body></html>"
    ).write_pdf()
    out = render.stamp_number(pdf, number_text="08/TB-SKHĐT", date_text="An Hòa, ngày 09 tháng 01 năm 2026")
    assert {"08", "09", "01", "2026"} <= {r["text"] for r in runs(out)}
    slash, number = run_of(out, "/TB-SKHĐT"), run_of(out, "08")
    assert number["y"] == pytest.approx(slash["y"], abs=0.5)
    assert number["x"] + render.text_width("08", "Regular", 13) == pytest.approx(slash["x"], abs=1)
    thang, day = run_of(out, "tháng"), run_of(out, "09")
    assert day["x"] + render.text_width("09", "Italic", 13) < thang["x"]
    assert day["x"] > run_of(out, "An Hòa, ngày .....")["x"] + 80  # after "An Hòa, ngày", not over it
    assert "Liberation" in number["font"]


def test_stamp_number_refuses_pdf_without_so_or_already_numbered(uploaded):
    from weasyprint import HTML

    plain = HTML(string="<html><body><h1>Báo cáo</h1><p>Nội dung văn bản.</p></body></html>").write_pdf()
    with pytest.raises(render.LayoutNotFound) as caught:
        render.stamp_number(plain, number_text="15/QĐ-SKHĐT", date_text="An Hòa, ngày 05 tháng 3 năm 2026")
    assert str(caught.value).startswith('Không tìm thấy vị trí "Số:" trên trang đầu của tệp dự thảo')
    assert isinstance(caught.value, ValueError)
    numbered = render.render(quyet_dinh()).pdf
    with pytest.raises(render.LayoutNotFound):
        render.stamp_number(numbered, number_text="16/QĐ-SKHĐT", date_text="An Hòa, ngày 05 tháng 3 năm 2026")
    with pytest.raises(ValueError):
        render.stamp_number(
            b"not a pdf", number_text="16/QĐ-SKHĐT", date_text="An Hòa, ngày 05 tháng 3 năm 2026"
        )
    with pytest.raises(ValueError):
        render.stamp_number(uploaded, number_text="16/QĐ-SKHĐT", date_text="hôm nay")


def test_find_signature_box_on_an_uploaded_draft(uploaded):
    rendered = render.render(quyet_dinh(number=None, date=None))
    box = render.find_signature_box(uploaded, signer_name="Nguyễn  Văn An")
    assert box is not None and box["page"] == rendered.signature_box["page"]
    for found, expected in zip(box["rect"], rendered.signature_box["rect"], strict=True):
        assert found == pytest.approx(expected, abs=3)
    assert render.find_signature_box(uploaded, signer_name="Lê Thị Không Có") is None
    assert render.find_signature_box(uploaded, signer_name="") is None


def test_find_signature_box_on_the_last_page_of_a_long_draft():
    result = render.render(dataclasses.replace(SEVEN["Báo cáo"], body_html=PARAGRAPH * 14, number=None))
    box = render.find_signature_box(result.pdf, signer_name="Trần Minh Quân")
    assert box["page"] == result.pages - 1 == result.signature_box["page"]
    assert box["rect"][1] == pytest.approx(result.signature_box["rect"][1], abs=3)
