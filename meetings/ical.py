"""iCalendar (RFC 5545 / iTIP RFC 5546) of meetings, built with ``icalendar``.

One meeting as an invitation (``METHOD:REQUEST``, or ``METHOD:CANCEL`` with ``STATUS:CANCELLED``), or as a
download (``METHOD:PUBLISH``); many meetings as a read-only feed (no METHOD). Outlook and Google keep one
event per meeting only when its ``UID`` never changes and its ``SEQUENCE`` rises with every change: the UID
is the meeting's own (``Meeting.uid``), the SEQUENCE its ``sequence`` (raised by the services on every
change). Times are written in UTC. A secret meeting the feed's owner may not read shows as "Lịch họp" with
its time only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from email.utils import parseaddr
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.models import Meeting
from workflow.models import WorkflowState

PRODID = "-//eoffice//Lich hop//VI"
REQUEST, CANCEL, PUBLISH = "REQUEST", "CANCEL", "PUBLISH"
METHODS = (REQUEST, CANCEL, PUBLISH)
MIME_TYPE = "text/calendar"
REFRESH = dt.timedelta(hours=1)


def uid_host() -> str:
    return urlsplit(settings.EOFFICE_BASE_URL).hostname or "eoffice"


def event_uid(meeting: Meeting) -> str:
    """The stable UID of a meeting in every calendar: the same in every e-mail, download and feed."""
    return f"{meeting.uid}@{uid_host()}"


def meeting_path(meeting: Meeting) -> str:
    try:
        return meeting.get_absolute_url()
    except NoReverseMatch:  # the meeting page is not installed: the event goes without its link
        return ""


def meeting_url(meeting: Meeting) -> str:
    path = meeting_path(meeting)
    return settings.EOFFICE_BASE_URL + path if path else ""


def _address(email: str) -> str:
    return f"mailto:{email}"


def organizer(meeting: Meeting) -> icalendar.vCalAddress:
    """The organiser (người đăng ký), or the installation's sender when they have no e-mail address."""
    person = meeting.organiser
    if person.email:
        name, email = person.get_full_name(), person.email
    else:
        name, email = parseaddr(settings.DEFAULT_FROM_EMAIL)
    address = icalendar.vCalAddress(_address(email or f"no-reply@{uid_host()}"))
    address.params["CN"] = icalendar.vText(name or settings.EOFFICE_SITE_NAME)
    return address


def _valid(email: str) -> bool:
    try:
        validate_email(email)
    except ValidationError:
        return False
    return True


def attendee(name: str, email: str, *, chair: bool = False) -> icalendar.vCalAddress:
    address = icalendar.vCalAddress(_address(email))
    if name:
        address.params["CN"] = icalendar.vText(name)
    address.params["ROLE"] = icalendar.vText("CHAIR" if chair else "REQ-PARTICIPANT")
    address.params["PARTSTAT"] = icalendar.vText("NEEDS-ACTION")
    address.params["RSVP"] = icalendar.vText("FALSE")
    return address


def _description(meeting: Meeting) -> str:
    lines = [_("Chủ trì: %(chair)s") % {"chair": meeting.chair_name}]
    if meeting.description:
        lines.append(meeting.description)
    if meeting.notes:
        lines.append(_("Ghi chú: %(notes)s") % {"notes": meeting.notes})
    url = meeting_url(meeting)
    if url:
        lines.append(url)
    return "\n".join(lines)


def event(
    meeting: Meeting,
    *,
    cancelled: bool = False,
    masked: bool = False,
    attendees: Iterable[tuple[str, str]] = (),
    stamp: dt.datetime | None = None,
) -> icalendar.Event:
    """The VEVENT of ``meeting``. ``masked``: a secret meeting shown to someone outside it (time only).
    ``attendees``: (name, e-mail) of the people invited (the chair's e-mail is marked CHAIR)."""
    item = icalendar.Event()
    item.add("uid", event_uid(meeting))
    item.add("sequence", meeting.sequence)
    item.add("dtstamp", (stamp or timezone.now()).astimezone(dt.UTC))
    item.add("dtstart", meeting.start_at.astimezone(dt.UTC))
    item.add("dtend", meeting.end_at.astimezone(dt.UTC))
    item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    item.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    if masked:
        item.add("summary", _("Lịch họp"))
        item.add("class", "CONFIDENTIAL")
        return item
    item.add("summary", meeting.title)
    if meeting.place_label:
        item.add("location", meeting.place_label)
    item.add("description", _description(meeting))
    if meeting.secret:
        item.add("class", "CONFIDENTIAL")
    url = meeting_url(meeting)
    if url:
        item.add("url", url)
    if meeting.changed_at or meeting.approved_at:
        item.add("last-modified", (meeting.changed_at or meeting.approved_at).astimezone(dt.UTC))
    item.add("organizer", organizer(meeting))
    chair_email = meeting.chair.email.lower() if meeting.chair_id and meeting.chair.email else ""
    seen = set()
    for name, email in attendees:
        if not _valid(email) or email.lower() in seen:
            continue
        seen.add(email.lower())
        item.add("attendee", attendee(name, email, chair=email.lower() == chair_email))
    return item


def _calendar(method: str | None, name: str = "") -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:  # a feed: its name, and how often calendar apps should read it again (RFC 7986)
        cal.add("name", name)
        cal.add("x-wr-calname", name)
        cal.add("x-wr-timezone", settings.TIME_ZONE)
        cal.add("refresh-interval", icalendar.vDuration(REFRESH), parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", icalendar.vDuration(REFRESH))
    return cal


def meeting_calendar(
    meeting: Meeting, *, method: str = REQUEST, attendees: Iterable[tuple[str, str]] = ()
) -> bytes:
    """One meeting as an iTIP message: REQUEST (new or changed), CANCEL (cancelled, or cancelled for the
    people removed from it), or PUBLISH (a download). A cancelled meeting is always sent as cancelled."""
    if method not in METHODS:
        raise ValueError(method)
    cancelled = method == CANCEL or meeting.state == WorkflowState.CANCELLED
    cal = _calendar(method)
    cal.add_component(event(meeting, cancelled=cancelled, attendees=attendees))
    return cal.to_ical()


def feed_calendar(
    meetings: Iterable[Meeting], *, name: str, readable: Callable[[Meeting], bool] | None = None
) -> bytes:
    """A feed (no METHOD) of ``meetings``. ``readable(meeting)`` says whether the feed's owner may read a
    secret meeting; the others go masked ("Lịch họp", time only)."""
    cal = _calendar(None, name)
    stamp = timezone.now()
    for meeting in meetings:
        masked = bool(meeting.secret and readable is not None and not readable(meeting))
        cancelled = meeting.state == WorkflowState.CANCELLED
        cal.add_component(event(meeting, cancelled=cancelled, masked=masked, stamp=stamp))
    return cal.to_ical()
