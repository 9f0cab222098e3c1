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

Nothing here touches the database; the Django template engine and gettext need configured settings only.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import multiprocessing
import os
import re
import shutil
import signal
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from eoffice.output import pdf as output_pdf
from eoffice.output.header import parent_name
from eoffice.params import int_param

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
PT_PER_PX = 0.75  # 1 CSS px = 0.75 PDF pt
MM = 72 / 25.4  # PDF points per millimetre
SIGNATURE_WIDTH = 60 * MM  # the box given to the leader's signature image, centred on the signature block
SIGNATURE_HEIGHT = 28 * MM  # the height of .signature-space in nd30.css
CONVERSION_TIMEOUT = 90  # seconds for LibreOffice to convert one DOCX

FONT_DIR = output_pdf.FONT_DIR
TEMPLATES = "documents/outgoing/pdf/"
SPACE_ID = "nd30-signature-space"
BLANK_NUMBER = " " * 8  # "Số:        /QĐ-SKHĐT" before signing: room for a number of up to 4 digits
BLANK_DAY = " " * 6


class LayoutNotFound(ValueError):
    """The uploaded draft has no place for the number or the date where stamp_number() looks for it."""


class ConversionUnavailable(Exception):
    """No LibreOffice on this server: DOCX drafts cannot be converted, a PDF must be uploaded."""


@dataclass(frozen=True)
class Layout:
    type_name: str
    type_abbr: str
    parent_agency: str
    agency: str
    symbol: str
    number: int | None
    place: str
    date: dt.date | None
    summary: str
    addressees: tuple[str, ...] = ()
    legal_bases: tuple[str, ...] = ()
    body_html: str = ""
    issuing_authority: str = ""
    signer_authority: str = ""
    authority_title: str = ""
    signer_title: str = ""
    signer_name: str = ""
    distribution: tuple[str, ...] = ()
    archive: str = "VT"
    urgency: str = ""
    confidentiality: str = ""
    circulation: str = ""
    draft: bool = False


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    signature_box: dict  # {"page": 0-based index, "rect": [x1, y1, x2, y2]} in PDF points, origin bottom-left


# ---- text helpers ---------------------------------------------------------------------------------------


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").strip()


def _upper(text: str) -> str:
    return _nfc(text).upper()


def _key(text: str) -> str:
    return " ".join(_nfc(text).lower().split())


def format_date(place: str, date: dt.date | None) -> str:
    """ "An Hòa, ngày 05 tháng 3 năm 2026": day below 10 and months 1–2 with a leading zero (Phụ lục I, II.4).
    Without a date the day and month are left blank, the year is the current one (Vietnam time)."""
    place = _nfc(place)
    if date is None:
        year = dt.datetime.now(VIETNAM).year
        return f"{place}, ngày{BLANK_DAY}tháng{BLANK_DAY}năm {year}"
    month = f"{date.month:02d}" if date.month <= 2 else str(date.month)
    return f"{place}, ngày {date.day:02d} tháng {month} năm {date.year}"


def format_number(number: int | None, symbol: str) -> str:
    """ "15/QĐ-SKHĐT", "05/SKHĐT-VP"; before signing the number is blank: "        /QĐ-SKHĐT"."""
    symbol = _nfc(symbol).lstrip("/")
    if number is None:
        return f"{BLANK_NUMBER}/{symbol}"
    return f"{number:02d}/{symbol}"


def _strip_item(text: str) -> str:
    text = _nfc(text)
    text = re.sub(r"^[-–—•+]\s*", "", text)
    return text.rstrip(" ;.,").strip()


def _list_lines(items, *, dash: bool) -> list[str]:
    """One line per item, "- " prefix when ``dash``, ";" after each and "." after the last."""
    clean = [item for item in (_strip_item(i) for i in items) if item]
    lines = []
    for index, item in enumerate(clean):
        end = "." if index == len(clean) - 1 else ";"
        lines.append(f"- {item}{end}" if dash else f"{item}{end}")
    return lines


def _is_type(layout: Layout, abbr: str, name: str) -> bool:
    return _nfc(layout.type_abbr) == abbr or _key(layout.type_name) == name


