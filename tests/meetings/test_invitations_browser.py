"""The calendar pages in a real browser at 1280 and 390 px: the feeds page (a person's and a unit's address,
shown once, read by a client without login, revoked), and the meeting page's invitations block ("Tạo giấy
mời" → the draft on the outgoing pages, "Tải .ics"). No console errors, failed requests or duplicate ids;
no sideways scroll on the phone. Screenshots go to EOFFICE_MEETINGS_SHOTS (default /tmp/meetings-shots/)."""

# ruff: noqa: F811
from __future__ import annotations

import os
from pathlib import Path

import icalendar
import pytest
from django.test import Client
from django.urls import reverse

from documents.models import DocumentType
from meetings import ical
from tests.browser.fixtures import DESKTOP, PHONE
from tests.meetings.h2_helpers import make_meeting, org, publish  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("EOFFICE_MEETINGS_SHOTS", "/tmp/meetings-shots"))


def _person(open_page, viewport, name, user):
    page = open_page(viewport, name)
    page.page.on("dialog", lambda dialog: dialog.accept())
    page.login(user)
    return page


def _shot(page, label: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.page.evaluate("window.scrollTo(0, 0)")
    page.page.screenshot(path=str(SHOTS / f"{label}-{page.name}.png"), full_page=True)


def _submit(page, selector: str) -> None:
    with page.page.expect_navigation():
        page.page.locator(selector).click()
    page.page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("viewport,name", [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_feeds_page_and_invitations_block(open_page, org, viewport, name):
    DocumentType.objects.get_or_create(name="Giấy mời", defaults={"abbreviation": "GM"})
    meeting = make_meeting(org)
    publish(org, meeting)

    head = _person(open_page, viewport, name, org["head"])
    head.goto(reverse("meetings:feeds"))
    _shot(head, "h2-feeds-empty")
    _submit(head, "[data-testid=own-feed-create]")
    url = head.page.locator("[data-testid=own-feed-new-url]").input_value()
    assert (
        head.page.locator("[data-testid=own-feed-new-webcal]").get_attribute("href").startswith("webcal://")
    )
    _submit(head, f"[data-testid=unit-feed-{org['unit'].pk}] button[type=submit]")
    assert head.page.locator("[data-testid=unit-feed-new-url]").count() == 1
    _shot(head, "h2-feeds-created")
    assert head.no_horizontal_overflow(), "sideways scroll on the feeds page"

    # A calendar app reads the address without a session.
    path = url.split("://", 1)[1].split("/", 1)[1]
    response = Client().get("/" + path)
    assert response.status_code == 200
    uids = {str(e["UID"]) for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")}
    assert ical.event_uid(meeting) in uids

    head.goto(reverse("meetings:feeds"))  # shown once
    assert head.page.locator("[data-testid=own-feed-new-url]").count() == 0
    _submit(head, "[data-testid=own-feed-revoke]")
    assert Client().get("/" + path).status_code == 404
    assert head.page.locator("[data-testid=own-feed-create]").count() == 1

    organiser = _person(open_page, viewport, name, org["organiser"])
    organiser.goto(meeting.get_absolute_url())
    block = organiser.page.locator("[data-testid=meeting-invitations]")
    assert block.locator("[data-testid=meeting-ics]").count() == 1
    block.scroll_into_view_if_needed()
    block.screenshot(path=str(SHOTS / f"h2-invitations-block-{name}.png"))
    assert organiser.no_horizontal_overflow()
    _submit(organiser, "[data-testid=action-invitation_draft] button[type=submit]")
    meeting.refresh_from_db()
    assert meeting.invitation is not None
    assert organiser.page.url.endswith(meeting.invitation.get_absolute_url())
    organiser.goto(meeting.get_absolute_url())
    state = organiser.page.locator("[data-testid=invitation-state]").inner_text()
    assert "Dự thảo" in state
    organiser.page.locator("[data-testid=meeting-invitations]").screenshot(
        path=str(SHOTS / f"h2-invitations-drafted-{name}.png")
    )
    for page in (head, organiser):
        assert not page.errors, page.errors
