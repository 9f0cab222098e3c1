from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from documents.incoming import services
from documents.models import DocumentType, IncomingDocument
from documents.registers import numbering
from tests.documents.conftest import pdf_upload, receive
from workflow.models import Assignment

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _directed(people, n):
    doc = receive(people["clerk"], n=n)
    return services.incoming_direct(
        document=doc,
        by=people["leader"],
        instruction="Xử lý",
        lead_department=people["unit"],
        coordinators=[people["officer2"]],
        due_at=timezone.now() + timedelta(days=3),
    )


def _list_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["clerk", "leader", "head"])
def test_list_query_count_is_constant(people, client, who):
    for n in range(1, 4):
        _directed(people, n)
    _login(client, people[who])
    url = reverse("documents:incoming_list")
    client.get(url)  # the unfiltered filter form is then kept in the cache (one query less)
    few = _list_queries(client, url)
    for n in range(4, 31):
        _directed(people, n)
    many = _list_queries(client, url)
    assert many == few, (few, many)


def test_queue_pages_render(people, client):
    _directed(people, 1)
    _login(client, people["leader"])
    for queue in ("direction", "todo", "progress", "done", "overdue", "info"):
        response = client.get(reverse("documents:incoming_queue", args=[queue]))
        assert response.status_code == 200
    assert client.get(reverse("documents:incoming_queue", args=["nope"])).status_code == 404
    response = client.get(
        reverse("documents:incoming_list"),
        {"q": "trien khai", "urgency": "0", "sort": "due", "date_from": "2020-01-01", "deadline": "on_time"},
    )
    assert response.status_code == 200 and "01/UBND-KT" in response.content.decode()
    response = client.get(reverse("documents:incoming_list"), {"date_from": "not-a-date", "urgency": "9"})
    assert response.status_code == 200


def test_menu_counters(people, client):
    receive(people["clerk"], n=1)
    _login(client, people["leader"])
    html = client.get(reverse("documents:incoming_list")).content.decode()
    assert 'data-menu="documents.incoming.direction"' in html
    assert 'data-menu="documents.incoming.register"' not in html


def test_receive_through_the_form(people, client):
    _login(client, people["clerk"])
    assert client.get(reverse("documents:incoming_create")).status_code == 200
    data = {
        "main_files": pdf_upload(),
        "issuer_name": "Bộ Kế hoạch và Đầu tư",
        "number_symbol": "120/BKHĐT-TH",
        "issued_date": "2026-01-05",
        "doc_type": DocumentType.objects.get(name="Công văn").pk,
        "summary": "V/v báo cáo tình hình thực hiện kế hoạch đầu tư công",
        "urgency": "1",
        "confidentiality": "0",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "channel": "electronic",
        "register": numbering.default_register(agency=people["clerk"].agency).pk,
        "register_now": "on",
    }
    response = client.post(reverse("documents:incoming_create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    doc = IncomingDocument.objects.get()
    assert doc.number == 1
    # the same again: a duplicate warning, nothing saved, then confirmed
    data["main_files"] = pdf_upload()
    response = client.post(reverse("documents:incoming_create"), data)
    assert response.status_code == 200 and "có thể trùng" in response.content.decode()
    assert IncomingDocument.objects.count() == 1
    data["main_files"] = pdf_upload()
    data["allow_duplicate"] = "on"
    assert client.post(reverse("documents:incoming_create"), data).status_code == 302
    assert IncomingDocument.objects.count() == 2


def test_form_bad_file_shows_message(people, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _login(client, people["clerk"])
    response = client.post(
        reverse("documents:incoming_create"),
        {
            "main_files": SimpleUploadedFile("a.pdf", b"%PDF-1.4 broken"),
            "issuer_name": "X",
            "number_symbol": "1/X",
            "issued_date": "2026-01-01",
            "doc_type": DocumentType.objects.first().pk,
            "summary": "s",
            "urgency": "0",
            "confidentiality": "0",
            "received_at": "2026-01-02T08:00",
            "channel": "paper",
            "register": numbering.default_register(agency=people["clerk"].agency).pk,
        },
    )
    assert response.status_code == 200 and "bị hỏng" in response.content.decode()


def test_detail_shows_only_allowed_actions(people, client):
    doc = receive(people["clerk"], n=1)
    url = reverse("documents:incoming_detail", args=[doc.pk])
    html = _login(client, people["leader"]).get(url).content.decode()
    assert 'data-testid="direct-form"' in html and 'class="pdf-viewer"' in html
    html = _login(client, people["clerk"]).get(url).content.decode()
    assert 'data-testid="direct-form"' not in html and "Trả lại nơi gửi" in html
    file_response = client.get(reverse("documents:incoming_file", args=[doc.pk]))
    assert file_response.status_code == 200
    assert file_response["X-Frame-Options"] == "SAMEORIGIN"
    assert file_response["Content-Type"] == "application/pdf"


def test_whole_path_through_http(people, client):
    doc = receive(people["clerk"], n=1)
    _login(client, people["leader"])
    response = client.post(
        reverse("documents:incoming_direct", args=[doc.pk]),
        {
            "direct-instruction": "Giao Phòng ĐKKD",
            "direct-lead": f"d:{people['unit'].pk}",
            "direct-informed": [f"u:{people['deputy'].pk}"],
            "direct-due_date": (timezone.localdate() + timedelta(days=5)).isoformat(),
        },
    )
    assert response.status_code == 302
    part = Assignment.objects.for_record(doc).get(role="lead")
    _login(client, people["head"])
    html = client.get(reverse("documents:incoming_detail", args=[doc.pk])).content.decode()
    assert 'data-testid="forward-form"' in html
    client.post(
        reverse("documents:incoming_forward", args=[doc.pk, part.pk]),
        {f"forward-{part.pk}-to_user": people["officer"].pk},
    )
    assert Assignment.objects.for_record(doc).filter(parent=part, assignee=people["officer"]).exists()
    _login(client, people["officer"])
    client.post(
        reverse("documents:incoming_progress", args=[doc.pk]),
        {"progress-note": "Đang xử lý", "progress-percent": "40"},
    )
    part.refresh_from_db()
    assert part.progress == 40  # the unit's part follows its officer
    html = client.get(reverse("documents:incoming_detail", args=[doc.pk])).content.decode()
    assert 'data-testid="finish-form"' in html
    client.post(reverse("documents:incoming_finish", args=[doc.pk]), {"finish-note": "Xong"})
    doc.refresh_from_db()
    assert doc.state == "archived"
    # the leader sees a reopen button
    html = (
        _login(client, people["leader"])
        .get(reverse("documents:incoming_detail", args=[doc.pk]))
        .content.decode()
    )
    assert "Mở lại xử lý" in html


def test_invalid_post_is_a_message_not_a_500(people, client):
    doc = receive(people["clerk"], n=1)
    _login(client, people["leader"])
    response = client.post(
        reverse("documents:incoming_direct", args=[doc.pk]), {"direct-lead": "u:999999"}, follow=True
    )
    assert response.status_code == 200
    response = client.post(
        reverse("documents:incoming_action", args=[doc.pk]), {"action": "finish"}, follow=True
    )
    assert response.status_code == 200
