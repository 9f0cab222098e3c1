"""Secret incoming documents at or above the agency's metadata-only level (default Tối mật) are registered
without any file: the form takes no file (and says why), the place of the paper original is required, the
page shows that place and no viewer; below that level (or when the agency turns it off) files are kept."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from documents.common import Confidentiality, TextStatus
from documents.incoming import services
from documents.models import DocumentType, IncomingDocument
from tests.documents.conftest import pdf_upload, receive

pytestmark = pytest.mark.django_db


def _top_secret(people, **extra):
    kwargs = {
        "n": 1,
        "main_files": [],
        "confidentiality": Confidentiality.TOP_SECRET,
        "directing_leader": people["leader"],
        "paper_location": "Tủ mật số 2, phòng Văn thư",
    }
    kwargs.update(extra)
    return receive(people["clerk"], **kwargs)


def test_top_secret_is_registered_without_a_file(people):
    doc = _top_secret(people)
    assert doc.number == 1 and doc.register.is_secret
    assert not doc.file and doc.file_name == "" and doc.file_sha256 == ""
    assert doc.paper_location == "Tủ mật số 2, phòng Văn thư"
    assert doc.text_status == TextStatus.NONE


def test_a_file_for_such_a_level_is_refused_and_nothing_saved(people):
    with pytest.raises(ValidationError) as exc:
        _top_secret(people, main_files=[pdf_upload()])
    assert "không lưu tệp" in " ".join(exc.value.message_dict["main_files"])
    with pytest.raises(ValidationError) as exc:
        _top_secret(people, attachments=[pdf_upload("pl.pdf")])
    assert "main_files" in exc.value.message_dict
    assert not IncomingDocument.objects.exists()


def test_paper_location_is_required(people):
    with pytest.raises(ValidationError) as exc:
        _top_secret(people, paper_location="  ")
    assert "nơi lưu bản giấy" in " ".join(exc.value.message_dict["paper_location"])
    assert not IncomingDocument.objects.exists()


def test_below_the_level_the_file_is_kept(people):
    doc = receive(
        people["clerk"], n=1, confidentiality=Confidentiality.SECRET, directing_leader=people["leader"]
    )
    assert doc.file and doc.file_sha256


def test_agency_level_moves_the_line(people):
    agency = people["clerk"].agency
    agency.secret_metadata_only_from = 1
    agency.save(update_fields=["secret_metadata_only_from"])
    people["clerk"].refresh_from_db()
    with pytest.raises(ValidationError):
        receive(
            people["clerk"], n=1, confidentiality=Confidentiality.SECRET, directing_leader=people["leader"]
        )
    agency.secret_metadata_only_from = 4  # not applied: every level keeps its file
    agency.save(update_fields=["secret_metadata_only_from"])
    people["clerk"].refresh_from_db()
    doc = receive(
        people["clerk"], n=2, confidentiality=Confidentiality.ULTRA_SECRET, directing_leader=people["leader"]
    )
    assert doc.file


def test_no_attachments_can_be_added_later(people):
    doc = _top_secret(people)
    with pytest.raises(ValidationError) as exc:
        services.incoming_add_attachments(document=doc, by=people["clerk"], files=[pdf_upload("pl.pdf")])
    assert "không lưu tệp" in " ".join(exc.value.messages)
    assert not doc.attachments.exists()


# ---- through the pages --------------------------------------------------------------------------------


def _form(people, **extra):
    data = {
        "issuer_name": "Bộ Công an",
        "number_symbol": "15/BCA-A03",
        "issued_date": "2026-01-05",
        "doc_type": DocumentType.objects.get_or_create(name="Công văn")[0].pk,
        "summary": "V/v bảo vệ bí mật nhà nước",
        "urgency": "0",
        "confidentiality": str(Confidentiality.TOP_SECRET),
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "channel": "paper",
        "directing_leader": people["leader"].pk,
        "register_now": "on",
        "paper_location": "Tủ mật số 2, phòng Văn thư",
    }
    data.update(extra)
    return data


def test_form_registers_top_secret_with_paper_location_and_the_page_shows_it(people, client):
    client.force_login(people["clerk"])
    form_page = client.get(reverse("documents:incoming_create")).content.decode()
    assert "Nơi lưu bản giấy" in form_page and "Tối mật trở lên không tải tệp lên" in form_page
    response = client.post(reverse("documents:incoming_create"), _form(people))
    assert response.status_code == 302, response.content.decode()[:2000]
    doc = IncomingDocument.objects.get()
    assert not doc.file and doc.register.is_secret
    client.force_login(people["leader"])
    body = client.get(doc.get_absolute_url()).content.decode()
    assert 'data-testid="metadata-only"' in body and "Tủ mật số 2, phòng Văn thư" in body
    assert reverse("documents:incoming_file", args=[doc.pk]) not in body
    assert 'data-testid="files-destroyed"' not in body
    # nothing said about a file that was never held
    assert "Mã SHA-256" not in body and 'data-testid="signature-status"' not in body
    assert client.get(reverse("documents:incoming_file", args=[doc.pk])).status_code == 404


def test_form_refuses_a_file_and_requires_the_place(people, client):
    client.force_login(people["clerk"])
    body = client.post(
        reverse("documents:incoming_create"), _form(people, main_files=pdf_upload(), paper_location="")
    ).content.decode()
    assert "không lưu tệp trên hệ thống" in body
    assert "Vui lòng nhập nơi lưu bản giấy" in body
    assert not IncomingDocument.objects.exists()


def test_form_still_requires_a_file_for_ordinary_documents(people, client):
    client.force_login(people["clerk"])
    response = client.post(
        reverse("documents:incoming_create"), _form(people, confidentiality="0", paper_location="")
    )
    assert response.status_code == 200 and "Vui lòng chọn tệp văn bản." in response.content.decode()
    assert not IncomingDocument.objects.exists()


def test_held_without_a_file_stays_so_when_the_agency_lowers_its_level(people):
    doc = _top_secret(people)
    agency = people["clerk"].agency
    agency.secret_metadata_only_from = 4  # not applied: every level may carry a file again
    agency.save(update_fields=["secret_metadata_only_from"])
    people["clerk"].refresh_from_db()
    with pytest.raises(ValidationError):
        services.incoming_add_attachments(document=doc, by=people["clerk"], files=[pdf_upload("pl.pdf")])
    assert not doc.attachments.exists()
