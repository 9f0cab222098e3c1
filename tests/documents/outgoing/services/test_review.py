"""documents.outgoing.services.review: approving an uploaded draft finds the stamp box for the signer."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from documents.outgoing import render, rules, services
from documents.outgoing.models import OutgoingDocument
from signing.verification import verify_pdf
from tests.documents.outgoing.helpers import (
    PIN,
    _fields,
    _type,
)
from tests.signing.conftest import _signing_settings, authority, pki_dir  # noqa: F401


def test_uploaded_draft_signer_chosen_at_approval_gets_the_stamp_box(office, agency_a, agency_b):
    """The drafter uploads a PDF without naming the signer; the head names the signer when approving: the
    stamp box is found above that signer's printed name, and the signature goes there."""
    layout = rules.layout_for(
        OutgoingDocument(
            agency=agency_a,
            department=office["unit"],
            doc_type=_type("Công văn"),
            summary="Báo cáo nhanh tình hình giải ngân",
            signer=office["leader"],
            signer_title="Giám đốc",
            place_name=agency_a.place_name,
        ),
        draft=False,
    )
    upload = SimpleUploadedFile("du-thao.pdf", render.render(layout).pdf, content_type="application/pdf")
    doc = services.draft_create(
        by=office["officer"], fields=_fields(office, agency_b, signer=None), upload=upload
    )
    assert doc.current_version.signature_box is None
    doc = services.draft_submit(document=doc, by=office["officer"], reviewer=office["head"])
    doc = services.draft_approve(document=doc, by=office["head"], signer=office["leader"])
    doc.current_version.refresh_from_db()
    assert doc.current_version.signature_box is not None
    doc = services.document_sign(document=doc, by=office["leader"], pin=PIN)
    assert verify_pdf(doc.current_version.file.read()).all_ok
    box = doc.sign_request.box  # where the stamp was placed, kept on the request
    assert doc.current_version.signature_box["rect"] == [box["x1"], box["y1"], box["x2"], box["y2"]]
