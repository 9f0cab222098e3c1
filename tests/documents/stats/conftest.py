"""Helpers of the statistics tests: rows as the services leave them, periods, scopes, the list links of
a page."""

from __future__ import annotations

import html
import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone

from documents.incoming import services
from documents.models import (
    DocumentType,
    IncomingDocument,
)
from documents.registers import numbering
from documents.stats import selectors
from documents.stats.selectors import Period
from tests.documents.conftest import receive
from workflow import services as wf
from workflow.models import Assignment, WorkflowState, WorkItem

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


STATS = reverse("documents:stats")


LIST = reverse("documents:stats_list")


def at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=TZ)


def recent_period(days_back: int = 40) -> Period:
    today = timezone.localdate()
    return Period(today - timedelta(days=days_back), today)


def query_params(period: Period, **extra) -> dict:
    return {
        "period": "custom",
        "date_from": period.date_from.isoformat(),
        "date_to": period.date_to.isoformat(),
        **extra,
    }


_numbers = iter(range(1, 100000))


def make_doc(
    agency, *, state=WorkflowState.ARCHIVED, received_at=None, due_at=None, completed_at=None, **extra
):
    """An incoming document row as the services leave it (no PDF, no history: enough to be counted)."""
    n = next(_numbers)
    return IncomingDocument.objects.create(
        agency=agency,
        register=numbering.default_register(agency=agency),
        year=2026,
        number=n,
        issuer_name="Ủy ban nhân dân tỉnh An Hòa",
        number_symbol=f"{n}/UBND-KT",
        issued_date=timezone.localdate(),
        doc_type=DocumentType.objects.get_or_create(name="Công văn")[0],
        summary=f"V/v thống kê số {n}",
        channel="paper",
        file_name="cv.pdf",
        file_sha256=f"{n:064d}",
        state=state,
        received_at=received_at or timezone.now() - timedelta(days=10),
        due_at=due_at,
        completed_at=completed_at,
        **extra,
    )


def make_part(record, *, department=None, assignee=None, parent=None, status="open", **extra):
    from django.contrib.contenttypes.models import ContentType

    return Assignment.objects.create(
        content_type=ContentType.objects.get_for_model(record.__class__),
        object_id=record.pk,
        agency_id=record.agency_id,
        role=extra.pop("role", Assignment.Kind.LEAD),
        department=department,
        assignee=assignee,
        parent=parent,
        status=status,
        assigned_at=extra.pop("assigned_at", timezone.now() - timedelta(days=5)),
        **extra,
    )


def make_work(agency, by, *, state=WorkflowState.ASSIGNED, **extra):
    return WorkItem.objects.create(
        agency=agency, title="Rà soát thủ tục", created_by=by, state=state, **extra
    )


def scope_of(user, key=""):
    return selectors.resolve_scope(user, key)


def pks_of(user, scope, period, bucket, kind="incoming"):
    rows = selectors.records(user=user, scope=scope, period=period, kind=kind, bucket=bucket)
    return {r["r_pk"] for r in rows}


def scenario(people):
    """doc1 to the unit, handed on to the officer and finished; doc2 to officer2 directly; doc3 to the
    deputy leader (no unit); doc4 awaiting direction; a work item to the other unit."""
    leader, head, officer = people["leader"], people["head"], people["officer"]
    due = timezone.now() + timedelta(days=7)
    docs = [receive(people["clerk"], n=i) for i in range(1, 5)]
    services.incoming_direct(
        document=docs[0],
        by=leader,
        instruction="Giao Phòng ĐKKD.",
        lead_department=people["unit"],
        due_at=due,
    )
    part = Assignment.objects.for_record(docs[0]).get(role="lead")
    services.incoming_forward(document=docs[0], assignment=part, by=head, to_user=officer)
    services.incoming_finish(document=docs[0], by=officer, note="Đã trả lời")
    services.incoming_direct(
        document=docs[1], by=leader, instruction="Nam xử lý.", lead_user=people["officer2"], due_at=due
    )
    services.incoming_direct(
        document=docs[2], by=leader, instruction="Phó Giám đốc xử lý.", lead_user=people["deputy"]
    )
    wf.work_item_create(
        by=leader,
        title="Rà soát số liệu",
        due_at=due,
        lead_department=people["other_unit"],
        instruction="Làm ngay",
    )
    return docs


def list_links(page: str, testid: str = "") -> list[tuple[str, str, int]]:
    """(url, bucket, number shown) of every link to a list: table cells and stat cards."""
    found = []
    for attrs, inner in re.findall(r"<a ([^>]*data-bucket=[^>]*)>(.*?)</a>", page, flags=re.S):
        url = re.search(r'href="([^"]*)"', attrs).group(1)
        if "/stats/list/" not in url or (testid and f'data-testid="{testid}"' not in attrs):
            continue
        value = re.search(r'class="stat-value">(\d+)<', inner) or re.fullmatch(r"\s*(\d+)\s*", inner)
        found.append(
            (html.unescape(url), re.search(r'data-bucket="(\w+)"', attrs).group(1), int(value.group(1)))
        )
    return found


def list_count(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    match = re.search(r'data-testid="stats-count">(\d+)<', response.content.decode())
    return int(match.group(1))
