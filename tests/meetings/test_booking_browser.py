"""The booking pages in Chromium at 1280 and 390 px: the form with its pickers and preparation rows, the
warnings asked before saving, the meeting's page and the approval queue; no console error, failed request
or duplicate id, no sideways scrolling on the phone. Screenshots in EOFFICE_MEETINGS_SHOTS."""

# ruff: noqa: F811 - the fixtures imported from test_booking
from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.urls import reverse

from meetings import services
from meetings.models import Meeting
from tests.browser.fixtures import DESKTOP, PHONE
from tests.meetings.test_booking import at, org, register  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("EOFFICE_MEETINGS_SHOTS", "/tmp/meetings-shots"))


def _shot(page, label: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.page.evaluate("window.scrollTo(0, 0)")
    page.page.screenshot(path=str(SHOTS / f"booking-{label}-{page.name}.png"), full_page=True)
    width = page.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{label}: page is {width[0]} px wide in a {width[1]} px window"
    assert not page.errors, f"{label}: {page.errors}"


def _person(open_page, viewport, name, user):
    page = open_page(viewport, name)
    page.page.on("dialog", lambda dialog: dialog.accept())
    page.login(user)
    return page


def _submit(page, selector: str) -> None:
    with page.page.expect_navigation():
        page.page.locator(selector).first.click()
    page.page.wait_for_load_state("networkidle")


def _pick(page, field_id: str, typed: str, option: str) -> None:
    picker = page.page.locator(f"#{field_id}-picker-input")
    picker.click()
    picker.type(typed)
    page.page.locator(f"#{field_id}-picker-list .picker-option", has_text=option).first.click()
    page.page.keyboard.press("Escape")


@pytest.mark.parametrize(("viewport", "name"), [(DESKTOP, "1280"), (PHONE, "390")])
def test_booking_pages(open_page, org, viewport, name):
    busy = register(
        org, chair=org["deputy"], room=org["room"], start=at(3, 9), end=at(3, 10), title="Họp sẵn có"
    )
    services.meeting_approve(meeting=busy, by=org["manager"])
    officer = _person(open_page, viewport, name, org["officer"])
    officer.goto(reverse("meetings:new"))
    officer.page.fill("#id_title", "Họp triển khai kế hoạch chuyển đổi số năm 2027")
    officer.page.fill("#id_start_at", at(3, 9).strftime("%Y-%m-%dT%H:%M"))
    officer.page.fill("#id_end_at", at(3, 10, 30).strftime("%Y-%m-%dT%H:%M"))
    officer.page.fill("#id_place", "Hội trường UBND tỉnh")
    _pick(officer, "id_chair", "tran pho", "Trần Phó")
    _pick(officer, "id_people", "pham can", "Phạm Cán Bộ")
    _pick(officer, "id_prep-0-who", "ke hoach", "Phòng Kế hoạch")
    officer.page.fill("#id_prep-0-prepare", "Dự thảo kế hoạch, báo cáo tiến độ")
    officer.page.locator("[data-testid=add-prepare-row]").click()
    officer.page.locator("#id_prep-2-who").wait_for(state="attached")
    assert officer.page.input_value("#id_prep-0-prepare") == "Dự thảo kế hoạch, báo cáo tiến độ"
    _pick(officer, "id_prep-2-who", "pham can", "Phạm Cán Bộ")
    officer.page.select_option("#id_prep-2-role", "prepare_support")
    officer.page.fill("#id_prep-2-prepare", "Số liệu giải ngân")
    _shot(officer, "form")
    _submit(officer, "[data-testid=save-meeting]")
    assert officer.page.locator("[data-testid=booking-warnings]").count() == 1
    _shot(officer, "warnings")
    _submit(officer, "[data-testid=confirm-warnings]")
    meeting = Meeting.objects.get(title__startswith="Họp triển khai")
    roles = dict(meeting.participants.values_list("user__full_name", "role"))
    assert roles["Phạm Cán Bộ"] == "prepare_support"
    assert officer.page.url.endswith(meeting.get_absolute_url())
    _shot(officer, "detail")

    manager = _person(open_page, viewport, name, org["manager"])
    manager.goto(reverse("meetings:approvals"))
    assert manager.page.locator("[data-testid=approval-row]").count() == 1
    _shot(manager, "approvals")
    _submit(manager, f"[data-testid=approve-{meeting.pk}]")
    meeting.refresh_from_db()
    assert meeting.state == "approved"
    _shot(manager, "approved")
    manager.goto(reverse("meetings:edit", args=[meeting.pk]))
    _shot(manager, "edit")