BODY_TAGS = frozenset(
    {"p", "br", "strong", "b", "em", "i", "u", "ol", "ul", "li", "h3", "h4", "blockquote"}
    | {"table", "thead", "tbody", "tr", "th", "td"}
)
ARTICLE = re.compile(r"(<p\b[^>]*>\s*)(Điều\s+\d+[a-zđ]?\.)")
CLOSING = re.compile(r"(</(?:p|li|blockquote|h3|h4)>)(\s*(?:</(?:ol|ul)>\s*)*)$")


def _span_attribute(tag: str, attribute: str, value: str) -> str | None:
    span = int_param(value, min_value=1, max_value=100)
    return str(span) if span is not None else None


def _body(html_text: str) -> str:
    """Bold "Điều N." at the start of an article (Phụ lục I, II.6đ) and end the text with "./.".

    The caller gives sanitized HTML; it is cleaned again to the same small set of tags (no attributes but
    colspan/rowspan), so that nothing in a body can make WeasyPrint fetch a resource."""
    import nh3

    html_text = unicodedata.normalize("NFC", html_text or "").strip()
    if not html_text:
        return ""
    html_text = nh3.clean(
        html_text,
        tags=set(BODY_TAGS),
        clean_content_tags={"script", "style"},
        attributes={"td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}},
        attribute_filter=_span_attribute,
        link_rel=None,
    )
    html_text = ARTICLE.sub(r"\1<strong>\2</strong>", html_text)
    plain = re.sub(r"<[^>]+>", "", html_text).replace("&nbsp;", " ").strip()
    if plain and not plain.endswith("./."):
        mark = "/." if plain.endswith(".") else "./."
        match = CLOSING.search(html_text)
        if match:
            html_text = f"{html_text[: match.start()]}{mark}{html_text[match.start() :]}"
        else:  # a table or a heading last: the mark on a line of its own, as in Mẫu 1.4
            html_text = f"{html_text}<p>./.</p>"
    return html_text


def _balanced_width(text: str, *, size: float, limit: float) -> float:
    """A width in points that splits a bold ``text`` into lines of about equal length, none over ``limit``:
    no short last line under the type name (CSS text-wrap: balance, which WeasyPrint lacks)."""
    width = _text_width(text, "Bold", size)
    lines = max(1, math.ceil(width / limit))
    return min(limit, width / lines * 1.06 + size) if lines > 1 else limit


def _context(layout: Layout) -> dict:
    is_letter = not _nfc(layout.type_abbr) or _key(layout.type_name) == "công văn"
    if _is_type(layout, "QĐ", "quyết định"):
        decides = "QUYẾT ĐỊNH:"
    elif _is_type(layout, "NQ", "nghị quyết"):
        decides = "QUYẾT NGHỊ:"
    else:
        decides = ""
    first = " ".join(p for p in (_upper(layout.signer_authority), _upper(layout.authority_title)) if p)
    archive = _nfc(layout.archive).removeprefix("Lưu:").strip().rstrip(" .;") or "VT"
    addressees = [_strip_item(a) for a in layout.addressees if _strip_item(a)]
    number = format_number(layout.number, layout.symbol)
    summary = _nfc(layout.summary)
    if is_letter:  # "V/v" is added by the layout
        summary = re.sub(r"^v/v[\s:.]*", "", summary, flags=re.IGNORECASE)
    return {
        "type_name": _nfc(layout.type_name),
        "type_upper": _upper(layout.type_name),
        "is_letter": is_letter,
        "parent_agency": _upper(parent_name(layout.parent_agency)),
        "agency": _upper(layout.agency),
        "number_symbol": number.strip(),
        "number_line": f"Số: {number}" if layout.number is not None else f"Số:{number}",
        "date_line": format_date(layout.place, layout.date),
        "subject": f"V/v {summary}" if is_letter and summary else "",
        "summary": summary,
        "summary_width": _balanced_width(summary, size=14, limit=150 * MM),
        "issuing_authority": _upper(layout.issuing_authority),
        "legal_bases": _list_lines(layout.legal_bases, dash=False),
        "decides": decides,
        "addressees": addressees if len(addressees) == 1 else _list_lines(addressees, dash=True),
        "body_html": mark_safe(_body(layout.body_html)),  # noqa: S308 - cleaned by nh3 in _body()
        "signer_lines": [line for line in (first, _upper(layout.signer_title)) if line],
        "signer_name": _nfc(layout.signer_name),
        "distribution": [line[:-1] + ";" for line in _list_lines(layout.distribution, dash=True)],
        "archive_line": f"- Lưu: {archive}.",
        "urgency": _upper(layout.urgency),
        "confidentiality": _upper(layout.confidentiality),
        "circulation": _upper(layout.circulation),
        "draft": layout.draft,
    }


# ---- rendering: through eoffice.output.pdf (the shipped fonts, a fetcher that stays off the network) -----


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
    html_text = render_to_string(TEMPLATES + "document.html", {"doc": _context(layout)})
    document = output_pdf.document(html_text, stylesheets=stylesheets(), base_url=stylesheet_path().parent)
    box = _signature_box(document)
    return Rendered(pdf=document.write_pdf(), pages=len(document.pages), signature_box=box)


# ---- a render with a time bound (the "Xem trước" button) ---------------------------------------------------

PREVIEW_SECONDS = 20  # far above what a document within the form's limits takes (about 2 s at the limits)
STARTUP_SECONDS = 120  # the fork server's first start (Django, fonts, one page laid out)


WARM_LAYOUT = {
    "type_name": "Công văn",
    "type_abbr": "",
    "parent_agency": "",
    "agency": "Cơ quan",
    "symbol": "",
    "number": None,
    "place": "",
    "date": None,
    "summary": "Xem trước",
    "body_html": "<p>Xem trước.</p>",
    "draft": True,
}


class RenderTimeout(Exception):
    """The layout took longer than allowed; the process rendering it was stopped."""


@lru_cache(maxsize=1)
def _child_context():
    """Children forked from a clean, single-threaded server process, warmed up by ``preview_server``:
    nothing of the web worker's threads, locks or database connections is inherited."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["documents.outgoing.preview_server"])
    return context


def _render_child(layout: Layout, pipe) -> None:
    pipe.send(("started", None))
    try:
        from django.apps import apps

        if not apps.ready:
            import django

            django.setup()
        pipe.send(("ok", render(layout)))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises it
        pipe.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        pipe.close()


def _receive(receiver, process) -> tuple:
    try:
        return receiver.recv()
    except EOFError:
        raise RuntimeError(f"the preview renderer ended without a result (exit {process.exitcode})") from None


def render_bounded(layout: Layout, *, seconds: float | None = None) -> Rendered:
    """``render(layout)`` in a child process that is killed after ``seconds`` (RenderTimeout).

    WeasyPrint cannot be interrupted inside a thread (the web server's worker threads take no signals), so
    the work runs in a process of its own; a stopped render costs the CPU it used until then, no more."""
    seconds = PREVIEW_SECONDS if seconds is None else seconds
    context = _child_context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_render_child, args=(layout, sender), name="eoffice-preview")
    process.start()
    sender.close()
    try:
        # The first preview of a web process waits for the fork server to start and warm up (seconds on a
        # busy machine): that wait is bounded apart, the render's own time from the child's start.
        if not receiver.poll(STARTUP_SECONDS):
            raise RenderTimeout(f"the preview renderer did not start within {STARTUP_SECONDS} s")
        started = _receive(receiver, process)
        if not receiver.poll(seconds):
            raise RenderTimeout(f"render took more than {seconds} s")
        status, value = _receive(receiver, process)
        if started[0] != "started" or status != "ok":
            raise RuntimeError(f"the preview renderer failed: {value}")
        return value
    finally:
        if process.is_alive():
            process.kill()
        process.join(timeout=5)
        receiver.close()


# ---- text positions in an existing PDF --------------------------------------------------------------------


@lru_cache(maxsize=4)
def _metrics(face: str) -> tuple[dict[int, float], float]:
    """Advance widths (in em) of Liberation Serif ``face`` by code point; and the default width."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(FONT_DIR / f"LiberationSerif-{face}.ttf"), lazy=True)
    upm = font["head"].unitsPerEm
    advances = font["hmtx"].metrics
    widths = {code: advances[glyph][0] / upm for code, glyph in font.getBestCmap().items()}
    return widths, 0.5


def _face(font_name: str) -> str:
    name = font_name.lower()
    bold = "bold" in name or "black" in name or "heavy" in name
    italic = "italic" in name or "oblique" in name
    return ("Bold" if bold else "") + ("Italic" if italic else "") or "Regular"


@dataclass
class _Char:
    text: str  # one NFC character (a base letter with its marks)
    x1: float
    x2: float
    y: float  # baseline of its run
    size: float  # font size of its run, in points


@dataclass
class _Line:
    y: float  # baseline of the first run, PDF points from the bottom
    size: float
    chars: list[_Char]

    @property
    def text(self) -> str:
        return "".join(c.text for c in self.chars)


def _multiply(m, n) -> list[float]:
    a, b, c, d, e, f = (float(v) for v in m)
    p, q, r, s, t, u = (float(v) for v in n)
    return [a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u]


def _glyph_widths(font_dict):
    """A function giving the advance width (em) of one character as the PDF's own font says, else None.

    pypdf's Font keys widths by the raw character code; the visitor gives Unicode, so codes are found back
    through the font's ToUnicode map. Private pypdf API: any failure falls back to Times metrics."""
    try:
        from pypdf.generic._font import Font

        font = Font.from_font_resource(font_dict)
        widths = {k: float(v) / 1000 for k, v in font.character_widths.items() if k != "default"}
        codes: dict[str, str] = {}
        for raw, uni in font.character_map.items():
            if isinstance(raw, str) and isinstance(uni, str) and len(uni) == 1:
                codes.setdefault(unicodedata.normalize("NFC", uni), raw)
    except Exception:  # noqa: BLE001 - an unreadable font only costs precision
        return lambda char: None

    def width(char: str) -> float | None:
        code = codes.get(char, char)
        return widths.get(code)

    return width


def _runs(page) -> list[tuple[float, float, float, str, list[float]]]:
    """(x, baseline y, size, text, advance of each character in points) of every horizontal text run."""
    runs = []
    fonts: dict[int, object] = {}

    def visit(text, cm, tm, font_dict, font_size):
        text = unicodedata.normalize("NFC", (text or "").replace("\n", "").replace("\r", ""))
        if not text.strip() or not font_size:
            return
        matrix = _multiply(tm, cm)
        if abs(matrix[1]) > 1e-3 or abs(matrix[2]) > 1e-3 or matrix[0] <= 0:
            return  # rotated or mirrored text: not a header line
        size = float(font_size) * math.hypot(matrix[0], matrix[1])
        own = fonts.setdefault(id(font_dict), _glyph_widths(font_dict)) if font_dict else (lambda c: None)
        times, default = _metrics(_face(str(font_dict.get("/BaseFont", "")) if font_dict else ""))
        advances = []
        for char in text:
            width = own(char)
            if width is None:
                width = times.get(ord(char), 0.0 if unicodedata.combining(char) else default)
            advances.append(width * size)
        runs.append((matrix[4], matrix[5], size, text, advances))

    page.extract_text(visitor_text=visit)
    return runs


def _lines(page) -> list[_Line]:
    """Text runs grouped by baseline into lines, top to bottom, with the x range of each character."""
    lines: list[_Line] = []
    for x, y, size, text, advances in sorted(_runs(page), key=lambda r: (-r[1], r[0])):
        line = next((ln for ln in lines if abs(ln.y - y) <= 0.3 * max(size, ln.size)), None)
        if line is None:
            line = _Line(y=y, size=size, chars=[])
            lines.append(line)
        chars: list[_Char] = []
        cursor = x
        for char, width in zip(text, advances, strict=True):
            if unicodedata.combining(char) and chars:  # a mark the PDF kept apart from its letter
                previous = chars[-1]
                merged = unicodedata.normalize("NFC", previous.text + char)
                chars[-1] = _Char(merged, previous.x1, max(previous.x2, cursor + width), y, size)
            else:
                chars.append(_Char(char, cursor, cursor + width, y, size))
            cursor += width
        spaced: list[_Char] = []
        for char in sorted(line.chars + chars, key=lambda c: c.x1):  # a visible gap between runs is a space
            if spaced and char.x1 - spaced[-1].x2 > 0.2 * size and " " not in (char.text, spaced[-1].text):
                spaced.append(_Char(" ", spaced[-1].x2, char.x1, char.y, char.size))
            spaced.append(char)
        line.chars = spaced
    return sorted(lines, key=lambda ln: -ln.y)


def _text_width(text: str, face: str, size: float) -> float:
    widths, default = _metrics(face)
    return sum(widths.get(ord(c), default) for c in unicodedata.normalize("NFC", text)) * size


def _reader(pdf: bytes):
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(pdf))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValueError(_("Tệp PDF có mật khẩu; vui lòng tải lên tệp không đặt mật khẩu."))
        if not reader.pages:
            raise ValueError(_("Tệp PDF không có trang nào."))
        return reader
    except (PdfReadError, OSError, KeyError, TypeError) as exc:
        raise ValueError(_("Tệp PDF bị hỏng hoặc không đọc được.")) from exc


# ---- stamp_number: number and date on an uploaded draft ---------------------------------------------------

BLANK_CHARS = set(" \u00a0\u2009._…-–")
DATE_PARTS = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)


