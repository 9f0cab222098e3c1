"""Every view of an incoming or outgoing document and of its files writes one access row; downloads and
prints are served with the print mark; the access history shows on the detail page for the clerk."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from documents.outgoing import services as outgoing_services
from eoffice.models import AccessEvent
from tests.documents.conftest import people, receive  # noqa: F401
from tests.documents.outgoing.helpers import _fields, office  # noqa: F401
from tests.signing.conftest import _signing_settings, authority, pki_dir  # noqa: F401

pytestmark = pytest.mark.django_db

MARK = "Bản in từ hệ thống eOffice"


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def rows():
    return list(AccessEvent.objects.order_by("pk").values_list("kind", "object_id", "action", "user_id"))


def test_incoming_detail_and_file_are_logged(client, people):  # noqa: F811
    clerk = people["clerk"]
    doc = receive(clerk)
    stored = doc.file.open("rb").read()
    doc.file.close()
    client.force_login(clerk)
    AccessEvent.objects.all().delete()

    page = client.get(reverse("documents:incoming_detail", args=[doc.pk]))
    assert page.status_code == 200
    assert rows() == [("incoming", doc.pk, "view", clerk.pk)]
    html = page.content.decode()
    assert 'data-testid="access-history"' in html and "?print=1" in html

    view = client.get(reverse("documents:incoming_file", args=[doc.pk]))
    assert MARK in text_of(body(view))  # viewed in the page: marked as well (III.6k)
    download = client.get(reverse("documents:incoming_file", args=[doc.pk]), {"download": "1"})
    assert download["Content-Disposition"].startswith("attachment")
    assert MARK in text_of(body(download)) and clerk.full_name in text_of(body(download))
    printed = client.get(reverse("documents:incoming_file", args=[doc.pk]), {"print": "1"})
    assert (
        printed["Content-Disposition"].startswith("inline")
        and printed["Cache-Control"] == "private, no-store"
    )
    assert MARK in text_of(body(printed))
    assert [r[2] for r in rows()] == ["view", "view", "download", "print"]
    with doc.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).digest() == hashlib.sha256(stored).digest()


def test_history_block_only_for_clerks_leaders_archivists_admins(rf, staff_a):
    from django.template import Context, Template

    from eoffice.models import Role

    AccessEvent.objects.create(
        user=staff_a[Role.OFFICER], agency=staff_a[Role.OFFICER].agency, kind="incoming", object_id=5
    )
    template = Template('{% load audit_tags %}{% access_history "incoming" 5 %}')
    for role, shown in [
        (Role.CLERK, True),
        (Role.LEADER, True),
        (Role.AGENCY_ADMIN, True),
        (Role.ARCHIVIST, True),
        (Role.OFFICER, False),
        (Role.DEPARTMENT_HEAD, False),
    ]:
        request = rf.get("/")
        request.user = staff_a[role]
        html = template.render(Context({"request": request}))
        assert ('data-testid="access-history"' in html) is shown, role
        assert (staff_a[Role.OFFICER].full_name in html) is shown


def test_outgoing_detail_and_version_are_logged(client, office, agency_b):  # noqa: F811
    officer = office["officer"]
    doc = outgoing_services.draft_create(by=officer, fields=_fields(office, agency_b))
    version = doc.versions.order_by("number").first()
    client.force_login(officer)
    AccessEvent.objects.all().delete()
    assert client.get(reverse("documents:outgoing_detail", args=[doc.pk])).status_code == 200
    url = reverse("documents:outgoing_version", args=[doc.pk, version.number])
    assert client.get(url).status_code == 200
    download = client.get(url, {"download": "1"})
    assert MARK in text_of(body(download))
    assert rows() == [
        ("outgoing", doc.pk, "view", officer.pk),
        ("outgoing", doc.pk, "view", officer.pk),
        ("outgoing", doc.pk, "download", officer.pk),
    ]
