"""Uploaded drafts: ``stamp_number`` writes the number and date into the blanks of page 1 at signature,
``find_signature_box`` finds the space above the signer's name."""

from __future__ import annotations

import io
import re
import unicodedata

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from documents.outgoing.render.layout import (
    MM,
    SIGNATURE_HEIGHT,
    SIGNATURE_WIDTH,
    TEMPLATES,
    LayoutNotFound,
    key,
    nfc,
)
from documents.outgoing.render.positions import Char, Line, page_lines, pdf_reader, text_width
from eoffice.output import pdf as output_pdf

BLANK_CHARS = set(" \u00a0\u2009._…-–")


DATE_PARTS = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)


def _find(line: Line, pattern: str, start: int = 0) -> re.Match | None:
    return re.compile(pattern).search(line.text.lower(), start)


def stamp_number(pdf: bytes, *, number_text: str, date_text: str) -> bytes:
    """Write the number after "Số:" and the day and month into "ngày … tháng … năm …" on page 1.

    Number: on the top-most line holding "Số:", the number part of ``number_text`` (before its "/") is set
    right-aligned against the "/" that follows ("Số:      /QĐ-SKHĐT" becomes "Số: 15/QĐ-SKHĐT"); with no
    "/" on that line the whole ``number_text`` follows "Số:". Date: on the first line holding "ngày",
    "tháng" and "năm" in that order, the day and month taken from ``date_text`` ("An Hòa, ngày 05 tháng 3
    năm 2026") are centred in the blanks between those words, and the year follows "năm" when that blank is
    empty or holds another year. Place names are left as they are. Blanks of dots or underscores are
    covered in white first; a blank that already holds digits raises ``LayoutNotFound`` rather than being
    written over. Text is Liberation Serif at the size found on the line (11–15 pt), the date in italics.

    The result is a new, plain PDF: earlier revisions, the form and signature fields are dropped.
    """
    from pypdf import PdfReader, PdfWriter, Transformation

    match = DATE_PARTS.search(unicodedata.normalize("NFC", date_text or ""))
    number = nfc(number_text)
    if not match or not number:
        raise ValueError(_("Số hoặc ngày ban hành không đúng định dạng."))
    day, month, year = match.groups()
    reader = pdf_reader(pdf)
    page = reader.pages[0]
    lines = page_lines(page)
    texts: list[dict] = []
    covers: list[dict] = []

    def put(text: str, *, at: Char, left: float, italic: bool, cover: tuple[float, float] | None = None):
        size = min(max(at.size, 11.0), 15.0)
        if cover and cover[1] > cover[0]:
            covers.append({"x1": cover[0], "x2": cover[1], "y": at.y, "size": size})
        texts.append({"text": text, "x": left, "y": at.y, "size": size, "italic": italic})

    def dirty(chars: list[Char]) -> bool:
        return any(c.text not in (" ", "\u00a0") for c in chars)

    # the number, box 3
    number_line = next((ln for ln in lines if _find(ln, r"số\s*:")), None)
    if number_line is None:
        raise LayoutNotFound(
            _(
                'Không tìm thấy vị trí "Số:" trên trang đầu của tệp dự thảo nên không ghi được số văn bản. '
                'Vui lòng trình bày số, ký hiệu theo mẫu (ví dụ "Số:      /QĐ-UBND") rồi tải lên lại.'
            )
        )
    chars = number_line.chars
    colon = _find(number_line, r"số\s*:").end() - 1
    slash = number_line.text.find("/", colon)
    if slash >= 0:
        gap = chars[colon + 1 : slash]
        if any(c.text.isalnum() for c in gap):
            raise LayoutNotFound(_('Tệp dự thảo đã ghi số sau "Số:"; không ghi đè số văn bản.'))
        part = number.split("/")[0]
        right = chars[slash].x1 - 0.3
        left = max(
            right - text_width(part, "Regular", min(max(chars[colon].size, 11.0), 15.0)), chars[colon].x2
        )
        cover = (chars[colon].x2 + 0.5, right) if dirty(gap) else None
        put(part, at=chars[colon], left=left, italic=False, cover=cover)
    else:
        put(number, at=chars[colon], left=chars[colon].x2 + 0.25 * chars[colon].size, italic=False)

    # the date, box 4
    found = None
    for line in lines:
        text = line.text.lower()
        d = text.find("ngày")
        m = text.find("tháng", d + 4) if d >= 0 else -1
        y = text.find("năm", m + 5) if m >= 0 else -1
        if y >= 0:
            found = line.chars, d, m, y
            break
    if found is None:
        raise LayoutNotFound(
            _(
                'Không tìm thấy dòng "ngày … tháng … năm …" trên trang đầu của tệp dự thảo nên không ghi '
                "được ngày ban hành. Vui lòng trình bày địa danh và thời gian theo mẫu rồi tải lên lại."
            )
        )
    chars, d, m, y = found
    for start, end, value in ((d + 4, m, day), (m + 5, y, month)):
        gap = chars[start:end]
        if any(c.text.isdigit() for c in gap):
            raise LayoutNotFound(_("Tệp dự thảo đã ghi ngày, tháng ban hành; không ghi đè ngày ban hành."))
        x1, x2 = chars[start - 1].x2, chars[end].x1
        width = text_width(value, "Italic", min(max(chars[start - 1].size, 11.0), 15.0))
        cover = (x1 + 0.5, x2 - 0.5) if dirty(gap) else None
        put(value, at=chars[start - 1], left=(x1 + x2 - width) / 2, italic=True, cover=cover)
    after = y + 3  # the blank after "năm"
    end = after
    while end < len(chars) and (chars[end].text in BLANK_CHARS or chars[end].text.isdigit()):
        end += 1
    written = "".join(c.text for c in chars[after:end]).strip(" \u00a0")
    if written != year:
        x1 = chars[after - 1].x2
        cover = (x1 + 0.5, chars[end - 1].x2 + 0.5) if written else None
        put(year, at=chars[after - 1], left=x1 + 0.25 * chars[after - 1].size, italic=True, cover=cover)

    media = page.mediabox
    overlay = _overlay(
        width=float(media.width),
        height=float(media.height),
        origin=(float(media.left), float(media.bottom)),
        texts=texts,
        covers=covers,
    )
    stamp = PdfReader(io.BytesIO(overlay)).pages[0]
    writer = PdfWriter()
    for index, source in enumerate(reader.pages):
        added = writer.add_page(source)
        _drop_signature_fields(added)
        if index == 0:
            added.merge_transformed_page(
                stamp, Transformation().translate(float(media.left), float(media.bottom))
            )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# Where the baseline falls in a line box of line-height 1 with Liberation Serif: half-leading + ascent,
