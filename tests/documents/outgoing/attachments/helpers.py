"""Shared by the attachment tests: a Quyết định draft with an appendix and two attached PDFs."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from documents.outgoing.attachments import services
from documents.outgoing.attachments.services import AppendixFields
from documents.outgoing.models import OutgoingAttachment
from tests.documents.outgoing.helpers import _fields, _type
from tests.signing import samples


def pdf_upload(name: str = "bang-ke.pdf", title: str = "BẢNG KÊ") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, samples.sample_pdf(title=title), content_type="application/pdf")


def decision_fields(office, agency_b, **extra):
    values = {
        "doc_type": _type("Quyết định", "QĐ"),
        "summary": "Ban hành danh mục dự án đầu tư công năm 2027",
        "body": "<p>Điều 1. Ban hành kèm theo Quyết định này danh mục dự án tại Phụ lục.</p>",
        "addressees": "",
        "distribution": "Như Điều 3",
    }
    values.update(extra)
    return _fields(office, agency_b, **values)


def with_appendix_and_files(document, by):
    services.appendix_save(
        document=document,
        by=by,
        fields=AppendixFields(title="Danh mục dự án chuyển tiếp", body="<p>Dự án đường tỉnh 291.</p>"),
    )
    services.attachment_add(
        document=document,
        by=by,
        upload=pdf_upload("ke-hoach.pdf", "KẾ HOẠCH"),
        title="Kế hoạch vốn năm 2027",
        kind=OutgoingAttachment.Kind.DOCUMENT,
    )
    services.attachment_add(
        document=document,
        by=by,
        upload=pdf_upload("bang-ke.pdf", "BẢNG KÊ"),
        title="Bảng kê dự án",
        kind=OutgoingAttachment.Kind.MATERIAL,
    )
