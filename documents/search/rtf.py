"""The search results as a ``.doc`` file (Phụ lục VI III.6h lists .doc, .docx and .pdf): an RTF document.

The binary Word 97–2003 format (MS-DOC) has no writer in the standard library nor in the project, and Word,
LibreOffice and WPS open an RTF file saved under the ``.doc`` name as a Word document (they read the
``{\\rtf1`` signature, not the extension), so the ``.doc`` export is RTF 1.9 (ECMA-free, Microsoft's
published RTF specification) with the same page and table as the ``.docx`` one (``documents.search.docx``):
A4 landscape, 2 cm margins, Times New Roman, the title centred, the criteria in italics, the heading row
repeated on each page, column widths proportional to ``widths``.

RTF is 7-bit text: every character outside ASCII (all Vietnamese letters with marks) is written as a Unicode
escape ``\\uN?`` (N the signed 16-bit code unit, a surrogate pair beyond the BMP; ``\\uc1`` and ``?`` the
one-character fallback for readers without Unicode), and ``\\``, ``{``, ``}`` are escaped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from documents.search.docx import MARGIN, PAGE_H, PAGE_W, TEXT_W

CONTENT_TYPE = "application/msword"
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def escape(value: object) -> str:
    """``value`` as RTF text: ASCII kept, ``\\ { }`` escaped, line breaks as ``\\line``, the rest as
    ``\\uN?``."""
    text = _CONTROL.sub("", str(value).replace("\r\n", "\n").replace("\r", "\n"))
    out: list[str] = []
    for char in text:
        code = ord(char)
        if char in "\\{}":
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\line ")
        elif char == "\t":
            out.append("\\tab ")
        elif code < 0x80:
            out.append(char)
        else:
            units = char.encode("utf-16-le")
            for i in range(0, len(units), 2):
                unit = int.from_bytes(units[i : i + 2], "little")
                out.append(f"\\u{unit - 0x10000 if unit >= 0x8000 else unit}?")
    return "".join(out)


def _row(cells: Sequence[object], rights: Sequence[int], *, header: bool) -> str:
    border = (
        "\\clbrdrt\\brdrs\\brdrw10\\clbrdrl\\brdrs\\brdrw10\\clbrdrb\\brdrs\\brdrw10\\clbrdrr\\brdrs\\brdrw10"
    )
    shade = "\\clcbpat2" if header else ""
    definition = "".join(f"{border}{shade}\\clvertalt\\cellx{right}" for right in rights)
    style = "\\qc\\b" if header else "\\ql"
    content = "".join(f"\\pard\\intbl{style}\\fs20 {escape(c)}\\b0\\cell " for c in cells)
    head = "\\trhdr" if header else ""
    return f"\\trowd\\trgaph70\\trleft0{head}\\trkeep{definition}\n{content}\\row\n"


def table_document(
    *,
    title: str,
    lines: Sequence[str],
    headings: Sequence[str],
    rows: Sequence[Sequence],
    widths: Sequence[float],
) -> bytes:
    """The RTF bytes (ASCII): ``title`` centred, ``lines`` in italics, the table of ``headings`` over
    ``rows``."""
    total = sum(widths) or 1
    twips = [max(int(TEXT_W * w / total), 300) for w in widths]
    rights, edge = [], 0
    for width in twips:
        edge += width
        rights.append(edge)
    parts = [
        "{\\rtf1\\ansi\\ansicpg1252\\deff0\\uc1\n",
        "{\\fonttbl{\\f0\\froman\\fcharset0 Times New Roman;}}\n",
        "{\\colortbl;\\red0\\green0\\blue0;\\red231\\green236\\blue242;}\n",
        f"{{\\info{{\\title {escape(title)}}}}}\n",
        f"\\paperw{PAGE_W}\\paperh{PAGE_H}\\landscape\\margl{MARGIN}\\margr{MARGIN}"
        f"\\margt{MARGIN}\\margb{MARGIN}\\lang1066\\f0\\fs22\n",
        f"\\pard\\qc\\sa120\\b\\fs28 {escape(title)}\\b0\\fs22\\par\n",
        *(f"\\pard\\ql\\sa60\\i {escape(line)}\\i0\\par\n" for line in lines),
        "\\pard\\par\n",
        _row(headings, rights, header=True),
        *(_row(row, rights, header=False) for row in rows),
        "\\pard\\par\n}",
    ]
    return "".join(parts).encode("ascii")
