"""The appendices in the body's PDF (Phụ lục I, Phần I, Mục III.1): after the signature, each from a new
page, "Phụ lục I/II" 14 pt bold, the title in upper case, "(Kèm theo … số … ngày … của …)" with blanks in the
draft and the number and date in the final render, their own page numbers, landscape when asked."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader

from documents.outgoing import render
from documents.outgoing.render import Appendix, Layout

LONG = "".join(
    f"<p>Dòng thứ {i} của danh mục dự án đầu tư công giai đoạn 2026 - 2030.</p>" for i in range(60)
)


def _layout(**extra) -> Layout:
    values = {
        "type_name": "Quyết định",
        "type_abbr": "QĐ",
        "parent_agency": "Ủy ban nhân dân tỉnh An Hòa",
        "agency": "Sở Kế hoạch và Đầu tư",
        "symbol": "QĐ-SKHĐT",
        "number": None,
        "place": "An Hòa",
        "date": None,
        "summary": "Ban hành danh mục dự án đầu tư công năm 2027",
        "body_html": "<p>Điều 1. Ban hành kèm theo Quyết định này danh mục tại Phụ lục I và Phụ lục II.</p>",
        "issuing_authority": "GIÁM ĐỐC SỞ KẾ HOẠCH VÀ ĐẦU TƯ",
        "signer_title": "GIÁM ĐỐC",
        "signer_name": "Vũ Đức Thắng",
        "distribution": ("Như Điều 3",),
        "appendices": (
            Appendix(title="Danh mục dự án chuyển tiếp", body_html=LONG),
            Appendix(
                title="Danh mục dự án khởi công mới", body_html="<p>Bảng kê dự án mới.</p>", landscape=True
            ),
        ),
    }
    values.update(extra)
    return Layout(**values)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def test_appendices_follow_the_signature_each_from_a_new_page_with_blanks_in_the_draft():
    rendered = render.render(_layout(draft=True))
    pages = _pages(rendered.pdf)
    signature_page = rendered.signature_box["page"]
    assert "Vũ Đức Thắng" in pages[signature_page]
    assert "CHUYỂN TIẾP" not in "".join(pages[: signature_page + 1])
    first = pages[signature_page + 1]
    assert "Phụ lục I\n" in first
    assert "DANH MỤC DỰ ÁN CHUYỂN TIẾP" in first
    assert "(Kèm theo Quyết định số …/QĐ-SKHĐT ngày … tháng … năm … của Sở Kế hoạch và Đầu tư)" in _flat(
        first
    )
    assert "Dòng thứ 0 của danh mục" in first
    second = next(i for i, text in enumerate(pages) if "KHỞI CÔNG MỚI" in text)
    assert second > signature_page + 2  # appendix I runs over two pages, II starts on a new one
    assert "Phụ lục II\n" in pages[second]


def test_final_render_fills_number_and_date_and_numbers_appendix_pages_on_their_own():
    rendered = render.render(_layout(number=15, date=dt.date(2026, 12, 7), draft=False))
    reader = PdfReader(io.BytesIO(rendered.pdf))
    pages = [page.extract_text() or "" for page in reader.pages]
    start = rendered.signature_box["page"] + 1
    assert (
        "(Kèm theo Quyết định số 15/QĐ-SKHĐT ngày 07 tháng 12 năm 2026 của Sở Kế hoạch và Đầu tư)"
        in _flat(pages[start])
    )
    # Appendix I's own numbering: its first page shows none, its second page is "2" (the document's own
    # page numbers would say start + 2).
    lines = [line.strip() for line in pages[start + 1].splitlines()]
    assert "2" in lines and str(start + 2) not in lines
    assert not {"1", str(start + 1)} & {line.strip() for line in pages[start].splitlines()}
    landscape = reader.pages[-1].mediabox
    assert float(landscape.width) > float(landscape.height)  # appendix II asked for landscape
    portrait = reader.pages[start].mediabox
    assert float(portrait.width) < float(portrait.height)


def test_one_appendix_is_not_numbered():
    layout = _layout(appendices=(Appendix(title="Danh mục", body_html="<p>Nội dung.</p>"),))
    rendered = render.render(layout)
    last = _pages(rendered.pdf)[-1]
    assert last.lstrip().startswith("Phụ lục") and "Phụ lục I" not in last


def test_no_appendix_no_extra_page():
    with_none = render.render(_layout(appendices=()))
    assert with_none.pages == with_none.signature_box["page"] + 1
