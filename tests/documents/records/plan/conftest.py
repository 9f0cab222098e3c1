"""Shared by the file-plan tests: an agency office (clerk, admin, the head and a deputy, a unit with its
head and an officer), another agency's clerk, and a plan built through the services."""

from __future__ import annotations

import pytest

from documents.models import DocumentType
from documents.records.models import FilePlan, Retention
from documents.records.plan import services
from eoffice.models import Role
from tests.factories import make_department, make_user


@pytest.fixture
def org(agency_a, agency_b, dept_a):
    unit = make_department(agency=agency_a, name="Phòng Kế hoạch - Tài chính", abbreviation="KHTC")
    DocumentType.objects.get_or_create(name="Quyết định", defaults={"abbreviation": "QĐ"})
    return {
        "office": dept_a,
        "unit": unit,
        "clerk": make_user(
            agency=agency_a, department=dept_a, roles=[Role.CLERK], full_name="Đặng Thị Hương"
        ),
        "admin": make_user(
            agency=agency_a, department=dept_a, roles=[Role.AGENCY_ADMIN], full_name="Lê Văn Quản"
        ),
        "head": make_user(
            agency=agency_a, roles=[Role.LEADER], full_name="Vũ Đức Thắng", position="Giám đốc"
        ),
        "deputy": make_user(
            agency=agency_a, roles=[Role.LEADER], full_name="Nguyễn Văn An", position="Phó Giám đốc"
        ),
        "unit_head": make_user(
            agency=agency_a, department=unit, roles=[Role.DEPARTMENT_HEAD], full_name="Bùi Văn Hải"
        ),
        "officer": make_user(
            agency=agency_a, department=unit, roles=[Role.OFFICER], full_name="Phan Minh Đức"
        ),
        "stranger": make_user(
            agency=agency_a, department=dept_a, roles=[Role.OFFICER], full_name="Trần Văn Ngoài"
        ),
        "clerk_b": make_user(agency=agency_b, roles=[Role.CLERK], full_name="Lý Thị Nhận"),
    }


def build_plan(org, *, year: int = 2027, numbering: str = FilePlan.Numbering.PLAN) -> dict:
    """I. TỔ CHỨC CÁN BỘ (TCCB): 2 files, one of them in the small heading 1. Tuyển dụng;
    II. KẾ HOẠCH TÀI CHÍNH (KHTC): 2 files (one permanent), responsible the unit's officer."""
    clerk = org["clerk"]
    plan = services.plan_create(by=clerk, year=year, numbering=numbering)
    tccb = services.heading_save(by=clerk, plan=plan, title="Tổ chức cán bộ", abbreviation="tccb")
    hiring = services.heading_save(by=clerk, plan=plan, title="Tuyển dụng", parent=tccb)
    khtc = services.heading_save(
        by=clerk, plan=plan, title="Kế hoạch tài chính", abbreviation="KHTC", department=org["unit"]
    )
    e1 = services.entry_save(
        by=clerk, plan=plan, heading=tccb, title="Hồ sơ quy hoạch cán bộ", retention=Retention.PERMANENT
    )
    e2 = services.entry_save(
        by=clerk, plan=plan, heading=hiring, title="Hồ sơ tuyển dụng viên chức", retention=Retention.Y20
    )
    e3 = services.entry_save(
        by=clerk,
        plan=plan,
        heading=khtc,
        title="Kế hoạch đầu tư công năm 2027",
        retention=Retention.PERMANENT,
        responsible=org["officer"],
    )
    e4 = services.entry_save(
        by=clerk, plan=plan, heading=khtc, title="Hồ sơ quyết toán ngân sách", retention=Retention.Y10
    )
    return {"plan": plan, "tccb": tccb, "hiring": hiring, "khtc": khtc, "entries": [e1, e2, e3, e4]}


def codes(plan) -> list[str]:
    from documents.records.plan import selectors

    return [e.code for e in selectors.layout(plan).entries]
