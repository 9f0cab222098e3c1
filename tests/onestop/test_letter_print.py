"""The "In" link of an issued letter 04/05 on the dossier page: the signed letter with the print mark, the
print logged as action "print" of the dossier (III.6l)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from eoffice.models import AccessEvent
from onestop import letters
from tests.documents.outgoing.helpers import office  # noqa: F401
from tests.onestop.test_letters import _extended, _issue, staff  # noqa: F401
from tests.signing.conftest import _signing_settings, authority, pki_dir  # noqa: F401

pytestmark = pytest.mark.django_db


def test_issued_letter_print_link_is_logged_as_a_print(procedure, staff, client):  # noqa: F811
    dossier = _extended(procedure, staff)
    row = letters.letter_draft(dossier=dossier, form="04", by=staff["onestop"])
    url = reverse("onestop:form", args=[dossier.pk, 4])
    client.force_login(staff["onestop"])
    page = client.get(reverse("onestop:detail", args=[dossier.pk])).content.decode()
    assert 'data-testid="letter-print-04"' not in page  # a draft: no print of the letter
    _issue(row, staff)
    page = client.get(reverse("onestop:detail", args=[dossier.pk])).content.decode()
    assert f'href="{url}?print=1"' in page and 'data-testid="letter-print-04"' in page
    AccessEvent.objects.all().delete()
    printed = client.get(url, {"print": "1"})
    assert printed.status_code == 200
    data = b"".join(printed.streaming_content) if printed.streaming else printed.content
    text = "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)
    assert "Bản in từ hệ thống eOffice" in text
    assert list(AccessEvent.objects.values_list("kind", "object_id", "action", "user_id")) == [
        ("dossier", dossier.pk, "print", staff["onestop"].pk)
    ]
