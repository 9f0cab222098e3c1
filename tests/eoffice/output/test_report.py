"""eoffice.output.report: the statistics report from labels and printed values, as PDF and Excel."""

from __future__ import annotations

import io
from types import SimpleNamespace

from openpyxl import load_workbook
from pypdf import PdfReader

from eoffice.output import excel, report

AGENCY = SimpleNamespace(name="Sở Tư pháp", parent_id=1, parent=SimpleNamespace(name="UBND tỉnh An Hòa"))


def _report(rows, lists=()) -> report.Report:
    return report.Report(
        title="BÁO CÁO THỬ",
        agency=AGENCY,
        scope_line="Toàn cơ quan · Tháng 3/2026",
        header_top=[("Đơn vị", 2, 1), ("Tổng số", 2, 1), ("Đã xong", 1, 2), ("Tỷ lệ", 2, 1)],
        header_under=["Đúng hạn", "Quá hạn"],
        widths=[40, 15, 15, 15, 15],
        rows=rows,
        definitions=["Tổng số = đã xong + đang làm."],
        made_by="Nguyễn Văn An",
        lists=lists,
        style=report.Style(heading=9.5, number=9, cell=10, pad_x=2.5),
    )


def _text(content: bytes) -> str:
    return " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split())


def test_the_pdf_prints_the_table_the_lists_and_the_notes():
    printed = _report(
        [
            report.Row("Phòng Hành chính", [3, 2, 1, "66,7%"], sub="PHC"),
            report.Row("Cộng", [3, 2, 1, "66,7%"], strong=True),
        ],
        lists=[report.Listing("Danh sách", ["Việc", "Hạn"], [80, 20], [["Việc một", "05/03/2026"]])],
    )
    content = report.pdf(printed)
    assert content.startswith(b"%PDF")
    text = _text(content)
    for part in (
        "SỞ TƯ PHÁP",
        "BÁO CÁO THỬ",
        "Toàn cơ quan · Tháng 3/2026",
        "Đã xong",
        "Quá hạn",
        "(5)",
        "Phòng Hành chính",
        "PHC",
        "66,7%",
        "Danh sách",
        "Việc một",
        "Giải thích số liệu:",
        "1. Tổng số = đã xong + đang làm.",
        "Nguyễn Văn An",
    ):
        assert part in text, part


def test_the_sizes_are_written_unlocalized(settings):
    """A decimal comma (Vietnamese number format) would make WeasyPrint drop the size."""
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("vi"):
        html = render_to_string(report.TEMPLATE, {"r": _report([]), "made_at": None})
    assert "font-size: 9.5pt" in html and "width: 40%" in html and "9,5" not in html


def test_an_empty_row_spans_the_table():
    text = _text(report.pdf(_report([report.Row("Không có gì trong kỳ này.", empty=True)])))
    assert "Không có gì trong kỳ này." in text


def test_the_sheet_merges_the_header_as_the_pdf_and_adds_the_notes():
    printed = _report([])
    wb, ws, first = report.sheet(printed)
    row = excel.append(ws, ["Phòng Hành chính", 3, 2, 1, 0.667])
    report.grid(ws, printed, first=first, bold_rows=[row])
    ws = load_workbook(io.BytesIO(report.finish(wb, ws, printed, first=first, column_width=11))).active
    assert [ws.cell(row=n, column=1).value for n in (1, 2, 3)] == [
        "SỞ TƯ PHÁP",
        "BÁO CÁO THỬ",
        printed.scope_line,
    ]
    assert ws.cell(row=first, column=3).value == "Đã xong"
    assert [ws.cell(row=first + 1, column=c).value for c in (3, 4)] == ["Đúng hạn", "Quá hạn"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {
        f"A{first}:A{first + 1}",
        f"B{first}:B{first + 1}",
        f"C{first}:D{first}",
        f"E{first}:E{first + 1}",
    } <= merged
    assert ws.cell(row=row, column=1).font.bold
    values = [c.value for r in ws.iter_rows() for c in r if c.value]
    assert "Giải thích số liệu:" in values and "Tổng số = đã xong + đang làm." in values
    assert any(str(v).startswith("Ngày lập báo cáo:") and "Nguyễn Văn An" in str(v) for v in values)
    assert ws.freeze_panes == f"B{first + 2}"


def test_render_writes_the_sheet_rows_formats_and_lists_or_the_pdf():
    printed = _report([report.Row("Phòng Hành chính", [3, 2, 1, "66,7%"])])
    sheet = report.Sheet(
        rows=[
            report.Row("Phòng Hành chính", [3, 2, 1, 0.667]),
            report.Row("Cộng", [3, 2, 1, None], strong=True),
        ],
        formats={5: "0.0%"},
        column_width=11,
        lists=[report.Listing("Danh sách", ["Việc", "Hạn"], (), [["Việc một", "05/03/2026"]])],
    )
    content, content_type, name = report.render(printed, fmt="xlsx", stem="thu", sheet=sheet)
    assert (content_type, name) == (excel.CONTENT_TYPE, "thu.xlsx")
    ws = load_workbook(io.BytesIO(content)).active
    rows = {ws.cell(row=n, column=1).value: n for n in range(1, ws.max_row + 1)}
    first, total = rows["Phòng Hành chính"], rows["Cộng"]
    assert [ws.cell(row=first, column=c).value for c in range(2, 6)] == [3, 2, 1, 0.667]
    assert ws.cell(row=first, column=5).number_format == ws.cell(row=total, column=5).number_format == "0.0%"
    assert ws.cell(row=total, column=1).font.bold and not ws.cell(row=first, column=1).font.bold
    assert rows["Danh sách"] == total + 2 and ws.cell(row=total + 3, column=2).value == "Hạn"
    assert ws.cell(row=total + 3, column=1).font.bold and ws.cell(row=total + 4, column=1).value == "Việc một"
    content, content_type, name = report.render(printed, fmt="pdf", stem="thu", sheet=sheet)
    assert (content_type, name) == ("application/pdf", "thu.pdf") and "66,7%" in _text(content)
