"""The procedures catalogue as Excel: export → import is lossless; a bad workbook is reported row by row and
nothing of it is saved; the shared step checks."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from onestop import catalogue
from onestop.models import DossierPaper, Procedure, ProcedureField, ProcedureStep, RequiredPaper
from tests.factories import make_department
from tests.onestop.conftest import make_procedure, receive

pytestmark = pytest.mark.django_db


def xlsx_upload(data: bytes, name: str = "danh-muc.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def snapshot(agency) -> list[dict]:
    """The catalogue of an agency by natural keys (no ids), to compare two states."""
    out = []
    for p in Procedure.objects.filter(agency=agency).select_related("field", "handling_department"):
        out.append(
            {
                "code": p.code,
                "name": p.name,
                "field": (p.field.code, p.field.name),
                "online_level": p.online_level,
                "time": (p.time_value, p.time_unit),
                "fee": (p.fee_amount, p.fee_note),
                "result_name": p.result_name,
                "legal_basis": p.legal_basis,
                "unit": p.handling_department.abbreviation if p.handling_department else None,
                "is_active": p.is_active,
                "papers": sorted((r.order, r.name, r.kind, r.quantity, r.mandatory) for r in p.papers.all()),
                "steps": sorted(
                    (s.kind, s.name, s.department.abbreviation if s.department else None, s.hours)
                    for s in p.steps.all()
                ),
            }
        )
    return sorted(out, key=lambda row: row["code"])


@pytest.fixture
def catalogue_a(agency_a, people):
    """Two procedures that use every column: half days in hours, no review, odd text, inactive, offline."""
    first = make_procedure(agency_a, unit=people["unit"])
    field = ProcedureField.objects.create(code="ĐT", name="Đầu tư tại Việt Nam")
    second = Procedure.objects.create(
        agency=agency_a,
        code="1.009645",
        name="=Cấp Giấy chứng nhận đăng ký đầu tư; “dự án” không thuộc diện chấp thuận",
        field=field,
        online_level="offline",
        time_value=Decimal("2.5"),
        fee_amount=0,
        fee_note="Không thu phí, lệ phí.",
        result_name="Giấy chứng nhận đăng ký đầu tư",
        legal_basis="Luật Đầu tư năm 2020;\nNghị định hướng dẫn thi hành.",
        handling_department=people["other_unit"],
        is_active=False,
    )
    RequiredPaper.objects.create(procedure=second, order=1, name="Văn bản đề nghị", kind="either", quantity=2)
    RequiredPaper.objects.create(procedure=second, order=2, name="Đề xuất dự án", mandatory=False)
    hours = {"receive": "1.5", "assign": "2", "process": "12.5", "approve": "2", "return": "2"}
    for kind, value in hours.items():
        department = people["counter"] if kind in ("receive", "return") else people["other_unit"]
        ProcedureStep.objects.create(
            procedure=second,
            kind=kind,
            hours=Decimal(value),
            department=None if kind == "approve" else department,
        )
    return [first, second]


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


def _workbook(procedures, papers=(), steps=()) -> bytes:
    wb = Workbook()
    for index, (title, columns) in enumerate(catalogue.SHEETS):
        ws = wb.active if index == 0 else wb.create_sheet()
        ws.title = str(title)
        ws.append([str(c.header) for c in columns])
        for row in (procedures, papers, steps)[index]:
            ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


GOOD = [
    *("2.001610", "Đăng ký thành lập doanh nghiệp tư nhân", "DN", "Thành lập và hoạt động doanh nghiệp"),
    *("Toàn trình", 3, "ngày làm việc", 50000, "", "Giấy chứng nhận đăng ký doanh nghiệp", "", "DKKD", "Có"),
]
GOOD_STEPS = [
    ["2.001610", "Tiếp nhận và chuyển hồ sơ", "", "", 2],
    ["2.001610", "Phân công thụ lý", "", "DKKD", 2],
    ["2.001610", "Thẩm định, xử lý hồ sơ", "", "DKKD", 16],
    ["2.001610", "Phê duyệt, ký kết quả", "", "", 2],
    ["2.001610", "Trả kết quả", "", "", 2],
]


def test_a_good_new_workbook_creates_procedures_and_fields(agency_a, people):
    data = _workbook(
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
    data = _workbook(
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


def test_a_unit_of_another_agency_is_refused(agency_a, agency_b, people):
    make_department(agency=agency_b, name="Phòng khác", abbreviation="PK")
    steps = [GOOD_STEPS[0], GOOD_STEPS[2], ["2.001610", "Trả kết quả", "", "PK", 6]]
    result = catalogue.import_workbook(xlsx_upload(_workbook([GOOD], [], steps)), agency=agency_a)
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


def test_steps_problems(agency_a, agency_b, people):
    procedure = make_procedure(agency_a, unit=people["unit"])  # 3 days = 24 hours
    good = [(s.kind, s.department, s.hours) for s in procedure.steps.all()]
    assert catalogue.steps_problems(procedure, good) == []
    doubled = [*good, ("assign", people["unit"], Decimal(0))]
    assert any(
        "chỉ khai báo một lần: Phân công thụ lý" in p for p in catalogue.steps_problems(procedure, doubled)
    )
    problems = catalogue.steps_problems(procedure, [s for s in good if s[0] != "approve"])
    assert any("còn thiếu bước: Phê duyệt, ký kết quả" in p for p in problems)
    assert any(
        "Tổng thời gian các bước (22 giờ) phải bằng thời hạn giải quyết (24 giờ)" in p for p in problems
    )
    # Review is optional, but its hours must then go elsewhere.
    assert catalogue.steps_problems(procedure, [s for s in good if s[0] != "review"]) == [
        "Tổng thời gian các bước (20 giờ) phải bằng thời hạn giải quyết (24 giờ)."
    ]
    foreign = make_department(agency=agency_b, name="Phòng của cơ quan khác", abbreviation="PK")
    moved = [(k, foreign if k == "assign" else d, h) for k, d, h in good]
    assert catalogue.steps_problems(procedure, moved) == [
        "Đơn vị thực hiện phải thuộc cơ quan ban hành thủ tục: Phòng của cơ quan khác."
    ]
