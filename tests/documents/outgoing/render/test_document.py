"""documents.outgoing.render.document: each type laid out as Decree 30 prescribes, the signature box,
pages, stamps, escaping, tables."""

from __future__ import annotations

import dataclasses
import io
import time

import pytest
from pypdf import PdfReader

from documents.outgoing import render
from eoffice.output import pdf as output_pdf
from tests.documents.outgoing.render.helpers import (
    A4,
    MM,
    PARAGRAPH,
    SEVEN,
    assert_signature_geometry,
    cong_van,
    embedded_font_families,
    flat,
    named,
    pages_text,
    quyet_dinh,
    run_of,
    runs,
)


@pytest.mark.parametrize("type_name", list(SEVEN))
def test_each_type_renders_the_decree_layout(type_name):
    layout = SEVEN[type_name]
    result = render.render(layout)
    text = flat(pages_text(result.pdf)[0])
    reader = PdfReader(io.BytesIO(result.pdf))

    assert result.pdf.startswith(b"%PDF-") and result.pages == len(reader.pages) == 1
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4, abs=0.5)
    assert embedded_font_families(result.pdf) == {"Liberation Serif"}
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "UBND TỈNH AN HÒA" in text and "SỞ KẾ HOẠCH VÀ ĐẦU TƯ" in text
    assert f"Số: {layout.number:02d}/{layout.symbol}" in text
    assert "Nơi nhận:" in text
    assert f"- Lưu: {layout.archive}." in text
    assert "- Như trên;" in text or "- Như Điều 3;" in text or "- UBND tỉnh (để b/c);" in text
    assert "./." in text
    if type_name == "Công văn":
        assert "V/v hướng dẫn đăng ký doanh nghiệp" in text
        assert "CÔNG VĂN" not in text
    else:
        assert type_name.upper() in text
        assert layout.summary.split()[0] in text
    title = "PHÓ GIÁM ĐỐC" if layout.signer_authority == "KT." else "GIÁM ĐỐC"
    if layout.signer_authority == "KT.":
        assert "KT. GIÁM ĐỐC" in text
    assert_signature_geometry(
        result.pdf, result.signature_box, name=layout.signer_name, title=title, pages=result.pages
    )


def test_quyet_dinh_has_authority_legal_bases_and_articles():
    result = render.render(quyet_dinh())
    text = flat(pages_text(result.pdf)[0])
    assert "An Hòa, ngày 05 tháng 3 năm 2026" in text
    order = [
        "QUYẾT ĐỊNH Về việc thành lập",
        "GIÁM ĐỐC SỞ KẾ HOẠCH VÀ ĐẦU TƯ Căn cứ",
        # legal bases: ";" after each, "." after the last, whatever the caller typed
        "Căn cứ Luật Đầu tư công ngày 29 tháng 11 năm 2024;",
        "Theo đề nghị của Trưởng phòng Tổng hợp, Quy hoạch.",
        "QUYẾT ĐỊNH: Điều 1.",
        "thi hành Quyết định này./.",
    ]
    positions = [text.find(part) for part in order]
    assert -1 not in positions, order[positions.index(-1)]
    assert positions == sorted(positions)
    assert ";;" not in text and ".;" not in text and ".." not in text.replace("./.", "")
    bases = [r for r in runs(result.pdf) if r["text"].startswith("Căn cứ")]
    assert bases and all("Italic" in r["font"] for r in bases)
    assert "Bold" in run_of(result.pdf, "Điều 1.")["font"]  # article numbers bold (Phụ lục I, II.6đ)


def test_cong_van_lists_addressees_under_kinh_gui():
    text = flat(pages_text(render.render(cong_van()).pdf)[0])
    assert (
        "Kính gửi: - Ủy ban nhân dân các huyện, thị xã, thành phố; - Hiệp hội Doanh nghiệp tỉnh An Hòa."
        in text
    )
    assert "An Hòa, ngày 05 tháng 02 năm 2026" in text  # month 1–2 with a leading zero
    assert "Số: 07/SKHĐT-ĐKKD" in text  # number below 10 with a leading zero
    again = flat(pages_text(render.render(cong_van(summary="V/v: hướng dẫn nộp hồ sơ")).pdf)[0])
    assert "V/v hướng dẫn nộp hồ sơ" in again and "V/v V/v" not in again
    single = flat(pages_text(render.render(SEVEN["Tờ trình"]).pdf)[0])
    assert "Kính gửi: Ủy ban nhân dân tỉnh An Hòa" in single


