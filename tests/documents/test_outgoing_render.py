"""Decree-30 PDFs of outgoing documents: layout, signature box, numbering of uploaded drafts, DOCX conversion.

Text and positions are read back from the PDFs with pypdf, independently of the helpers in render.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import math
import re
import shutil
import stat
import time
import zipfile

import pytest
from pypdf import PdfReader

from documents.outgoing import render
from documents.outgoing.render import Layout
from eoffice.output import pdf as output_pdf

A4 = (595.28, 841.89)
MM = 72 / 25.4
AGENCY = {"parent_agency": "UBND tỉnh An Hòa", "agency": "Sở Kế hoạch và Đầu tư", "place": "An Hòa"}
SIGNER = {
    "signer_authority": "KT.",
    "authority_title": "Giám đốc",
    "signer_title": "Phó Giám đốc",
    "signer_name": "Trần Minh Quân",
}
PARAGRAPH = (
    "<p>Tiếp tục cải thiện môi trường đầu tư kinh doanh, nâng cao năng lực cạnh tranh cấp tỉnh; đẩy mạnh "
    "chuyển đổi số trong giải quyết thủ tục hành chính, bảo đảm tỷ lệ hồ sơ trực tuyến toàn trình đạt trên "
    "80%; theo dõi, đôn đốc các dự án trọng điểm, kịp thời tháo gỡ khó khăn cho nhà đầu tư.</p>"
)


def quyet_dinh(**changes) -> Layout:
    layout = Layout(
        type_name="Quyết định",
        type_abbr="QĐ",
        symbol="QĐ-SKHĐT",
        number=15,
        date=dt.date(2026, 3, 5),
        summary="Về việc thành lập Tổ công tác rà soát danh mục dự án đầu tư công năm 2026",
        issuing_authority="Giám đốc Sở Kế hoạch và Đầu tư",
        legal_bases=(
            "Căn cứ Luật Đầu tư công ngày 29 tháng 11 năm 2024;",
            "Căn cứ Quyết định số 12/2025/QĐ-UBND ngày 20 tháng 3 năm 2025 của Ủy ban nhân dân tỉnh An Hòa",
            "Theo đề nghị của Trưởng phòng Tổng hợp, Quy hoạch.",
        ),
        body_html=(
            "<p>Điều 1. Thành lập Tổ công tác rà soát danh mục dự án đầu tư công năm 2026.</p>"
            "<p>Điều 2. Tổ công tác báo cáo Giám đốc Sở trước ngày 15 tháng 4 năm 2026.</p>"
            "<p>Điều 3. Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng Sở và các ông (bà) có tên "
            "tại Điều 1 chịu trách nhiệm thi hành Quyết định này.</p>"
        ),
        signer_title="Giám đốc",
        signer_name="Nguyễn Văn An",
        distribution=("Như Điều 3", "UBND tỉnh (để b/c)", "Lãnh đạo Sở"),
        archive="VT, KHTH",
        **AGENCY,
    )
    return dataclasses.replace(layout, **changes)


def cong_van(**changes) -> Layout:
    layout = Layout(
        type_name="Công văn",
        type_abbr="",
        symbol="SKHĐT-ĐKKD",
        number=7,
        date=dt.date(2026, 2, 5),
        summary="hướng dẫn đăng ký doanh nghiệp qua mạng điện tử năm 2026",
        addressees=("Ủy ban nhân dân các huyện, thị xã, thành phố", "Hiệp hội Doanh nghiệp tỉnh An Hòa"),
        body_html=(
            "<p>Thực hiện Nghị định số 168/2025/NĐ-CP của Chính phủ về đăng ký doanh nghiệp, Sở Kế hoạch và "
            "Đầu tư đề nghị các đơn vị phối hợp thực hiện:</p>"
            "<ol><li>Tuyên truyền, hướng dẫn nộp hồ sơ qua mạng điện tử;</li>"
            "<li>Tổng hợp kết quả gửi về Sở trước ngày 31 tháng 3 năm 2026.</li></ol>"
        ),
        distribution=("Như trên", "Giám đốc Sở (để b/c)"),
        archive="VT, ĐKKD",
        **SIGNER,
        **AGENCY,
    )
    return dataclasses.replace(layout, **changes)


def named(type_name: str, abbr: str, summary: str, **changes) -> Layout:
    layout = Layout(
        type_name=type_name,
        type_abbr=abbr,
        symbol=f"{abbr}-SKHĐT",
        number=21,
        date=dt.date(2026, 11, 20),
        summary=summary,
        body_html=PARAGRAPH,
        distribution=("UBND tỉnh (để b/c)", "Các phòng thuộc Sở"),
        archive="VT, KHTH, 02b",
        **SIGNER,
        **AGENCY,
    )
    return dataclasses.replace(layout, **changes)


SEVEN = {
    "Quyết định": quyet_dinh(),
    "Công văn": cong_van(),
    "Tờ trình": named(
        "Tờ trình",
        "TTr",
        "Về việc phê duyệt kế hoạch vốn đầu tư công năm 2027",
        addressees=("Ủy ban nhân dân tỉnh An Hòa",),
    ),
    "Báo cáo": named("Báo cáo", "BC", "Tình hình kinh tế - xã hội tháng 11 năm 2026"),
    "Kế hoạch": named(
        "Kế hoạch",
        "KH",
        "Cải thiện môi trường đầu tư kinh doanh năm 2027",
        legal_bases=("Căn cứ Nghị quyết số 02/NQ-CP ngày 05 tháng 01 năm 2026 của Chính phủ",),
    ),
    "Thông báo": named("Thông báo", "TB", "Kết luận của Giám đốc Sở tại cuộc họp giao ban tháng 11"),
    "Giấy mời": named(
        "Giấy mời",
        "GM",
        "Dự hội nghị tổng kết công tác năm 2026",
        addressees=("Trưởng các phòng thuộc Sở", "Giám đốc Trung tâm Xúc tiến đầu tư"),
        body_html=(
            "<p>Thời gian: 08 giờ 00 phút, ngày 15 tháng 12 năm 2026.</p><p>Địa điểm: Hội trường Sở.</p>"
        ),
    ),
}


# ---- reading PDFs back -------------------------------------------------------------------------------------


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    return " ".join(text.split())


def runs(pdf: bytes, page: int = 0) -> list[dict]:
    """Every text run: its text, the start of its baseline in PDF points (origin bottom-left), font, size."""
    found = []

    def visit(text, cm, tm, font, size):
        if not text.strip():
            return
        a, b, c, d, e, f = (float(v) for v in tm)
        p, q, r, s, t, u = (float(v) for v in cm)
        x, y = e * p + f * r + t, e * q + f * s + u
        scale = math.hypot(a * p + b * r, a * q + b * s)
        name = str(font.get("/BaseFont", "")) if font else ""
        found.append({"text": text.strip(), "x": x, "y": y, "size": float(size) * scale, "font": name})

    PdfReader(io.BytesIO(pdf)).pages[page].extract_text(visitor_text=visit)
    return found


def run_of(pdf: bytes, text: str, page: int = 0) -> dict:
    matches = [r for r in runs(pdf, page) if r["text"] == text]
    assert matches, f"{text!r} not found on page {page + 1}: {[r['text'] for r in runs(pdf, page)]}"
    return matches[-1]


def embedded_font_families(pdf: bytes) -> set[str]:
    from fontTools.ttLib import TTFont

    families = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            program = TTFont(io.BytesIO(descriptor["/FontFile2"].get_data()))
            families.add(program["name"].getDebugName(1))
    return families


def assert_signature_geometry(pdf: bytes, box: dict, *, name: str, title: str, pages: int) -> None:
    """The box sits on the last page, between the signer's title (just above) and name (just below)."""
    assert box["page"] == pages - 1
    x1, y1, x2, y2 = box["rect"]
    assert 0 < x1 < x2 < A4[0] and 0 < y1 < y2 < A4[1]
    assert x2 <= A4[0] - 15 * MM + 0.5  # inside the right margin
    assert x2 - x1 == pytest.approx(60 * MM, abs=1)
    assert 25 * MM <= y2 - y1 <= 30 * MM
    name_run = run_of(pdf, name, box["page"])
    title_run = run_of(pdf, title, box["page"])
    assert 0 < y1 - name_run["y"] < 1.2 * name_run["size"]  # the name's baseline just under the box
    assert 0 < title_run["y"] - y2 < 0.5 * title_run["size"]  # the title's baseline just over it
    name_width = render._text_width(name, "Bold", name_run["size"])
    assert name_run["x"] + name_width / 2 == pytest.approx((x1 + x2) / 2, abs=3)  # centred on the block


