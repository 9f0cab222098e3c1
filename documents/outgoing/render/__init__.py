"""Decree-30 PDFs of outgoing documents (văn bản đi): layout, numbering of uploaded drafts, DOCX conversion.

``render(layout)`` lays out an administrative document as NĐ 30/2020 Phụ lục I, Phần I and the templates of
Phụ lục III prescribe (A4, Times-metric Liberation Serif, header table, type name and summary, body, signature
block with Nơi nhận) with WeasyPrint (through ``eoffice.output.pdf``: the shipped fonts, a fetcher that stays
off the network) and the templates under ``documents/outgoing/pdf/``, and reports where the leader's
signature image goes (``Rendered.signature_box``, read from WeasyPrint's anchors).

For drafts uploaded as PDF (not rendered here) ``stamp_number`` writes the number and date into the blanks
of page 1 and ``find_signature_box`` finds the space above the signer's name. Both locate text with pypdf:
its visitor gives the start of each text run, and positions inside a run add up the advance widths of the
PDF's own font (read through pypdf's font tables); where a width cannot be read, the Times metrics of
Liberation Serif stand in (NĐ 30 prescribes Times New Roman, with which it is metric-compatible).

A package: ``layout`` (the Layout and the templates' context), ``document`` (``render``), ``preview`` (the
bounded render), ``positions`` (text in an existing PDF), ``stamp`` (``stamp_number``,
``find_signature_box``), ``docx`` (conversion).

Nothing here touches the database; the Django template engine and gettext need configured settings only.
"""

from documents.outgoing.render.document import render, stylesheet_path, stylesheets
from documents.outgoing.render.docx import ConversionUnavailable, converter_available, docx_to_pdf
from documents.outgoing.render.layout import (
    VIETNAM,
    Appendix,
    Layout,
    LayoutNotFound,
    Rendered,
    appendices_from,
    format_date,
    format_number,
)
from documents.outgoing.render.positions import text_width
from documents.outgoing.render.preview import (
    PREVIEW_SECONDS,
    STARTUP_SECONDS,
    WARM_LAYOUT,
    RenderTimeout,
    render_bounded,
)
from documents.outgoing.render.stamp import find_signature_box, stamp_number

__all__ = [
    "PREVIEW_SECONDS",
    "STARTUP_SECONDS",
    "VIETNAM",
    "Appendix",
    "WARM_LAYOUT",
    "ConversionUnavailable",
    "Layout",
    "LayoutNotFound",
    "RenderTimeout",
    "Rendered",
    "appendices_from",
    "converter_available",
    "docx_to_pdf",
    "find_signature_box",
    "format_date",
    "format_number",
    "render",
    "render_bounded",
    "stamp_number",
    "stylesheet_path",
    "stylesheets",
    "text_width",
]
