"""A case file of agency A with an incoming document (a PDF and a PNG attachment), a two-page paper and a
scanned JPEG, for the outputs' tests."""

from __future__ import annotations

import functools
import io
from datetime import date, datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from documents.records import kinds
from documents.records.models import CaseFile, CaseFileItem, Transfer
from eoffice.models import Role
from tests.documents.conftest import receive
from tests.factories import make_user


@functools.cache
def pdf_of(pages: int, text: str = "Trang") -> bytes:
    from weasyprint import HTML

    body = "".join(
        f'<section style="page-break-after: always"><h1>{text} {n}</h1></section>'
        for n in range(1, pages + 1)
    )
    return HTML(string=f"<html><body>{body}</body></html>").write_pdf()


def image_bytes(fmt: str) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (420, 600), (235, 240, 250)).save(buf, format=fmt)
    return buf.getvalue()


def aware(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 9, 0))


def add_paper(case_file, *, ordinal, name, data, subject, by, day, **extra):
    item = CaseFileItem(
        case_file=case_file,
        kind=kinds.PAPER,
        ordinal=ordinal,
        sort_date=aware(day),
        issued_date=day,
        subject=subject,
        file_name=name,
        added_by=by,
        **extra,
    )
    item.file.save(name, ContentFile(data), save=False)
    item.save()
    return item


@pytest.fixture
def incoming_kind():
    """The incoming kind as DocumentsConfig registers it (helper 2's registration may not be wired yet)."""
    from documents.records import records_incoming

    try:
        kinds.get("incoming")
    except KeyError:
        records_incoming.register()
    return kinds.get("incoming")


@pytest.fixture
def case_file(people, incoming_kind):
    clerk, officer = people["clerk"], people["officer"]
    from django.core.files.uploadedfile import SimpleUploadedFile

    doc = receive(
        clerk,
        n=7,
        main_files=[SimpleUploadedFile("cv7.pdf", pdf_of(3, "Công văn 07"), content_type="application/pdf")],
        attachments=[SimpleUploadedFile("so-do.png", image_bytes("PNG"), content_type="image/png")],
        signer_name="Lê Văn Tỉnh",
    )
    cf = CaseFile.objects.create(
        agency=officer.agency,
        department=people["unit"],
        year=2026,
        code="05.ĐKKD",
        title="Hồ sơ về việc cấp giấy chứng nhận đăng ký doanh nghiệp năm 2026",
        retention="20",
        owner=officer,
        description="Hồ sơ điện tử",
    )
    snap = incoming_kind.snapshot(doc)
    CaseFileItem.objects.create(
        case_file=cf, kind="incoming", object_id=doc.pk, ordinal=1, added_by=officer, **snap.as_fields()
    )
    add_paper(
        cf,
        ordinal=2,
        name="Tờ trình số 12.pdf",
        data=pdf_of(2, "Tờ trình"),
        subject="Tờ trình đề nghị cấp",
        by=officer,
        day=date(2026, 2, 10),
        type_name="Tờ trình",
        code_number="12",
        code_notation="TTr-ĐKKD",
        organ_name="Phòng Đăng ký kinh doanh",
        signer_position="Trưởng phòng",
        signer_name="Bùi Văn Hải",
    )
    add_paper(
        cf,
        ordinal=3,
        name="ảnh chụp biên nhận.jpg",
        data=image_bytes("JPEG"),
        subject="Giấy biên nhận hồ sơ",
        by=officer,
        day=date(2026, 3, 1),
        type_name="Giấy biên nhận",
        organ_name="Bộ phận một cửa",
    )
    add_paper(
        cf,
        ordinal=4,
        name="ghi-chu.txt",
        data=b"ghi chu",
        subject="Ghi chú làm việc",
        by=officer,
        day=date(2026, 3, 5),
        description="Bản ghi chú",
    )
    cf.doc_total, cf.page_total = 4, 6
    cf.save(update_fields=["doc_total", "page_total"])
    cf.incoming_doc = doc
    return cf


@pytest.fixture
def archivist(agency_a):
    return make_user(
        agency=agency_a, roles=[Role.ARCHIVIST], full_name="Trịnh Thu Trang", position="Lưu trữ viên"
    )


@pytest.fixture
def transfer(case_file, people, archivist):
    other = CaseFile.objects.create(
        agency=case_file.agency,
        department=people["unit"],
        year=2026,
        code="06.ĐKKD",
        title="Hồ sơ thay đổi đăng ký doanh nghiệp",
        retention="permanent",
        owner=people["officer"],
        page_total=4,
    )
    people["officer"].position = "Chuyên viên"
    people["officer"].save(update_fields=["position"])
    t = Transfer.objects.create(
        agency=case_file.agency,
        department=people["unit"],
        submitted_by=people["officer"],
        note="Tài liệu đầy đủ, tệp tin đọc được",
        file_ids=[case_file.pk, other.pk],
        status=Transfer.Status.ACCEPTED,
        decided_by=archivist,
        decided_at=timezone.now(),
    )
    CaseFile.objects.filter(pk__in=t.file_ids).update(transfer=t)
    return t
