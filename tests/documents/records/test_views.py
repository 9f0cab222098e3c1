"""The case file pages: open one, put a document in it, close it."""

from datetime import date

import pytest
from django.urls import reverse

from tests.documents.conftest import receive

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_case_file_pages(people, client):
    doc = receive(people["clerk"], n=1)
    _login(client, people["clerk"])
    response = client.post(
        reverse("documents:casefile_list"),
        {"year": 2026, "code": "01.VP", "title": "Hồ sơ A", "retention": "10"},
    )
    assert response.status_code == 302
    case_file = doc.agency and __import__("documents.models", fromlist=["CaseFile"]).CaseFile.objects.get()
    client.post(reverse("documents:incoming_case_file", args=[doc.pk]), {"case-file-case_file": case_file.pk})
    html = client.get(reverse("documents:casefile_detail", args=[case_file.pk])).content.decode()
    assert "01/UBND-KT" in html
    client.post(reverse("documents:casefile_status", args=[case_file.pk]), {"close": "1"})
    case_file.refresh_from_db()
    assert not case_file.is_open
    assert client.get(reverse("documents:casefile_list")).status_code == 200
    assert date.today()
