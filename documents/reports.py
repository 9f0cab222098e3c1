"""The registers of NĐ 30 Phụ lục IV (I: Sổ đăng ký văn bản đi; VI: Sổ đăng ký văn bản đến; VIII: Sổ theo
dõi giải quyết văn bản đến) for a period, as PDF (ReportLab, A4 landscape, Liberation Serif) and Excel
(openpyxl). ``kind`` is "outgoing", "incoming" or "tracking"."""

from __future__ import annotations

import functools
import io
import unicodedata
from datetime import date

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from workflow.models import DeadlineStatus


def _d(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value).date()
    return value.strftime("%d/%m/%Y")


def columns(kind: str) -> list[str]:
    if kind == "outgoing":
        return [
            _("Số, ký hiệu văn bản"),
            _("Ngày tháng văn bản"),
            _("Tên loại và trích yếu nội dung văn bản"),
            _("Người ký"),
            _("Nơi nhận văn bản"),
            _("Đơn vị, người nhận bản lưu"),
            _("Số lượng bản"),
            _("Ngày chuyển"),
            _("Ký nhận"),
            _("Ghi chú"),
        ]
    if kind == "tracking":
        return [
            _("Số đến"),
            _("Tên loại, số, ký hiệu, ngày, tháng và tên cơ quan, tổ chức ban hành văn bản"),
            _("Đơn vị hoặc người nhận"),
            _("Thời hạn giải quyết"),
            _("Tiến độ giải quyết"),
            _("Số, ký hiệu văn bản trả lời"),
            _("Ghi chú"),
        ]
    return [
        _("Ngày đến"),
        _("Số đến"),
        _("Tác giả"),
        _("Số, ký hiệu văn bản"),
        _("Ngày tháng văn bản"),
        _("Tên loại và trích yếu nội dung văn bản"),
        _("Đơn vị hoặc người nhận"),
        _("Ngày chuyển"),
        _("Ký nhận"),
        _("Ghi chú"),
    ]


def _progress(doc) -> str:
    status = getattr(doc, "deadline_status", "")
    if doc.state == "archived":
        return _("Đã giải quyết %(date)s") % {"date": _d(doc.completed_at)}
    if doc.state == "returned":
        return _("Đã trả lại nơi gửi")
    label = DeadlineStatus(status).label if status in DeadlineStatus.values else ""
    progress = getattr(doc, "lead_progress", None)
    return f"{label} · {progress}%" if progress else str(label)


def _outgoing_places(doc) -> str:
    """Nơi nhận: the recipients the system delivered to, then the printed distribution lines not yet named."""
    names = [r.name for r in doc.recipients.all()]
    seen = {name.casefold() for name in names}
    for line in (doc.distribution or "").splitlines():
        line = line.strip().lstrip("-–•").strip().rstrip(";.,").strip()
        if line.casefold().startswith("lưu"):  # the archive copy has its own column
            continue
        if line and line.casefold() not in seen:
            names.append(line)
            seen.add(line.casefold())
    return "; ".join(names)


def _outgoing_keeper(doc) -> str:
    """Đơn vị, người nhận bản lưu: the drafting unit and the drafter."""
    unit = doc.department.name if doc.department_id and doc.department else ""
    drafter = doc.drafted_by.full_name if doc.drafted_by_id else ""
    return " / ".join(part for part in (unit, drafter) if part)


def _outgoing_note(doc) -> str:
    notes = []
    if doc.state == "recalled":
        notes.append(_("Đã thu hồi"))
    if doc.is_secret:
        notes.append(_("Văn bản mật"))
    return "; ".join(str(n) for n in notes)


def row_values(kind: str, doc) -> list:
    if kind == "outgoing":
        return [
            doc.number_symbol,
            _d(doc.issued_at),
            f"{doc.doc_type.name}: {doc.summary}",
            doc.signer.full_name if doc.signer_id else "",
            _outgoing_places(doc),
            _outgoing_keeper(doc),
            doc.copies,
            _d(doc.released_at),
            "",
            _outgoing_note(doc),
        ]
    recipient = getattr(doc, "lead_unit", "") or ""
    if kind == "tracking":
        return [
            doc.number_display,
            f"{doc.doc_type.name} số {doc.number_symbol} ngày {_d(doc.issued_date)} của {doc.issuer_name}",
            recipient,
            _d(doc.due_at),
            _progress(doc),
            doc.reply_number_symbol,
            doc.note,
        ]
    return [
        _d(doc.received_at),
        doc.number_display,
        doc.issuer_name,
        doc.number_symbol,
        _d(doc.issued_date),
        f"{doc.doc_type.name}: {doc.summary}",
        recipient,
        _d(getattr(doc, "handed_at", None)),
        "",
        doc.note or (_("Văn bản mật") if doc.is_secret else ""),
    ]


