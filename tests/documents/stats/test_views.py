"""The statistics pages: Vietnamese messages for bad input, a query count that does not grow with rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from documents.stats import selectors
from eoffice.models import Role
from tests.documents.stats.conftest import (
    LIST,
    STATS,
    make_doc,
    make_part,
    query_params,
    recent_period,
)
from tests.factories import make_agency, make_department, make_user
from workflow.models import WorkflowState

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "params,message",
    [
        ({"period": "custom"}, "Hãy chọn cả ngày bắt đầu và ngày kết thúc."),
        ({"period": "custom", "date_from": "2026-05-02", "date_to": "2026-05-01"}, "Ngày bắt đầu phải trước"),
        ({"period": "custom", "date_from": "2026-13-40", "date_to": "2026-05-01"}, "Ngày không hợp lệ"),
        ({"period": "custom", "date_from": "2024-01-01", "date_to": "2026-05-01"}, "tối đa một năm"),
        ({"period": "decade"}, "Kỳ thống kê không hợp lệ."),
        ({"kind": "x"}, "Loại thống kê không hợp lệ."),
    ],
)
def test_bad_input_gives_a_vietnamese_message(people, login, params, message):
    client = login(people["leader"])
    for url in (STATS, LIST):
        response = client.get(url, {**params, "bucket": "all"})
        assert response.status_code == 200
        assert message in response.content.decode()


def _agency_with(n_units: int, n_people: int, n_docs: int):
    agency = make_agency()
    leader = make_user(agency=agency, roles=[Role.LEADER])
    units = [make_department(agency=agency) for _ in range(n_units)]
    head = make_user(agency=agency, department=units[0], roles=[Role.DEPARTMENT_HEAD])
    staff = [make_user(agency=agency, department=units[0]) for _ in range(n_people)]
    for i in range(n_docs):
        doc = make_doc(agency, state=WorkflowState.PROCESSING, due_at=timezone.now() + timedelta(days=i - 3))
        parent = make_part(doc, department=units[i % n_units])
        if i % n_units == 0:
            make_part(doc, department=units[0], assignee=staff[i % n_people], parent=parent)
    return leader, head, units


def _queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx)


def test_stats_pages_query_count_does_not_grow_with_units_people_or_rows(login):
    selectors.content_types()
    counts = []
    for n in (3, 20):
        leader, head, units = _agency_with(n_units=n, n_people=n, n_docs=n * 2)
        client = login(leader)
        params = query_params(recent_period(), kind="all")
        counts.append(
            (
                _queries(client, STATS, {**params, "scope": "agency"}),
                _queries(client, STATS, {**params, "scope": f"unit-{units[0].pk}"}),
                _queries(client, LIST, {**params, "scope": "agency", "bucket": "all"}),
                _queries(client, LIST, {**params, "scope": "agency", "by": "units", "bucket": "progress"}),
                _queries(login(head), STATS, params),
            )
        )
    assert counts[0] == counts[1]