def _find(line: _Line, pattern: str, start: int = 0) -> re.Match | None:
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
    number = _nfc(number_text)
    if not match or not number:
        raise ValueError(_("Số hoặc ngày ban hành không đúng định dạng."))
    day, month, year = match.groups()
    reader = _reader(pdf)
    page = reader.pages[0]
    lines = _lines(page)
    texts: list[dict] = []
    covers: list[dict] = []

    def put(text: str, *, at: _Char, left: float, italic: bool, cover: tuple[float, float] | None = None):
        size = min(max(at.size, 11.0), 15.0)
        if cover and cover[1] > cover[0]:
            covers.append({"x1": cover[0], "x2": cover[1], "y": at.y, "size": size})
        texts.append({"text": text, "x": left, "y": at.y, "size": size, "italic": italic})

    def dirty(chars: list[_Char]) -> bool:
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
            right - _text_width(part, "Regular", min(max(chars[colon].size, 11.0), 15.0)), chars[colon].x2
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
        width = _text_width(value, "Italic", min(max(chars[start - 1].size, 11.0), 15.0))
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


# ---- find_signature_box: the space above the signer's name on an uploaded draft --------------------------


def find_signature_box(pdf: bytes, *, signer_name: str) -> dict | None:
    """The space above the signer's name, searched from the last page back: {"page", "rect"} or None.

    The box is 60 mm wide, centred on the name, from just above the name up to 28 mm or to the line above
    it (the signer's title), whichever is lower.
    """
    name = _key(signer_name)
    if not name:
        return None
    reader = _reader(pdf)
    for index in range(len(reader.pages) - 1, -1, -1):
        page = reader.pages[index]
        lines = _lines(page)
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


