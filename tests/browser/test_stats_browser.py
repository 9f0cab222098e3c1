"""Statistics in Chromium: the leader's dashboard chart, a number clicked to its list with that many rows,
the statistics page at phone width without horizontal overflow, no console or CSP error."""

from datetime import timedelta

import pytest
from django.utils import timezone

from eoffice.models import Role
from tests.browser.fixtures import DESKTOP, PHONE
from tests.documents.stats.conftest import make_doc, make_part
from tests.factories import make_agency, make_department, make_user
from workflow.models import WorkflowState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def leader(transactional_db):
    agency = make_agency(name="Sở Kế hoạch và Đầu tư", abbreviation="SKHĐT")
    units = [
        make_department(agency=agency, name="Phòng Đăng ký kinh doanh", abbreviation="ĐKKD"),
        make_department(
            agency=agency, name="Phòng Tổng hợp, Quy hoạch và Kinh tế đối ngoại", abbreviation="TH"
        ),
    ]
    leader = make_user(agency=agency, roles=[Role.LEADER], username="giamdoc", full_name="Vũ Đức Thắng")
    now = timezone.now()
    cases = [
        (WorkflowState.ARCHIVED, now + timedelta(days=2), now),
        (WorkflowState.ARCHIVED, now - timedelta(hours=1), now),
        (WorkflowState.PROCESSING, now + timedelta(days=3), None),
        (WorkflowState.PROCESSING, now - timedelta(hours=2), None),
        (WorkflowState.RECEIVED, None, None),
    ]
    for i, (state, due, done) in enumerate(cases * 2):
        doc = make_doc(
            agency, state=state, received_at=now - timedelta(minutes=i), due_at=due, completed_at=done
        )
        if state != WorkflowState.RECEIVED:
            make_part(
                doc,
                department=units[i % 2],
                status="done" if done else "open",
                due_at=due,
                completed_at=done,
                assigned_at=now - timedelta(minutes=i),
            )
    return leader


def _count(page) -> int:
    page.page.wait_for_selector("[data-testid=stats-count]")
    return int(page.page.inner_text("[data-testid=stats-count]"))


def test_dashboard_chart_and_number_to_its_list(open_page, leader):
    page = open_page(DESKTOP, "desktop")
    page.login(leader)
    widget = page.page.locator("[data-widget='documents.stats']")
    assert widget.locator("svg.chart-svg").count() == 2
    assert widget.locator("[data-chart=stats-months] svg").is_visible()
    assert widget.locator("[data-chart=stats-open] svg").is_visible()
    box = widget.locator("[data-chart=stats-months] svg").bounding_box()
    assert box["width"] > 250 and box["height"] > 120
    page.shot("stats-dashboard")

    overdue = widget.locator("[data-testid=stats-headline][data-bucket=overdue]")
    expected = int(overdue.locator(".stat-value").inner_text())
    assert expected == 2
    with page.page.expect_navigation():
        overdue.click()
    assert "/documents/stats/list/" in page.page.url and "bucket=overdue" in page.page.url
    assert _count(page) == expected
    assert page.page.locator("[data-testid=stats-item]").count() == expected

    # a segment of the bar chart opens the list of what it counts
    page.goto("/")
    segment = page.page.locator("[data-chart=stats-months] a[href*='bucket=early']").first
    label = segment.get_attribute("aria-label")
    with page.page.expect_navigation():
        segment.click()
    assert _count(page) == int(label.rsplit(":", 1)[1])
    assert page.errors == []


@pytest.mark.parametrize("viewport,name", [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_statistics_page_fits_and_numbers_open_their_lists(open_page, leader, viewport, name):
    page = open_page(viewport, name)
    page.login(leader)
    assert page.no_horizontal_overflow()
    page.goto("/documents/stats/")
    assert page.page.locator("[data-testid=stats-cards] .stat").first.is_visible()
    assert page.no_horizontal_overflow()
    page.shot("stats-page")
    cell = page.page.locator("[data-testid=stats-totals] a[data-bucket=all]")
    expected = int(cell.inner_text())
    assert expected == 8
    cell.scroll_into_view_if_needed()
    with page.page.expect_navigation():
        cell.click()
    assert _count(page) == expected
    assert page.no_horizontal_overflow()
    page.shot("stats-list")
    assert page.errors == []