def title(kind: str) -> str:
    if kind == "outgoing":
        return _("SỔ ĐĂNG KÝ VĂN BẢN ĐI")
    return _("SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN") if kind == "tracking" else _("SỔ ĐĂNG KÝ VĂN BẢN ĐẾN")


STEMS = {"outgoing": "so-di", "incoming": "so-den", "tracking": "so-theo-doi"}
# PDF column widths in mm (each kind's add up to the 265 mm between the margins) and the columns printed
# centred (1-based), per kind.
WIDTHS = {
    "outgoing": [26, 21, 56, 27, 40, 29, 16, 21, 13, 16],
    "incoming": [21, 16, 32, 29, 21, 61, 32, 21, 16, 16],
    "tracking": [16, 90, 42, 27, 37, 32, 21],
}
CENTERED = {"outgoing": {2, 7, 8}, "incoming": {1, 2, 5}, "tracking": {1}}
XLSX_WIDTHS = {
    "outgoing": [16, 12, 48, 20, 36, 26, 9, 12, 10, 16],
    "incoming": [12, 8, 26, 16, 12, 48, 24, 12, 10, 16],
    "tracking": [8, 56, 26, 14, 24, 18, 16],
}


def number_range(rows) -> tuple[str, str]:
    """Từ số … đến số … (the cover of every Phụ lục IV register): the first and last number printed."""
    numbers = [doc.number_display for doc in rows if doc.number]
    return (numbers[0], numbers[-1]) if numbers else ("", "")


def table_rows(kind: str, rows) -> list[tuple]:
    """(document, printed values) pairs: the web page shows exactly what the printed register shows."""
    return [(doc, row_values(kind, doc)) for doc in rows]


def render(*, kind: str, fmt: str, rows, agency, register, date_from: date, date_to: date, **_ignored):
    period = _("Từ ngày %(a)s đến ngày %(b)s") % {"a": _d(date_from), "b": _d(date_to)}
    stem = f"{STEMS.get(kind, 'so-den')}-{date_from:%Y%m%d}-{date_to:%Y%m%d}"
    table = [row_values(kind, doc) for doc in rows]
    numbers = number_range(rows)
    if fmt == "xlsx":
        return (
            _xlsx(kind, table, agency, register, period, numbers),
            ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            f"{stem}.xlsx",
        )
    return _pdf(kind, table, agency, register, period, numbers), "application/pdf", f"{stem}.pdf"


def _numbers_line(numbers: tuple[str, str]) -> str:
    if not numbers[0]:
        return ""
    return _("Từ số %(a)s đến số %(b)s") % {"a": numbers[0], "b": numbers[1]}


# ---- PDF: drawn with ReportLab --------------------------------------------------------------------------
# A register is a long table of short texts. Every cell is broken into lines once, with the advance widths
# of the font itself; the rows are laid out on pages (so "n/N" is known before drawing); each page is then
# drawn as one text object and one path of rules. 485 rows take a fraction of a second this way, where an
# HTML layout engine took 6–10 s (issue 7).

MM = 72 / 25.4
PAGE_W, PAGE_H = 297 * MM, 210 * MM  # A4 landscape
MARGIN_TOP, MARGIN_RIGHT, MARGIN_BOTTOM, MARGIN_LEFT = 15 * MM, 12 * MM, 15 * MM, 20 * MM
CONTENT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT  # 265 mm: the sum of every kind's WIDTHS
FONT, FONT_BOLD, FONT_ITALIC = "DocSerif", "DocSerif-Bold", "DocSerif-Italic"
LEADING = 1.15  # line height in font sizes (Liberation Serif's ascent + descent + line gap)
BASELINE = 0.9125  # top of a line box to its baseline, in font sizes
CELL, SMALL = 10.5, 9.5  # body and heading cells; numbering row, short headings, the footer
PAD_X, PAD_Y, RULE = 3.0, 2.0, 0.6


