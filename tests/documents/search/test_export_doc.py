"""III.6h: the search results exported as .doc — an RTF document (Word opens RTF saved as .doc) with the
same table as the other exports, every Vietnamese letter written as a ``\\uN?`` escape in 7-bit text."""

from __future__ import annotations

import re

import pytest

from documents.models import Urgency
from documents.search import rtf
from tests.documents.conftest import receive
from tests.documents.search.test_metadata_search import EXPORT, _file

pytestmark = pytest.mark.django_db

TOKEN = re.compile(rb"\\([a-z]+)(-?\d+)? ?|\\([\\{}])|([{}])|([^\\{}\r\n]+)|\r?\n")
DESTINATIONS = {b"fonttbl", b"colortbl", b"info"}


def parse_rtf(data: bytes) -> tuple[list[str], list[list[str]]]:
    """A reader of the RTF the export writes: checks the groups balance and the text is 7-bit, decodes
    ``\\uN?`` (skipping the fallback character); returns the paragraphs and the table's rows of cells."""
    assert data.startswith(b"{\\rtf1") and data.rstrip().endswith(b"}")
    assert max(data) < 0x80  # RTF is 7-bit: nothing raw outside ASCII
    depth, skip_depth, fallback = 0, None, 0
    text, paragraphs, row, rows = [], [], [], []
    position = 0
    while position < len(data):
        match = TOKEN.match(data, position)
        assert match, data[position : position + 40]
        position = match.end()
        word, number, escaped, brace, plain = match.groups()
        if brace == b"{":
            depth += 1
            continue
        if brace == b"}":
            depth -= 1
            assert depth >= 0
            if skip_depth is not None and depth < skip_depth:
                skip_depth = None
            continue
        if skip_depth is not None:
            continue
        if word in DESTINATIONS:
            skip_depth = depth
            continue
        if word == b"u":
            unit = int(number) % 0x10000
            text.append(chr(unit))
            fallback = 1
            continue
        chunk = ""
        if escaped:
            chunk = escaped.decode()
        elif plain:
            chunk = plain.decode("ascii")
        elif word == b"line":
            chunk = "\n"
        elif word == b"par":
            paragraphs.append("".join(text))
            text = []
        elif word == b"cell":
            row.append("".join(text))
            text = []
        elif word == b"row":
            rows.append(row)
            row = []
        if chunk:
            if fallback:
                chunk, fallback = chunk[1:], 0
            text.append(chunk)
    assert depth == 0
    joined = "".join(text).encode("utf-16-le", "surrogatepass").decode("utf-16-le")
    return [p.encode("utf-16-le", "surrogatepass").decode("utf-16-le") for p in paragraphs] + [joined], [
        [c.encode("utf-16-le", "surrogatepass").decode("utf-16-le") for c in r] for r in rows
    ]


def test_escape_vietnamese_and_rtf_specials():
    assert rtf.escape("Đặng {x}\\y") == "\\u272?\\u7863?ng \\{x\\}\\\\y"
    assert rtf.escape("a\nb") == "a\\line b"
    assert rtf.escape("😀") == "\\u-10179?\\u-8704?"  # beyond the BMP: a surrogate pair, signed
    paragraphs, rows = parse_rtf(
        rtf.table_document(
            title="Tiêu đề",
            lines=["Dòng 😀"],
            headings=["STT", "Ý kiến"],
            rows=[[1, "Ổn {định}"]],
            widths=[1, 5],
        )
    )
    assert paragraphs[:2] == ["Tiêu đề", "Dòng 😀"]
    assert rows == [["STT", "Ý kiến"], ["1", "Ổn {định}"]]


def test_doc_export_is_rtf_with_the_rows(people, login):
    clerk = people["clerk"]
    doc = receive(clerk, n=7, urgency=Urgency.URGENT, summary="Về vốn đầu tư công")
    _file(clerk, doc)
    client = login(clerk)
    params = {"q": "von dau tu", "cols": ["number", "summary", "urgency", "case_files"]}
    page = client.get("/documents/search/", params).content.decode()
    assert "format=doc" in page and 'data-testid="search-export-doc"' in page and "RTF" in page

    response = client.get(EXPORT, {**params, "format": "doc"})
    assert response.status_code == 200 and response["Content-Type"] == "application/msword"
    assert response["Content-Disposition"].endswith('.doc"')
    data = response.content
    assert b"\\u7889?" in data  # "ố" of "Số, ký hiệu" (U+1ED1) as its escape
    paragraphs, rows = parse_rtf(data)
    assert paragraphs[0] == "KẾT QUẢ TRA CỨU VĂN BẢN"
    assert any("Đặng Thị Hương" in p for p in paragraphs)  # who exported it
    assert rows[0] == ["STT", "Số, ký hiệu", "Trích yếu", "Độ khẩn", "Hồ sơ"]
    assert rows[1][:4] == ["1", "07/UBND-KT", "Về vốn đầu tư công", "Khẩn"]
    assert "Hồ sơ kế hoạch vốn 2026" in rows[1][4] and len(rows) == 2
