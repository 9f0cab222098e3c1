"""The one content check of every upload (eoffice.uploads): bombs and damaged files refused before
anything decodes them; sound files accepted; signature and seal images through the profile and admin."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from eoffice import uploads
from eoffice.models import Agency
from tests.bombs import (
    MB,
    docx_bytes,
    png_bomb,
    small_pdf_bytes,
    truncated_pdf,
    zip_bomb,
)
from tests.factories import make_user, png_upload


def _refused(upload, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        uploads.check_upload(upload, **kwargs)
    return info.value


def _jpeg(size=(200, 280)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (250, 250, 250)).save(out, format="JPEG")
    return out.getvalue()


def _xlsx() -> bytes:
    from openpyxl import Workbook

    out = io.BytesIO()
    book = Workbook()
    book.active["A1"] = "Danh mục"
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    "name,data,kind",
    [
        ("cong-van.pdf", small_pdf_bytes(), "pdf"),
        ("scan.jpg", _jpeg(), "jpeg"),
        ("anh.png", None, "png"),
        ("bien-ban.docx", docx_bytes(), "docx"),
        ("bang.xlsx", _xlsx(), "xlsx"),
    ],
)
def test_sound_files_are_accepted(name, data, kind):
    upload = png_upload(name) if data is None else SimpleUploadedFile(name, data)
    assert uploads.check_upload(upload) == kind
    assert upload.tell() == 0  # left at the start for whoever saves it


def test_pillow_refuses_to_decode_a_bomb_anywhere():
    assert Image.MAX_IMAGE_PIXELS == uploads.SCAN_MAX_PIXELS
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(png_bomb().read()))


def test_png_bomb_refused_from_its_header_quickly():
    bomb = png_bomb()
    started = time.process_time()
    error = _refused(bomb)
    assert time.process_time() - started < 0.5
    assert error.code == "too_many_pixels"
    assert "quá lớn (tối đa 40 triệu điểm ảnh)" in error.messages[0]


def test_image_just_above_the_limit_refused_below_accepted():
    # 8000 × 6000 = 48 MP: above the 40 MP scan limit, below Pillow's own refusal (80 MP).
    assert _refused(png_bomb("scan.png", 8000, 6000)).code == "too_many_pixels"
    assert uploads.check_upload(png_bomb("scan.png", 6000, 6000)) == "png"  # 36 MP
    assert _refused(png_bomb("chu-ky.png", 2100, 2000), max_pixels=uploads.STAMP_MAX_PIXELS).code == (
        "too_many_pixels"
    )


def test_truncated_pdf_refused():
    error = _refused(truncated_pdf())
    assert error.code == "damaged" and "Tệp PDF bị hỏng" in error.messages[0]


def test_pdf_without_pages_refused():
    fake = SimpleUploadedFile("x.pdf", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n")
    assert _refused(fake).code == "damaged"


def test_truncated_png_refused():
    data = png_upload().read()
    assert _refused(SimpleUploadedFile("anh.png", data[: len(data) // 2])).code == "damaged"


def test_zip_bomb_named_docx_refused_without_unpacking():
    bomb = zip_bomb()
    started = time.process_time()
    error = _refused(bomb)
    assert time.process_time() - started < 0.5
    assert error.code == "zip_bomb"
    assert "khi giải nén lớn hơn 100 MB" in error.messages[0]


def test_office_unpacked_size_limit(monkeypatch):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<row/>" * (2 * MB // 6))  # 2 MB unpacked
    monkeypatch.setattr(uploads, "OFFICE_MAX_UNPACKED", 3 * MB)
    assert uploads.check_upload(SimpleUploadedFile("bang.xlsx", out.getvalue())) == "xlsx"
    monkeypatch.setattr(uploads, "OFFICE_MAX_UNPACKED", 1 * MB)
    assert _refused(SimpleUploadedFile("bang.xlsx", out.getvalue())).code == "zip_bomb"


def test_zip_member_with_an_absurd_ratio_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (20 * MB))  # 20 MB: under the sum, 1000:1
    assert _refused(SimpleUploadedFile("a.docx", out.getvalue())).code == "zip_bomb"


def test_docx_without_its_document_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/styles.xml", "<styles/>")
    assert _refused(SimpleUploadedFile("a.docx", out.getvalue())).code == "damaged"


def test_docx_with_a_damaged_member_refused():
    data = bytearray(docx_bytes("x" * 5000))
    offset = data.index(b"word/document.xml") + len(b"word/document.xml") + 10
    data[offset : offset + 20] = b"\xff" * 20  # inside the packed document: CRC or inflate fails
    assert _refused(SimpleUploadedFile("a.docx", bytes(data))).code == "damaged"


def test_kind_is_read_from_content_and_must_match_the_name():
    assert _refused(SimpleUploadedFile("virus.docx", b"MZ\x90\x00 not a docx")).code == "bad_type"
    assert _refused(SimpleUploadedFile("a.docx", small_pdf_bytes())).code == "bad_type"
    assert uploads.check_upload(SimpleUploadedFile("a.docx", small_pdf_bytes()), match_name=False) == "pdf"
    assert _refused(SimpleUploadedFile("a.pdf", b"")).code == "empty"
    error = _refused(SimpleUploadedFile("a.docx", docx_bytes()), kinds=uploads.SCAN_KINDS)
    assert "PDF hoặc ảnh quét" in error.messages[0]


def test_size_limit(settings):
    settings.EOFFICE_MAX_UPLOAD_MB = 1
    error = _refused(SimpleUploadedFile("a.pdf", b"%PDF-1.7\n" + b"0" * (2 * MB)))
    assert error.code == "too_large" and "1 MB" in error.messages[0]


# ---- signature and seal images -------------------------------------------------------------------


@pytest.mark.django_db
def test_profile_refuses_a_12000_px_signature_image_quickly(officer_a, login):
    client = login(officer_a)
    bomb = png_bomb("chu-ky.png", 12000, 12000)
    started = time.process_time()
    response = client.post(reverse("profile"), {"signature_image": bomb})
    assert time.process_time() - started < 1.5  # decoding it took 2.4 s
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ảnh có kích thước quá lớn (tối đa 4 triệu điểm ảnh)" in page
    officer_a.refresh_from_db()
    assert not officer_a.signature_image


@pytest.mark.django_db
def test_profile_refuses_a_signature_image_above_the_stamp_limit(officer_a, login):
    # 2100 × 2000: Pillow alone would decode it; the signature limit (4 MP) refuses it.
    upload = png_bomb("chu-ky.png", 2100, 2000)
    response = login(officer_a).post(reverse("profile"), {"signature_image": upload})
    assert "tối đa 4 triệu điểm ảnh" in response.content.decode()
    officer_a.refresh_from_db()
    assert not officer_a.signature_image


@pytest.mark.django_db
def test_admin_seal_image_refused_above_the_stamp_limit(agency_a, login):
    admin_user = make_user(agency=None, roles=(), is_staff=True, is_superuser=True)
    client = login(admin_user)
    url = reverse("admin:eoffice_agency_change", args=[agency_a.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert isinstance(form.fields["seal_image"], uploads.StampImageField)
    data = {}
    for name in form.fields:
        value = form[name].value()
        if name == "seal_image" or value is None:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list | tuple) else value
    data["seal_image"] = png_bomb("con-dau.png", 12000, 12000)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "tối đa 4 triệu điểm ảnh" in response.content.decode()
    assert not Agency.objects.get(pk=agency_a.pk).seal_image
