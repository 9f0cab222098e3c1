"""Issue 14, incoming documents: what users stumbled on (deadline pill in every queue, progress roll-up
and one timeline entry per direction, the attachments form on a finished document, pickers in the
direction form, secret grants to exactly the people named)."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from documents.incoming import selectors, services
from documents.models import Confidentiality
from tests.documents.conftest import receive
from workflow.models import Assignment, HistoryEntry
from workflow.selectors import history_for

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _late_unregistered(people, n):
    """A document received 20 days ago, due 10 days ago, still waiting to be registered."""
    received = timezone.now() - timedelta(days=20)
    return receive(
        people["clerk"], n=n, register_now=False, received_at=received, due_at=received + timedelta(days=10)
    )


# --- the deadline status in every queue -------------------------------------------------------------


def test_register_queue_shows_overdue_pill(people, client):
    doc = _late_unregistered(people, 1)
    html = _login(client, people["clerk"]).get(reverse("documents:incoming_queue", args=["register"]))
    html = html.content.decode()
    assert doc.number_symbol in html
    assert 'class="pill pill-overdue">Quá hạn<' in html
    # the detail page shows it too, and the list's deadline filter agrees with the pill
    detail = client.get(doc.get_absolute_url()).content.decode()
    assert 'class="pill pill-overdue">Quá hạn<' in detail
    found = selectors.incoming_list(user=people["clerk"], queue="register", deadline="overdue")
    assert list(found) == [doc]


def test_finished_document_shows_no_deadline_pill(people, client):
    doc = receive(people["clerk"], n=1)
    services.incoming_direct(
        document=doc, by=people["leader"], instruction="Xử lý", lead_user=people["officer"]
    )
    services.incoming_progress(document=doc, by=people["officer"], note="Xong")
    services.incoming_finish(document=doc, by=people["officer"], note="Xong")
    html = _login(client, people["clerk"]).get(reverse("documents:incoming_queue", args=["done"]))
    assert "pill-ontime" not in html.content.decode() and "pill-overdue" not in html.content.decode()


def test_register_queue_query_count_is_constant(people, client):
    _late_unregistered(people, 1)
    _login(client, people["clerk"])
    url = reverse("documents:incoming_queue", args=["register"])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(2, 12):
        _late_unregistered(people, n)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count("pill-overdue") >= 11
    assert len(many.captured_queries) == len(few.captured_queries)


# --- progress roll-up and one timeline entry per direction -----------------------------------------


def test_unit_progress_follows_its_officer(people):
    doc = receive(people["clerk"], n=1)
    services.incoming_direct(
        document=doc, by=people["leader"], instruction="Xử lý", lead_department=people["unit"]
    )
    unit_part = Assignment.objects.for_record(doc).get(role="lead", parent=None)
    services.incoming_forward(
        document=doc, assignment=unit_part, by=people["head"], to_user=people["officer"]
    )
    services.incoming_progress(document=doc, by=people["officer"], note="Đã tổng hợp", percent=60)
    unit_part.refresh_from_db()
    assert unit_part.progress == 60
    # handed on again: the new officer's report is the unit's progress
    services.incoming_forward(
        document=doc, assignment=unit_part, by=people["head"], to_user=people["officer2"]
    )
    services.incoming_progress(document=doc, by=people["officer2"], note="Tiếp tục", percent=80)
    unit_part.refresh_from_db()
    assert unit_part.progress == 80


def test_one_direction_one_timeline_entry(people, client):
    doc = receive(people["clerk"], n=1)
    services.incoming_direct(
        document=doc,
        by=people["leader"],
        instruction="Giao Phòng ĐKKD",
        lead_department=people["unit"],
        coordinators=[people["other_officer"]],
        informed=[people["deputy"]],
    )
    rows = list(history_for(record=doc).exclude(event=HistoryEntry.Event.VIEW))
    assigns = [r for r in rows if r.action == "assign" or r.event == HistoryEntry.Event.ASSIGNED]
    assert len(assigns) == 1
    assert assigns[0].data["lead"] == people["unit"].name
    assert assigns[0].data["coordinate"] == [str(people["other_officer"])]
    html = _login(client, people["leader"]).get(doc.get_absolute_url()).content.decode()
    timeline = html[html.index('class="timeline"') :]
    assert timeline.count("<strong>Giao xử lý</strong>") == 1
    assert f"Chủ trì: {people['unit'].name}" in timeline


# --- the attachments form on a finished document -----------------------------------------------------


def test_attachments_field_not_marked_required(people, client):
    doc = receive(people["clerk"], n=1)
    services.incoming_direct(
        document=doc, by=people["leader"], instruction="Xử lý", lead_user=people["officer"]
    )
    services.incoming_finish(document=doc, by=people["officer"], note="Xong")
    html = _login(client, people["clerk"]).get(doc.get_absolute_url()).content.decode()
    label = re.search(r'<label for="id_attachments-files"[^>]*>', html).group(0)
    field = re.search(r'<input[^>]*name="attachments-files"[^>]*>', html).group(0)
    assert "required" not in label and "required" not in field
    # an empty upload is a message, not a 500
    response = client.post(reverse("documents:incoming_attachments", args=[doc.pk]), {}, follow=True)
    assert response.status_code == 200 and "Vui lòng chọn tệp đính kèm" in response.content.decode()


# --- pickers in the direction form -------------------------------------------------------------------


def test_direction_form_uses_the_searchable_picker(people, client):
    doc = receive(people["clerk"], n=1)
    html = _login(client, people["leader"]).get(doc.get_absolute_url()).content.decode()
    for name in ("direct-lead", "direct-coordinators", "direct-informed"):
        start = html.index(f'name="{name}"')
        tag = html[start : html.index(">", start)]
        assert "data-picker" in tag, name


# --- secret documents: exactly the people named --------------------------------------------------------


def _secret(people, n=1):
    return receive(
        people["clerk"], n=n, confidentiality=Confidentiality.SECRET, directing_leader=people["leader"]
    )


def _sees(user, doc) -> bool:
    return selectors.visible_incoming(user).filter(pk=doc.pk).exists()


def test_secret_document_given_to_an_officer_is_not_granted_to_the_head(people):
    doc = _secret(people)
    services.incoming_direct(
        document=doc, by=people["leader"], instruction="Xử lý mật", lead_user=people["officer"]
    )
    assert _sees(people["officer"], doc)
    assert not _sees(people["head"], doc)


def test_secret_document_head_granted_when_the_leader_says_so(people, client):
    doc = _secret(people)
    _login(client, people["leader"])
    html = client.get(doc.get_absolute_url()).content.decode()
    assert 'name="direct-grant_lead_head"' in html and "Cấp quyền xem cho trưởng đơn vị" in html
    response = client.post(
        reverse("documents:incoming_direct", args=[doc.pk]),
        {
            "direct-instruction": "Xử lý mật",
            "direct-lead": f"u:{people['officer'].pk}",
            "direct-grant_lead_head": "on",
        },
    )
    assert response.status_code == 302
    assert _sees(people["officer"], doc) and _sees(people["head"], doc)
    assert not _sees(people["other_head"], doc)
    granted = list(history_for(record=doc).filter(action="grant"))
    assert granted and str(people["head"]) in granted[0].comment


def test_secret_document_through_the_form_without_the_option(people, client):
    doc = _secret(people)
    _login(client, people["leader"])
    client.post(
        reverse("documents:incoming_direct", args=[doc.pk]),
        {"direct-instruction": "Xử lý mật", "direct-lead": f"u:{people['officer'].pk}"},
    )
    assert _sees(people["officer"], doc) and not _sees(people["head"], doc)


def test_normal_document_has_no_grant_option(people, client):
    doc = receive(people["clerk"], n=1)
    html = _login(client, people["leader"]).get(doc.get_absolute_url()).content.decode()
    assert "grant_lead_head" not in html


def test_secret_document_given_to_a_unit_is_granted_to_its_head(people):
    doc = _secret(people)
    services.incoming_direct(
        document=doc, by=people["leader"], instruction="Xử lý mật", lead_department=people["unit"]
    )
    assert _sees(people["head"], doc)
    assert not _sees(people["officer"], doc)
