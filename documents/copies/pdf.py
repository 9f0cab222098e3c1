"""The copy's PDF: the original's pages (for a trích sao only those taken), their annotations flattened so
the seal and the signatures stay visible as they were, then the copy block (Phụ lục I Phần II, Phụ lục III)
on a last page rendered through ``eoffice.output.pdf``. Signed afterwards by the services."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.template.loader import render_to_string

from eoffice.output import pdf as output_pdf

TEMPLATE = "documents/copies/pdf/block.html"
STYLESHEET = "documents/copies/pdf/block.css"


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


def assemble(*, source: bytes, pages: list[int] | None, block: Block) -> tuple[bytes, int]:
    """(PDF bytes, pages): the chosen pages of ``source`` (all when ``pages`` is None), annotations
    flattened into the page content, then the copy block's page(s)."""
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
        result.import_pages(tail)
        out = io.BytesIO()
        result.save(out, version=17)
        return out.getvalue(), len(result)
    finally:
        result.close()
        tail.close()
        original.close()
