"""A work item (giao việc) in a real browser, on its actions' shared pattern (eoffice.actions): the officer
who leads it reports progress on a phone, then completes the part at a desk; the leader who gave it sees
both in the history. Every page is checked for console errors, failed requests and duplicate ids, and the
phone page for sideways scrolling."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from eoffice.models import Role
from tests.browser.fixtures import DESKTOP, PHONE
from tests.factories import make_agency, make_department, make_user
from workflow import services
from workflow.models import Assignment, WorkflowState, WorkItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def item(transactional_db):
    agency = make_agency(name="Sở Kế hoạch và Đầu tư", abbreviation="SKHĐT")
    unit = make_department(agency=agency, name="Phòng Tổng hợp", abbreviation="TH")
    leader = make_user(agency=agency, roles=[Role.LEADER], username="gd", full_name="Vũ Đức Thắng")
    officer = make_user(
        agency=agency, department=unit, roles=[Role.OFFICER], username="cv", full_name="Phan Minh Đức"
    )
    work = services.work_item_create(
        by=leader,
        title="Chuẩn bị báo cáo tổng kết năm 2026",
        due_at=timezone.now() + timedelta(days=10),
        lead=officer,
        instruction="Tổng hợp số liệu các phòng trước ngày 20/12.",
    )
    return {"item": work, "leader": leader, "officer": officer}


def test_progress_on_a_phone_done_at_a_desk_accepted_by_the_giver(open_page, item):
    work, officer = item["item"], item["officer"]

    phone = open_page(PHONE, "workitem-phone")
    phone.login(officer)
    phone.goto(work.get_absolute_url())
    form = phone.page.locator('[data-testid="action-progress"]')
    form.locator('[name="percent"]').fill("60")
    form.locator('[name="note"]').fill("Đã nhận số liệu của 4/6 phòng.")
    with phone.page.expect_navigation():
        form.locator('button[type="submit"]').click()
    phone.page.wait_for_load_state("networkidle")
    assert "Đã gửi báo cáo tiến độ." in phone.page.inner_text(".messages, [role=status], body")
    assert phone.no_horizontal_overflow()
    phone.shot("progress")
    work.refresh_from_db()
    assert work.progress == 60

    desk = open_page(DESKTOP, "workitem-desk")
    desk.login(officer)
    desk.goto(work.get_absolute_url())
    with desk.page.expect_navigation():
        desk.page.get_by_role("button", name="Báo cáo hoàn thành").click()
    desk.page.wait_for_load_state("networkidle")
    assert "Đã cập nhật công việc." in desk.page.inner_text("body")
    assert desk.page.get_by_role("button", name="Báo cáo hoàn thành").count() == 0
    work.refresh_from_db()
    assert work.state == WorkflowState.SUBMITTED and work.progress == 100
    desk.shot("submitted")

    giver = open_page(DESKTOP, "workitem-leader")
    giver.login(item["leader"])
    giver.goto(work.get_absolute_url())
    history = giver.page.inner_text("body")
    assert "Đã nhận số liệu của 4/6 phòng." in history and "Đang xử lý → Chờ duyệt" in history
    with giver.page.expect_navigation():
        giver.page.get_by_role("button", name="Duyệt hoàn thành").click()
    giver.page.wait_for_load_state("networkidle")
    assert "Đã cập nhật công việc." in giver.page.inner_text("body")
    assert WorkItem.objects.get(pk=work.pk).state == WorkflowState.APPROVED
    assert Assignment.objects.get(object_id=work.pk, assignee=officer).status == Assignment.Status.DONE

    for page in (phone, desk, giver):
        assert page.errors == [], page.errors
