"""The pages and files of one-stop dossiers, complaint cases and letters, and meetings each write one access
row per request (kinds "dossier", "complaint", "letter", "meeting"); downloads get the print mark."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from eoffice.models import AccessEvent
from tests.meetings.test_paperless import meeting, org  # noqa: F401

pytestmark = pytest.mark.django_db

MARK = "Bản in từ hệ thống eOffice"


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def rows():
    return list(AccessEvent.objects.order_by("pk").values_list("kind", "object_id", "action", "user_id"))


def test_meeting_detail_and_file(client, meeting, org):  # noqa: F811
    from tests.meetings.test_paperless import client_for, pdf_bytes, upload

    upload(client_for(org["organiser"]), meeting, "baocao.pdf", pdf_bytes(), title="Báo cáo")
    from meetings.models import MeetingFile

    row = MeetingFile.objects.get(meeting=meeting)
    user = org["a1"]
    client.force_login(user)
    AccessEvent.objects.all().delete()
    assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 200
    url = reverse("meetings:paperless_file", args=[meeting.pk, row.pk])
    assert client.get(url).status_code == 200
    printed = client.get(url, {"print": "1"})
    assert MARK in text_of(body(printed))
    assert rows() == [
        ("meeting", meeting.pk, "view", user.pk),
        ("meeting", meeting.pk, "view", user.pk),
        ("meeting", meeting.pk, "print", user.pk),
    ]
