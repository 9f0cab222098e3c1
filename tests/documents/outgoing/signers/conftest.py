"""An agency with a head, a deputy, a head and a deputy head of unit, an officer, and agency B's leader."""

from __future__ import annotations

from datetime import date

import pytest

from documents.models import DocumentType
from documents.outgoing.models import SigningAuthorization
from eoffice.models import Role
from tests.factories import make_department, make_user


def doc_type(name: str, abbreviation: str = "") -> DocumentType:
    return DocumentType.objects.get_or_create(name=name, defaults={"abbreviation": abbreviation})[0]


@pytest.fixture
def org(agency_a, agency_b):
    unit = make_department(agency=agency_a, name="Văn phòng Sở", abbreviation="VP")
    return {
        "head": make_user(
            agency=agency_a, roles=[Role.LEADER], full_name="Vũ Đức Thắng", position="Giám đốc"
        ),
        "deputy": make_user(
            agency=agency_a, roles=[Role.LEADER], full_name="Ngô Thị Lan Anh", position="Phó Giám đốc"
        ),
        "unit_head": make_user(
            agency=agency_a,
            department=unit,
            roles=[Role.DEPARTMENT_HEAD],
            full_name="Bùi Văn Hải",
            position="Chánh Văn phòng",
        ),
        "unit_deputy": make_user(
            agency=agency_a,
            department=unit,
            roles=[Role.DEPARTMENT_HEAD],
            full_name="Lê Thị Thu",
            position="Phó Chánh Văn phòng",
        ),
        "officer": make_user(
            agency=agency_a,
            department=unit,
            roles=[Role.OFFICER],
            full_name="Phan Minh Đức",
            position="Chuyên viên",
        ),
        "admin": make_user(agency=agency_a, roles=[Role.AGENCY_ADMIN], full_name="Trịnh Quản Trị"),
        "leader_b": make_user(
            agency=agency_b, roles=[Role.LEADER], full_name="Hồ Văn B", position="Giám đốc"
        ),
        "unit": unit,
    }


def grant(
    org,
    *,
    authority: str,
    grantee,
    agency=None,
    start=date(2026, 12, 1),
    end=date(2026, 12, 31),
    types=(),
    **extra,
):
    record = SigningAuthorization.objects.create(
        agency=agency or grantee.agency,
        authority=authority,
        grantor=org["head"],
        grantee=grantee,
        authority_title=extra.pop("authority_title", "GIÁM ĐỐC"),
        valid_from=start,
        valid_to=end,
        decision_number=extra.pop("decision_number", "15/QĐ-SKHĐT"),
        decision_date=start,
        created_by=org["head"],
        **extra,
    )
    if types:
        record.doc_types.set(types)
    return record
