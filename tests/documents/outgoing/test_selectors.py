"""documents.outgoing.selectors: who sees an outgoing document."""

from __future__ import annotations

from django.urls import reverse

from documents.outgoing import services
from tests.documents.outgoing.helpers import (
    _fields,
)
from tests.signing.conftest import _signing_settings, authority, pki_dir  # noqa: F401


def test_visibility_and_agency_isolation(office, agency_a, agency_b, client):
    doc = services.draft_create(by=office["officer"], fields=_fields(office, agency_b))
    from documents.outgoing.selectors import visible_outgoing

    assert visible_outgoing(office["officer"]).filter(pk=doc.pk).exists()
    assert visible_outgoing(office["head"]).filter(pk=doc.pk).exists()  # head of the drafting unit
    assert not visible_outgoing(office["outsider"]).filter(pk=doc.pk).exists()
    assert not visible_outgoing(office["clerk"]).filter(pk=doc.pk).exists()  # not until signed
    assert not visible_outgoing(office["clerk_b"]).filter(pk=doc.pk).exists()
    client.force_login(office["clerk_b"])
    for name in ("outgoing_detail", "outgoing_edit"):
        assert client.get(reverse(f"documents:{name}", args=[doc.pk])).status_code == 404
    assert client.get(reverse("documents:outgoing_version", args=[doc.pk, 1])).status_code == 404
