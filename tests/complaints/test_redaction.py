"""The redacted copy: every page rasterised, the boxes burned into the pixels, an image-only PDF with no text
layer (pypdf and pdftotext find nothing), stored as REDACTED beside the encrypted original; only the entitled
draw it; bad boxes are refused with a message and nothing saved."""

from __future__ import annotations

import io
import json

import pypdfium2 as pdfium
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from complaints import services
from complaints.models import LetterFile
from tests.complaints.conftest import DENOUNCER
from tests.complaints.redaction_helpers import NAME_BOX, pdf_text, protected_letter
from workflow.models import HistoryEntry

pytestmark = pytest.mark.django_db


def _dark_fraction(data: bytes, page: int, box) -> float:
    """The share of near-black pixels of ``box`` (fractions) on ``page`` of a PDF."""
    pdf = pdfium.PdfDocument(data)
    image = pdf[page - 1].render(scale=1).to_pil().convert("L")
    pdf.close()
    w, h = image.size
    _page, x, y, bw, bh = box
    crop = image.crop((int(x * w) + 2, int(y * h) + 2, int((x + bw) * w) - 2, int((y + bh) * h) - 2))
    pixels = crop.tobytes()
    return sum(1 for p in pixels if p < 30) / len(pixels)


def test_redacted_copy_is_image_only_with_the_mask_burned_in(org):
    letter, scan = protected_letter(org)
    original = services.file_bytes(scan)
    assert DENOUNCER.id_number in pdf_text(original)  # the fixture has the text layer the copy must lose
    assert scan.encrypted

    copy = services.letter_redact(source=scan, boxes=[NAME_BOX], by=org["reception"])

    assert copy.kind == LetterFile.Kind.REDACTED and copy.redacted_from_id == scan.pk
    assert not copy.encrypted and copy.letter_id == letter.pk
    data = services.file_bytes(copy)
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert text.strip() == ""  # no text layer at all, on any page
    assert DENOUNCER.id_number not in text and "Bí Mật" not in text
    assert b"/Font" not in data and b"/Annot" not in data
    assert len(pdfium.PdfDocument(data)) == 2
    # The mask is pixels: the box is black on page 1, the same area on page 2 is not.
    assert _dark_fraction(data, 1, NAME_BOX) > 0.98
    assert _dark_fraction(data, 2, NAME_BOX) < 0.05
    # Rasterised at 150 dpi or more: an A4 page is at least 1240 px wide.
    image = pdfium.PdfDocument(data)[0].render(scale=150 / 72).to_pil()
    assert image.size[0] >= 1240
    # The history says a copy was made, with counts only.
    entry = HistoryEntry.objects.filter(action="redaction").get()
    assert entry.data == {"file": copy.pk, "source": scan.pk, "pages": 2, "boxes": 1}
    assert DENOUNCER.name not in json.dumps(entry.data, ensure_ascii=False) + entry.comment


def test_redacted_name_does_not_repeat_the_original_name(org):
    letter, scan = protected_letter(org)
    copy = services.letter_redact(source=scan, boxes=[NAME_BOX], by=org["reception"])
    assert "don-to-cao" not in copy.name and copy.name.endswith(".pdf")


@pytest.mark.parametrize("who", ["verifier", "chief", "clerk", "officer", "other_b"])
def test_only_the_entitled_redact(org, who):
    _letter, scan = protected_letter(org)
    with pytest.raises(PermissionDenied):
        services.letter_redact(source=scan, boxes=[NAME_BOX], by=org[who])
    assert not LetterFile.objects.filter(kind=LetterFile.Kind.REDACTED).exists()


def test_the_decider_may_redact(org):
    _letter, scan = protected_letter(org)
    copy = services.letter_redact(source=scan, boxes=[NAME_BOX], by=org["leader"])
    assert copy.uploaded_by == org["leader"]


@pytest.mark.parametrize(
    "boxes",
    [
        [],
        [(1, 0.5, 0.5, 0, 0.1)],
        [(0, 0.1, 0.1, 0.2, 0.2)],
        [(3, 0.1, 0.1, 0.2, 0.2)],  # the file has 2 pages
        [("x", 0.1, 0.1, 0.2, 0.2)],
        [(1, "nan", 0.1, 0.2, 0.2)],
        [{"page": 1}],
        [(1, 2.0, 2.0, 0.5, 0.5)],  # entirely outside the page
    ],
)
def test_bad_boxes_are_refused_and_nothing_saved(org, boxes):
    _letter, scan = protected_letter(org)
    with pytest.raises(ValidationError):
        services.letter_redact(source=scan, boxes=boxes, by=org["reception"])
    assert not LetterFile.objects.filter(kind=LetterFile.Kind.REDACTED).exists()
    assert not HistoryEntry.objects.filter(action="redaction").exists()


