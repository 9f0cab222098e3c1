"""Text positions in an existing PDF, with pypdf: its visitor gives the start of each text run, and
positions inside a run add up the advance widths of the PDF's own font (read through pypdf's font tables);
where a width cannot be read, the Times metrics of Liberation Serif stand in (NĐ 30 prescribes Times New
Roman, with which it is metric-compatible)."""

from __future__ import annotations

import io
import math
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext as _

from eoffice.output import pdf as output_pdf

FONT_DIR = output_pdf.FONT_DIR


@lru_cache(maxsize=4)
def font_metrics(face: str) -> tuple[dict[int, float], float]:
    """Advance widths (in em) of Liberation Serif ``face`` by code point; and the default width."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(FONT_DIR / f"LiberationSerif-{face}.ttf"), lazy=True)
    upm = font["head"].unitsPerEm
    advances = font["hmtx"].metrics
    widths = {code: advances[glyph][0] / upm for code, glyph in font.getBestCmap().items()}
    return widths, 0.5


def font_face(font_name: str) -> str:
    name = font_name.lower()
    bold = "bold" in name or "black" in name or "heavy" in name
    italic = "italic" in name or "oblique" in name
    return ("Bold" if bold else "") + ("Italic" if italic else "") or "Regular"


@dataclass
class Char:
    text: str  # one NFC character (a base letter with its marks)
    x1: float
    x2: float
    y: float  # baseline of its run
    size: float  # font size of its run, in points


@dataclass
class Line:
    y: float  # baseline of the first run, PDF points from the bottom
    size: float
    chars: list[Char]

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
        times, default = font_metrics(font_face(str(font_dict.get("/BaseFont", "")) if font_dict else ""))
        advances = []
        for char in text:
            width = own(char)
            if width is None:
                width = times.get(ord(char), 0.0 if unicodedata.combining(char) else default)
            advances.append(width * size)
        runs.append((matrix[4], matrix[5], size, text, advances))

    page.extract_text(visitor_text=visit)
    return runs


def page_lines(page) -> list[Line]:
    """Text runs grouped by baseline into lines, top to bottom, with the x range of each character."""
    lines: list[Line] = []
    for x, y, size, text, advances in sorted(_runs(page), key=lambda r: (-r[1], r[0])):
        line = next((ln for ln in lines if abs(ln.y - y) <= 0.3 * max(size, ln.size)), None)
        if line is None:
            line = Line(y=y, size=size, chars=[])
            lines.append(line)
        chars: list[Char] = []
        cursor = x
        for char, width in zip(text, advances, strict=True):
            if unicodedata.combining(char) and chars:  # a mark the PDF kept apart from its letter
                previous = chars[-1]
                merged = unicodedata.normalize("NFC", previous.text + char)
                chars[-1] = Char(merged, previous.x1, max(previous.x2, cursor + width), y, size)
            else:
                chars.append(Char(char, cursor, cursor + width, y, size))
            cursor += width
        spaced: list[Char] = []
        for char in sorted(line.chars + chars, key=lambda c: c.x1):  # a visible gap between runs is a space
            if spaced and char.x1 - spaced[-1].x2 > 0.2 * size and " " not in (char.text, spaced[-1].text):
                spaced.append(Char(" ", spaced[-1].x2, char.x1, char.y, char.size))
            spaced.append(char)
        line.chars = spaced
    return sorted(lines, key=lambda ln: -ln.y)


def text_width(text: str, face: str, size: float) -> float:
    widths, default = font_metrics(face)
    return sum(widths.get(ord(c), default) for c in unicodedata.normalize("NFC", text)) * size


def pdf_reader(pdf: bytes):
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
