"""The pages and files of one-stop dossiers, complaint cases and letters, and meetings each write one access
row per request (kinds "dossier", "complaint", "letter", "meeting"); downloads get the print mark."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from eoffice.models import AccessEvent
from tests.complaints.conftest import org  # noqa: F401
from tests.documents.outgoing.helpers import office  # noqa: F401
from tests.signing.conftest import _signing_settings, authority, pki_dir  # noqa: F401

pytestmark = pytest.mark.django_db

MARK = "Bản in từ hệ thống eOffice"


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def rows():
    return list(AccessEvent.objects.order_by("pk").values_list("kind", "object_id", "action", "user_id"))


def test_case_letter_and_file(client, org):  # noqa: F811
    from tests.complaints.redaction_helpers import protected_letter

    letter, scan = protected_letter(org)
    case = letter.cases.get()
    user = org["reception"]
    client.force_login(user)
    AccessEvent.objects.all().delete()
    assert client.get(case.get_absolute_url()).status_code == 200
    assert client.get(letter.get_absolute_url()).status_code == 200
    download = client.get(reverse("complaints:file", args=[scan.pk]), {"download": "1"})
    assert download.status_code == 200 and MARK in text_of(download.content)
    assert rows() == [
        ("complaint", case.pk, "view", user.pk),
        ("letter", letter.pk, "view", user.pk),
        ("letter", letter.pk, "download", user.pk),
    ]


def test_letter_file_print_link_is_logged_as_a_print(client, org):  # noqa: F811
    from tests.complaints.redaction_helpers import protected_letter

    letter, scan = protected_letter(org)
    user = org["reception"]
    client.force_login(user)
    url = reverse("complaints:file", args=[scan.pk])
    assert f'href="{url}?print=1"' in client.get(letter.get_absolute_url()).content.decode()
    AccessEvent.objects.all().delete()
    printed = client.get(url, {"print": "1"})
    assert printed.status_code == 200 and MARK in text_of(printed.content)
    assert rows() == [("letter", letter.pk, "print", user.pk)]
