"""The export: the documented sheets, labels and hidden lists."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from onestop import catalogue
from onestop.models import Procedure

pytestmark = pytest.mark.django_db


def test_the_workbook_has_the_documented_sheets_and_labels(agency_a, catalogue_a):
    wb = load_workbook(io.BytesIO(catalogue.export_workbook(Procedure.objects.filter(agency=agency_a))))
    assert wb.sheetnames[:3] == ["Thủ tục", "Thành phần hồ sơ", "Quy trình"]
    procedures = list(wb["Thủ tục"].iter_rows(values_only=True))
    assert procedures[0][:3] == ("Mã thủ tục", "Tên thủ tục", "Mã lĩnh vực")
    row = next(r for r in procedures if r[0] == "1.009645")
    assert "Không trực tuyến" in row and "ngày làm việc" in row and "Không" in row and "TH" in row
    steps = [r for r in wb["Quy trình"].iter_rows(values_only=True) if r[0] == "1.009645"]
    assert [r[1] for r in steps] == [
        "Tiếp nhận và chuyển hồ sơ",
        "Phân công thụ lý",
        "Thẩm định, xử lý hồ sơ",
        "Phê duyệt, ký kết quả",
        "Trả kết quả",
    ]
    assert steps[0][4] == 1.5
    assert wb["Danh mục"].sheet_state == "hidden"


def test_the_workbook_is_laid_out_for_typing(agency_a, catalogue_a):
    """Bold filled headers, set widths, frozen first row and column, drop-downs on every choice column."""
    wb = load_workbook(io.BytesIO(catalogue.export_workbook(Procedure.objects.filter(agency=agency_a))))
    lists = wb["Danh mục"]
    for title, columns in catalogue.SHEETS:
        ws = wb[str(title)]
        assert ws.freeze_panes == "B2"
        for number, column in enumerate(columns, start=1):
            header = ws.cell(row=1, column=number)
            assert header.font.b and header.fill.fgColor.rgb.endswith("E8EEF7")
            assert header.alignment.wrap_text and header.alignment.vertical == "center"
            assert ws.column_dimensions[header.column_letter].width == column.width
        body = ws.cell(row=2, column=1)
        assert body.alignment.wrap_text and body.alignment.vertical == "top"
        checks = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
        expected = [n for n, c in enumerate(columns, start=1) if c.kind in ("choice", "bool")]
        assert len(checks) == len(expected)
        for number in expected:
            letter = ws.cell(row=1, column=number).column_letter
            source = checks[f"{letter}2:{letter}{catalogue.MAX_ROWS + 1}"]
            assert source.startswith("'Danh mục'!$")
            values = [row[0].value for row in lists[source.split("!")[1].replace("$", "")]]
            assert values and all(values), source
    yes_no_column = [c.value for c in lists["E"] if c.value]
    assert yes_no_column == ["Có", "Không"]
    assert [c.value for c in lists["A"] if c.value] == ["Toàn trình", "Một phần", "Không trực tuyến"]
