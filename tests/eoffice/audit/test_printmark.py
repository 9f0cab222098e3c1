"""The print mark (III.6k) keeps the signatures valid: pdfsig before and after, the text on every page, the
stored original untouched."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from pypdf import PdfReader

from eoffice.files import serve_field_file
from eoffice.models import BackupRun
from eoffice.output.printmark import PrintMarkError, mark_pdf, mark_text
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


@pytest.fixture
def signed(leader_credential, seal_credential):  # noqa: F811
    return signed_pdf(leader_credential=leader_credential, seal_credential=seal_credential)


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def test_mark_keeps_both_signatures_valid_and_marks_every_page(signed, leader_a, tmp_path):  # noqa: F811
    assert valid_signatures(signed, tmp_path) == [True, True]
    when = timezone.make_aware(dt.datetime(2026, 12, 7, 9, 5))
    marked = mark_pdf(signed, user=leader_a, at=when)
    assert marked.startswith(signed)  # an incremental update: the signed revision is byte for byte there
    assert valid_signatures(marked, tmp_path) == [True, True]
    expected = f"Bản in từ hệ thống eOffice — {leader_a.full_name} — 07/12/2026 09:05"
    assert mark_text(user=leader_a, at=when) == expected
    texts = page_texts(marked)
    assert len(texts) == 2 and all(expected in text for text in texts)
    assert not any("Bản in từ hệ thống" in text for text in page_texts(signed))


def test_rotated_page_is_marked_too(leader_a):  # noqa: F811
    from pypdf import PdfWriter

    source = PdfWriter()
    source.add_blank_page(width=595, height=842).rotate(90)
    out = io.BytesIO()
    source.write(out)
    marked = mark_pdf(out.getvalue(), user=leader_a)
    assert "Bản in từ hệ thống eOffice" in page_texts(marked)[0]


def test_damaged_pdf_is_refused():
    with pytest.raises(PrintMarkError):
        mark_pdf(b"%PDF-1.7 not really", user=None)


def test_serve_field_file_marks_the_copy_never_the_stored_file(signed, leader_a, tmp_path):  # noqa: F811
    run = BackupRun.objects.create()  # any model with a FileField would do; the file field is written below
    storage_file = ContentFile(signed, name="vanban.pdf")
    from django.core.files.storage import default_storage

    name = default_storage.save("audit-test/vanban.pdf", storage_file)
    field_file = _FieldFile(name)
    before = hashlib.sha256(default_storage.open(name).read()).hexdigest()
    response = serve_field_file(field_file, filename="vanban.pdf", inline=False, mark_for=leader_a)
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith("attachment")
    body = response.content
    assert "Bản in từ hệ thống eOffice" in page_texts(body)[0]
    assert valid_signatures(body, tmp_path) == [True, True]
    assert hashlib.sha256(default_storage.open(name).read()).hexdigest() == before
    # without mark_for the stored bytes are served as they are
    plain = serve_field_file(field_file, filename="vanban.pdf")
    assert b"".join(plain.streaming_content) == signed
    assert run.pk


class _FieldFile:
    """The little of a FieldFile that serve_field_file uses."""

    def __init__(self, name):
        self.name = name

    def __bool__(self):
        return True

    def open(self, mode="rb"):
        from django.core.files.storage import default_storage

        return default_storage.open(self.name, mode)
