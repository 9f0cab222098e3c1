"""``render(layout)``: the layout through the templates under ``documents/outgoing/pdf/`` and WeasyPrint
(``eoffice.output.pdf``: the shipped fonts, a fetcher that stays off the network); the PDF, its pages and
where the leader's signature image goes (read from WeasyPrint's anchors)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.template.loader import render_to_string

from documents.outgoing.render.layout import (
    MM,
    PT_PER_PX,
    SIGNATURE_HEIGHT,
    SIGNATURE_WIDTH,
    SPACE_ID,
    TEMPLATES,
    Layout,
    Rendered,
    document_context,
)
from eoffice.output import pdf as output_pdf


@lru_cache(maxsize=1)
def stylesheet_path() -> Path:
    """nd30.css, beside the templates of ``TEMPLATES``."""
    return output_pdf.template_file(TEMPLATES + "nd30.css")


def stylesheets() -> list:
    """The agency header's layout, then the document's own stylesheet (parsed once per process)."""
    return [output_pdf.header_stylesheet(), output_pdf.stylesheet(stylesheet_path())]


def _signature_box(document) -> dict:
    for index, page in enumerate(document.pages):
        anchor = page.anchors.get(SPACE_ID)
        if anchor is None:
            continue
        height = page.height * PT_PER_PX
        if len(anchor) >= 4:
            x1, top, x2, bottom = (v * PT_PER_PX for v in anchor[:4])
        else:  # older WeasyPrint: only the top-left point; the block is the right 55 % of the text area
            left, top = (v * PT_PER_PX for v in anchor[:2])
            x2 = page.width * PT_PER_PX - 15 * MM
            x1, bottom = left, top + SIGNATURE_HEIGHT
        centre = (x1 + x2) / 2
        rect = [centre - SIGNATURE_WIDTH / 2, height - bottom, centre + SIGNATURE_WIDTH / 2, height - top]
        return {"page": index, "rect": [round(v, 2) for v in rect]}
    raise RuntimeError("signature space missing from the rendered document")  # a template bug, not input


def render(layout: Layout) -> Rendered:
    """Lay out ``layout`` as a Decree-30 document; the PDF, its page count and where the signature goes."""
    html_text = render_to_string(TEMPLATES + "document.html", {"doc": document_context(layout)})
    document = output_pdf.document(html_text, stylesheets=stylesheets(), base_url=stylesheet_path().parent)
    box = _signature_box(document)
    return Rendered(pdf=document.write_pdf(), pages=len(document.pages), signature_box=box)
