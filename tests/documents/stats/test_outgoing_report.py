"""Báo cáo tình hình giải quyết văn bản đi (V.4): drafted, in review, signed, issued, recalled by unit and
period; every number a link to the documents behind it; Excel and PDF; who may see it."""

from __future__ import annotations

import io
import re
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from documents.outgoing.models import OutgoingDocument
from tests.documents.search.conftest import make_draft
from workflow.models import WorkflowState

pytestmark = pytest.mark.django_db
REPORT = reverse("documents:stats_outgoing")
LIST = reverse("documents:stats_outgoing_list")
MARCH = {"period": "custom", "date_from": "2026-03-01", "date_to": "2026-03-31"}


def _at(day: int, month: int = 3) -> datetime:
    return timezone.make_aware(datetime(2026, month, day, 9, 0))


def _doc(people, summary: str, **fields) -> OutgoingDocument:
    doc = make_draft(people, summary)  # drafted by the officer of "Phòng Đăng ký kinh doanh"
    OutgoingDocument.objects.filter(pk=doc.pk).update(created_at=_at(2), **fields)
    return doc


@pytest.fixture
def march(people):
    """Five documents of the unit in March 2026 and one drafted in February."""
    docs = {
        "draft": _doc(people, "Dự thảo đang soạn"),
        "review": _doc(people, "Đang chờ duyệt", state=WorkflowState.SUBMITTED, submitted_at=_at(3)),
        "signed": _doc(
            people, "Đã ký chờ phát hành", state=WorkflowState.SIGNED, submitted_at=_at(3), signed_at=_at(5)
        ),
        "issued": _doc(
            people,
            "Đã phát hành",
            state=WorkflowState.ISSUED,
            submitted_at=_at(3),
            signed_at=_at(5),
            released_at=_at(6),
        ),
        "recalled": _doc(
            people,
            "Đã thu hồi",
            state=WorkflowState.RECALLED,
            submitted_at=_at(3),
            signed_at=_at(5),
            released_at=_at(6),
            recalled_at=_at(20),
        ),
    }
    old = make_draft(people, "Dự thảo tháng hai")
    OutgoingDocument.objects.filter(pk=old.pk).update(created_at=_at(10, month=2))
    return docs


def _cells(html: str, unit: str) -> dict:
    row = re.search(
        r"<tr data-testid=\"outgoing-row\"><th[^>]*>" + re.escape(unit) + r"</th>(.*?)</tr>", html, re.S
    )
    assert row, unit
    return {
        bucket: int(re.sub(r"<[^>]+>", "", value).strip())
        for bucket, value in re.findall(r'data-bucket="(\w+)">(.*?)</td>', row.group(1), re.S)
    }


def test_counts_by_unit_and_period(people, march, login):
    html = login(people["leader"]).get(REPORT, MARCH).content.decode()
    assert _cells(html, "Phòng Đăng ký kinh doanh") == {
        "drafted": 5,
        "review": 1,
        "signed": 3,
        "issued": 2,
        "recalled": 1,
    }
    assert _cells(html, "Phòng Tổng hợp") == {
        "drafted": 0,
        "review": 0,
        "signed": 0,
        "issued": 0,
        "recalled": 0,
    }
    feb = login(people["leader"]).get(
        REPORT, {"period": "custom", "date_from": "2026-02-01", "date_to": "2026-02-28"}
    )
    assert _cells(feb.content.decode(), "Phòng Đăng ký kinh doanh")["drafted"] == 1


def test_drill_down_lists_the_documents(people, march, login):
    client = login(people["leader"])
    html = client.get(REPORT, MARCH).content.decode()
    links = dict(re.findall(r'data-bucket="(\w+)"><a href="([^"]+)"', html))
    page = client.get(links["signed"].replace("&amp;", "&")).content.decode()
    assert page.count('data-testid="outgoing-list-row"') == 3
    for summary in ("Đã ký chờ phát hành", "Đã phát hành", "Đã thu hồi"):
        assert summary in page
    assert "Dự thảo đang soạn" not in page
    recalled = client.get(
        LIST, {**MARCH, "unit": str(people["unit"].pk), "bucket": "recalled"}
    ).content.decode()
    assert recalled.count('data-testid="outgoing-list-row"') == 1 and "Đã thu hồi" in recalled
    assert client.get(LIST, {**MARCH, "bucket": "nope"}).status_code == 404


def test_exports(people, march, login):
    client = login(people["leader"])
    xlsx = client.get(REPORT, {**MARCH, "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Disposition"].endswith('.xlsx"')
    from openpyxl import load_workbook

    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    unit_row = next(r for r in rows if r and r[0] == "Phòng Đăng ký kinh doanh")
    assert list(unit_row[1:6]) == [5, 1, 3, 2, 1]
    # only what the person may see is counted: the clerk does not see drafts before they are signed
    clerk_xlsx = login(people["clerk"]).get(REPORT, {**MARCH, "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(clerk_xlsx.content)).active.iter_rows(values_only=True))
    assert list(next(r for r in rows if r and r[0] == "Phòng Đăng ký kinh doanh")[1:6]) == [3, 0, 3, 2, 1]
    assert any(r and r[0] and "BÁO CÁO TÌNH HÌNH GIẢI QUYẾT VĂN BẢN ĐI" in str(r[0]) for r in rows)
    pdf = client.get(REPORT, {**MARCH, "format": "pdf"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "GIẢI QUYẾT VĂN BẢN ĐI" in text and "Phòng Đăng ký kinh doanh" in text


def test_who_may_see_it(people, people_b, march, login):
    assert login(people["officer"]).get(REPORT, MARCH).status_code == 403
    # the head of the other unit sees their own unit only: zeros
    html = login(people["other_head"]).get(REPORT, MARCH).content.decode()
    assert "Phòng Đăng ký kinh doanh" not in html and _cells(html, "Phòng Tổng hợp")["drafted"] == 0
    html = login(people["head"]).get(REPORT, MARCH).content.decode()
    assert _cells(html, "Phòng Đăng ký kinh doanh")["drafted"] == 5
    # another agency: its own (empty) report, and a unit of agency A is refused
    other = login(people_b["leader"])
    assert other.get(REPORT, {**MARCH, "unit": str(people["unit"].pk)}).status_code == 403
    html = other.get(REPORT, MARCH).content.decode()
    assert "Phòng Đăng ký kinh doanh" not in html
    assert other.get(LIST, {**MARCH, "bucket": "drafted"}).content.decode().count("outgoing-list-row") == 0