# (1 - (0.891 + 0.216)) / 2 + 0.891 em (hhea ascent 1825, descent 443 of 2048 units).
BASELINE_EM = (1 - (1825 + 443) / 2048) / 2 + 1825 / 2048


def _overlay(*, width: float, height: float, origin: tuple[float, float], texts, covers) -> bytes:
    ox, oy = origin
    context = {
        "width": width,
        "height": height,
        "texts": [
            {
                "text": t["text"],
                "left": t["x"] - ox,
                "top": height - (t["y"] - oy) - BASELINE_EM * t["size"],
                "size": t["size"],
                "italic": t["italic"],
            }
            for t in texts
        ],
        "covers": [
            {
                "left": c["x1"] - ox,
                "width": max(c["x2"] - c["x1"], 0),
                "top": height - (c["y"] - oy) - 0.8 * c["size"],
                "height": 1.05 * c["size"],
            }
            for c in covers
        ],
    }
    return output_pdf.write(render_to_string(TEMPLATES + "overlay.html", context))


def _drop_signature_fields(page) -> None:
    from pypdf.generic import ArrayObject, NameObject

    annots = page.get("/Annots")
    if not annots:
        return
    kept = ArrayObject()
    for ref in annots.get_object():
        annot = ref.get_object()
        parent = annot.get("/Parent")
        kind = annot.get("/FT") or (parent.get_object().get("/FT") if parent is not None else None)
        if kind != "/Sig":
            kept.append(ref)
    page[NameObject("/Annots")] = kept


def find_signature_box(pdf: bytes, *, signer_name: str) -> dict | None:
    """The space above the signer's name, searched from the last page back: {"page", "rect"} or None.

    The box is 60 mm wide, centred on the name, from just above the name up to 28 mm or to the line above
    it (the signer's title), whichever is lower.
    """
    name = key(signer_name)
    if not name:
        return None
    reader = pdf_reader(pdf)
    for index in range(len(reader.pages) - 1, -1, -1):
        page = reader.pages[index]
        lines = page_lines(page)
        for position in range(len(lines) - 1, -1, -1):
            line = lines[position]
            text = line.text.lower()
            if name not in " ".join(text.split()):
                continue
            start, end = _span_of_words(text, name)
            first, last = line.chars[start], line.chars[end - 1]
            centre = (first.x1 + last.x2) / 2
            bottom = first.y + 0.9 * first.size + 1  # just over the name's accents
            top = bottom + SIGNATURE_HEIGHT
            for above in reversed(lines[:position]):
                overlaps = any(first.x1 - 20 <= c.x1 <= last.x2 + 20 for c in above.chars if c.text.strip())
                if overlaps and above.y > bottom:
                    top = min(top, above.y - 0.25 * above.size - 1)
                    break
            media = page.mediabox
            left = min(
                max(centre - SIGNATURE_WIDTH / 2, float(media.left)), float(media.right) - SIGNATURE_WIDTH
            )
            rect = [left, bottom, left + SIGNATURE_WIDTH, max(top, bottom + 10 * MM)]
            return {"page": index, "rect": [round(v, 2) for v in rect]}
    return None


def _span_of_words(text: str, words: str) -> tuple[int, int]:
    """Where ``words`` is in ``text``, allowing any run of white space between them."""
    match = re.search(r"\s+".join(re.escape(w) for w in words.split()), text)
    return (match.start(), match.end()) if match else (0, len(text))
