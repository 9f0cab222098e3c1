"""Hostile uploads posted through the real incoming-document form: a decompression-bomb scan as the main
file, a truncated PDF and a zip bomb named .docx as attachments. Each is refused with a Vietnamese
message and nothing is saved (no record, no stored file). The outgoing draft upload is checked too."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from documents.incoming import services
from documents.models import DocumentType, IncomingAttachment, IncomingDocument
from documents.outgoing.forms import DraftForm
from documents.registers import numbering
from tests.bombs import png_bomb, truncated_pdf, zip_bomb
from tests.documents.conftest import pdf_upload, receive

pytestmark = pytest.mark.django_db


def _form_data(clerk, **files) -> dict:
    return {
        "issuer_name": "Ủy ban nhân dân tỉnh An Hòa",
        "number_symbol": "15/UBND-KT",
        "issued_date": "2026-01-02",
        "doc_type": DocumentType.objects.get_or_create(name="Công văn")[0].pk,
        "summary": "V/v triển khai kế hoạch",
        "urgency": "0",
        "confidentiality": "0",
        "received_at": "2026-01-05T08:00",
        "channel": "paper",
        "register": numbering.default_register(agency=clerk.agency).pk,
        "main_files": pdf_upload(),
        **files,
    }


def _post(client, clerk, **files):
    client.force_login(clerk, backend="django.contrib.auth.backends.ModelBackend")
    return client.post(reverse("documents:incoming_create"), _form_data(clerk, **files))


def _nothing_saved(settings) -> None:
    assert not IncomingDocument.objects.exists() and not IncomingAttachment.objects.exists()
    assert not [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def test_png_bomb_as_the_main_file_is_refused_not_a_server_error(people, client, settings):
    response = _post(client, people["clerk"], main_files=png_bomb("cong-van.png"))
    assert response.status_code == 200
    assert "Ảnh có kích thước quá lớn (tối đa 40 triệu điểm ảnh)" in response.content.decode()
    _nothing_saved(settings)


def test_truncated_pdf_as_an_attachment_is_refused(people, client, settings):
    response = _post(client, people["clerk"], attachments=truncated_pdf("phu-luc.pdf"))
    assert response.status_code == 200
    assert "Tệp PDF bị hỏng, không đọc được" in response.content.decode()
    _nothing_saved(settings)


def test_zip_bomb_named_docx_as_an_attachment_is_refused(people, client, settings):
    response = _post(client, people["clerk"], attachments=zip_bomb("phu-luc.docx"))
    assert response.status_code == 200
    assert "khi giải nén lớn hơn 100 MB" in response.content.decode()
    _nothing_saved(settings)


@pytest.mark.parametrize("bad", [truncated_pdf, zip_bomb, png_bomb])
def test_attachments_added_later_are_checked_the_same_way(people, settings, bad):
    document = receive(people["clerk"])
    stored = {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}
    with pytest.raises(ValidationError):
        services.incoming_add_attachments(document=document, by=people["clerk"], files=[bad()])
    assert not document.attachments.exists()
    assert {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()} == stored


@pytest.mark.parametrize(
    "bad,message",
    [(zip_bomb, "khi giải nén lớn hơn 100 MB"), (truncated_pdf, "Tệp PDF bị hỏng")],
)
def test_outgoing_draft_upload_is_checked_by_the_form(people, bad, message):
    field = DraftForm.base_fields["upload"]
    with pytest.raises(ValidationError) as info:
        field.clean(bad("du-thao.docx" if bad is zip_bomb else "du-thao.pdf"))
    assert message in " ".join(info.value.messages)
