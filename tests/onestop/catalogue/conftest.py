"""Shared by the catalogue tests: an agency's catalogue using every column, a workbook built by hand, the
catalogue as natural keys to compare two states."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from onestop import catalogue
from onestop.models import Procedure, ProcedureField, ProcedureStep, RequiredPaper
from tests.onestop.conftest import make_procedure


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


def workbook_bytes(procedures, papers=(), steps=()) -> bytes:
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
