"""The statistics exports of documents and onestop, through ``eoffice.output.report``: the same workbook
cells and the same PDF text as before the two apps shared the renderer.

``report_render_before.json`` holds ``produced()`` as ``documents.stats.exports.render`` and
``onestop.register.stats_render`` made it (the clock stopped at ``NOW``) while each app still wrote its own
rows: the file names, content types, every written cell (value, number format, bold, alignment, border)
with the sheet's merges, widths, freeze and print titles, and the PDF's text must stay the same."""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace
from unittest import mock
from zoneinfo import ZoneInfo

from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from documents.stats import exports as documents_exports
from documents.stats import selectors as documents_stats
from onestop import register as onestop_register
from onestop.stats import selectors as onestop_stats

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 3, 31, 16, 45, tzinfo=TZ)
BEFORE_FILE = Path(__file__).parent / "report_render_before.json"
AGENCY = SimpleNamespace(
    pk=1, name="Sở Tư pháp", parent_id=1, parent=SimpleNamespace(name="UBND tỉnh An Hòa")
)
UNIT = SimpleNamespace(pk=2, name="Phòng Hành chính tư pháp")
PERIOD = documents_stats.Period(date(2026, 3, 1), date(2026, 3, 31))


def _documents_reports() -> dict:
    counts = documents_stats.Counts
    person = SimpleNamespace(get_full_name=lambda: "Nguyễn Văn An", department_id=2, department=UNIT)
    agency = documents_stats.Report(
        scope=documents_stats.Scope(level="agency", agency=AGENCY),
        period=PERIOD,
        kind="all",
        headline=counts(early=3, ontime=4, late=1, open=5, overdue=2),
        rows=[
            documents_stats.Row("Phòng Hành chính tư pháp", counts(early=2, ontime=1, late=1), "unit-2"),
            documents_stats.Row("Tổ một cửa", counts(open=3), "unit-3", depth=1),
            documents_stats.Row("Phòng Bổ trợ", counts(ontime=3, overdue=2), "unit-4"),
        ],
        row_heading="Đơn vị",
    )
    items = [
        documents_stats.ListItem(
            kind="incoming",
            pk=1,
            title="Về việc cấp phiếu lý lịch tư pháp",
            ref="12/UBND",
            day=datetime(2026, 3, 2, 9, 0, tzinfo=TZ),
            due_at=datetime(2026, 3, 10, 17, 0, tzinfo=TZ),
            completed_at=datetime(2026, 3, 9, 10, 0, tzinfo=TZ),
            bucket="early",
        ),
        documents_stats.ListItem(
            kind="work",
            pk=2,
            title="Tổng hợp báo cáo quý",
            ref="",
            day=datetime(2026, 3, 5, 8, 0, tzinfo=TZ),
            due_at=None,
            completed_at=None,
            bucket="open",
        ),
    ]
    person_report = documents_stats.Report(
        scope=documents_stats.Scope(level="person", agency=AGENCY, person=person),
        period=PERIOD,
        kind="incoming",
        headline=counts(early=1, open=1),
    )
    return {
        "agency": (agency, None),
        "person": (person_report, items),
        "empty": (
            documents_stats.Report(
                scope=documents_stats.Scope(level="unit", agency=AGENCY, unit=UNIT),
                period=PERIOD,
                kind="work",
                headline=counts(),
            ),
            None,
        ),
    }


def _onestop_counts(rating_sum: int = 0, **values) -> onestop_stats.Counts:
    counts = onestop_stats.Counts(rating_sum=rating_sum)
    counts.values.update(values)
    return counts


def _onestop_reports() -> dict:
    rows = [
        onestop_stats.Row(
            "1",
            "Cấp phiếu lý lịch tư pháp",
            _onestop_counts(9, received=7, early=2, on_time=3, late=1, resolved=6, open_on_time=1, rated=2),
            sub="2.001417",  # noqa: E501
        ),
        onestop_stats.Row(
            "2",
            "Chứng thực bản sao",
            _onestop_counts(received=4, open_overdue=2, paused=1, refused_reception=1, stopped=1),  # noqa: E501
        ),
    ]
    return {
        "procedure": onestop_stats.Report(
            scope=onestop_stats.Scope(agency=AGENCY), period=PERIOD, group="procedure", rows=rows, now=NOW
        ),
        "empty": onestop_stats.Report(
            scope=onestop_stats.Scope(agency=AGENCY, unit=UNIT), period=PERIOD, group="unit", rows=[], now=NOW
        ),
    }


def sheet_dump(data: bytes) -> dict:
    ws = load_workbook(io.BytesIO(data)).active
    cells = [
        [c.coordinate, c.value if not hasattr(c.value, "isoformat") else c.value.isoformat(), c.number_format]
        + [bool(c.font.b), c.alignment.horizontal, c.border.left.style]
        for row in ws.iter_rows()
        for c in row
        if c.value is not None or c.has_style
    ]
    dump = {
        "title": ws.title,
        "cells": cells,
        "merged": sorted(str(m) for m in ws.merged_cells.ranges),
        "widths": {k: v.width for k, v in ws.column_dimensions.items()},
        "freeze": ws.freeze_panes,
        "print_titles": ws.print_title_rows,
        "orientation": ws.page_setup.orientation,
    }
    return json.loads(json.dumps(dump, default=str))


def pdf_text(data: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def produced() -> dict:
    """Every report of both apps in both formats, as the views hand them to the browser."""
    out = {}
    with translation.override("vi"), mock.patch("django.utils.timezone.now", return_value=NOW):
        for name, (report, items) in _documents_reports().items():
            for fmt in ("xlsx", "pdf"):
                content, content_type, filename = documents_exports.render(
                    report=report, fmt=fmt, items=items, made_by="Nguyễn Văn An"
                )
                body = sheet_dump(content) if fmt == "xlsx" else pdf_text(content)
                out[f"documents/{name}.{fmt}"] = [content_type, filename, body]
        for name, report in _onestop_reports().items():
            for fmt in ("xlsx", "pdf"):
                content, content_type, filename = onestop_register.stats_render(
                    report=report, fmt=fmt, made_by="Trần Thị Bình"
                )
                body = sheet_dump(content) if fmt == "xlsx" else pdf_text(content)
                out[f"onestop/{name}.{fmt}"] = [content_type, filename, body]
    return out


def test_both_apps_export_what_they_exported_before():
    now = produced()
    before = json.loads(BEFORE_FILE.read_text(encoding="utf-8"))
    assert sorted(now) == sorted(before)
    for key in before:
        assert now[key] == before[key], key
