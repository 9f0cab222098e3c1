"""The download views: access first (404 to another agency and to a reader without a right), the read logged,
the archived file readable by the archivist and by a borrower, who gets its documents through the file."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from documents.records.models import BorrowRequest, CaseFile
from eoffice.models import AccessEvent

pytestmark = pytest.mark.django_db

CASE_FILE_VIEWS = ("casefile_toc_pdf", "casefile_export_pdf", "casefile_export_zip")
TRANSFER_VIEWS = ("transfer_list_pdf", "transfer_record_pdf")


def _login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _archive(case_file):
    CaseFile.objects.filter(pk=case_file.pk).update(
        status=CaseFile.Status.ARCHIVED, archived_at=timezone.now(), closed_at=timezone.now()
    )


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_owner_downloads_every_output_and_each_read_is_logged(case_file, people, client):
    _login(client, people["officer"])
    expected = {
        "casefile_toc_pdf": "application/pdf",
        "casefile_export_pdf": "application/pdf",
        "casefile_export_zip": "application/zip",
    }
    for name, content_type in expected.items():
        response = client.get(reverse(f"documents:{name}", args=[case_file.pk]))
        assert response.status_code == 200, name
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"].endswith("-2026-05-dkkd." + content_type.split("/")[1] + '"')
    merged = PdfReader(
        io.BytesIO(_body(client.get(reverse("documents:casefile_export_pdf", args=[case_file.pk]))))
    )
    assert len(merged.pages) == 9
    for page in merged.pages:  # the copy served carries the print mark on every page
        assert "Bản in từ hệ thống eOffice — Phan Minh Đức" in page.extract_text()
    actions = list(
        AccessEvent.objects.filter(kind="casefile", object_id=case_file.pk, user=people["officer"])
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["print", "export", "export", "export"]


@pytest.mark.parametrize("name", CASE_FILE_VIEWS)
def test_another_agency_gets_404(case_file, people_b, client, name):
    _login(client, people_b["leader"])
    assert client.get(reverse(f"documents:{name}", args=[case_file.pk])).status_code == 404
    assert not AccessEvent.objects.filter(kind="casefile", object_id=case_file.pk).exists()


def test_anonymous_is_sent_to_login(case_file, client):
    response = client.get(reverse("documents:casefile_export_zip", args=[case_file.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_archived_file_archivist_reads_others_need_a_loan(case_file, people, archivist, client):
    _archive(case_file)
    url = reverse("documents:casefile_export_zip", args=[case_file.pk])
    borrower = people["other_officer"]  # another unit: sees neither the file nor the incoming letter
    _login(client, borrower)
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("documents:incoming_detail", args=[case_file.incoming_doc.pk])).status_code == 404
    )

    _login(client, archivist)
    response = client.get(reverse("documents:casefile_export_pdf", args=[case_file.pk]))
    assert response.status_code == 200
    assert len(PdfReader(io.BytesIO(_body(response))).pages) == 9

    BorrowRequest.objects.create(
        case_file=case_file,
        requester=borrower,
        purpose="Tra cứu",
        status=BorrowRequest.Status.APPROVED,
        until=timezone.localdate() + timedelta(days=3),
        decided_by=archivist,
        decided_at=timezone.now(),
    )
    _login(client, borrower)
    response = client.get(url)
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(_body(response)))
    assert "files/001-1-cv7.pdf" in archive.namelist()  # the letter, read through the borrowed file
    assert (
        AccessEvent.objects.filter(
            kind="casefile", object_id=case_file.pk, user=borrower, action="export"
        ).count()
        == 1
    )

    BorrowRequest.objects.filter(requester=borrower).update(until=timezone.localdate() - timedelta(days=1))
    assert client.get(url).status_code == 404


def test_list_of_files_for_a_year_and_unit(case_file, people, client):
    CaseFile.objects.create(
        agency=case_file.agency,
        department=people["other_unit"],
        year=2026,
        code="01.TH",
        title="Hồ sơ tổng hợp",
        retention="10",
        owner=people["other_officer"],
    )
    _login(client, people["clerk"])
    url = reverse("documents:casefile_list_pdf")
    response = client.get(url, {"year": "2026", "department": people["unit"].pk})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
    assert "MỤC LỤC HỒ SƠ" in text and "Phòng Đăng ký kinh doanh" in text and "05.ĐKKD" in text
    assert "01.TH" not in text
    whole = " ".join(
        PdfReader(io.BytesIO(client.get(url, {"year": "2026"}).content)).pages[0].extract_text().split()
    )
    assert "05.ĐKKD" in whole and "01.TH" in whole and "Viết bằng chữ: hai hồ sơ" in whole


def test_list_of_files_only_what_the_reader_sees(case_file, people, client):
    _login(client, people["other_officer"])  # another unit: the 05.ĐKKD file is not theirs
    text = PdfReader(io.BytesIO(client.get(reverse("documents:casefile_list_pdf"), {"year": "2026"}).content))
    assert "05.ĐKKD" not in text.pages[0].extract_text()


def test_list_of_files_bad_input_gets_a_message(case_file, people, people_b, client):
    _login(client, people["clerk"])
    url = reverse("documents:casefile_list_pdf")
    for params in ({"year": "hai nghìn"}, {"year": "2026", "department": people_b["clerk"].department_id}):
        response = client.get(url, params, follow=True)
        assert response.redirect_chain and response.redirect_chain[0][0] == reverse("documents:casefile_list")
        messages = [str(m) for m in response.context["messages"]]
        assert messages and ("Năm không hợp lệ" in messages[0] or "Không tìm thấy đơn vị" in messages[0])


@pytest.mark.parametrize("name", TRANSFER_VIEWS)
def test_transfer_outputs_access(transfer, people, people_b, archivist, client, name):
    url = reverse(f"documents:{name}", args=[transfer.pk])
    for user in (people["officer"], archivist, people["head"]):
        _login(client, user)
        response = client.get(url)
        assert response.status_code == 200, user
        assert response["Content-Type"] == "application/pdf"
    for user in (people["officer2"], people["other_head"], people_b["leader"]):
        _login(client, user)
        assert client.get(url).status_code == 404, user
