"""eoffice.output.excel: the catalogue's helpers (drop-down lists from a hidden sheet, a filled header) and
the reader of uploaded workbooks."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import load_workbook

from eoffice.output import excel


def _saved(wb) -> bytes:
    return excel.to_bytes(wb)


def test_hidden_lists_and_dropdowns():
    wb, ws = excel.workbook("Thủ tục")
    refs = excel.hidden_lists(wb, "Danh mục", [["Toàn trình", "Một phần, có phí"], ["Có", "Không"]])
    assert refs == ["'Danh mục'!$A$1:$A$2", "'Danh mục'!$B$1:$B$2"]
    excel.dropdown(ws, column=3, source=refs[1], first_row=2, last_row=10)
    back = load_workbook(io.BytesIO(_saved(wb)))
    assert back["Danh mục"].sheet_state == "hidden"
    assert back["Danh mục"]["A2"].value == "Một phần, có phí"
    (check,) = back["Thủ tục"].data_validations.dataValidation
    assert str(check.sqref) == "C2:C10" and check.formula1 == refs[1] and check.allow_blank


def test_a_list_value_that_looks_like_a_formula_stays_text():
    wb, _ws = excel.workbook("A")
    excel.hidden_lists(wb, "Danh mục", [["=1+1"]])
    cell = load_workbook(io.BytesIO(_saved(wb)))["Danh mục"]["A1"]
    assert cell.data_type == "s" and cell.value == "=1+1"


def test_header_row_body_and_freeze():
    wb, ws = excel.workbook("A")
    excel.append(ws, ["Mã", "Tên"])
    excel.append(ws, ["1", "Một"])
    excel.header_row(ws, columns=2)
    excel.wrap_body(ws, first_row=2)
    excel.freeze(ws, "B2")
    back = load_workbook(io.BytesIO(_saved(wb)))["A"]
    assert back["B1"].font.b and back["B1"].fill.fgColor.rgb.endswith(excel.HEADER_FILL)
    assert back["B1"].alignment.vertical == "center" and back["B2"].alignment.vertical == "top"
    assert back.freeze_panes == "B2"
    _plain, sheet = excel.workbook("B")
    excel.append(sheet, ["Mã"])
    excel.header_row(sheet, columns=1, fill=None)
    assert sheet["A1"].font.b and sheet["A1"].fill.fill_type is None


def test_add_sheet_keeps_31_characters():
    wb, _ws = excel.workbook("A")
    assert excel.add_sheet(wb, "x" * 40).title == "x" * 31


def test_load_reads_values_not_formulas():
    wb, ws = excel.workbook("Thủ tục")
    excel.append(ws, ["Mã", "Số"])
    ws["B2"] = "=1+2"  # a real formula, without a cached value: read as None, never evaluated
    excel.append(ws, ["2.001610", 3])
    book = excel.load(_saved(wb))
    try:
        (sheet,) = excel.sheets(book)
        assert sheet.title == "Thủ tục"
        assert list(excel.rows(sheet)) == [("Mã", "Số"), (None, None), ("2.001610", 3)]
    finally:
        book.close()


@pytest.mark.parametrize("data", [b"", b"%PDF-1.4", b"PK\x03\x04 broken zip"])
def test_load_refuses_what_is_not_a_workbook(data):
    with pytest.raises(excel.UnreadableWorkbook):
        excel.load(data)


def test_load_refuses_a_zip_that_is_not_a_workbook():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(excel.UnreadableWorkbook):
        excel.load(buf.getvalue())


def test_load_refuses_a_file_that_unpacks_too_large():
    wb, ws = excel.workbook("A")
    excel.append(ws, ["x" * 1000])
    data = _saved(wb)
    excel.load(data).close()
    with pytest.raises(excel.UnreadableWorkbook, match="once unpacked"):
        excel.load(data, max_unpacked=1000)
