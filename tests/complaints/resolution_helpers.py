"""Shared by the resolution and deadline tests (H3): the forms and document types the drafted documents
need (H8's data migration seeds the forms; a transactional flush or its absence must not break these tests),
and issuing a drafted document through the outgoing flow."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from complaints.models import FormCode, LegalForm
from documents.models import DocumentType
from tests.documents.outgoing.helpers import PIN

# Công văn has no abbreviation in the document-type list (Decree 30: "Số: 12/STNMT-TTr").
DOC_TYPES = {"QĐ": "Quyết định", "TB": "Thông báo", "BB": "Biên bản", "": "Công văn"}
FORM_TYPES = {
    FormCode.VERIFICATION_ORDER: "QĐ",
    FormCode.DIALOGUE_MINUTES: "BB",
    FormCode.COMPLAINT_DECISION: "QĐ",
    FormCode.SUSPENSION: "QĐ",
    FormCode.STOP: "QĐ",
    FormCode.CONTINUE: "QĐ",
    FormCode.EXTENSION: "QĐ",
    FormCode.DENUNCIATION_CONCLUSION: "TB",
    FormCode.DENOUNCER_NOTICE: "TB",
    FormCode.PETITION_ANSWER: "",
}


def ensure_forms() -> None:
    """Every form the resolution drafts exists (the seeded version when there is one), and its document
    type too."""
    for abbreviation, name in DOC_TYPES.items():
        if not DocumentType.objects.filter(abbreviation=abbreviation, is_active=True).exists():
            found = DocumentType.objects.filter(name=name).first()
            if found is None:
                DocumentType.objects.create(name=name, abbreviation=abbreviation)
            else:
                DocumentType.objects.filter(pk=found.pk).update(abbreviation=abbreviation, is_active=True)
    for code, abbreviation in FORM_TYPES.items():
        if not LegalForm.objects.filter(code=code).exists():
            LegalForm.objects.create(
                code=code,
                effective_from=dt.date(2000, 1, 1),
                title=str(code.label),
                doc_type=abbreviation,
                body="<p>{{ case.code }}: {{ case.content }} {{ result }} {{ ground }}</p>",
                source="Mẫu thử",
            )


def issue(row, org):
    """Take a CaseDocument's outgoing draft through review, signing and issuing."""
    from documents.outgoing import services as outgoing

    doc = row.document
    doc = outgoing.draft_submit(document=doc, by=doc.drafted_by, reviewer=org["chief"])
    doc = outgoing.draft_approve(document=doc, by=org["chief"])
    doc = outgoing.document_sign(document=doc, by=org["leader"], pin=PIN)
    return outgoing.document_issue(document=doc, by=org["clerk"], pin=PIN)


def ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)