# ---- DOCX drafts ------------------------------------------------------------------------------------------


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def converter_available() -> bool:
    return _soffice() is not None


def docx_to_pdf(data: bytes) -> bytes:
    """DOCX to PDF by LibreOffice, headless, with a private temporary profile, in CONVERSION_TIMEOUT s."""
    executable = _soffice()
    if executable is None:
        raise ConversionUnavailable(
            _(
                "Máy chủ chưa cài LibreOffice nên không chuyển được tệp Word sang PDF. "
                "Vui lòng tải lên bản PDF của dự thảo."
            )
        )
    if not data or not data.startswith(b"PK"):
        raise ValueError(_("Tệp không phải là tài liệu Word (.docx) hợp lệ."))
    with tempfile.TemporaryDirectory(prefix="eoffice-docx-") as tmp:
        work = Path(tmp)
        source = work / "du-thao.docx"
        source.write_bytes(data)
        command = [
            executable,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(source),
        ]
        env = {**os.environ, "HOME": str(work)}
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True
        )
        try:
            process.communicate(timeout=CONVERSION_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # its own session: soffice.bin goes with it
            process.communicate()
            raise ValueError(
                _("Chuyển tệp Word sang PDF quá thời gian cho phép; vui lòng tải lên bản PDF của dự thảo.")
            ) from None
        result = work / "du-thao.pdf"
        if process.returncode != 0 or not result.exists() or result.stat().st_size == 0:
            raise ValueError(
                _(
                    "Không chuyển được tệp Word sang PDF; vui lòng kiểm tra tệp "
                    "hoặc tải lên bản PDF của dự thảo."
                )
            )
        return result.read_bytes()
