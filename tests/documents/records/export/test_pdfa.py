"""PDF/A-2b renditions (Phụ lục VI III.5.e): Ghostscript makes a PDF that declares PDF/A-2b in its XMP, with
the same text; the package keeps the signed original byte for byte and lists the rendition in metadata.xml
(valid against the schema, which still accepts a package without renditions); without Ghostscript the option
says so and nothing breaks."""

from __future__ import annotations

import hashlib
import io
import subprocess
import zipfile

import pytest
from django.urls import reverse
from lxml import etree

from documents.records.export import package
from eoffice.output import pdfa
from tests.documents.records.export.conftest import pdf_of

pytestmark = pytest.mark.django_db
needs_gs = pytest.mark.skipif(not pdfa.available(), reason="Ghostscript is not installed")
NS = {"p": package.NAMESPACE}


def _text(data: bytes) -> str:
    done = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True, timeout=60)
    return " ".join(done.stdout.decode().split())


def _login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@needs_gs
def test_conversion_declares_pdfa_2b_and_keeps_the_text():
    original = pdf_of(2, "Công văn số 07 về việc triển khai")
    rendition = pdfa.convert(original, title="Hồ sơ 05.ĐKKD")
    assert rendition != original
    assert pdfa.declares_pdfa(rendition) == ("2", "B")
    assert pdfa.declares_pdfa(original) is None
    assert b"/OutputIntents" in rendition and b"GTS_PDFA1" in rendition
    assert _text(rendition) == _text(original)
    assert "Công văn số 07 về việc triển khai 2" in _text(rendition)


def test_conversion_refuses_what_is_not_a_pdf():
    with pytest.raises(pdfa.PdfaError):
        pdfa.convert(b"hello, not a pdf")


@needs_gs
def test_conversion_reports_a_damaged_pdf():
    with pytest.raises(pdfa.PdfaError):
        pdfa.convert(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" + b"garbage" * 20)


def test_without_ghostscript_the_conversion_says_so(monkeypatch):
    monkeypatch.setattr(pdfa.shutil, "which", lambda name: None)
    assert not pdfa.available()
    with pytest.raises(pdfa.PdfaError, match="Ghostscript"):
        pdfa.convert(pdf_of(1))


@needs_gs
def test_package_with_pdfa_keeps_originals_and_lists_renditions(case_file):
    plain = zipfile.ZipFile(io.BytesIO(package.file_package(case_file=case_file)))
    archive = zipfile.ZipFile(io.BytesIO(package.file_package(case_file=case_file, with_pdfa=True)))
    names = archive.namelist()
    originals = [n for n in plain.namelist() if n.startswith("files/")]
    pdfs = [n for n in originals if plain.read(n).startswith(b"%PDF-")]
    assert len(pdfs) == 2
    for name in originals:  # the originals are byte-identical
        assert archive.read(name) == plain.read(name)
    for name in pdfs:
        rendered_path = package.rendition_path(name)
        assert names.index(rendered_path) == names.index(name) + 1  # next to its original
        assert pdfa.declares_pdfa(archive.read(rendered_path)) == ("2", "B")
        assert _text(archive.read(rendered_path)) == _text(archive.read(name))
    schema = etree.XMLSchema(etree.fromstring(archive.read(package.SCHEMA_NAME)))
    doc = etree.fromstring(archive.read(package.METADATA_NAME))
    schema.assertValid(doc)
    renditions = doc.findall(".//p:ComputerFile/p:Rendition", NS)
    assert len(renditions) == 2
    for rendition in renditions:
        path = rendition.findtext("p:Path", namespaces=NS)
        data = archive.read(path)
        assert rendition.findtext("p:Format", namespaces=NS) == "PDF/A-2b"
        assert rendition.findtext("p:Sha256", namespaces=NS) == hashlib.sha256(data).hexdigest()
        assert rendition.findtext("p:Size", namespaces=NS) == str(len(data))
        original = rendition.getparent().findtext("p:Path", namespaces=NS)
        assert path == package.rendition_path(original)
    # an old package (no renditions) is still valid against the extended schema
    schema.assertValid(etree.fromstring(plain.read(package.METADATA_NAME)))
    assert not etree.fromstring(plain.read(package.METADATA_NAME)).findall(".//p:Rendition", NS)


@needs_gs
def test_case_file_page_offers_pdfa_and_the_downloads_work(case_file, people, client):
    _login(client, people["officer"])
    page = client.get(reverse("documents:casefile_detail", args=[case_file.pk])).content.decode()
    zip_url = reverse("documents:casefile_export_zip", args=[case_file.pk]) + "?pdfa=1"
    pdf_url = reverse("documents:casefile_export_pdf", args=[case_file.pk]) + "?pdfa=1"
    assert "kèm bản PDF/A để bảo quản dài hạn" in page
    assert zip_url.replace("&", "&amp;") in page and pdf_url in page
    archive = zipfile.ZipFile(io.BytesIO(client.get(zip_url).content))
    assert any(n.endswith("-pdfa.pdf") for n in archive.namelist())
    response = client.get(pdf_url)
    assert response.status_code == 200
    assert 'filename="ho-so-pdfa-2026-05-dkkd.pdf"' in response["Content-Disposition"]
    assert pdfa.declares_pdfa(response.content) == ("2", "B")
    assert "Công văn 07" in _text(response.content)


def test_without_ghostscript_the_option_says_so(case_file, people, client, monkeypatch):
    monkeypatch.setattr(pdfa.shutil, "which", lambda name: None)
    _login(client, people["officer"])
    page = client.get(reverse("documents:casefile_detail", args=[case_file.pk])).content.decode()
    assert "Gói hồ sơ kèm bản PDF/A để bảo quản dài hạn (máy chủ chưa cài Ghostscript)" in page
    url = reverse("documents:casefile_export_zip", args=[case_file.pk]) + "?pdfa=1"
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("documents:casefile_detail", args=[case_file.pk])
    assert "Máy chủ chưa cài Ghostscript" in response.content.decode()
    # the plain package is still there
    plain = client.get(reverse("documents:casefile_export_zip", args=[case_file.pk]))
    assert plain.status_code == 200 and plain["Content-Type"] == "application/zip"
