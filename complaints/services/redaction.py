"""The files of a letter as each person may have them, and the redacted copy of a protected letter.

A protected letter's originals (the scan of the letter, the papers) identify the denouncer: they are stored
encrypted and only the entitled (``rules.identity_entitled``: the officer who took it, the person who decides)
open them, decrypted on the fly. Everyone else who sees the letter gets the ``REDACTED`` copy: every page
rasterised, the officer's boxes burned black into the pixels, rebuilt as an image-only PDF — no annotation to
lift, no text layer left under the masks."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from complaints import crypto, rules
from complaints.models import Case, Letter, LetterFile
from complaints.services.common import case_history
from eoffice.models import User

__all__ = [
    "REDACT_DPI",
    "Box",
    "file_bytes",
    "letter_entitled",
    "letter_files_visible",
    "letter_redact",
    "page_count",
    "page_png",
]

REDACT_DPI = 150
PREVIEW_DPI = 100
MAX_PAGES = 200
MAX_BOXES = 500


@dataclass(frozen=True)
class Box:
    """A rectangle on a page, as fractions of the page's width and height (origin top left)."""

    page: int
    x: float
    y: float
    w: float
    h: float


def letter_entitled(user: User, letter: Letter) -> bool:
    """Whether ``user`` may open the originals of a protected ``letter`` (and draw its redacted copy):
    entitled to its protected people; for a protected letter without a protected person row, its receiver
    or decider."""
    if not getattr(user, "is_authenticated", False) or user.agency_id != letter.agency_id:
        return False
    protected = [i for i in letter.people.all() if i.protected]
    if protected:
        return any(rules.identity_entitled(user, i, letter=letter) for i in protected)
    if letter.received_by_id == user.pk:
        return True
    if letter.decider_id:
        return user.pk == letter.decider_id
    return rules.is_decider(user, letter.agency_id)


def letter_files_visible(user: User, letter: Letter) -> list[LetterFile]:
    """The files of ``letter`` that ``user`` (who sees the letter) may open: all of them for an unprotected
    letter or for the entitled; the redacted copies only for everyone else."""
    files = list(letter.files.all())
    if not letter.protected or letter_entitled(user, letter):
        return files
    return [f for f in files if f.kind == LetterFile.Kind.REDACTED]


def file_bytes(row: LetterFile) -> bytes:
    """The content of a stored file, decrypted when it is stored encrypted (never written back in clear)."""
    with row.file.open("rb") as handle:
        data = handle.read()
    return crypto.decrypt_bytes(data) if row.encrypted else data


def _is_pdf(data: bytes) -> bool:
    return data[:1024].lstrip().startswith(b"%PDF")


def _pages(data: bytes, dpi: int) -> Iterable:
    """The pages of a PDF or an image, as PIL images (RGB) at ``dpi`` (an image is one page, as it is)."""
    from PIL import Image

    if _is_pdf(data):
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(data)
        try:
            if len(pdf) > MAX_PAGES:
                raise ValidationError(_("Tệp có quá nhiều trang để che thông tin."))
            for index in range(len(pdf)):
                page = pdf[index]
                yield page.render(scale=dpi / 72).to_pil().convert("RGB")
                page.close()
        finally:
            pdf.close()
        return
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except Exception as exc:  # not a readable picture
        raise ValidationError(_("Không đọc được tệp để che thông tin.")) from exc
    yield image.convert("RGB")


def page_count(row: LetterFile) -> int:
    data = file_bytes(row)
    if _is_pdf(data):
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(data)
        try:
            return len(pdf)
        finally:
            pdf.close()
    return 1


