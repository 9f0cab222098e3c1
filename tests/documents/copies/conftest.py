"""Fixtures of the copy tests: the office of agency A (clerk with the seal credential, leader, officer) and
a received incoming document to copy."""

from __future__ import annotations

import io

import pytest

from documents.copies.services import CopyFields
from signing import backends
from tests.documents.conftest import receive
from tests.documents.outgoing.helpers import office  # noqa: F401
from tests.signing.conftest import authority, pki_dir  # noqa: F401

PIN = "123456"


@pytest.fixture(autouse=True)
def signing_settings(settings, pki_dir):  # noqa: F811
    settings.SIGNING_PKI_DIR = pki_dir
    settings.SIGNING_TSA_IN_PROCESS = True
    settings.SIGNING_TRUST_TEST_CA = True
    settings.SIGNING_LOCAL_TSA = True
    settings.SIGNING_PADES_LEVEL = "B-B"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    yield
    backends.clear_key_cache()


def three_pages(text: str = "Văn bản gốc") -> bytes:
    from weasyprint import HTML

    body = "".join(f'<p style="page-break-after: always">{text} trang {n}</p>' for n in range(1, 4))
    return HTML(string=f"<html><body>{body}</body></html>").write_pdf()


@pytest.fixture
def incoming(office):  # noqa: F811
    """A received, registered incoming document of three pages in agency A."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("goc.pdf", three_pages(), content_type="application/pdf")
    return receive(office["clerk"], main_files=[upload])


def fields(office, **extra) -> CopyFields:  # noqa: F811
    values = {"form": "SY", "signer": office["leader"], "signer_title": "Giám đốc"}
    values.update(extra)
    return CopyFields(**values)


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def read(field_file) -> bytes:
    with field_file.open("rb") as handle:
        return handle.read()
