"""The text of PDFs (main files, attachments, outgoing and delivered documents), scanned files, the statuses,
and the backfill command."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction

from documents.incoming import services
from documents.models import IncomingDocument, TextStatus
from documents.search import extract
from tests.documents.conftest import jpeg_upload, pdf_bytes, pdf_upload, receive
from tests.documents.search.conftest import (
    client_for,
    extract_text,
    find_page,
    make_draft,
    result_ids,
)


def test_full_text_of_the_pdf_is_searchable_after_the_task(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        doc = receive(
            people["clerk"],
            summary="Công văn số 5",
            main_files=[pdf_upload(text="Hội nghị xúc tiến đầu tư vào khu kinh tế cửa khẩu")],
        )
    doc.refresh_from_db()
    assert doc.text_status == TextStatus.TEXT
    assert "Hội nghị xúc tiến đầu tư" in doc.text_content
    assert "hoi nghi xuc tien dau tu" in doc.text_folded
    html = find_page(client_for(people["clerk"]), q="xuc tien cua khau")
    assert doc.get_absolute_url() in html
    assert "<mark>xúc</mark> <mark>tiến</mark>" in html
    assert 'data-testid="search-snippet"' in html


def test_pdf_attachments_are_searched_too(people, django_capture_on_commit_callbacks):
    doc = receive(people["clerk"], summary="Công văn có phụ lục")
    attachment = SimpleUploadedFile(
        "phu-luc.pdf", pdf_bytes("Phụ lục danh mục dự án trọng điểm"), content_type="application/pdf"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.incoming_add_attachments(document=doc, by=people["clerk"], files=[attachment])
    doc.refresh_from_db()
    assert doc.text_status == TextStatus.TEXT
    assert result_ids(people["clerk"], "danh muc du an trong diem") == [("incoming", doc.pk)]


def test_scanned_pdf_is_marked_and_shown(people, login):
    clerk = people["clerk"]
    doc = receive(clerk, summary="Tờ trình bản quét", main_files=[jpeg_upload()])
    assert IncomingDocument.objects.get(pk=doc.pk).text_status == TextStatus.PENDING
    assert extract_text(doc) == TextStatus.SCANNED
    client = login(clerk)
    html = find_page(client, q="to trinh ban quet")
    assert 'data-testid="search-scanned"' in html and "Bản quét — không có lớp chữ" in html
    assert result_ids(clerk, text_status=TextStatus.SCANNED) == [("incoming", doc.pk)]
    assert result_ids(clerk, text_status=TextStatus.TEXT) == []
    detail = client.get(doc.get_absolute_url()).content.decode()
    assert 'data-status="scanned"' in detail and "không tìm được theo nội dung" in detail


def test_pdf_text_statuses():
    text, status = extract.pdf_text(pdf_bytes("Kế hoạch số 12"))
    assert status == TextStatus.TEXT and "Kế hoạch số 12" in text
    assert extract.pdf_text(b"%PDF-1.4 not really a pdf")[1] == TextStatus.FAILED
    assert extract.pdf_text(b"")[1] == TextStatus.FAILED


def test_outgoing_documents_are_searched(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        draft = make_draft(
            people, "Đề nghị góp ý dự thảo quy chế", body="<p>Quy chế phối hợp liên ngành.</p>"
        )
    draft.refresh_from_db()
    assert draft.text_status == TextStatus.TEXT and "Quy chế phối hợp liên ngành" in draft.text_content
    officer = people["officer"]
    assert result_ids(officer, "gop y du thao") == [("outgoing", draft.pk)]
    assert result_ids(officer, "phoi hop lien nganh") == [("outgoing", draft.pk)]  # PDF text only
    assert result_ids(officer, "gop y", kind="incoming") == []
    assert result_ids(officer, "gop y", state="outgoing:new") == [("outgoing", draft.pk)]
    assert result_ids(officer, "gop y", state="incoming:received") == []
    # Signer filter: through the signer's folded name.
    assert result_ids(officer, "gop y", signer="vu duc") == [("outgoing", draft.pk)]
    assert result_ids(officer, "gop y", signer="Phan Minh") == []


def test_delivered_documents_get_their_text(people, people_b, django_capture_on_commit_callbacks):
    from documents.outgoing import delivery
    from tests.documents.outgoing.delivery.helpers import make_issued

    pdf = pdf_bytes("Chuyển đổi số trong cơ quan nhà nước")
    doc = make_issued(people, pdf=pdf, recipients=[("internal", people_b["clerk"].agency)])
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        delivery.deliver(document=doc, pdf=pdf, by=people["clerk"])
        extract.queue_delivered(doc)
    incoming = IncomingDocument.objects.get(agency=people_b["clerk"].agency)
    assert incoming.text_status == TextStatus.TEXT
    assert result_ids(people_b["clerk"], "chuyen doi so co quan nha nuoc") == [("incoming", incoming.pk)]


def test_extract_texts_command(people):
    doc = receive(people["clerk"], summary="Công văn cũ", main_files=[pdf_upload(text="Nội dung văn bản cũ")])
    IncomingDocument.objects.filter(pk=doc.pk).update(text_status=TextStatus.NONE)
    out = io.StringIO()
    call_command("extract_texts", stdout=out)
    assert IncomingDocument.objects.get(pk=doc.pk).text_status == TextStatus.TEXT
    assert "Đã trích xuất nội dung 1 văn bản" in out.getvalue()
    call_command("extract_texts", stdout=out)
    assert "Đã trích xuất nội dung 0 văn bản" in out.getvalue()
    call_command("extract_texts", "--all", "--model", "documents.IncomingDocument", stdout=out)
    assert "Đã trích xuất nội dung 1 văn bản" in out.getvalue().splitlines()[-1]