@functools.cache
def _faces() -> dict[str, dict[int, float]]:
    """Set ReportLab up once per process: register the shipped Liberation Serif faces (full Vietnamese);
    return each face's advance widths for a 1 pt size (key -1: the width of a missing glyph)."""
    from reportlab import rl_config
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    rl_config.useA85 = 0  # binary compressed streams: no ASCII85 pass (a quarter smaller, faster)
    folder = settings.BASE_DIR / "static" / "fonts" / "liberation-serif"
    faces = {}
    for name, style in ((FONT, "Regular"), (FONT_BOLD, "Bold"), (FONT_ITALIC, "Italic")):
        font = TTFont(name, str(folder / f"LiberationSerif-{style}.ttf"))
        pdfmetrics.registerFont(font)
        faces[name] = {code: width / 1000 for code, width in font.face.charWidths.items()}
        faces[name][-1] = font.face.defaultWidth / 1000
    return faces


class _Measure:
    """The width in points of a string in a face at a size; each word is measured once per document."""

    def __init__(self):
        self.faces = _faces()
        self.memo: dict[tuple[str, str], float] = {}

    def __call__(self, text: str, font: str, size: float) -> float:
        width = self.memo.get((font, text))
        if width is None:
            widths = self.faces[font]
            missing = widths[-1]
            width = self.memo[font, text] = sum(widths.get(ord(c), missing) for c in text)
        return width * size


def _text(value) -> str:
    """A printed value: precomposed (NFC) Vietnamese, whitespace collapsed as HTML does."""
    if value is None:
        return ""
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def _lines(text: str, width: float, measure: _Measure, font: str, size: float) -> list[str]:
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


