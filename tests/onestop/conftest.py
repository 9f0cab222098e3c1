# ruff: noqa: E501
"""Shared fixtures of the one-stop tests: an agency with a counter, a unit, its people and a procedure.

``advance(dossier, state, people)`` drives a received dossier through the services up to ``state``.
"""

from __future__ import annotations

import functools
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from eoffice.models import Role
from onestop import services
from onestop.models import DossierState, Procedure, ProcedureField, ProcedureStep, RequiredPaper
from tests.factories import make_department, make_user


@functools.cache
def pdf_bytes(text: str = "Kết quả giải quyết") -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<html><body><h1>{text}</h1><p>Giấy chứng nhận.</p></body></html>").write_pdf()


def pdf_upload(name: str = "ketqua.pdf", text: str = "Kết quả giải quyết") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")


def jpeg_upload(name: str = "scan.jpg") -> SimpleUploadedFile:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (200, 280), (250, 250, 250)).save(buf, format="JPEG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


@pytest.fixture
def people(agency_a):
    counter = make_department(agency=agency_a, name="Bộ phận Một cửa", abbreviation="MC")
    unit = make_department(agency=agency_a, name="Phòng Đăng ký kinh doanh", abbreviation="DKKD")
    other = make_department(agency=agency_a, name="Phòng Tổng hợp", abbreviation="TH")
    return {
        "counter": counter,
        "unit": unit,
        "other_unit": other,
        "onestop": make_user(
            agency=agency_a, department=counter, roles=[Role.ONESTOP_OFFICER], full_name="Lý Thị Ngọc Ánh"
        ),
        "head": make_user(
            agency=agency_a, department=unit, roles=[Role.DEPARTMENT_HEAD], full_name="Bùi Văn Hải"
        ),
        "officer": make_user(
            agency=agency_a, department=unit, roles=[Role.OFFICER], full_name="Phan Minh Đức"
        ),
        "officer2": make_user(
            agency=agency_a, department=other, roles=[Role.OFFICER], full_name="Trịnh Thị Mai"
        ),
        "leader": make_user(
            agency=agency_a, roles=[Role.LEADER], full_name="Vũ Đức Thắng", position="Giám đốc"
        ),
    }


def make_procedure(
    agency, *, unit=None, days: int = 3, review: bool = True, code: str = "2.001610", online=True
):
    field, _created = ProcedureField.objects.get_or_create(
        code="DN", defaults={"name": "Thành lập và hoạt động doanh nghiệp"}
    )
    procedure = Procedure.objects.create(
        agency=agency,
        code=code,
        name="Đăng ký thành lập doanh nghiệp tư nhân",
        field=field,
        time_value=Decimal(days),
        fee_amount=50000,
        result_name="Giấy chứng nhận đăng ký doanh nghiệp",
        handling_department=unit,
        online_level="full" if online else "offline",
    )
    RequiredPaper.objects.create(procedure=procedure, order=1, name="Giấy đề nghị đăng ký doanh nghiệp")
    RequiredPaper.objects.create(
        procedure=procedure, order=2, name="Bản sao giấy tờ pháp lý của chủ doanh nghiệp", kind="copy"
    )
    RequiredPaper.objects.create(procedure=procedure, order=3, name="Văn bản ủy quyền", mandatory=False)
    hours = {"receive": 2, "assign": 2, "process": 12, "review": 4, "approve": 2, "return": 2}
    if not review:
        hours["process"] += hours.pop("review")
    total = sum(hours.values())
    hours["process"] += days * 8 - total
    for kind, value in hours.items():
        ProcedureStep.objects.create(procedure=procedure, kind=kind, hours=Decimal(value), department=unit)
    return procedure


@pytest.fixture
def procedure(agency_a, people):
    return make_procedure(agency_a, unit=people["unit"])


def all_papers(procedure) -> list[services.PaperInput]:
    return [services.PaperInput(name=p.name, required=p, kind=p.kind) for p in procedure.papers.all()]


def receive(procedure, people, *, now=None, email: str = "an.nguyen@example.com", **extra):
    kwargs = {
        "by": people["onestop"],
        "procedure": procedure,
        "applicant": services.Applicant(
            name="Nguyễn Văn An",
            id_number="001086012345",
            address="Số 5 Lê Lợi",
            phone="0912345678",
            email=email,
        ),
        "channel": "counter",
        "papers": all_papers(procedure),
        "outcome": services.OUTCOME_VALID,
        "now": now,
    }
    kwargs.update(extra)
    return services.dossier_receive(**kwargs)


def advance(dossier, state: str, people, *, now=None):
    """Drive a received dossier forward through the services until it reaches ``state`` (every step at
    ``now`` when given, else at the real time)."""
    order = [
        DossierState.RECEIVED,
        DossierState.UNIT,
        DossierState.PROCESSING,
        DossierState.REVIEW,
        DossierState.APPROVAL,
        DossierState.RETURNING,
        DossierState.RETURNED,
    ]
    # fmt: off
    steps = {
        DossierState.RECEIVED: lambda d: services.dossier_hand_to_unit(dossier=d, by=people["onestop"], department=people["unit"], now=now),
        DossierState.UNIT: lambda d: services.dossier_assign(dossier=d, by=people["head"], officer=people["officer"], now=now),
        DossierState.PROCESSING: lambda d: services.dossier_submit(
            dossier=d, by=people["officer"], result_file=pdf_upload(), result_number="0101234567", leader=people["leader"], now=now
        ),
        DossierState.REVIEW: lambda d: services.dossier_forward(dossier=d, by=people["head"], leader=people["leader"], now=now),
        DossierState.APPROVAL: lambda d: services.dossier_approve(dossier=d, by=people["leader"], sign=False, now=now),
        DossierState.RETURNING: lambda d: services.dossier_hand_over(dossier=d, by=people["onestop"], returned_to="Nguyễn Văn An", now=now),
    }
    # fmt: on
    while dossier.state != state:
        if dossier.state not in steps:
            raise AssertionError(f"cannot advance from {dossier.state} to {state}")
        dossier = steps[dossier.state](dossier)
        if order.index(dossier.state) > order.index(state):
            raise AssertionError(f"went past {state}")
    return dossier
