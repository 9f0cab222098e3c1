"""documents.outgoing.render.docx: DOCX drafts converted by LibreOffice, refused clearly without it."""

from __future__ import annotations

import io
import shutil
import stat
import time
import zipfile

import pytest

from documents.outgoing import render
from documents.outgoing.render import docx
from tests.documents.outgoing.render.helpers import (
    pages_text,
)


def minimal_docx(text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as docx:
        docx.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
            'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override '
            'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>',
        )
        docx.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        )
        docx.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            f'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>',
        )
    return buffer.getvalue()


def fake_soffice(tmp_path, monkeypatch, script: str) -> None:
    program = tmp_path / "bin" / "soffice"
    program.parent.mkdir()
    program.write_text("#!/bin/sh\n" + script)
    program.chmod(program.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", str(program.parent))


def test_conversion_unavailable_without_libreoffice(monkeypatch):
    monkeypatch.setattr(docx.shutil, "which", lambda name: None)
    assert render.converter_available() is False
    with pytest.raises(render.ConversionUnavailable) as caught:
        render.docx_to_pdf(minimal_docx("Dự thảo"))
    assert "LibreOffice" in str(caught.value) and "PDF" in str(caught.value)


def test_conversion_failure_and_timeout_are_value_errors(tmp_path, monkeypatch):
    sleep = shutil.which("sleep")
    fake_soffice(tmp_path, monkeypatch, "exit 1\n")
    assert render.converter_available() is True
    with pytest.raises(ValueError, match="Không chuyển được"):
        render.docx_to_pdf(minimal_docx("Dự thảo"))
    with pytest.raises(ValueError, match="Word"):
        render.docx_to_pdf(b"%PDF-1.7 not a docx")
    (tmp_path / "bin" / "soffice").write_text(f"#!/bin/sh\nexec {sleep} 30\n")
    monkeypatch.setattr(docx, "CONVERSION_TIMEOUT", 1)
    started = time.perf_counter()
    with pytest.raises(ValueError, match="quá thời gian"):
        render.docx_to_pdf(minimal_docx("Dự thảo"))
    assert time.perf_counter() - started < 10


def test_conversion_with_libreoffice():
    if not render.converter_available():
        pytest.skip("LibreOffice (soffice) is not installed on this machine")
    pdf = render.docx_to_pdf(minimal_docx("Dự thảo công văn"))
    assert pdf.startswith(b"%PDF-")
    assert "Dự thảo công văn" in pages_text(pdf)[0]
