"""meetings.ical: one meeting as REQUEST / CANCEL / PUBLISH, and a feed, parsed back with icalendar."""

# ruff: noqa: F811
from __future__ import annotations

import datetime as dt

import icalendar
import pytest

from meetings import ical
from tests.meetings.h2_helpers import make_meeting, org, vevent  # noqa: F401

pytestmark = pytest.mark.django_db


def test_request_has_stable_uid_sequence_organizer_attendees_and_utc_times(org, settings):
    settings.EOFFICE_BASE_URL = "https://eoffice.anhoa.gov.vn"
    meeting = make_meeting(org, sequence=3)
    cal = icalendar.Calendar.from_ical(
        ical.meeting_calendar(meeting, method=ical.REQUEST, attendees=[("Lê Thị Mai", "mai@example.gov.vn")])
    )
    assert cal["METHOD"] == "REQUEST" and cal["VERSION"] == "2.0"
    event = vevent(cal)
    assert str(event["UID"]) == f"{meeting.uid}@eoffice.anhoa.gov.vn"
    assert event["SEQUENCE"] == 3
    assert event["STATUS"] == "CONFIRMED"
    assert str(event["SUMMARY"]) == meeting.title
    assert str(event["LOCATION"]) == "Phòng họp tầng 3"
    assert "Chủ trì: Vũ Đức Thắng" in str(event["DESCRIPTION"])
    start = event.decoded("DTSTART")
    assert start == meeting.start_at and start.utcoffset() == dt.timedelta(0)
    assert event.decoded("DTEND") == meeting.end_at
    assert (
        "DTSTART:" in ical.meeting_calendar(meeting).decode()
        and "Z\r\n" in ical.meeting_calendar(meeting).decode()
    )
    organizer = event["ORGANIZER"]
    assert str(organizer) == f"mailto:{org['organiser'].email}" and organizer.params["CN"] == "Phan Minh Đức"
    attendee = event["ATTENDEE"]
    assert str(attendee) == "mailto:mai@example.gov.vn" and attendee.params["CN"] == "Lê Thị Mai"


def test_cancel_is_cancelled_and_uid_is_the_same(org):
    meeting = make_meeting(org)
    request = vevent(icalendar.Calendar.from_ical(ical.meeting_calendar(meeting)))
    cal = icalendar.Calendar.from_ical(ical.meeting_calendar(meeting, method=ical.CANCEL))
    assert cal["METHOD"] == "CANCEL"
    event = vevent(cal)
    assert event["STATUS"] == "CANCELLED" and event["UID"] == request["UID"]


def test_feed_masks_a_secret_meeting_the_owner_may_not_read(org):
    open_meeting = make_meeting(org)
    secret = make_meeting(org, secret=True, title="Họp bàn phương án nhân sự")
    cal = icalendar.Calendar.from_ical(
        ical.feed_calendar([open_meeting, secret], name="Lịch", readable=lambda m: not m.secret)
    )
    assert "METHOD" not in cal and str(cal["X-WR-CALNAME"]) == "Lịch"
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in cal.to_ical().decode()
    assert "X-PUBLISHED-TTL:PT1H" in cal.to_ical().decode()
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    masked = events[ical.event_uid(secret)]
    assert str(masked["SUMMARY"]) == "Lịch họp"
    assert "LOCATION" not in masked and "DESCRIPTION" not in masked and "ATTENDEE" not in masked
    assert str(events[ical.event_uid(open_meeting)]["SUMMARY"]) == open_meeting.title