class _Row:
    """A table row laid out: per cell its lines and the face and size they are drawn in."""

    __slots__ = ("cells", "centered", "middle", "span", "pad")

    def __init__(self, cells, *, centered=(), middle=False, span=False, pad=PAD_Y):
        self.cells: list[tuple[list[str], str, float]] = cells
        self.centered, self.middle, self.span, self.pad = centered, middle, span, pad

    def height(self) -> float:
        return max(len(lines) * size * LEADING for lines, _font, size in self.cells) + 2 * self.pad

    def split(self, height: float) -> tuple[_Row, _Row | None]:
        """The lines that fit in ``height`` and the rest (None if nothing is left): only for a row longer
        than a whole page."""
        head, tail = [], []
        for lines, font, size in self.cells:
            n = max(1, int((height - 2 * self.pad) // (size * LEADING)))
            head.append((lines[:n], font, size))
            tail.append((lines[n:], font, size))
        rest = _Row(tail, centered=self.centered) if any(lines for lines, *_ in tail) else None
        return _Row(head, centered=self.centered), rest


class _Page:
    """One page being drawn: its text object and its path of rules, in points from the top-left corner."""

    def __init__(self, canvas, measure: _Measure):
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


def heading(page: _Page | None, measure: _Measure, agency, title_text: str, subs: list[str]) -> float:
    """The first page's heading: the agency as NĐ 30 Phụ lục I writes it (parent, own name in bold, a short
    rule), the title, the register and period, the number range. Drawn if ``page`` is given; returns where
    the table starts, in points below the top edge."""
    top = MARGIN_TOP
    if agency is not None:
        names = []
        if agency.parent_id:
            parent = _text(agency.parent.name).upper()
            names += [(line, FONT) for line in _lines(parent, CONTENT_W / 2, measure, FONT, 12)]
        own = _text(agency.name).upper()
        names += [(line, FONT_BOLD) for line in _lines(own, CONTENT_W / 2, measure, FONT_BOLD, 12)]
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
    for line in _lines(_text(title_text), CONTENT_W, measure, FONT_BOLD, 15):
        if page:
            page.put(line, FONT_BOLD, 15, MARGIN_LEFT, top, CONTENT_W)
        top += 15 * LEADING
    top += MM
    for i, sub in enumerate(subs):
        top += 0.5 * MM if i else 0
        for line in _lines(_text(sub), CONTENT_W, measure, FONT_ITALIC, 11):
            if page:
                page.put(line, FONT_ITALIC, 11, MARGIN_LEFT, top, CONTENT_W)
            top += 11 * LEADING
    return top + 5 * MM


def _draw_rows(page: _Page, rows: list[_Row], top: float, widths: list[float]) -> float:
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


def _pdf(kind: str, table, agency, register, period: str, numbers: tuple[str, str]) -> bytes:
    measure = _Measure()
    widths = [w * MM for w in WIDTHS.get(kind, WIDTHS["incoming"])]
    inner = [w - 2 * PAD_X for w in widths]
    every = range(len(widths))

    # The column headings and their numbering row, repeated at the top of every page.
    headings = []
    for label, width in zip(columns(kind), inner, strict=True):
        label = _text(label)
        size = SMALL if len(label) <= 12 and kind != "outgoing" else CELL
        headings.append((_lines(label, width, measure, FONT_BOLD, size), FONT_BOLD, size))
    head = [
        _Row(headings, centered=every, middle=True),
        _Row([([f"({i + 1})"], FONT, SMALL) for i in every], centered=every),
    ]

    if table:
        centered = {i - 1 for i in CENTERED.get(kind, set())}
        body = [
            _Row(
                [
                    (_lines(_text(value), width, measure, FONT, CELL), FONT, CELL)
                    for value, width in zip(row, inner, strict=True)
                ],
                centered=centered,
            )
            for row in table
        ]
    else:
        empty = (
            _("Không có văn bản đi trong kỳ này.")
            if kind == "outgoing"
            else _("Không có văn bản đến trong kỳ này.")
        )
        body = [_Row([([_text(empty)], FONT_ITALIC, CELL)], centered={0}, span=True, pad=8)]

    subs = [" · ".join(filter(None, [_text(register.name), period]))]
    if line := _numbers_line(numbers):
        subs.append(line)
    foot = _("In lúc %(time)s · %(count)s văn bản") % {
        "time": f"{timezone.localtime():%H:%M %d/%m/%Y}",
        "count": len(table),
    }
    return table_pdf(
        measure=measure,
        title_text=title(kind),
        agency=agency,
        subs=subs,
        head=head,
        body=body,
        widths=widths,
        foot=foot,
        line=CELL,
    )


def paginate(
    body: list[_Row], *, table_top: float, head_h: float, line: float
) -> tuple[list[list[_Row]], float]:
    """Rows onto pages: a row moves whole to the next page, unless it is longer than a page by itself (then
    it is split, if at least a line of ``line`` points fits). Returns the pages and the last row's bottom."""
    bottom = PAGE_H - MARGIN_BOTTOM
    room = bottom - MARGIN_TOP - head_h
    pages: list[list[_Row]] = [[]]
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
    measure: _Measure,
    title_text: str,
    agency,
    subs: list[str],
    head: list[_Row],
    body: list[_Row],
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
    canvas.setTitle(_text(title_text))
    canvas.setAuthor(_text(agency.name) if agency is not None else "")
    canvas.setLineWidth(RULE)
    for number, rows in enumerate(pages, start=1):
        page = _Page(canvas, measure)
        top = heading(page, measure, agency, title_text, subs) if number == 1 else MARGIN_TOP
        if rows or number == 1:
            _draw_rows(page, head + rows, top, widths)
        if number == len(pages):
            page.put(_text(foot), FONT_ITALIC, SMALL, MARGIN_LEFT, foot_top)
        page_number = f"{number}/{len(pages)}"
        page.put(page_number, FONT, 10, MARGIN_LEFT, PAGE_H - MARGIN_BOTTOM / 2 - 5 * LEADING, CONTENT_W)
        page.draw(canvas)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _xlsx(kind: str, table, agency, register, period: str, numbers: tuple[str, str]) -> bytes:
    from eoffice.output import excel

    wb, ws = excel.workbook({"outgoing": "So di", "tracking": "Theo doi"}.get(kind, "So den"))
    cols = columns(kind)
    excel.heading(
        ws,
        [
            agency.name.upper() if agency else "",
            title(kind),
            " · ".join(filter(None, [register.name, period, _numbers_line(numbers)])),
        ],
        fonts=[excel.BOLD, excel.TITLE, None],
    )
    first = excel.append(ws, cols)
    excel.append(ws, [f"({i})" for i in range(1, len(cols) + 1)])
    for row in table:
        excel.append(ws, row)
    excel.grid(
        ws,
        first_row=first,
        last_row=ws.max_row,
        columns=len(cols),
        header_rows=2,
        bold_header_rows=1,
        header_vertical="top",
    )
    excel.widths(ws, XLSX_WIDTHS.get(kind, XLSX_WIDTHS["incoming"]))
    excel.page(ws, freeze=f"A{first + 2}", title_rows=f"{first}:{first + 1}")
    return excel.to_bytes(wb)
