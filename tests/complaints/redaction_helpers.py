"""Helpers of the H4 tests (identity, files, redaction): a scanned-letter PDF with a real text layer that
names the denouncer, a protected denunciation registered through the services with that scan."""

from __future__ import annotations

import io
import subprocess

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader

from complaints import services
from complaints.models import CaseKind, Field, Letter, LetterFile, Source
from complaints.services import ContentInput
from tests.complaints.conftest import DENOUNCER

# Where the name line sits on page 1 (fractions of the page, origin top left): the box that masks it.
NAME_BOX = (1, 0.05, 0.08, 0.9, 0.12)


def letter_pdf(*, pages: int = 2, person=DENOUNCER) -> bytes:
    """An A4 letter with a text layer: page 1 names the person (name, ID, address) near the top, then the
    content; later pages content only."""
    from reportlab.pdfgen import canvas

    from eoffice.output.register import FONT, faces

    faces()
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(595, 842))
    for number in range(1, pages + 1):
        pdf.setFont(FONT, 12)
        if number == 1:
            # Lines between 8 % and 20 % of the height from the top: y = 842 * (1 - f).
            pdf.drawString(50, 842 * 0.88, f"Họ tên: {person.name}")
            pdf.drawString(50, 842 * 0.85, f"CCCD: {person.id_number}")
            pdf.drawString(50, 842 * 0.82, f"Địa chỉ: {person.address}")
        pdf.drawString(50, 842 * 0.5, f"Nội dung tố cáo trang {number}: cán bộ địa chính nhận tiền.")
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def pdf_text(data: bytes) -> str:
    """The text layer read twice: pypdf and pdftotext."""
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    result = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return text + "\n" + result.stdout.decode("utf-8", "replace")


def protected_letter(org, *, by=None, pages: int = 2) -> tuple[Letter, LetterFile]:
    """A protected denunciation registered by the reception officer with its scan (stored encrypted)."""
    letter = services.letter_register(
        by=by or org["reception"],
        received_on=timezone.localdate(),
        source=Source.IN_PERSON,
        summary="Tố cáo cán bộ địa chính nhận tiền",
        people=[DENOUNCER],
        contents=[
            ContentInput(
                kind=CaseKind.DENUNCIATION, content="Tố cáo cán bộ địa chính nhận tiền", field=Field.LAND
            )
        ],
        protected=True,
    )
    scan = services.letter_file_add(
        letter=letter,
        upload=SimpleUploadedFile("don-to-cao.pdf", letter_pdf(pages=pages), content_type="application/pdf"),
        kind=LetterFile.Kind.LETTER,
        by=by or org["reception"],
    )
    return letter, scan
