"""Layouts of the seven main types and readers of the PDFs: text and positions are read back with pypdf,
independently of the helpers in documents.outgoing.render."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import math

import pytest
from pypdf import PdfReader

from documents.outgoing import render
from documents.outgoing.render import Layout

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
    name_width = render.text_width(name, "Bold", name_run["size"])
    assert name_run["x"] + name_width / 2 == pytest.approx((x1 + x2) / 2, abs=3)  # centred on the block
