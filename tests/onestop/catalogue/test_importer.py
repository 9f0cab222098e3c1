"""The import: export → import is lossless, importing again updates in place, a bad workbook is reported row
by row and nothing of it is saved."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from onestop import catalogue
from onestop.models import DossierPaper, Procedure, ProcedureField
from tests.onestop.catalogue.conftest import GOOD, GOOD_STEPS, snapshot, workbook_bytes, xlsx_upload
from tests.onestop.conftest import receive

pytestmark = pytest.mark.django_db


def test_export_then_import_into_an_empty_catalogue_gives_the_same_rows(agency_a, catalogue_a):
    before = snapshot(agency_a)
    data = catalogue.export_workbook(Procedure.objects.filter(agency=agency_a))
    Procedure.objects.all().delete()
    ProcedureField.objects.all().delete()  # fields come back by name, with their codes

    result = catalogue.import_workbook(xlsx_upload(data), agency=agency_a)

    assert result.ok, result.errors
    assert len(result.created) == 2 and not result.updated
    assert snapshot(agency_a) == before
    # The text that looks like a formula stayed text.
    assert Procedure.objects.get(code="1.009645").name.startswith("=Cấp Giấy")


def test_importing_again_updates_in_place_and_keeps_the_links_of_dossiers(agency_a, people, catalogue_a):
    procedure = catalogue_a[0]
    dossier = receive(procedure, people)
    kept = procedure.papers.get(order=1)
    data = catalogue.export_workbook(Procedure.objects.filter(agency=agency_a))
    wb = load_workbook(io.BytesIO(data))
    ws = wb["Thủ tục"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == procedure.code:
            row[1].value = "Đăng ký thành lập doanh nghiệp tư nhân (sửa đổi)"
    out = io.BytesIO()
    wb.save(out)

    result = catalogue.import_workbook(xlsx_upload(out.getvalue()), agency=agency_a)

    assert result.ok, result.errors
    assert not result.created and len(result.updated) == 2
    assert Procedure.objects.filter(agency=agency_a).count() == 2
    procedure.refresh_from_db()
    assert procedure.name.endswith("(sửa đổi)")
    assert procedure.papers.filter(pk=kept.pk).exists()
    assert DossierPaper.objects.filter(dossier=dossier, required=kept).exists()


def test_a_good_new_workbook_creates_procedures_and_fields(agency_a, people):
    data = workbook_bytes(
        [GOOD], [["2.001610", 1, "Giấy đề nghị đăng ký doanh nghiệp", "Bản chính", 1, "Có"]], GOOD_STEPS
    )
    result = catalogue.import_workbook(xlsx_upload(data), agency=agency_a)
    assert result.ok, result.errors
    procedure = Procedure.objects.get(agency=agency_a, code="2.001610")
    assert procedure.field.code == "DN" and procedure.handling_department == people["unit"]
    assert procedure.steps.count() == 5 and procedure.papers.get().kind == "original"


def test_every_bad_row_is_reported_with_its_place_and_nothing_is_saved(agency_a, people, catalogue_a):
    existing = catalogue_a[0]
    before = snapshot(agency_a)
    fields_before = ProcedureField.objects.count()
    changed = [*GOOD]
    changed[1] = "Tên đã sửa"  # a good row for an existing code: must not be written either
    bad_time = [*("2.009999", "Thủ tục mới", "", "Lĩnh vực mới", "Toàn trình", "ba ngày", "ngày làm việc")]
    bad_time += [0, "", "Kết quả", "", "", "Có"]
    bad_level = [*("2.009998", "Thủ tục khác", "", "Lĩnh vực mới", "Trực tiếp", 3, "ngày làm việc", -5)]
    bad_level += ["", "Kết quả", "", "PXYZ", "Có"]
    short_steps = [*GOOD_STEPS[:2], ["2.001610", "Thẩm định, xử lý hồ sơ", "", "DKKD", 10], *GOOD_STEPS[3:]]
    data = workbook_bytes(
        [changed, bad_time, bad_level, changed],
        [["9.999999", 1, "Giấy tờ", "Bản chính", 1, "Có"], ["2.001610", 1, "Giấy tờ", "Bản nháp", 1, "Có"]],
        short_steps,
    )

    result = catalogue.import_workbook(xlsx_upload(data), agency=agency_a)

    assert not result.ok
    text = "\n".join(result.errors)
    assert "Sheet “Thủ tục”, dòng 3, cột “Thời hạn giải quyết”: phải là một số." in text
    assert "Sheet “Thủ tục”, dòng 4, cột “Mức độ trực tuyến”: phải là một trong: Toàn trình" in text
    assert "Sheet “Thủ tục”, dòng 4, cột “Phí, lệ phí (đồng)”" in text
    assert "Sheet “Thủ tục”, dòng 4, cột “Đơn vị giải quyết”: không có đơn vị “PXYZ” trong cơ quan." in text
    assert "Sheet “Thủ tục”, dòng 5: mã thủ tục 2.001610 đã có ở dòng 2." in text
    assert "Sheet “Thành phần hồ sơ”, dòng 2: mã thủ tục 9.999999 không có trong sheet “Thủ tục”." in text
    assert "Sheet “Thành phần hồ sơ”, dòng 3, cột “Loại bản”" in text
    # The steps of 2.001610 add up to 32 hours instead of 24.
    assert "Sheet “Quy trình”, dòng 2–6 (quy trình của thủ tục 2.001610)" in text
    assert "Tổng thời gian các bước (18 giờ)" in text
    assert snapshot(agency_a) == before
    assert ProcedureField.objects.count() == fields_before
    existing.refresh_from_db()
    assert existing.name == "Đăng ký thành lập doanh nghiệp tư nhân"
