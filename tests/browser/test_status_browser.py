"""The "Tình trạng hệ thống" page in Chromium at desktop and phone widths: no console error, no horizontal
scrolling, the failed tasks' "Gửi lại" works from the page."""

from __future__ import annotations

import pytest
from django.utils import timezone

from eoffice.models import FailedTask, ServiceHeartbeat
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("viewport", "name"),
    [({"width": 1280, "height": 900}, "desktop"), ({"width": 390, "height": 844}, "phone")],
)
def test_status_page_in_the_browser(open_page, viewport, name):
    root = make_user(agency=None, username="quantri", is_superuser=True, is_staff=True, full_name="Quản trị")
    now = timezone.now()
    ServiceHeartbeat.objects.create(kind="worker", hostname="celery@may-chu-1", queues="celery,pdf,signing")
    ServiceHeartbeat.objects.create(kind="beat", hostname="beat@may-chu-1", seen_at=now)
    for i in range(3):
        FailedTask.objects.create(
            task_id=f"t{i}",
            task="eoffice.tasks.access_rollup",
            queue="celery",
            error="OperationalError: máy chủ cơ sở dữ liệu không trả lời trong thời gian cho phép " * (i + 1),
            retryable=i != 2,
        )
    page = open_page(viewport, name)
    page.login(root)
    page.goto("/system/status/")
    assert page.page.locator("h1").first.inner_text().strip() == "Tình trạng hệ thống"
    assert page.page.locator('[data-testid="failed-row"]').count() == 3
    assert page.no_horizontal_overflow()
    page.shot("system-status")
    with page.page.expect_navigation():
        page.page.locator('[data-testid="retry"]').first.click()
    page.page.wait_for_load_state("networkidle")
    assert "đã gửi lại lúc" in page.page.locator('[data-testid="status-failed"]').inner_text()
    assert FailedTask.objects.filter(retried_at__isnull=False).count() == 1
    assert page.errors == []
