"""The incoming-document page on the workflow engine: its state labels in the timeline, the buttons
(actions with their own form left out by the engine), asking for input through ``assignments_add``."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from documents.incoming import services
from documents.incoming.selectors import visible_incoming
from documents.models import Confidentiality, IncomingDocument
from eoffice.models import Notification
from tests.documents.conftest import receive
from workflow.models import Assignment, HistoryEntry

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _timeline(html: str) -> str:
    return html.split("Lịch sử xử lý", 1)[1]


def _to_officer(people, **extra):
    doc = receive(people["clerk"], n=1, **extra)
    return services.incoming_direct(
        document=doc,
        by=people["leader"],
        instruction="Giao Đức xử lý",
        lead_user=people["officer"],
        due_at=timezone.now() + timedelta(days=5),
    )


def test_timeline_names_states_as_incoming_documents(people, client):
    doc = _to_officer(people)
    doc = services.incoming_finish(document=doc, by=people["officer"], note="Đã trả lời")
    html = _login(client, people["leader"]).get(doc.get_absolute_url()).content.decode()
    timeline = _timeline(html)
    assert "Chờ vào sổ → Chờ chỉ đạo" in timeline
    assert "Chờ chỉ đạo → Đã giao xử lý" in timeline
    assert "→ Đã hoàn thành" in timeline and "Đã lưu trữ" not in timeline
    assert IncomingDocument.label_for_state("archived") == "Đã hoàn thành"


def test_buttons_leave_out_the_actions_with_their_own_form(people, client):
    doc = receive(people["clerk"], n=1, register_now=False)
    url = doc.get_absolute_url()
    html = _login(client, people["clerk"]).get(url).content.decode()
    assert 'value="register_number"' in html and 'value="send_back"' in html  # plain buttons
    client.post(reverse("documents:incoming_action", args=[doc.pk]), {"action": "register_number"})
    doc.refresh_from_db()
    assert doc.number and doc.state == "received"
    html = _login(client, people["leader"]).get(url).content.decode()
    assert 'data-testid="direct-form"' in html and 'value="assign"' not in html
    doc = services.incoming_direct(
        document=doc, by=people["leader"], instruction="Xử lý", lead_user=people["officer"]
    )
    html = _login(client, people["officer"]).get(url).content.decode()
    assert 'data-testid="finish-form"' in html and 'value="finish"' not in html
    assert 'value="start"' in html


def test_request_input_goes_through_the_engine(people):
    doc = _to_officer(people)
    created = services.incoming_request_input(
        document=doc,
        by=people["officer"],
        coordinators=[people["other_officer"]],
        coordinator_departments=[people["other_unit"]],
        note="Cho ý kiến số liệu",
    )
    assert {a.role for a in created} == {Assignment.Kind.COORDINATE}
    assert all(a.due_at == doc.due_at for a in created)
    entry = HistoryEntry.objects.for_record(doc).get(action="add_coordinate")
    assert entry.comment == "Cho ý kiến số liệu" and entry.data["lead"] == str(people["officer"])
    for person in (people["other_officer"], people["other_head"]):
        notes = Notification.objects.filter(recipient=person, title__startswith="Được giao (Phối hợp)")
        assert notes.count() == 1 and "Cho ý kiến số liệu" in notes.get().body
    with pytest.raises(PermissionDenied):
        services.incoming_request_input(
            document=doc, by=people["other_officer"], coordinators=[people["officer2"]], note="x"
        )


def test_request_input_on_a_secret_document_grants_the_view(people):
    doc = _to_officer(people, confidentiality=Confidentiality.SECRET, directing_leader=people["leader"])
    assert not visible_incoming(people["other_officer"]).filter(pk=doc.pk).exists()
    services.incoming_request_input(
        document=doc, by=people["officer"], coordinators=[people["other_officer"]], note="Cho ý kiến"
    )
    assert visible_incoming(people["other_officer"]).filter(pk=doc.pk).exists()


def test_request_input_on_an_overdue_document_sets_no_past_deadline(people):
    doc = _to_officer(people)
    IncomingDocument.objects.filter(pk=doc.pk).update(due_at=timezone.now() - timedelta(days=1))
    doc.refresh_from_db()
    [part] = services.incoming_request_input(
        document=doc, by=people["officer"], coordinators=[people["other_officer"]], note="Gấp"
    )
    assert part.due_at is None
