"""The print mark (Phụ lục VI III.6k): a PDF downloaded or printed from the system carries, at the foot of
every page, "Bản in từ hệ thống eOffice — <họ tên> — <dd/mm/yyyy HH:MM>".

The mark goes on the copy being served, never on the stored file, and as an **incremental update**: the
original bytes stay first in the file, untouched, so every signature's byte range still hashes to what was
signed and ``pdfsig`` reports the signatures valid on the marked copy (it then says that the signature does
not cover the whole file, which is the truth: the mark came after).

The mark's text is laid out by the output layer (WeasyPrint with the shipped Liberation Serif, as the
signature stamp: pyHanko spaces text badly with 2048-unit fonts) into a small one-page PDF, imported once
as a form XObject and drawn on each page by an added content stream wrapped in q … Q (the page's own
graphics state is saved first by a prepended ``q``, so an unbalanced page cannot move the mark).
"""

from __future__ import annotations

import datetime as dt
import html
import io
import uuid

from django.utils import timezone

MARK_WIDTH = 430.0  # points
MARK_HEIGHT = 12.0
MARGIN_BOTTOM = 8.0
MARK_CSS = (
    "body { margin: 0; font-family: 'Liberation Serif'; font-size: 8pt; line-height: 12pt; color: #555;"
    " white-space: nowrap; text-align: center; }"
)


class PrintMarkError(ValueError):
    """The PDF cannot be marked (damaged or encrypted)."""


def mark_text(*, user, at: dt.datetime | None = None) -> str:
    when = timezone.localtime(at or timezone.now())
    name = (getattr(user, "full_name", "") or user.get_username()) if user is not None else ""
    return f"Bản in từ hệ thống eOffice — {name} — {when:%d/%m/%Y %H:%M}"


def _mark_pdf_page(text: str) -> bytes:
    from eoffice.output import pdf

    body = (
        f"<!doctype html><html><head><style>{MARK_CSS}</style></head><body>{html.escape(text)}</body></html>"
    )
    return pdf.write_page(body, width=MARK_WIDTH, height=MARK_HEIGHT)


def _box(page) -> list[float]:
    node = page
    while node is not None:
        for key in ("/CropBox", "/MediaBox"):
            if key in node:
                return [float(v) for v in node[key]]
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
    return [0.0, 0.0, 595.28, 841.89]


def _placement(page) -> tuple[float, float, float, float, float, float]:
    """The matrix drawing the mark centred at the foot of the page as it is shown (its /Rotate
    included), shrunk to the page's width when narrower."""
    x1, y1, x2, y2 = _box(page)
    left, bottom, right, top = min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)
    rotate = int(page.get("/Rotate", 0) or 0) % 360
    shown_width = (top - bottom) if rotate in (90, 270) else (right - left)
    scale = min(1.0, (shown_width - 20) / MARK_WIDTH) if shown_width > 20 else 1.0
    offset = (shown_width - MARK_WIDTH * scale) / 2
    if rotate == 90:  # shown clockwise: the foot is the box's right edge, the text runs upwards
        return (0, scale, -scale, 0, right - MARGIN_BOTTOM, bottom + offset)
    if rotate == 180:
        return (-scale, 0, 0, -scale, right - offset, top - MARGIN_BOTTOM)
    if rotate == 270:
        return (0, -scale, scale, 0, left + MARGIN_BOTTOM, top - offset)
    return (scale, 0, 0, scale, left + offset, bottom + MARGIN_BOTTOM)


def mark_pdf(data: bytes, *, user, at: dt.datetime | None = None) -> bytes:
    """``data`` with the print mark on every page, added as an incremental update (earlier revisions and
    their signatures unchanged). Raises PrintMarkError when the file cannot be marked."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    except Exception as exc:  # pyHanko raises several types for damaged files
        raise PrintMarkError("damaged PDF") from exc
    if writer.prev.encrypted:
        raise PrintMarkError("encrypted PDF")
    try:
        mark = writer.import_page_as_xobject(
            PdfFileReader(io.BytesIO(_mark_pdf_page(mark_text(user=user, at=at)))), page_ix=0
        )
        name = f"/EoPrintMark{uuid.uuid4().hex[:8]}"  # a file marked before keeps its own mark
        resources = generic.DictionaryObject(
            {generic.pdf_name("/XObject"): generic.DictionaryObject({generic.pdf_name(name): mark})}
        )
        save = writer.add_object(generic.StreamObject(stream_data=b"q\n"))
        count = int(writer.root["/Pages"]["/Count"])
        for index in range(count):
            page_ref, page_resources = writer.find_page_for_modification(index)
            shared = page_resources.get_object() if page_resources is not None else None
            known = shared is not None and name in shared.get("/XObject", {})  # resources shared by pages
            matrix = " ".join(f"{v:.4f}" for v in _placement(page_ref.get_object()))
            stream = writer.add_object(
                generic.StreamObject(stream_data=f"\nQ q {matrix} cm {name} Do Q\n".encode())
            )
            page = page_ref.get_object()
            if "/Contents" not in page or page_resources is None:  # a blank page: nothing to wrap
                page[generic.pdf_name("/Contents")] = writer.add_object(generic.ArrayObject([stream]))
                if page_resources is None:
                    page[generic.pdf_name("/Resources")] = resources
                elif not known:
                    writer.merge_resources(page_resources.get_object(), resources)
                    writer.update_container(page_resources.get_object())
                writer.mark_update(page_ref)
                continue
            writer.add_stream_to_page(index, save, prepend=True)
            writer.add_stream_to_page(index, stream, resources=None if known else resources)
        out = io.BytesIO()
        writer.write(out)
    except PrintMarkError:
        raise
    except Exception as exc:
        raise PrintMarkError(f"cannot mark: {exc}") from exc
    return out.getvalue()