def page_png(row: LetterFile, page: int, *, dpi: int = PREVIEW_DPI) -> bytes:
    """Page ``page`` (1-based) of the file as a PNG, for the redaction tool (the caller checked the right)."""
    data = file_bytes(row)
    if _is_pdf(data):
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(data)
        try:
            if not 1 <= page <= len(pdf):
                raise ValidationError(_("Không có trang này."))
            image = pdf[page - 1].render(scale=dpi / 72).to_pil().convert("RGB")
        finally:
            pdf.close()
    else:
        if page != 1:
            raise ValidationError(_("Không có trang này."))
        image = next(iter(_pages(data, dpi)))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def _boxes(boxes: Iterable) -> list[Box]:
    """Normalised boxes: tuples or dicts of (page, x, y, w, h), fractions clipped to the page."""
    result = []
    for raw in boxes:
        try:
            if isinstance(raw, dict):
                page, x, y, w, h = (raw[k] for k in ("page", "x", "y", "w", "h"))
            else:
                page, x, y, w, h = raw
            page = int(page)
            x, y, w, h = (float(v) for v in (x, y, w, h))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValidationError(_("Vùng che không hợp lệ.")) from exc
        if any(v != v for v in (x, y, w, h)):  # NaN
            raise ValidationError(_("Vùng che không hợp lệ."))
        if w < 0:
            x, w = x + w, -w
        if h < 0:
            y, h = y + h, -h
        x0, y0 = max(0.0, x), max(0.0, y)
        x1, y1 = min(1.0, x + w), min(1.0, y + h)
        if page < 1 or x1 <= x0 or y1 <= y0:
            raise ValidationError(_("Vùng che không hợp lệ."))
        result.append(Box(page, x0, y0, x1 - x0, y1 - y0))
    if not result:
        raise ValidationError(_("Vui lòng đánh dấu ít nhất một vùng cần che."))
    if len(result) > MAX_BOXES:
        raise ValidationError(_("Quá nhiều vùng che."))
    return result


def _burn(data: bytes, boxes: list[Box]) -> tuple[bytes, int]:
    """Rasterise every page at REDACT_DPI, fill the boxes black in the pixels, rebuild an image-only PDF."""
    from PIL import ImageDraw

    images = []
    for number, image in enumerate(_pages(data, REDACT_DPI), start=1):
        draw = ImageDraw.Draw(image)
        width, height = image.size
        for box in (b for b in boxes if b.page == number):
            left, top = int(box.x * width), int(box.y * height)
            right = min(width, int(round((box.x + box.w) * width)) + 1)
            bottom = min(height, int(round((box.y + box.h) * height)) + 1)
            draw.rectangle([left, top, right - 1, bottom - 1], fill=(0, 0, 0))
        images.append(image)
    if not images:
        raise ValidationError(_("Không đọc được tệp để che thông tin."))
    if max(b.page for b in boxes) > len(images):
        raise ValidationError(_("Vùng che nằm ngoài số trang của tệp."))
    out = io.BytesIO()
    images[0].save(out, format="PDF", resolution=REDACT_DPI, save_all=True, append_images=images[1:])
    return out.getvalue(), len(images)


def letter_redact(*, source: LetterFile, boxes: Iterable, by: User) -> LetterFile:
    """The redacted copy of ``source`` (a scan of a protected letter), with ``boxes`` burned in:
    ``LetterFile(kind=REDACTED, redacted_from=source)``, stored in clear, for everyone who sees the letter.
    Only the entitled draw it; each case of the letter gets a history row (page and box counts only)."""
    normalised = _boxes(boxes)
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(pk=source.letter_id)
        source = LetterFile.objects.select_related("letter").get(pk=source.pk)
        if not letter_entitled(by, letter):
            raise PermissionDenied(_("Bạn không có quyền tạo bản che thông tin của đơn này."))
        if source.kind == LetterFile.Kind.REDACTED:
            raise ValidationError(_("Hãy che thông tin trên bản gốc, không phải trên bản đã che."))
        pdf, pages = _burn(file_bytes(source), normalised)
        ordinal = letter.files.filter(kind=LetterFile.Kind.REDACTED).count() + 1
        # The name shown to everyone must not repeat an original file name that could identify the person.
        name = _("ban-che-%(letter)s-%(n)s.pdf") % {"letter": f"{letter.number}-{letter.year}", "n": ordinal}
        row = LetterFile(
            letter=letter,
            kind=LetterFile.Kind.REDACTED,
            name=name,
            content_type="application/pdf",
            size=len(pdf),
            sha256=hashlib.sha256(pdf).hexdigest(),
            encrypted=False,
            redacted_from=source,
            uploaded_by=by,
        )
        row.file.save(f"{ordinal}.pdf", ContentFile(pdf), save=False)
        row.save()
        for case in Case.objects.filter(letter=letter).select_for_update():
            case_history(
                case=case,
                by=by,
                action="redaction",
                data={"file": row.pk, "source": source.pk, "pages": pages, "boxes": len(normalised)},
            )
    return row
