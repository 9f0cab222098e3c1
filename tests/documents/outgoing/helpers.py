"""Shared by the outgoing tests: an agency office with signing credentials, draft fields, a document
brought to the signer's queue."""

from __future__ import annotations

import io

import pytest

from documents.models import DocumentType
from documents.outgoing import services
from documents.outgoing.models import OutgoingDocument
from documents.outgoing.services import DraftFields
from eoffice.models import Role
from tests.factories import make_department, make_user
from tests.signing import samples
from tests.signing.factories import make_credential

PIN = "123456"


def _text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def office(agency_a, agency_b, authority):  # noqa: F811
    """Agency A with a clerk (seal credential), a leader (credential), a unit head and an officer."""
    from django.core.files.base import ContentFile

    agency_a.seal_image.save("seal.png", ContentFile(samples.seal_png()), save=True)
    unit = make_department(agency=agency_a, name="Phòng Kinh tế", abbreviation="KT")
    leader = make_user(agency=agency_a, roles=[Role.LEADER], full_name="Vũ Đức Thắng", position="Giám đốc")
    leader.signature_image.save("sig.png", ContentFile(samples.signature_png()), save=True)
    people = {
        "clerk": make_user(agency=agency_a, roles=[Role.CLERK], full_name="Đặng Thị Hương"),
        "leader": leader,
        "head": make_user(
            agency=agency_a, department=unit, roles=[Role.DEPARTMENT_HEAD], full_name="Bùi Văn Hải"
        ),
        "officer": make_user(
            agency=agency_a, department=unit, roles=[Role.OFFICER], full_name="Phan Minh Đức"
        ),
        "outsider": make_user(agency=agency_a, roles=[Role.OFFICER], full_name="Trần Văn Ngoài"),
        "clerk_b": make_user(agency=agency_b, roles=[Role.CLERK], full_name="Lý Thị Nhận"),
        "unit": unit,
    }
    make_credential(authority=authority, agency=agency_a, owner=leader)
    make_credential(authority=authority, agency=agency_a, owner=None)
    return people


def _type(name: str, abbreviation: str = "") -> DocumentType:
    # get_or_create: a transactional test's flush removes the types the data migration made.
    return DocumentType.objects.get_or_create(name=name, defaults={"abbreviation": abbreviation})[0]


def _fields(office, agency_b, **extra) -> DraftFields:
    values = {
        "doc_type": _type("Công văn"),
        "summary": "Đề nghị phối hợp rà soát danh mục dự án đầu tư công năm 2027",
        "body": "<p>Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh, đề nghị Quý cơ quan phối hợp.</p>",
        "addressees": agency_b.name,
        "distribution": "Như trên",
        "signer": office["leader"],
        "recipient_agencies": [agency_b],
        "external_recipients": "Công ty Cổ phần Minh Phát <vanthu@minhphat.example>",
    }
    values.update(extra)
    return DraftFields(**values)


def _to_signing(office, agency_b, **extra) -> OutgoingDocument:
    doc = services.draft_create(by=office["officer"], fields=_fields(office, agency_b, **extra))
    doc = services.draft_submit(document=doc, by=office["officer"], reviewer=office["head"])
    return services.draft_approve(document=doc, by=office["head"])
