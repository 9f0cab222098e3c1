from __future__ import annotations

import functools
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from documents.incoming import services
from documents.models import DocumentType
from eoffice.models import Role
from tests.factories import make_department, make_user


@functools.cache
def pdf_bytes(text: str = "Công văn thử nghiệm") -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<html><body><h1>{text}</h1><p>Nội dung văn bản.</p></body></html>").write_pdf()


def pdf_upload(name: str = "congvan.pdf", text: str = "Công văn thử nghiệm") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")


def jpeg_upload(name: str = "scan.jpg") -> SimpleUploadedFile:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (200, 280), (250, 250, 250)).save(buf, format="JPEG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def receive(clerk, *, n: int = 1, **extra):
    kwargs = {
        "by": clerk,
        "main_files": [pdf_upload(text=f"Văn bản {n} {extra.get('number_symbol', '')}")],
        "issuer_name": "Ủy ban nhân dân tỉnh An Hòa",
        "number_symbol": f"{n:02d}/UBND-KT",
        "issued_date": date(2026, 1, 2),
        "doc_type": DocumentType.objects.get_or_create(name="Công văn")[0],
        "summary": f"V/v triển khai kế hoạch số {n}",
        "received_at": timezone.now(),
        "allow_duplicate": True,
    }
    kwargs.update(extra)
    return services.incoming_receive(**kwargs)


@pytest.fixture
def people(agency_a, dept_a):
    """A small agency: clerk, two leaders, a unit with its head and two officers, another unit."""
    unit = make_department(agency=agency_a, name="Phòng Đăng ký kinh doanh", abbreviation="DKKD")
    other = make_department(agency=agency_a, name="Phòng Tổng hợp", abbreviation="TH")
    return {
        "clerk": make_user(
            agency=agency_a, department=dept_a, roles=[Role.CLERK], full_name="Đặng Thị Hương"
        ),
        "leader": make_user(agency=agency_a, roles=[Role.LEADER], full_name="Vũ Đức Thắng"),
        "deputy": make_user(agency=agency_a, roles=[Role.LEADER], full_name="Ngô Thị Lan Anh"),
        "head": make_user(
            agency=agency_a, department=unit, roles=[Role.DEPARTMENT_HEAD], full_name="Bùi Văn Hải"
        ),
        "officer": make_user(
            agency=agency_a, department=unit, roles=[Role.OFFICER], full_name="Phan Minh Đức"
        ),
        "officer2": make_user(agency=agency_a, department=unit, roles=[Role.OFFICER], full_name="Lê Văn Nam"),
        "other_head": make_user(agency=agency_a, department=other, roles=[Role.DEPARTMENT_HEAD]),
        "other_officer": make_user(agency=agency_a, department=other, roles=[Role.OFFICER]),
        "unit": unit,
        "other_unit": other,
    }


@pytest.fixture
def people_b(agency_b, dept_b):
    return {
        "clerk": make_user(agency=agency_b, department=dept_b, roles=[Role.CLERK]),
        "leader": make_user(agency=agency_b, roles=[Role.LEADER]),
        "officer": make_user(agency=agency_b, department=dept_b, roles=[Role.OFFICER]),
    }
