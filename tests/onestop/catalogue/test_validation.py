"""The step checks the admin and the import share."""

from __future__ import annotations

from decimal import Decimal

import pytest

from onestop import catalogue
from tests.factories import make_department
from tests.onestop.conftest import make_procedure

pytestmark = pytest.mark.django_db


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
