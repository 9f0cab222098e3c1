"""Reading an upload: units of another agency, missing sheets and columns, files that are not workbooks."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from onestop import catalogue
from onestop.models import Procedure
from tests.factories import make_department
from tests.onestop.catalogue.conftest import GOOD, GOOD_STEPS, workbook_bytes, xlsx_upload

pytestmark = pytest.mark.django_db


def test_a_unit_of_another_agency_is_refused(agency_a, agency_b, people):
    make_department(agency=agency_b, name="Phòng khác", abbreviation="PK")
    steps = [GOOD_STEPS[0], GOOD_STEPS[2], ["2.001610", "Trả kết quả", "", "PK", 6]]
    result = catalogue.import_workbook(xlsx_upload(workbook_bytes([GOOD], [], steps)), agency=agency_a)
    text = "\n".join(result.errors)
    assert "Sheet “Quy trình”, dòng 4, cột “Đơn vị thực hiện”: không có đơn vị “PK” trong cơ quan." in text
    assert not Procedure.objects.exists()


def test_missing_sheets_and_columns_are_named(agency_a):
    wb = Workbook()
    wb.active.title = "Thủ tục"
    wb.active.append(["Mã thủ tục", "Tên thủ tục"])
    out = io.BytesIO()
    wb.save(out)
    result = catalogue.import_workbook(xlsx_upload(out.getvalue()), agency=agency_a)
    text = "\n".join(result.errors)
    assert "Sheet “Thủ tục”: thiếu cột “Lĩnh vực”, “Mức độ trực tuyến”, “Thời hạn giải quyết”" in text
    assert "Thiếu sheet “Thành phần hồ sơ”." in text and "Thiếu sheet “Quy trình”." in text


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("danh-muc.xlsx", b"%PDF-1.4 not a workbook"),
        ("danh-muc.xlsx", b"PK\x03\x04 broken zip"),
        ("danh-muc.pdf", b"%PDF-1.4 a pdf"),
        ("danh-muc.xlsx", b""),
    ],
)
def test_a_file_that_is_not_a_workbook_is_refused(agency_a, name, data):
    result = catalogue.import_workbook(SimpleUploadedFile(name, data), agency=agency_a)
    assert result.errors == ["Tệp tải lên không phải là tệp Excel (.xlsx)."]


def test_a_word_document_renamed_xlsx_is_refused(agency_a):
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    result = catalogue.import_workbook(xlsx_upload(buf.getvalue()), agency=agency_a)
    assert result.errors == ["Tệp tải lên không phải là tệp Excel (.xlsx)."]
