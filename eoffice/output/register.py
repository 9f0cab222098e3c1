"""Long tables as PDF and Excel: the printed registers (NĐ 30 Phụ lục IV, form 07 of the one-stop module),
drawn with ReportLab on A4 landscape in the shipped Liberation Serif.

A register is a long table of short texts. Every cell is broken into lines once, with the advance widths of
the font itself (``Measure``, ``wrap``); the rows are laid out on pages (``paginate``, so "n/N" is known
before drawing); each page is then drawn as one text object and one path of rules (``table_pdf``). 485 rows
take a fraction of a second this way, where an HTML layout engine took 6–10 s (issue 7).

``register_pdf`` is the whole register from its columns and printed values, ``sheet`` and ``finish_sheet``
the same register as an Excel sheet; ``table_pdf``, ``heading``, ``Row`` and the measuring helpers are there
for a table of another shape. Apps pass in their data: nothing here knows a business model (``agency`` is
anything with ``name``, ``parent_id`` and ``parent.name``).
"""

from __future__ import annotations

import functools
import io
import unicodedata
from collections.abc import Callable, Collection, Sequence

from . import excel
from .pdf import font_path

MM = 72 / 25.4
PAGE_W, PAGE_H = 297 * MM, 210 * MM  # A4 landscape
MARGIN_TOP, MARGIN_RIGHT, MARGIN_BOTTOM, MARGIN_LEFT = 15 * MM, 12 * MM, 15 * MM, 20 * MM
CONTENT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT  # 265 mm: what a table's column widths add up to
FONT, FONT_BOLD, FONT_ITALIC = "DocSerif", "DocSerif-Bold", "DocSerif-Italic"
LEADING = 1.15  # line height in font sizes (Liberation Serif's ascent + descent + line gap)
BASELINE = 0.9125  # top of a line box to its baseline, in font sizes
CELL, SMALL = 10.5, 9.5  # body and heading cells; numbering row, short headings, the footer
PAD_X, PAD_Y, RULE = 3.0, 2.0, 0.6


@functools.cache
def faces() -> dict[str, dict[int, float]]:
    """Set ReportLab up once per process: register the shipped Liberation Serif faces (full Vietnamese);
    return each face's advance widths for a 1 pt size (key -1: the width of a missing glyph)."""
    from reportlab import rl_config
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    rl_config.useA85 = 0  # binary compressed streams: no ASCII85 pass (a quarter smaller, faster)
    widths = {}
    for name, style in ((FONT, "Regular"), (FONT_BOLD, "Bold"), (FONT_ITALIC, "Italic")):
        font = TTFont(name, str(font_path(style)))
        pdfmetrics.registerFont(font)
        widths[name] = {code: width / 1000 for code, width in font.face.charWidths.items()}
        widths[name][-1] = font.face.defaultWidth / 1000
    return widths


class Measure:
    """The width in points of a string in a face at a size; each word is measured once per document."""

    def __init__(self):
        self.faces = faces()
        self.memo: dict[tuple[str, str], float] = {}

    def __call__(self, text: str, font: str, size: float) -> float:
        width = self.memo.get((font, text))
        if width is None:
            widths = self.faces[font]
            missing = widths[-1]
            width = self.memo[font, text] = sum(widths.get(ord(c), missing) for c in text)
        return width * size


def printable(value) -> str:
    """A printed value: precomposed (NFC) Vietnamese, whitespace collapsed as HTML does."""
    if value is None:
        return ""
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def wrap(text: str, width: float, measure: Measure, font: str, size: float) -> list[str]:
    """Greedy line breaking at spaces. A token longer than the line (a long number and symbol, a URL) is cut
    on its own: after its last "-" or "/" that fits, else after the last character that fits."""
    lines, line, used = [], [], 0.0
    space = measure(" ", font, size)
    for word in text.split(" ") if text else ():
        w = measure(word, font, size)
        if line and used + space + w <= width:
            line.append(word)
            used += space + w
            continue
        if line:
            lines.append(" ".join(line))
        while w > width and len(word) > 1:
            fits, used = 1, measure(word[0], font, size)
            while fits < len(word) - 1 and used + measure(word[fits], font, size) <= width:
                used += measure(word[fits], font, size)
                fits += 1
            cut = max(word.rfind("-", 1, fits), word.rfind("/", 1, fits))
            fits = cut + 1 if cut > 0 else fits
            lines.append(word[:fits])
            word = word[fits:]
            w = measure(word, font, size)
        line, used = [word], w
    if line:
        lines.append(" ".join(line))
    return lines


