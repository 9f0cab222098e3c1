"""Calendar feeds: created on the feeds page (the address shown once), read without login by the secret
token (compared by SHA-256), revoked or replaced → 404; what a person's and a unit's feed carry; one
meeting's .ics for the people who may see it."""

# ruff: noqa: F811
from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from django.test import Client
from django.urls import reverse

from meetings import feeds, ical, services
from meetings.models import CalendarFeed
from tests.meetings.h2_helpers import make_meeting, org, publish  # noqa: F401
from workflow.models import WorkflowState

pytestmark = pytest.mark.django_db


def _token_from_page(client) -> str:
    response = client.get(reverse("meetings:feeds"))
    assert response.status_code == 200
    text = response.content.decode()
    marker = "/meetings/feed/"
    start = text.index(marker) + len(marker)
    return text[start : text.index(".ics", start)]


def _read(token: str):
    response = Client().get(reverse("meetings:feed", args=[token]))
    return response


def _uids(response) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(response.content)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_own_feed_created_shown_once_and_read_without_login(org, login):
    meeting = make_meeting(org)
    publish(org, meeting)
    unpublished = make_meeting(org, start=meeting.start_at + dt.timedelta(days=14))
    pending = make_meeting(org, state=WorkflowState.SUBMITTED, start=meeting.start_at + dt.timedelta(hours=3))
    client = login(org["officer"])
    response = client.post(reverse("meetings:feed_create"))
    assert response.status_code == 302
    token = _token_from_page(client)
    page = client.get(reverse("meetings:feeds")).content.decode()
    assert token not in page and "own-feed-revoke" in page  # shown once; the feed is listed
    feed = CalendarFeed.objects.get(user=org["officer"], revoked_at__isnull=True)
    assert feed.token_sha256 == feeds.token_hash(token) and token not in feed.token_sha256

    response = _read(token)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    events = _uids(response)
    assert ical.event_uid(meeting) in events
    assert ical.event_uid(unpublished) not in events  # its week is not published
    assert ical.event_uid(pending) not in events  # not approved
    assert str(events[ical.event_uid(meeting)]["SUMMARY"]) == meeting.title
    feed.refresh_from_db()
    assert feed.last_used_at is not None


def test_revoked_replaced_and_unknown_tokens_get_404(org, login):
    client = login(org["officer"])
    client.post(reverse("meetings:feed_create"))
    first = _token_from_page(client)
    client.post(reverse("meetings:feed_create"))  # a new address: the old one stops working
    second = _token_from_page(client)
    assert first != second
    assert _read(first).status_code == 404 and _read(second).status_code == 200
    feed = CalendarFeed.objects.get(user=org["officer"], revoked_at__isnull=True)
    assert client.post(reverse("meetings:feed_revoke", args=[feed.pk])).status_code == 302
    assert _read(second).status_code == 404
    assert _read("not-a-token").status_code == 404
    # Someone else cannot revoke a person's feed.
    _feed, third = services.calendar_feed_create(by=org["officer"])
    other = login(org["bystander"])
    assert other.post(reverse("meetings:feed_revoke", args=[_feed.pk])).status_code == 404
    assert _read(third).status_code == 200


def test_unit_feed_by_its_head_masks_secret_meetings_the_unit_is_not_in(org, login):
    unit = org["unit"]
    listed = make_meeting(org, secret=True, title="Họp mật có đơn vị")  # the unit is listed as a participant
    publish(org, listed)
    through_member = make_meeting(
        org,
        secret=True,
        department=org["other"],
        title="Họp bàn phương án nhân sự",
        start=listed.start_at + dt.timedelta(hours=3),
    )
    through_member.participants.filter(department=unit).delete()  # only a member (the officer) is in it
    client = login(org["head"])
    client.post(reverse("meetings:feed_create"), {"department": unit.pk})
    page = client.get(reverse("meetings:feeds")).content.decode()
    assert 'data-testid="unit-feed-new"' in page
    marker = "/meetings/feed/"
    start = page.index(marker) + len(marker)
    token = page[start : page.index(".ics", start)]
    assert CalendarFeed.objects.get(department=unit).token_sha256 == feeds.token_hash(token)
    events = _uids(_read(token))
    assert str(events[ical.event_uid(listed)]["SUMMARY"]) == "Họp mật có đơn vị"
    masked = events[ical.event_uid(through_member)]
    assert str(masked["SUMMARY"]) == "Lịch họp" and "LOCATION" not in masked
    assert "nhân sự" not in _read(token).content.decode()


def test_unit_feed_refused_to_an_officer(org, login):
    client = login(org["officer"])
    client.post(reverse("meetings:feed_create"), {"department": org["unit"].pk})
    assert not CalendarFeed.objects.filter(department=org["unit"]).exists()
    assert client.get(reverse("meetings:feeds")).status_code == 200
    # The schedule manager (head of the office) may hold any unit's feed.
    _feed, token = services.calendar_feed_create(by=org["manager"], department=org["unit"])
    assert _read(token).status_code == 200


def test_meeting_ics_download_for_those_who_may_see_it(org, login):
    meeting = make_meeting(org, secret=True)
    response = login(org["officer"]).get(reverse("meetings:ics", args=[meeting.pk]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    cal = icalendar.Calendar.from_ical(response.content)
    assert cal["METHOD"] == "PUBLISH" and str(cal.walk("VEVENT")[0]["UID"]) == ical.event_uid(meeting)
    assert login(org["bystander"]).get(reverse("meetings:ics", args=[meeting.pk])).status_code == 404
    assert login(org["officer_b"]).get(reverse("meetings:ics", args=[meeting.pk])).status_code == 404


def test_feed_query_count_does_not_grow_with_meetings(org, django_assert_max_num_queries):
    _feed, token = services.calendar_feed_create(by=org["officer"])
    first = make_meeting(org)
    publish(org, first)
    for i in range(2):
        make_meeting(org, start=first.start_at + dt.timedelta(hours=2 + i))
    with django_assert_max_num_queries(3):
        assert len(_uids(_read(token))) == 3
    for i in range(6):
        make_meeting(org, start=first.start_at + dt.timedelta(hours=4 + i))
    with django_assert_max_num_queries(3):
        assert len(_uids(_read(token))) == 9