def test_a_redacted_copy_is_not_redacted_again(org):
    _letter, scan = protected_letter(org)
    copy = services.letter_redact(source=scan, boxes=[NAME_BOX], by=org["reception"])
    with pytest.raises(ValidationError):
        services.letter_redact(source=copy, boxes=[NAME_BOX], by=org["reception"])


def test_an_image_scan_is_redacted_too(org):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    letter, _scan = protected_letter(org)
    picture = Image.new("RGB", (800, 1000), "white")
    out = io.BytesIO()
    picture.save(out, format="PNG")
    scan = services.letter_file_add(
        letter=letter,
        upload=SimpleUploadedFile("anh.png", out.getvalue(), content_type="image/png"),
        kind=LetterFile.Kind.PAPER,
        by=org["reception"],
    )
    copy = services.letter_redact(source=scan, boxes=[(1, 0.25, 0.25, 0.5, 0.5)], by=org["reception"])
    data = services.file_bytes(copy)
    assert _dark_fraction(data, 1, (1, 0.25, 0.25, 0.5, 0.5)) > 0.98
    assert _dark_fraction(data, 1, (1, 0.0, 0.0, 0.2, 0.2)) < 0.01


# ---- the tool, through HTTP ------------------------------------------------------------------------------


def test_the_tool_page_renders_pages_and_saves_a_copy(org, login):
    letter, scan = protected_letter(org)
    client = login(org["reception"])
    page = client.get(reverse("complaints:file_redact", args=[scan.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("complaints:file_page", args=[scan.pk, 1]) in html
    assert reverse("complaints:file_page", args=[scan.pk, 2]) in html
    assert "complaints/redact.js" in html and 'name="csrfmiddlewaretoken"' in html
    assert DENOUNCER.name not in html

    png = client.get(reverse("complaints:file_page", args=[scan.pk, 1]))
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    assert png.content.startswith(b"\x89PNG") and "no-store" in png["Cache-Control"]
    assert client.get(reverse("complaints:file_page", args=[scan.pk, 3])).status_code == 404

    boxes = json.dumps([{"page": 1, "x": 0.05, "y": 0.08, "w": 0.9, "h": 0.12}])
    response = client.post(reverse("complaints:file_redact", args=[scan.pk]), {"boxes": boxes})
    assert response.status_code == 302
    copy = LetterFile.objects.get(kind=LetterFile.Kind.REDACTED)
    assert copy.redacted_from_id == scan.pk


@pytest.mark.parametrize("posted", ["", "not json", "{}", "[]", '[{"page": 1, "x": 0.1}]'])
def test_the_tool_refuses_bad_input_with_a_message(org, login, posted):
    _letter, scan = protected_letter(org)
    client = login(org["reception"])
    response = client.post(reverse("complaints:file_redact", args=[scan.pk]), {"boxes": posted})
    assert response.status_code == 200
    assert "alert-error" in response.content.decode()
    assert not LetterFile.objects.filter(kind=LetterFile.Kind.REDACTED).exists()


@pytest.mark.parametrize("who", ["verifier", "chief", "clerk", "officer", "other_b"])
def test_the_tool_is_404_for_the_others(org, login, who):
    _letter, scan = protected_letter(org)
    client = login(org[who])
    assert client.get(reverse("complaints:file_redact", args=[scan.pk])).status_code == 404
    assert client.get(reverse("complaints:file_page", args=[scan.pk, 1])).status_code == 404
    boxes = json.dumps([{"page": 1, "x": 0.1, "y": 0.1, "w": 0.2, "h": 0.2}])
    assert client.post(reverse("complaints:file_redact", args=[scan.pk]), {"boxes": boxes}).status_code == 404
    assert not LetterFile.objects.filter(kind=LetterFile.Kind.REDACTED).exists()


def test_the_tool_needs_csrf(org, client):
    from django.test import Client

    _letter, scan = protected_letter(org)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(org["reception"], backend="django.contrib.auth.backends.ModelBackend")
    boxes = json.dumps([{"page": 1, "x": 0.1, "y": 0.1, "w": 0.2, "h": 0.2}])
    assert strict.post(reverse("complaints:file_redact", args=[scan.pk]), {"boxes": boxes}).status_code == 403