# ---- render -----------------------------------------------------------------------------------------------


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
        centre = number["x"] + render._text_width(number["text"], "Regular", number["size"]) / 2
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


# ---- uploaded drafts ---------------------------------------------------------------------------------------


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
    slash_x = so["x"] + render._text_width("Số:        ", "Regular", so["size"])
    number_end = number["x"] + render._text_width("15", "Regular", number["size"])
    assert number_end == pytest.approx(slash_x, abs=1.5)  # "15" right against "/QĐ-SKHĐT"
    assert number["size"] == pytest.approx(13, abs=0.1)
    date = [r for r in runs(out) if r["text"].startswith("An Hòa, ngày")][0]
    day, month = run_of(out, "05"), run_of(out, "3")
    for part in (day, month):
        assert part["y"] == pytest.approx(date["y"], abs=0.5)
        assert "Italic" in part["font"] and part["size"] == pytest.approx(14, abs=0.1)
    ngay_end = date["x"] + render._text_width("An Hòa, ngày", "Italic", date["size"])
    thang = date["x"] + render._text_width("An Hòa, ngày      ", "Italic", date["size"])
    nam = date["x"] + render._text_width("An Hòa, ngày      tháng      ", "Italic", date["size"])
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
    assert number["x"] + render._text_width("08", "Regular", 13) == pytest.approx(slash["x"], abs=1)
    thang, day = run_of(out, "tháng"), run_of(out, "09")
    assert day["x"] + render._text_width("09", "Italic", 13) < thang["x"]
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


