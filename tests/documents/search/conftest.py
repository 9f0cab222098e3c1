"""Helpers of the search tests: the page, the ids a search finds, a document's text, drafts, the export's
rows."""

from __future__ import annotations

import io

from django.test import Client

from documents.models import DocumentType
from documents.outgoing import services as outgoing_services
from documents.outgoing.models import OutgoingDocument
from documents.outgoing.services import DraftFields
from documents.search import export, extract
from documents.search import selectors as search_selectors
from documents.search.query import parse
from documents.search.sources import Criteria

URL = "/documents/search/"


def find_page(client, **params) -> str:
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def result_ids(user, text: str = "", **criteria) -> list[tuple[str, int]]:
    page = search_selectors.search_page(
        user=user, criteria=Criteria(query=parse(text) if text else None, **criteria)
    )
    return [(r.kind, r.pk) for r in page.object_list]


def extract_text(doc) -> str:
    return extract.extract_document(model_label=doc._meta.label, pk=doc.pk)


def doc_type(name: str, abbreviation: str = "") -> DocumentType:
    return DocumentType.objects.get_or_create(name=name, defaults={"abbreviation": abbreviation})[0]


def make_draft(people, summary: str, body: str = "<p>Nội dung dự thảo.</p>") -> OutgoingDocument:
    fields = DraftFields(doc_type=doc_type("Công văn"), summary=summary, body=body, signer=people["leader"])
    return outgoing_services.draft_create(by=people["officer"], fields=fields)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def xlsx_rows(response) -> list[tuple]:
    from openpyxl import load_workbook

    assert response.status_code == 200
    assert response["Content-Type"] == export.CONTENT_TYPE
    assert response["Content-Disposition"].startswith('attachment; filename="tra-cuu-van-ban-')
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
