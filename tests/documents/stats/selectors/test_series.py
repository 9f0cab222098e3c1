"""The dashboard widget: a few queries whatever the data, the charts and the headline links."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from documents.stats import registry, selectors
from tests.documents.stats.conftest import (
    list_count,
    list_links,
    make_doc,
    make_part,
    scenario,
)
from workflow.models import WorkflowState

pytestmark = pytest.mark.django_db


def test_dashboard_widget_is_a_few_queries_whatever_the_data(people, django_assert_max_num_queries):
    leader, head, officer = people["leader"], people["head"], people["officer"]
    for user in (leader, head, officer):
        assert user.roles is not None  # loaded by the shell before any widget runs
    selectors.content_types()
    counts = []
    for n in (3, 20):
        for _ in range(n):
            doc = make_doc(people["unit"].agency, state=WorkflowState.PROCESSING, due_at=timezone.now())
            make_part(make_doc(people["unit"].agency), department=people["unit"], assignee=officer)
            make_part(doc, department=people["unit"])
        row = []
        for user, limit in ((leader, 2), (head, 1), (officer, 1)):
            with CaptureQueriesContext(connection) as ctx:
                context = registry.widget_context(user)
            assert context is not None
            assert len(ctx) <= limit, [q["sql"][:200] for q in ctx]
            row.append(len(ctx))
        counts.append(row)
    assert counts[0] == counts[1]


def test_dashboard_shows_charts_and_headline_links(people, login):
    scenario(people)
    client = login(people["leader"])
    page = client.get(reverse("dashboard")).content.decode()
    assert 'data-widget="documents.stats"' in page
    assert page.count('<svg class="chart-svg"') == 2
    assert "Tình hình xử lý 6 tháng gần đây" in page and "<title" in page and "aria-labelledby" in page
    assert "style=" not in page.split('data-widget="documents.stats"')[1].split("data-widget=")[0]
    headline = list_links(page, testid="stats-headline")
    assert {b for _u, b, _v in headline} == {"all", "finished", "open", "overdue"}
    assert {b: v for _u, b, v in headline}["all"] == 5
    for url, _bucket, value in headline:
        assert list_count(client, url) == value


def test_dashboard_with_no_data(people, login):
    leader_page = login(people["leader"]).get(reverse("dashboard")).content.decode()
    assert 'data-widget="documents.stats"' in leader_page and "Chưa có dữ liệu" in leader_page
    officer_page = login(people["officer"]).get(reverse("dashboard")).content.decode()
    assert 'data-widget="documents.stats"' not in officer_page
