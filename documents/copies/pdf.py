"""The copy's PDF: the original's pages (for a trích sao only those taken), their annotations flattened so
the seal and the signatures stay visible as they were, then the copy block (Phụ lục I Phần II, Phụ lục III)
rendered through ``eoffice.output.pdf``: "trên cùng một tờ giấy, ngay sau phần cuối cùng của văn bản cần
sao" (Phần II mục II.2.a) when the last page has room under its content, else on a page of its own. Signed
afterwards by the services."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.template.loader import render_to_string

from eoffice.output import pdf as output_pdf

TEMPLATE = "documents/copies/pdf/block.html"
STYLESHEET = "documents/copies/pdf/block.css"
BOTTOM_MARGIN = 20 * 72 / 25.4  # points: the block's own @page bottom margin (block.css), kept on the page
GAP = 12.0  # points between the original's last line and the block's rule


class SourceUnreadable(ValueError):
    """The original's file is not a PDF that can be copied page by page."""


@dataclass
class Block:
    heading: str  # SAO Y / SAO LỤC / TRÍCH SAO
    agency_name: str
    parent_name: str
    number_symbol: str
    place_date: str
    authority: str
    title: str
    signer_name: str
    distribution: list[str] = field(default_factory=list)
    excerpt_note: str = ""


def page_count(data: bytes) -> int:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise SourceUnreadable(str(exc)) from exc
    try:
        return len(document)
    finally:
        document.close()


def block_pdf(block: Block) -> bytes:
    html_text = render_to_string(TEMPLATE, {"b": block})
    css = output_pdf.template_file(STYLESHEET)
    return output_pdf.write(html_text, stylesheets=[output_pdf.stylesheet(css)], base_url=css.parent)


def _extent(page) -> tuple[float, float] | None:
    """(bottom, top) in points of what is drawn on ``page``; None for an empty page."""
    bounds = [obj.get_bounds() for obj in page.get_objects(max_depth=0)]
    if not bounds:
        return None
    return min(b[1] for b in bounds), max(b[3] for b in bounds)


def _shift_under_content(last, tail) -> float | None:
    """How far to move the block's page down to sit under ``last``'s content, or None when it does not fit
    (a full or scanned page, another page size, a block longer than a page)."""
    if len(tail) != 1:
        return None
    block_page = tail[0]
    if any(abs(a - b) > 1 for a, b in zip(last.get_size(), block_page.get_size(), strict=True)):
        return None
    content, block = _extent(last), _extent(block_page)
    if content is None or block is None:
        return None
    top = content[0] - GAP  # where the block's rule goes
    if top - (block[1] - block[0]) < BOTTOM_MARGIN:
        return None
    return top - block[1]


def assemble(*, source: bytes, pages: list[int] | None, block: Block) -> tuple[bytes, int]:
    """(PDF bytes, pages): the chosen pages of ``source`` (all when ``pages`` is None), annotations
    flattened into the page content, then the copy block: under the last page's content when it has
    room, else on a page of its own."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        original = pdfium.PdfDocument(source)
    except pdfium.PdfiumError as exc:
        raise SourceUnreadable(str(exc)) from exc
    tail = pdfium.PdfDocument(block_pdf(block))
    result = pdfium.PdfDocument.new()
    try:
        chosen = list(range(len(original))) if pages is None else pages
        for index in chosen:
            page = original[index]
            pdfium_c.FPDFPage_Flatten(page.raw, pdfium_c.FLAT_PRINT)
            page.close()
        result.import_pages(original, pages=chosen)
        last = result[len(result) - 1]
        shift = _shift_under_content(last, tail)
        if shift is None:
            result.import_pages(tail)
        else:
            placed = tail.page_as_xobject(0, result).as_pageobject()
            placed.transform(pdfium.PdfMatrix().translate(0, shift))
            last.insert_obj(placed)
            last.gen_content()
        last.close()
        out = io.BytesIO()
        result.save(out, version=17)
        return out.getvalue(), len(result)
    finally:
        result.close()
        tail.close()
        original.close()
