"""The incoming-documents widget on the dashboard shows the person's queues with their counts."""

import re

import pytest
from django.urls import reverse

from tests.documents.conftest import receive

pytestmark = pytest.mark.django_db


def _stat(html: str, label: str) -> str:
    match = re.search(rf'stat-label">{label}</span><span class="stat-value">(\d+)<', html)
    assert match, f"{label} not on the dashboard"
    return match.group(1)


def test_leader_dashboard_counts_documents_awaiting_direction(people, login):
    receive(people["clerk"], n=1)
    receive(people["clerk"], n=2)
    html = login(people["leader"]).get(reverse("dashboard")).content.decode()
    assert 'data-widget="documents.incoming"' in html
    assert _stat(html, "Chờ chỉ đạo") == "2"
    # the work widgets come before the personal information
    assert html.index("Việc cần xử lý") < html.index("Thông tin của tôi")


def test_officer_without_documents_sees_no_documents_widget(people, login):
    receive(people["clerk"], n=1)
    html = login(people["officer"]).get(reverse("dashboard")).content.decode()
    assert 'data-widget="documents.incoming"' not in html