class Row:
    """A table row laid out: per cell its lines and the face and size they are drawn in."""

    __slots__ = ("cells", "centered", "middle", "span", "pad")

    def __init__(self, cells, *, centered=(), middle=False, span=False, pad=PAD_Y):
        self.cells: list[tuple[list[str], str, float]] = cells
        self.centered, self.middle, self.span, self.pad = centered, middle, span, pad

    def height(self) -> float:
        return max(len(lines) * size * LEADING for lines, _font, size in self.cells) + 2 * self.pad

    def split(self, height: float) -> tuple[Row, Row | None]:
        """The lines that fit in ``height`` and the rest (None if nothing is left): only for a row longer
        than a whole page."""
        head, tail = [], []
        for lines, font, size in self.cells:
            n = max(1, int((height - 2 * self.pad) // (size * LEADING)))
            head.append((lines[:n], font, size))
            tail.append((lines[n:], font, size))
        rest = Row(tail, centered=self.centered) if any(lines for lines, *_ in tail) else None
        return Row(head, centered=self.centered), rest


class Page:
    """One page being drawn: its text object and its path of rules, in points from the top-left corner."""

    def __init__(self, canvas, measure: Measure):
        self.text, self.path, self.measure, self.font = canvas.beginText(), canvas.beginPath(), measure, None

    def put(self, line: str, font: str, size: float, x: float, top: float, width: float = 0.0):
        """One line whose line box starts ``top`` below the page's top edge; centred in ``width`` if given."""
        if self.font != (font, size):
            self.text.setFont(font, size)
            self.font = (font, size)
        if width:
            x += (width - self.measure(line, font, size)) / 2
        self.text.setTextOrigin(x, PAGE_H - top - BASELINE * size)
        self.text.textOut(line)

    def rule(self, x1: float, top1: float, x2: float, top2: float):
        self.path.moveTo(x1, PAGE_H - top1)
        self.path.lineTo(x2, PAGE_H - top2)

    def draw(self, canvas):
        canvas.drawText(self.text)
        canvas.drawPath(self.path, stroke=1, fill=0)


def heading(page: Page | None, measure: Measure, agency, title_text: str, subs: list[str]) -> float:
    """The first page's heading: the agency as NĐ 30 Phụ lục I writes it (parent, own name in bold, a short
    rule), the title, the register and period, the number range. Drawn if ``page`` is given; returns where
    the table starts, in points below the top edge."""
    top = MARGIN_TOP
    if agency is not None:
        names = []
        if agency.parent_id:
            parent = printable(agency.parent.name).upper()
            names += [(line, FONT) for line in wrap(parent, CONTENT_W / 2, measure, FONT, 12)]
        own = printable(agency.name).upper()
        names += [(line, FONT_BOLD) for line in wrap(own, CONTENT_W / 2, measure, FONT_BOLD, 12)]
        width = max([30 * MM] + [measure(line, font, 12) for line, font in names])
        for line, font in names:
            if page:
                page.put(line, font, 12, MARGIN_LEFT, top, width)
            top += 12 * LEADING
        top += MM + RULE / 2
        if page:
            page.rule(MARGIN_LEFT + width / 2 - 15 * MM, top, MARGIN_LEFT + width / 2 + 15 * MM, top)
        top += RULE / 2
    top += 6 * MM
    for line in wrap(printable(title_text), CONTENT_W, measure, FONT_BOLD, 15):
        if page:
            page.put(line, FONT_BOLD, 15, MARGIN_LEFT, top, CONTENT_W)
        top += 15 * LEADING
    top += MM
    for i, sub in enumerate(subs):
        top += 0.5 * MM if i else 0
        for line in wrap(printable(sub), CONTENT_W, measure, FONT_ITALIC, 11):
            if page:
                page.put(line, FONT_ITALIC, 11, MARGIN_LEFT, top, CONTENT_W)
            top += 11 * LEADING
    return top + 5 * MM


def draw_rows(page: Page, rows: list[Row], top: float, widths: list[float]) -> float:
    """The rows from ``top`` down with their rules; returns the bottom of the last row."""
    edges = [MARGIN_LEFT]
    for w in widths:
        edges.append(edges[-1] + w)
    page.rule(edges[0], top, edges[-1], top)
    first = top
    spans = []  # (top, bottom) of the rows drawn across every column
    for row in rows:
        height = row.height()
        for i, (lines, font, size) in enumerate(row.cells):
            x, width = (edges[0], edges[-1] - edges[0]) if row.span else (edges[i], widths[i])
            y = top + row.pad
            if row.middle:
                y += (height - 2 * row.pad - len(lines) * size * LEADING) / 2
            for line in lines:
                if i in row.centered:
                    page.put(line, font, size, x + PAD_X, y, width - 2 * PAD_X)
                else:
                    page.put(line, font, size, x + PAD_X, y)
                y += size * LEADING
        if row.span:
            spans.append((top, top + height))
        top += height
        page.rule(edges[0], top, edges[-1], top)
    page.rule(edges[0], first, edges[0], top)
    page.rule(edges[-1], first, edges[-1], top)
    # Inner column rules, interrupted where a row spans the table (the empty-period message).
    runs, start = [], first
    for span_top, span_bottom in spans:
        runs.append((start, span_top))
        start = span_bottom
    runs.append((start, top))
    for x in edges[1:-1]:
        for run_top, run_bottom in runs:
            if run_bottom > run_top:
                page.rule(x, run_top, x, run_bottom)
    return top


def paginate(
    body: list[Row], *, table_top: float, head_h: float, line: float
) -> tuple[list[list[Row]], float]:
    """Rows onto pages: a row moves whole to the next page, unless it is longer than a page by itself (then
    it is split, if at least a line of ``line`` points fits). Returns the pages and the last row's bottom."""
    bottom = PAGE_H - MARGIN_BOTTOM
    room = bottom - MARGIN_TOP - head_h
    pages: list[list[Row]] = [[]]
    top = table_top + head_h
    for row in body:
        while row is not None and row.height() > bottom - top:
            if row.height() > room and bottom - top >= line * LEADING + 2 * PAD_Y:
                part, row = row.split(bottom - top)
                pages[-1].append(part)
                top += part.height()
                if row is None:
                    break
            pages.append([])
            top = MARGIN_TOP + head_h
        if row is not None:
            pages[-1].append(row)
            top += row.height()
    return pages, top


def table_pdf(
    *,
    measure: Measure,
    title_text: str,
    agency,
    subs: list[str],
    head: list[Row],
    body: list[Row],
    widths: list[float],
    foot: str,
    line: float,
) -> bytes:
    """A register as a PDF: the heading on page 1, ``head`` (the column headings) repeated on every page, the
    rows paginated, ``foot`` under the last row and "n/N" at the bottom of each page."""
    from reportlab.pdfgen.canvas import Canvas

    head_h = sum(row.height() for row in head)
    table_top = heading(None, measure, agency, title_text, subs)
    pages, top = paginate(body, table_top=table_top, head_h=head_h, line=line)
    foot_top = top + 4 * MM
    if foot_top + SMALL * LEADING > PAGE_H - MARGIN_BOTTOM:
        foot_top = MARGIN_TOP
        pages.append([])  # the footer line alone on a last page, as the HTML layout did

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(PAGE_W, PAGE_H), pageCompression=1, initialFontName=FONT)
    canvas.setTitle(printable(title_text))
    canvas.setAuthor(printable(agency.name) if agency is not None else "")
    canvas.setLineWidth(RULE)
    for number, rows in enumerate(pages, start=1):
        page = Page(canvas, measure)
        top = heading(page, measure, agency, title_text, subs) if number == 1 else MARGIN_TOP
        if rows or number == 1:
            draw_rows(page, head + rows, top, widths)
        if number == len(pages):
            page.put(printable(foot), FONT_ITALIC, SMALL, MARGIN_LEFT, foot_top)
        page_number = f"{number}/{len(pages)}"
        page.put(page_number, FONT, 10, MARGIN_LEFT, PAGE_H - MARGIN_BOTTOM / 2 - 5 * LEADING, CONTENT_W)
        page.draw(canvas)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def register_pdf(
    *,
    title_text: str,
    agency,
    subs: list[str],
    columns: Sequence[str],
    table: Sequence[Sequence],
    widths_mm: Sequence[float],
    centered: Collection[int] = (),
    size: float = CELL,
    heading_size: Callable[[str], float] | float = SMALL,
    empty: str,
    foot: str,
) -> bytes:
    """A register: the ``columns`` (headings, then their numbers "(1)", "(2)"… repeated on every page) over
    the printed values of ``table`` in ``size`` points, ``centered`` columns (0-based) centred; ``empty`` in
    italics across the table when there is no row. ``widths_mm`` add up to ``CONTENT_W``; ``heading_size``
    is a size, or a function of a heading's text giving its size."""
    measure = Measure()
    widths = [w * MM for w in widths_mm]
    inner = [w - 2 * PAD_X for w in widths]
    every = range(len(widths))
    headings = []
    for label, width in zip(columns, inner, strict=True):
        label = printable(label)
        label_size = heading_size(label) if callable(heading_size) else heading_size
        headings.append((wrap(label, width, measure, FONT_BOLD, label_size), FONT_BOLD, label_size))
    head = [
        Row(headings, centered=every, middle=True),
        Row([([f"({i + 1})"], FONT, SMALL) for i in every], centered=every),
    ]
    if table:
        body = [
            Row(
                [
                    (wrap(printable(value), width, measure, FONT, size), FONT, size)
                    for value, width in zip(values, inner, strict=True)
                ],
                centered=centered,
            )
            for values in table
        ]
    else:
        body = [Row([([printable(empty)], FONT_ITALIC, size)], centered={0}, span=True, pad=8)]
    return table_pdf(
        measure=measure,
        title_text=title_text,
        agency=agency,
        subs=subs,
        head=head,
        body=body,
        widths=widths,
        foot=foot,
        line=size,
    )


# ---- the same register as an Excel sheet ------------------------------------------------------------------


def sheet(*, sheet_title: str, lines: Sequence[str], columns: Sequence[str], fonts=None):
    """A workbook with the register's heading ``lines`` (agency, title, scope…), its column headings and
    their numbers "(1)", "(2)"…; returns (workbook, sheet, the headings' row). The app appends its rows, then
    calls ``finish_sheet``."""
    wb, ws = excel.workbook(sheet_title)
    excel.heading(ws, lines, fonts=fonts)
    first = excel.append(ws, columns)
    excel.append(ws, [f"({i})" for i in range(1, len(columns) + 1)])
    return wb, ws, first


def finish_sheet(
    wb,
    ws,
    *,
    first: int,
    columns: int,
    widths: Sequence[float],
    centered: Collection[int] = (),
    header_vertical: str = "center",
    freeze_column: str = "A",
    fit_width: bool = False,
) -> bytes:
    """Borders and alignment (``centered``: 0-based columns), the column widths, A4 landscape with the two
    header rows repeated and frozen above the rows (and the columns before ``freeze_column``); the bytes."""
    excel.grid(
        ws,
        first_row=first,
        last_row=ws.max_row,
        columns=columns,
        header_rows=2,
        bold_header_rows=1,
        centered=[c + 1 for c in centered],
        header_vertical=header_vertical,
    )
    excel.widths(ws, widths)
    excel.page(
        ws, freeze=f"{freeze_column}{first + 2}", title_rows=f"{first}:{first + 1}", fit_width=fit_width
    )
    return excel.to_bytes(wb)
