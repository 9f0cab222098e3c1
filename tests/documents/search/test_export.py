"""The search results workbook, cell by cell: the criteria, the header, one row per document, the grid, the
note when the export is capped (bold red), the column widths and the page set-up.

``export_before.json`` holds the workbook as ``documents.search.export`` wrote it with openpyxl calls of its
own, before it wrote through ``eoffice.output.excel`` only; the same rows must give the same cells."""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from documents.search import export
from documents.search.forms import SearchForm
from documents.search.sources import SearchResult

pytestmark = pytest.mark.django_db

BEFORE = json.loads((Path(__file__).parent / "export_before.json").read_text(encoding="utf-8"))


def sheet_dump(data: bytes) -> dict:
    """Every written or styled cell (value, type, font, border, alignment, quote prefix) and the sheet."""
    ws = load_workbook(io.BytesIO(data)).active
    cells = []
    for row in ws.iter_rows():
        for c in row:
            if c.value is None and not c.has_style:
                continue
            f, a, b = c.font, c.alignment, c.border
            value = c.value.isoformat() if hasattr(c.value, "isoformat") else c.value
            color = getattr(f.color, "rgb", None) if f.color else None
            cells.append(
                [c.coordinate, value, c.data_type, bool(f.b), bool(f.i), f.sz, color]
                + [b.left.style, b.top.style, a.wrap_text, a.vertical, a.horizontal, bool(c.quotePrefix)]
            )
    dump = {
        "title": ws.title,
        "cells": cells,
        "max_row": ws.max_row,
        "widths": {k: v.width for k, v in ws.column_dimensions.items()},
        "freeze": ws.freeze_panes,
        "orientation": ws.page_setup.orientation,
        "paper": ws.page_setup.paperSize,
        "merged": sorted(str(m) for m in ws.merged_cells.ranges),
        "print_titles": ws.print_title_rows,
    }
    return json.loads(json.dumps(dump, default=str))  # as stored: openpyxl's own value types as text


class Exporter:
    def get_full_name(self) -> str:
        return "Nguyễn Văn An"


def results() -> list[SearchResult]:
    return [
        SearchResult(
            kind="incoming",
            kind_label="Văn bản đến",
            pk=i,
            url="/x",
            number_symbol=f"{i}/QĐ-UBND" if i % 2 else "",
            date=date(2026, 1, i) if i != 2 else None,
            issuer='=HYPERLINK("x")',
            summary=f"Quyết định {i}",
            signer="@Lê",
            doc_type="Quyết định",
            state_label="Đang xử lý",
            text_status="ok" if i == 1 else "scanned",
            recalled=i == 3,
        )
        for i in range(1, 5)
    ]


@pytest.mark.parametrize("case", ["more", "none"])
def test_workbook_is_cell_for_cell_what_it_was(case, monkeypatch):
    form = SearchForm(data={"q": "quyet dinh", "number": "", "sort": "oldest", "date_from": "2026-01-02"})
    assert form.is_valid(), form.errors
    fixed = timezone.make_aware(datetime(2026, 3, 4, 9, 30))
    monkeypatch.setattr(export.timezone, "localtime", lambda *args: fixed)
    rows, more = (results(), True) if case == "more" else ([], False)
    dump = sheet_dump(export.xlsx(rows=rows, more=more, form=form, user=Exporter()))
    assert dump == BEFORE[case]
    if case == "more":
        note = dump["cells"][-1]
        assert note[1].startswith("Chỉ xuất") and note[3] and note[6].endswith("B42318")  # bold red
