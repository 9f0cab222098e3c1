"""documents.outgoing.services.versions: uploads checked by content."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.outgoing import services
from documents.outgoing.models import OutgoingDocument
from documents.outgoing.render import docx as render_docx
from tests.documents.outgoing.helpers import (
    _fields,
)
from tests.signing.conftest import _signing_settings, authority, pki_dir  # noqa: F401


def test_docx_refused_clearly_without_libreoffice(office, agency_b, monkeypatch):
    monkeypatch.setattr(render_docx, "_soffice", lambda: None)
    upload = SimpleUploadedFile("du-thao.docx", b"PK\x03\x04" + b"word/document.xml" + b"\0" * 100)
    with pytest.raises(ValidationError) as info:
        services.draft_create(by=office["officer"], fields=_fields(office, agency_b), upload=upload)
    assert "LibreOffice" in str(info.value)
    assert not OutgoingDocument.objects.exists()


def test_bad_upload_refused_by_content(office, agency_b):
    upload = SimpleUploadedFile("du-thao.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.draft_create(by=office["officer"], fields=_fields(office, agency_b), upload=upload)
    assert not OutgoingDocument.objects.exists()
