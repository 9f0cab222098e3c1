"""The minutes section, the minutes' edit page and the conclusions' page in a real browser, at a desk and on
a phone: the organiser edits the draft and submits it, the secretary finds the link to the signing queue.
Every page is checked for console errors, failed requests and duplicate ids, and the phone pages for
sideways scrolling."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from documents.models import DocumentType
from eoffice.models import Role
from meetings import services
from meetings.models import Meeting, Minutes, Participant
from tests.browser.fixtures import DESKTOP, PHONE
from tests.factories import make_agency, make_department, make_user
from tests.signing.conftest import _signing_settings, authority, pki_dir  # noqa: F401
from tests.signing.factories import make_credential
from workflow.models import WorkflowState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setup(transactional_db, authority):  # noqa: F811
    # A transactional test's flush removes the types the data migration made.
    DocumentType.objects.get_or_create(name="Thông báo", defaults={"abbreviation": "TB"})
    agency = make_agency(name="Sở Kế hoạch và Đầu tư", abbreviation="SKHĐT")
    unit = make_department(agency=agency, name="Phòng Kế hoạch tổng hợp", abbreviation="KH")
    director = make_user(
        agency=agency, roles=[Role.LEADER], username="gd", full_name="Vũ Đức Thắng", position="Giám đốc"
    )
    head = make_user(
        agency=agency, department=unit, roles=[Role.DEPARTMENT_HEAD], username="tp", full_name="Bùi Văn Hải"
    )
    secretary = make_user(
        agency=agency, department=unit, roles=[Role.OFFICER], username="tk", full_name="Lê Thị Thư"
    )
    officer = make_user(
        agency=agency, department=unit, roles=[Role.OFFICER], username="cv", full_name="Phan Minh Đức"
    )
    make_credential(authority=authority, agency=agency, owner=director)
    make_credential(authority=authority, agency=agency, owner=secretary)
    now = timezone.now()
    meeting = Meeting.objects.create(
        agency=agency,
        department=unit,
        title="Rà soát tiến độ giải ngân vốn đầu tư công năm 2026 và kế hoạch năm 2027",
        description="Báo cáo tiến độ giải ngân của các chủ đầu tư.",
        start_at=now - dt.timedelta(minutes=40),
        end_at=now + dt.timedelta(hours=1),
        place="Phòng họp tầng 3",
        chair=director,
        organiser=head,
        state=WorkflowState.APPROVED,
    )
    for user in (secretary, officer):
        Participant.objects.create(
            meeting=meeting, user=user, attendance=Participant.Attendance.PRESENT, attendance_at=now
        )
    services.minutes_start(meeting=meeting, by=head, secretary=secretary)
    due = timezone.localdate() + dt.timedelta(days=7)
    services.conclusion_save(
        meeting=meeting,
        by=director,
        text="Các chủ đầu tư khẩn trương hoàn thiện hồ sơ thanh toán khối lượng hoàn thành.",
        tasks=[
            ("Tổng hợp báo cáo giải ngân hằng tuần, gửi Giám đốc Sở vào thứ Sáu", officer, due),
            ("Đôn đốc các chủ đầu tư chậm giải ngân", head, due + dt.timedelta(days=7)),
        ],
    )
    return {"meeting": meeting, "head": head, "secretary": secretary, "director": director}


def _clean(page) -> None:
    assert not page.errors, page.errors
    assert page.no_horizontal_overflow()


def test_minutes_pages_at_a_desk_and_on_a_phone(open_page, setup):
    meeting = setup["meeting"]
    detail = f"/meetings/{meeting.pk}/"

    for viewport, name in ((DESKTOP, "minutes-desk"), (PHONE, "minutes-phone")):
        page = open_page(viewport, name)
        page.page.on("dialog", lambda dialog: dialog.accept())
        page.login(setup["head"])
        page.goto(f"/meetings/{meeting.pk}/minutes/")
        assert page.page.locator('[data-testid="minutes-form"]').count() == 1
        page.shot("edit")
        _clean(page)
        page.goto(f"/meetings/{meeting.pk}/conclusions/")
        assert page.page.locator('[data-testid="task-row"]').count() == 5  # 2 tasks and 3 blank rows
        page.shot("conclusion")
        _clean(page)
        page.goto(detail)
        section = page.page.locator('[data-testid="minutes"]')
        assert "Đang soạn" in section.inner_text()
        page.page.locator('[data-testid="minutes"]').scroll_into_view_if_needed()
        page.shot("section")
        _clean(page)

    desk = open_page(DESKTOP, "minutes-submit")
    desk.page.on("dialog", lambda dialog: dialog.accept())
    desk.login(setup["head"])
    desk.goto(detail)
    with desk.page.expect_navigation():
        desk.page.locator('[data-testid="action-minutes_submit"] button[type="submit"]').click()
    desk.page.wait_for_load_state("networkidle")
    assert "Đã trình ký biên bản" in desk.page.inner_text("body")
    assert Minutes.objects.get(meeting=meeting).status == Minutes.Status.SECRETARY
    _clean(desk)

    phone = open_page(PHONE, "minutes-secretary")
    phone.login(setup["secretary"])
    phone.goto(detail)
    link = phone.page.locator('[data-testid="minutes-sign"]')
    assert link.count() == 1
    phone.page.locator('[data-testid="minutes"]').scroll_into_view_if_needed()
    phone.shot("secretary")
    with phone.page.expect_navigation():
        link.click()
    phone.page.wait_for_load_state("networkidle")
    assert "Biên bản: Rà soát tiến độ giải ngân" in phone.page.inner_text("body")
    _clean(phone)
