"""An issued outgoing document as rows: its type, its number and issue date, and its sealed PDF (what the
outgoing flow leaves once a document is issued), for the records of other modules that point to one."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.utils import timezone

from documents.models import DocumentType
from documents.outgoing.models import OutgoingDocument, OutgoingVersion
from workflow.models import WorkflowState


def issued_outgoing(
    *, agency, by, type_name: str, abbreviation: str, symbol: str, summary: str, pdf: bytes, at=None
):
    doc_type = DocumentType.objects.get_or_create(name=type_name, defaults={"abbreviation": abbreviation})[0]
    at = at or timezone.now()
    document = OutgoingDocument.objects.create(
        agency=agency,
        doc_type=doc_type,
        summary=summary,
        drafted_by=by,
        number_symbol=symbol,
        issued_at=at,
        released_at=at,
        state=WorkflowState.ISSUED,
    )
    draft = OutgoingVersion(document=document, number=1, kind=OutgoingVersion.Kind.RENDERED, created_by=by)
    draft.sha256 = hashlib.sha256(b"%PDF-draft").hexdigest()
    draft.file.save("draft.pdf", ContentFile(b"%PDF-1.4 draft"), save=False)
    draft.save()
    sealed = OutgoingVersion(document=document, number=2, kind=OutgoingVersion.Kind.SEALED, created_by=by)
    sealed.sha256 = hashlib.sha256(pdf).hexdigest()
    sealed.file.save("sealed.pdf", ContentFile(pdf), save=False)
    sealed.save()
    return document, sealed
