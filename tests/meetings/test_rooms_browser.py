"""The rooms page, the statistics and the dashboard widget in Chromium at 1280 and 390 px: no console error,
failed request or duplicate id, no sideways scrolling on the phone; the day navigation of the rooms page and
the masked secret meeting. Screenshots in EOFFICE_MEETINGS_SHOTS."""

# ruff: noqa: F811 - the fixtures imported from test_rooms
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.browser.fixtures import DESKTOP, PHONE
from tests.meetings.test_rooms import DAY, at, book, world  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("EOFFICE_MEETINGS_SHOTS", "/tmp/meetings-shots"))


def _check(page, label: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.page.screenshot(path=str(SHOTS / f"rooms-{label}-{page.name}.png"), full_page=True)
    width = page.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{label}: page is {width[0]} px wide in a {width[1]} px window"
    assert not page.errors, f"{label}: {page.errors}"


@pytest.mark.parametrize(("viewport", "name"), [(DESKTOP, "1280"), (PHONE, "390")])
def test_rooms_stats_and_widget_pages(open_page, world, officer_a, viewport, name):
    officer = open_page(viewport, name)
    officer.login(officer_a)
    officer.goto(f"{reverse('meetings:rooms')}?date={DAY.isoformat()}")
    assert officer.page.locator("[data-testid=room]").count() == 2
    assert officer.page.locator("[data-testid=booking-masked]").count() == 1
    assert officer.page.locator("[data-state=submitted]").count() == 1
    _check(officer, "day")
    with officer.page.expect_navigation():
        officer.page.locator("[data-testid=rooms-next]").click()
    assert f"date={(DAY + dt.timedelta(days=1)).isoformat()}" in officer.page.url
    assert officer.page.locator("[data-testid=booking]").count() == 1  # the next day's meeting
    _check(officer, "next-day")

    leader = open_page(viewport, name)
    leader.login(world["leader"])
    period = f"period=custom&date_from={DAY.isoformat()}&date_to={DAY.isoformat()}"
    leader.goto(f"{reverse('meetings:stats')}?{period}")
    assert leader.page.locator("[data-testid=stats-units]").count() == 1
    assert leader.page.locator("[data-testid=export-xlsx]").count() == 1
    _check(leader, "stats")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    book(
        world["big"],
        title="Họp ngày mai",
        start=at(9, day=tomorrow),
        end=at(10, day=tomorrow),
        chair=world["leader"],
    )
    leader.goto(reverse("dashboard"))
    assert leader.page.locator("[data-testid=meetings-widget-item]").count() == 1
    _check(leader, "dashboard")