# ---- DOCX conversion -------------------------------------------------------------------------------------


def minimal_docx(text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as docx:
        docx.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
            'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override '
            'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>',
        )
        docx.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        )
        docx.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            f'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>',
        )
    return buffer.getvalue()


def fake_soffice(tmp_path, monkeypatch, script: str) -> None:
    program = tmp_path / "bin" / "soffice"
    program.parent.mkdir()
    program.write_text("#!/bin/sh\n" + script)
    program.chmod(program.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", str(program.parent))


def test_conversion_unavailable_without_libreoffice(monkeypatch):
    monkeypatch.setattr(render.shutil, "which", lambda name: None)
    assert render.converter_available() is False
    with pytest.raises(render.ConversionUnavailable) as caught:
        render.docx_to_pdf(minimal_docx("Dự thảo"))
    assert "LibreOffice" in str(caught.value) and "PDF" in str(caught.value)


def test_conversion_failure_and_timeout_are_value_errors(tmp_path, monkeypatch):
    sleep = shutil.which("sleep")
    fake_soffice(tmp_path, monkeypatch, "exit 1\n")
    assert render.converter_available() is True
    with pytest.raises(ValueError, match="Không chuyển được"):
        render.docx_to_pdf(minimal_docx("Dự thảo"))
    with pytest.raises(ValueError, match="Word"):
        render.docx_to_pdf(b"%PDF-1.7 not a docx")
    (tmp_path / "bin" / "soffice").write_text(f"#!/bin/sh\nexec {sleep} 30\n")
    monkeypatch.setattr(render, "CONVERSION_TIMEOUT", 1)
    started = time.perf_counter()
    with pytest.raises(ValueError, match="quá thời gian"):
        render.docx_to_pdf(minimal_docx("Dự thảo"))
    assert time.perf_counter() - started < 10


def test_conversion_with_libreoffice():
    if not render.converter_available():
        pytest.skip("LibreOffice (soffice) is not installed on this machine")
    pdf = render.docx_to_pdf(minimal_docx("Dự thảo công văn"))
    assert pdf.startswith(b"%PDF-")
    assert "Dự thảo công văn" in pages_text(pdf)[0]


def test_parent_agency_common_phrases_are_abbreviated():
    """Phụ lục I, II.2: the parent agency's name abbreviates its common phrases."""
    assert render.parent_name("Ủy ban nhân dân tỉnh An Hòa") == "UBND tỉnh An Hòa"
    assert render.parent_name("Hội đồng nhân dân huyện Tân Phú") == "HĐND huyện Tân Phú"
    assert render.parent_name("Bộ Tài chính") == "Bộ Tài chính"
