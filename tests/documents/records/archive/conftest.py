from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from documents.records.models import CaseFile, CaseFileItem
from eoffice.models import Role
from tests.factories import make_department, make_user


@pytest.fixture
def arch(agency_a, dept_a, agency_b, dept_b):
    """An agency with an archivist, a leader, a clerk, a unit with its head and two officers, an officer of
    another unit, and an archivist of another agency."""
    unit = make_department(agency=agency_a, name="Phòng Đăng ký kinh doanh", abbreviation="DKKD")
    other_unit = make_department(agency=agency_a, name="Phòng Tổng hợp", abbreviation="TH")
    return {
        "agency": agency_a,
        "unit": unit,
        "other_unit": other_unit,
        "archivist": make_user(agency=agency_a, department=dept_a, roles=[Role.ARCHIVIST], username="luutru"),
        "leader": make_user(agency=agency_a, roles=[Role.LEADER], username="giamdoc"),
        "clerk": make_user(agency=agency_a, department=dept_a, roles=[Role.CLERK], username="vanthu"),
        "head": make_user(
            agency=agency_a, department=unit, roles=[Role.DEPARTMENT_HEAD], username="truongphong"
        ),
        "owner": make_user(agency=agency_a, department=unit, roles=[Role.OFFICER], username="chuyenvien"),
        "colleague": make_user(
            agency=agency_a, department=unit, roles=[Role.OFFICER], username="chuyenvien2"
        ),
        "stranger": make_user(
            agency=agency_a, department=other_unit, roles=[Role.OFFICER], username="tonghop"
        ),
        "other_archivist": make_user(
            agency=agency_b, department=dept_b, roles=[Role.ARCHIVIST], username="b_lt"
        ),
    }


_counter = {"n": 0}


def make_file(
    arch,
    *,
    owner=None,
    status=CaseFile.Status.CLOSED,
    closed_at: datetime | None = None,
    retention: str = "10",
    department=None,
    rights: str = "restricted",
    papers: int = 0,
    **extra,
) -> CaseFile:
    _counter["n"] += 1
    closed_at = closed_at or timezone.now() - timedelta(days=30)
    f = CaseFile.objects.create(
        agency=arch["agency"],
        department=department or arch["unit"],
        year=timezone.localtime(closed_at).year,
        code=f"{_counter['n']:02d}.DKKD",
        title=f"Hồ sơ thử nghiệm số {_counter['n']}",
        retention=retention,
        rights=rights,
        owner=owner or arch["owner"],
        status=status,
        closed_at=closed_at if status != CaseFile.Status.OPEN else None,
        **extra,
    )
    for n in range(1, papers + 1):
        item = CaseFileItem(
            case_file=f,
            kind="paper",
            ordinal=n,
            sort_date=closed_at,
            subject=f"Văn bản {n}",
            added_by=f.owner,
        )
        item.file.save(f"paper-{n}.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
        item.save()
    return f