def test_long_body_numbers_pages_from_two_in_the_top_margin():
    layout = SEVEN["Kế hoạch"]
    result = render.render(dataclasses.replace(layout, body_html=PARAGRAPH * 14))
    assert result.pages >= 2
    top_margin = A4[1] - 20 * MM
    first = [r for r in runs(result.pdf, 0) if r["y"] > top_margin]
    assert first == []  # nothing printed above the text area of page 1
    for index in range(1, result.pages):
        numbers = [r for r in runs(result.pdf, index) if r["y"] > top_margin]
        assert [r["text"] for r in numbers] == [str(index + 1)]
        number = numbers[0]
        assert 13 <= number["size"] <= 14
        centre = number["x"] + render.text_width(number["text"], "Regular", number["size"]) / 2
        assert centre == pytest.approx(30 * MM + (A4[0] - 45 * MM) / 2, abs=2)  # centred on the text area
    assert_signature_geometry(
        result.pdf, result.signature_box, name="Trần Minh Quân", title="PHÓ GIÁM ĐỐC", pages=result.pages
    )


def test_two_page_document_renders_fast():
    layout = dataclasses.replace(SEVEN["Báo cáo"], body_html=PARAGRAPH * 10)
    render.render(layout)  # warm: fonts and stylesheet are loaded once per process
    started = time.perf_counter()
    result = render.render(layout)
    elapsed = time.perf_counter() - started
    assert result.pages == 2
    assert elapsed < 1.5, f"{elapsed:.2f} s"  # about 0.1 s warm on a quiet machine


def test_draft_mark_and_stamps():
    draft = render.render(cong_van(draft=True, confidentiality="Mật", circulation="Lưu hành nội bộ"))
    text = flat(pages_text(draft.pdf)[0])
    assert "DỰ THẢO" in text
    assert "KHẨN" not in text
    assert "MẬT" in text and "LƯU HÀNH NỘI BỘ" in text
    final = render.render(cong_van(urgency="Thượng khẩn"))
    text = flat(pages_text(final.pdf)[0])
    assert "DỰ THẢO" not in text
    urgency = run_of(final.pdf, "THƯỢNG KHẨN")
    number = run_of(final.pdf, "Số: 07/SKHĐT-ĐKKD")
    assert "Bold" in urgency["font"] and urgency["y"] < number["y"]  # box 10b, under the number


def test_user_text_is_escaped_and_body_cannot_fetch():
    layout = cong_van(
        summary="<b>trả lời</b> & kiến nghị",
        body_html=(
            '<p>Nội dung <img src="http://192.0.2.1/x.png"><a href="http://192.0.2.1/">liên kết</a></p>'
        ),
    )
    text = flat(pages_text(render.render(layout).pdf)[0])
    assert "V/v <b>trả lời</b> & kiến nghị" in text
    assert "Nội dung liên kết./." in text
    fetcher = output_pdf.fetcher(render.stylesheet_path().parent)
    for url in ("http://192.0.2.1/x.png", "file:///etc/passwd"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_body_with_a_table_and_headings():
    body = (
        "<h3>Chương I</h3><h4>1. Kết quả</h4>"
        "<table><thead><tr><th>STT</th><th>Chỉ tiêu</th></tr></thead>"
        "<tbody><tr><td>1</td><td>Doanh nghiệp thành lập mới</td></tr></tbody></table>"
    )
    result = render.render(named("Báo cáo", "BC", "Kết quả năm 2026", body_html=body))
    text = flat(pages_text(result.pdf)[0])
    assert "Chương I 1. Kết quả STT Chỉ tiêu 1 Doanh nghiệp thành lập mới ./." in text
    assert result.pages == 1 and result.signature_box["page"] == 0
