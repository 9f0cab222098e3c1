"""Shared by the H6 tests (registers, statistics, export): fixed dates in October 2026, visits as rows, and
reading the PDF and Excel downloads back."""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from complaints import services
from complaints.models import CaseKind, Visit
from complaints.services.identity import PersonInput

PERIOD = {"period": "custom", "date_from": "2026-10-01", "date_to": "2026-10-31"}
IN_PERIOD = dt.date(2026, 10, 5)
BEFORE = dt.date(2026, 9, 10)
AFTER = dt.date(2026, 11, 3)


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone())


def make_visit(
    org,
    *,
    people,
    received_on=IN_PERIOD,
    kind=CaseKind.COMPLAINT,
    outcome=Visit.Outcome.GUIDED,
    people_count=1,
    content="Hỏi về bồi thường đất",
    **fields,
) -> Visit:
    officer = org["reception"]
    visit = Visit.objects.create(
        agency=org["agency"],
        year=received_on.year,
        number=Visit.objects.filter(agency=org["agency"], year=received_on.year).count() + 1,
        received_at=at(received_on),
        officer=officer,
        kind=kind,
        content=content,
        outcome=outcome,
        people_count=people_count,
        protected=any(p.protected for p in people),
        **fields,
    )
    services.identities_add(people=list(people), by=officer, visit=visit)
    return visit


REPRESENTATIVE = PersonInput(name="Trần Văn Đại Diện", id_number="001070011111", role="representative")


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def xlsx_text(content: bytes) -> str:
    wb = load_workbook(io.BytesIO(content), read_only=True)
    values = []
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            values += [str(v) for v in row if v is not None]
    return "\n".join(values)


def squash(text: str) -> str:
    """PDF text without line breaks inside cells (a long value wraps)."""
    return " ".join(text.split())
