"""eoffice.output.register: the long-table register as PDF (ReportLab) and as an Excel sheet, from columns
and printed values only."""

from __future__ import annotations

import io
import unicodedata
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from eoffice.output import register

PARENT = SimpleNamespace(name="Ủy ban nhân dân tỉnh An Hòa")
AGENCY = SimpleNamespace(name="Sở Kế hoạch và Đầu tư", parent_id=1, parent=PARENT)
COLUMNS = ["Số", "Ngày", "Trích yếu nội dung", "Ghi chú"]
WIDTHS = [30, 30, 165, 40]  # mm: 265 between the margins


def _pdf(table, **kwargs) -> list[str]:
    content = register.register_pdf(
        title_text="SỔ THỬ",
        agency=AGENCY,
        subs=["Từ ngày 01/03/2026 đến ngày 31/03/2026"],
        columns=COLUMNS,
        table=table,
        widths_mm=WIDTHS,
        centered={0, 1},
        empty="Không có gì trong kỳ này.",
        foot=f"{len(table)} dòng",
        **kwargs,
    )
    assert content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    assert all(page.mediabox.width > page.mediabox.height for page in reader.pages)  # A4 landscape
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def test_the_widths_fill_the_page_between_the_margins():
    assert sum(WIDTHS) * register.MM == pytest.approx(register.CONTENT_W)


def test_many_rows_run_over_pages_with_the_headings_on_each():
    table = [[str(n), "01/03/2026", f"Kế hoạch thực hiện nhiệm vụ số {n}", ""] for n in range(1, 301)]
    pages = _pdf(table)
    assert len(pages) > 5
    assert (
        "ỦY BAN NHÂN DÂN TỈNH AN HÒA" in pages[0]
        and "SỞ KẾ HOẠCH VÀ ĐẦU TƯ" in pages[0]
        and "SỔ THỬ" in pages[0]
    )
    for number, text in enumerate(pages, start=1):
        assert "Trích yếu nội dung" in text and "(3)" in text
        assert f"{number}/{len(pages)}" in text
    assert "SỔ THỬ" not in pages[1]
    assert "Kế hoạch thực hiện nhiệm vụ số 300" in pages[-1] and "300 dòng" in pages[-1]


def test_an_empty_table_prints_the_message_across_it():
    (page,) = _pdf([])
    assert "Không có gì trong kỳ này." in page and "0 dòng" in page and "1/1" in page


def test_a_row_longer_than_a_page_is_split():
    long = " ".join(f"đoạn {n} của một nội dung rất dài" for n in range(400))
    pages = _pdf([["1", "01/03/2026", long, ""]])
    assert len(pages) > 1 and "đoạn 399" in pages[-1]


def test_wrap_breaks_long_tokens_and_keeps_text_in_the_width():
    measure = register.Measure()
    symbol = "123/QĐ-" + "BNNPTNT" * 6
    lines = register.wrap(f"xem {symbol} và văn bản liên quan", 60.0, measure, register.FONT, 10.5)
    assert all(measure(line, register.FONT, 10.5) <= 60.0 for line in lines)
    assert lines[0] == "xem" and lines[1] == "123/QĐ-"
    assert register.printable(unicodedata.normalize("NFD", "  Ủy   ban\n")) == "Ủy ban"


def test_the_sheet_has_the_heading_numbered_columns_and_page_set_up():
    wb, ws, first = register.sheet(
        sheet_title="So thu", lines=["SỞ KẾ HOẠCH", "SỔ THỬ", "Tháng 3"], columns=COLUMNS
    )
    from eoffice.output import excel

    excel.append(ws, ["1", "01/03/2026", "=cmd|' /C calc'!A0", ""])
    content = register.finish_sheet(
        wb, ws, first=first, columns=len(COLUMNS), widths=[8, 12, 48, 16], centered={0}
    )
    ws = load_workbook(io.BytesIO(content)).active
    assert ws.title == "So thu" and ws["A2"].value == "SỔ THỬ"
    assert [c.value for c in ws[first]] == COLUMNS
    assert [c.value for c in ws[first + 1]] == ["(1)", "(2)", "(3)", "(4)"]
    assert ws.freeze_panes == f"A{first + 2}" and ws.print_title_rows == f"${first}:${first + 1}"
    assert ws.cell(row=first + 2, column=3).data_type == "s"  # text, never a formula
    assert ws.cell(row=first + 2, column=1).alignment.horizontal == "center"
