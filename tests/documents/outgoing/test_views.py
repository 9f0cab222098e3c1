"""documents.outgoing.views: the list page; the "Xem trước" button (issue 14): the work of one request is
bounded — a body and tables the size of real documents (the same limits when a draft is saved), a render
time limit, one preview at a time per person; the "Hủy dự thảo" form asks for the reason to cancel."""

from __future__ import annotations

import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from documents.models import DocumentType
from documents.outgoing import render, richtext, services
from documents.outgoing.models import OutgoingDocument
from documents.outgoing.services import DraftFields
from eoffice.models import Role
from tests.documents.outgoing.helpers import (
    _fields,
)
from tests.factories import make_department, make_user

pytestmark = pytest.mark.django_db


PREVIEW = reverse("documents:outgoing_preview")


TABLE_5000 = "<table>" + "<tr><td>1</td></tr>" * 5000 + "</table>"  # 95,015 characters: under the old cap


LONG_BODY = "<p>" + "Nội dung văn bản hành chính. " * 6700 + "</p>"  # 194,307 characters


@pytest.fixture
def drafter(agency_a):
    unit = make_department(agency=agency_a, name="Phòng Kinh tế", abbreviation="KT")
    return make_user(agency=agency_a, department=unit, roles=[Role.OFFICER], full_name="Phan Minh Đức")


@pytest.fixture
def doc_type(db):
    return DocumentType.objects.get_or_create(name="Công văn")[0]


def _data(doc_type, body="<p>Đề nghị Quý cơ quan phối hợp.</p>", **extra) -> dict:
    return {
        "doc_type": doc_type.pk,
        "summary": "Đề nghị phối hợp rà soát danh mục dự án",
        "body": body,
        "copies": 1,
        "urgency": 0,
        "confidentiality": 0,
        **extra,
    }


def test_preview_gives_the_pdf(drafter, doc_type, login):
    response = login(drafter).post(PREVIEW, _data(doc_type))
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_a_5000_row_table_is_refused_fast(drafter, doc_type, login):
    client = login(drafter)
    started = time.monotonic()
    response = client.post(PREVIEW, _data(doc_type, body=TABLE_5000))
    assert time.monotonic() - started < 2
    assert response.status_code == 400
    text = response.content.decode()
    assert "Bảng trong nội dung quá lớn" in text and "tối đa 300 dòng" in text and "5.000 dòng" in text
    # Saving it as a draft is refused the same way: a saved draft can always be rendered.
    response = client.post(reverse("documents:outgoing_create"), _data(doc_type, body=TABLE_5000))
    assert response.status_code == 200 and "Bảng trong nội dung quá lớn" in response.content.decode()
    assert not OutgoingDocument.objects.exists()


def test_an_oversized_body_is_refused(drafter, doc_type, login):
    client = login(drafter)
    response = client.post(PREVIEW, _data(doc_type, body=LONG_BODY))
    assert response.status_code == 400
    assert "Nội dung quá dài: tối đa 100.000 ký tự" in response.content.decode()
    response = client.post(reverse("documents:outgoing_create"), _data(doc_type, body=LONG_BODY))
    assert response.status_code == 200 and "Nội dung quá dài" in response.content.decode()
    assert not OutgoingDocument.objects.exists()
    # The service holds the same limits for every caller (drafts made by other modules).
    fields = DraftFields(doc_type=doc_type, summary="Thử", body=TABLE_5000)
    with pytest.raises(ValidationError):
        services.draft_create(by=drafter, fields=fields)


def test_the_limits_admit_a_real_document(drafter, doc_type, login):
    table = "<table>" + "<tr><td>1</td><td>Nguyễn Văn A</td><td>Phòng B</td></tr>" * 300 + "</table>"
    text = "<p>" + "Nội dung văn bản hành chính. " * 2000 + "</p>"  # about 60,000 characters
    assert richtext.sanitize(table + text)
    response = login(drafter).post(reverse("documents:outgoing_create"), _data(doc_type, body=table + text))
    assert response.status_code == 302
    assert OutgoingDocument.objects.count() == 1


def test_other_text_fields_are_bounded(drafter, doc_type, login):
    response = login(drafter).post(PREVIEW, _data(doc_type, legal_bases="Căn cứ\n" * 20000))
    assert response.status_code == 400 and "10000" in response.content.decode()


def test_a_second_concurrent_preview_of_the_same_person_is_refused(drafter, doc_type, login, monkeypatch):
    client = login(drafter)
    real = services.preview_pdf
    seen = {}

    def first_preview(**kwargs):
        # While the first preview renders, the same person asks for another one.
        seen["second"] = client.post(PREVIEW, _data(doc_type))
        return real(**kwargs)

    monkeypatch.setattr(services, "preview_pdf", first_preview)
    response = client.post(PREVIEW, _data(doc_type))
    assert response.status_code == 200
    second = seen["second"]
    assert second.status_code == 429
    assert "Bạn đang có một bản xem trước chưa xong" in second.content.decode()
    # Done: the next one goes through; someone else was never blocked.
    monkeypatch.setattr(services, "preview_pdf", real)
    assert client.post(PREVIEW, _data(doc_type)).status_code == 200


def test_the_lock_is_released_after_a_failure(drafter, doc_type, login, monkeypatch):
    client = login(drafter)

    def too_slow(**kwargs):
        raise render.RenderTimeout("render took more than 20 s")

    monkeypatch.setattr(services, "preview_pdf", too_slow)
    response = client.post(PREVIEW, _data(doc_type))
    assert response.status_code == 503
    assert "quá phức tạp để xem trước" in response.content.decode()
    monkeypatch.undo()
    assert client.post(PREVIEW, _data(doc_type)).status_code == 200


def test_the_cancel_form_asks_for_the_reason_to_cancel(drafter, doc_type, login):
    document = services.draft_create(by=drafter, fields=DraftFields(doc_type=doc_type, summary="Thử hủy"))
    client = login(drafter)
    html = client.get(document.get_absolute_url()).content.decode()
    form = html[html.index(reverse("documents:outgoing_cancel", args=[document.pk])) :]
    form = form[: form.index("</form>")]
    assert "Lý do hủy dự thảo" in form
    assert "trả lại" not in form
    response = client.post(
        reverse("documents:outgoing_cancel", args=[document.pk]), {"comment": "Không còn cần ban hành"}
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.state == "cancelled"


def test_list_page_queries_do_not_grow_with_rows(office, agency_b, client, django_assert_max_num_queries):
    for _ in range(3):
        services.draft_create(by=office["officer"], fields=_fields(office, agency_b))
    client.force_login(office["officer"])
    url = reverse("documents:outgoing_queue", args=["mine"])
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(6):
        services.draft_create(by=office["officer"], fields=_fields(office, agency_b))
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200 and response.content.count(b"doc-summary") >= 9
    assert len(many.captured_queries) == len(few.captured_queries)
