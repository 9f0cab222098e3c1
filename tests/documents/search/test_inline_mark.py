"""III.6k: the PDF the page's viewer loads (an inline GET of the file, no ``?print`` nor ``?download``) is a
copy with the print mark, as downloads and prints are; its signatures stay valid (pdfsig), the stored file
is untouched."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from pypdf import PdfReader

from eoffice.models import Role
from tests.documents.conftest import receive
from tests.eoffice.audit.signed import signed_pdf, valid_signatures
from tests.signing.conftest import (  # noqa: F401
    _signing_settings,
    authority,
    clerk_a,
    leader_a,
    leader_credential,
    pki_dir,
    seal_credential,
)

pytestmark = pytest.mark.django_db

MARK = "Bản in từ hệ thống eOffice"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_inline_view_of_a_signed_pdf_carries_the_mark_and_valid_signatures(
    client,
    staff_a,
    leader_credential,  # noqa: F811
    seal_credential,  # noqa: F811
    tmp_path,
):
    clerk = staff_a[Role.CLERK]
    signed = signed_pdf(leader_credential=leader_credential, seal_credential=seal_credential)
    document = receive(clerk)
    document.file.save("signed.pdf", ContentFile(signed), save=True)
    client.force_login(clerk)

    page = client.get(reverse("documents:incoming_detail", args=[document.pk]))
    file_url = reverse("documents:incoming_file", args=[document.pk])
    assert f'data-src="{file_url}"' in page.content.decode()  # what the in-page viewer loads

    response = client.get(file_url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline")
    assert response["Cache-Control"] == "private, no-store"
    data = body(response)
    assert data.startswith(signed)  # the mark is an incremental update after the signed revisions
    texts = [p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages]
    assert texts and all(MARK in t and clerk.full_name in t for t in texts)
    assert valid_signatures(data, tmp_path) == [True, True]
    with document.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).digest() == hashlib.sha256(signed).digest()
