"""Uploaded workbooks with XML entities are refused before openpyxl parses them (it expands the workbook
part's entities with lxml); a plain workbook still loads, and defusedxml is there for openpyxl's iterparse."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from openpyxl import Workbook

from eoffice.output import excel

DTD = (
    '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
)


def _workbook() -> bytes:
    wb = Workbook()
    wb.active["A1"] = "hello"
    wb.active["A2"] = 5
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _with_entities(part: str, *, encoding: str = "utf-8") -> bytes:
    source = zipfile.ZipFile(io.BytesIO(_workbook()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == part:
                text = re.sub(r"^<\?xml[^>]*\?>\s*", "", data.decode())
                text = text.replace("hello", "&c;").replace('name="Sheet"', 'name="&c;"')
                declaration = f'<?xml version="1.0" encoding="{encoding.upper()}" standalone="yes"?>\n'
                data = (declaration + DTD + text).encode(encoding)
            archive.writestr(info, data)
    return out.getvalue()


def test_plain_workbook_loads():
    wb = excel.load(_workbook())
    assert list(excel.rows(excel.sheets(wb)[0])) == [("hello",), (5,)]
    wb.close()


@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/worksheets/sheet1.xml", "[Content_Types].xml"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_entities_are_refused(part, encoding):
    with pytest.raises(excel.UnreadableWorkbook, match="DTD"):
        excel.load(_with_entities(part, encoding=encoding))


def test_openpyxl_parses_sheets_with_defusedxml():
    from openpyxl import DEFUSEDXML

    assert DEFUSEDXML is True
