"""The document identifier (III.1c): stored in the transaction that fixes the number, in the exchange's
DocumentId format; computed on read for documents numbered before; used by the exchange package; found by
the search; shown in the metadata block of the detail page (every Phần II field)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from documents.exchange.edxml.build import document_id
from documents.outgoing import services
from documents.outgoing.models import OutgoingDocument
from documents.records.metadata.identifier import identifier_of
from documents.search.sources import Criteria
from tests.documents.outgoing.helpers import PIN, _to_signing
from tests.documents.search.conftest import find_page

pytestmark = pytest.mark.django_db


def test_identifier_is_fixed_with_the_number(office, agency_a, agency_b, login):
    draft = _to_signing(office, agency_b)
    assert draft.identifier == ""
    doc = services.document_sign(document=draft, by=office["leader"], pin=PIN)
    doc.refresh_from_db()
    day = timezone.localtime(doc.issued_at).date()
    assert doc.number_symbol and doc.identifier == document_id(agency_a.code, day, doc.number_symbol)
    assert doc.identifier == f"{agency_a.code},{day:%Y/%m/%d},{doc.number_symbol}"
    # issued: the incoming document delivered inside the installation carries the same identifier
    doc = services.document_issue(document=doc, by=office["clerk"], pin=PIN)
    delivered = doc.recipients.filter(incoming__isnull=False).first().incoming
    from documents.records.metadata.selectors import incoming_identifier

    assert incoming_identifier(delivered) == doc.identifier
    # the exchange package names the document by the stored identifier
    OutgoingDocument.objects.filter(pk=doc.pk).update(identifier="000.00.31.H26,2026/01/02,99/KT")
    doc.refresh_from_db()
    from documents.exchange.edxml import from_outgoing

    package = from_outgoing.package_for_outgoing(
        document=doc, recipients=[from_outgoing.organ_for_agency(agency_b)], now=timezone.now()
    )
    assert package.document_id == "000.00.31.H26,2026/01/02,99/KT"


def test_identifier_computed_on_read_and_searchable(office, agency_a, agency_b, login):
    doc = services.document_sign(document=_to_signing(office, agency_b), by=office["leader"], pin=PIN)
    # a document numbered before identifiers were stored: the column is empty
    OutgoingDocument.objects.filter(pk=doc.pk).update(
        identifier="", issued_at=dt.datetime(2025, 12, 31, 20, tzinfo=dt.UTC)
    )
    doc = OutgoingDocument.objects.select_related("agency").get(pk=doc.pk)
    expected = f"{agency_a.code},2026/01/01,{doc.number_symbol}"  # 20:00 UTC is the next day in Hà Nội
    assert identifier_of(doc) == expected
    # the search computes it in SQL the same way, and the detail page shows it
    from documents.search import selectors

    page = selectors.search_page(
        user=office["clerk"], criteria=Criteria(identifier="2026/01/01"), columns=["identifier"]
    )
    assert [(r.pk, r.identifier) for r in page.object_list] == [(doc.pk, expected)]
    assert (
        selectors.search_page(
            user=office["clerk"], criteria=Criteria(identifier="2027/01/01")
        ).paginator.count
        == 0
    )
    client = login(office["clerk"])
    html = find_page(client, identifier=expected, cols=["number", "identifier"])
    assert "Tìm thấy 1 văn bản" in html and expected in html
    html = client.get(reverse("documents:outgoing_detail", args=[doc.pk])).content.decode()
    assert 'data-testid="metadata"' in html and 'data-field="identifier"' in html and expected in html


def test_outgoing_metadata_block_lists_every_field(office, agency_b, login):
    doc = services.document_sign(document=_to_signing(office, agency_b), by=office["leader"], pin=PIN)
    html = login(office["clerk"]).get(reverse("documents:outgoing_detail", args=[doc.pk])).content.decode()
    keys = [
        "identifier", "case_files", "ordinals", "type", "number", "notation", "date", "issuer", "summary",
        "language", "pages", "note", "position", "signer", "recipients", "priority", "copies", "due",
    ]  # fmt: skip
    for key in keys:
        assert f'data-field="{key}"' in html, key
    assert "Phụ lục VI, Phần II, Mục I" in html and agency_b.name in html
