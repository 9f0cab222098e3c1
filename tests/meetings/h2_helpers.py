"""Shared by the invitation, calendar, feed and reminder tests: an agency with its office (the schedule
managers), a unit, people with e-mail addresses, and approved meetings made as rows."""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes

import icalendar
import pytest
from django.utils import timezone

from eoffice.models import Role
from meetings.models import Meeting, Participant, PublishedWeek
from meetings.rules import week_start
from tests.factories import make_department, make_user
from workflow.models import WorkflowState

TZ = timezone.get_fixed_timezone(7 * 60)


@pytest.fixture
def org(agency_a, agency_b):
    """Agency A: the office (VP) with its head (a schedule manager), a unit (KT) with its head and two
    officers, the agency's leader (Giám đốc); an officer of agency B. The Giấy mời type exists."""
    gm_type()
    office = make_department(agency=agency_a, name="Văn phòng", abbreviation="VP")
    unit = make_department(agency=agency_a, name="Phòng Kinh tế", abbreviation="KT")
    other = make_department(agency=agency_a, name="Phòng Tổng hợp", abbreviation="TH")
    return {
        "agency": agency_a,
        "agency_b": agency_b,
        "office": office,
        "unit": unit,
        "other": other,
        "manager": make_user(
            agency=agency_a, department=office, roles=[Role.DEPARTMENT_HEAD], full_name="Chánh Văn Phòng"
        ),
        "leader": make_user(
            agency=agency_a, roles=[Role.LEADER], full_name="Vũ Đức Thắng", position="Giám đốc"
        ),
        "head": make_user(
            agency=agency_a, department=unit, roles=[Role.DEPARTMENT_HEAD], full_name="Bùi Văn Hải"
        ),
        "organiser": make_user(
            agency=agency_a, department=unit, roles=[Role.OFFICER], full_name="Phan Minh Đức"
        ),
        "officer": make_user(agency=agency_a, department=unit, roles=[Role.OFFICER], full_name="Lê Thị Mai"),
        "bystander": make_user(
            agency=agency_a, department=other, roles=[Role.OFFICER], full_name="Trần Văn Ngoài"
        ),
        "officer_b": make_user(agency=agency_b, roles=[Role.OFFICER], full_name="Lý Thị Nhận"),
    }


def gm_type():
    """The Giấy mời type (get_or_create: a transactional test's flush removes the data migration's rows)."""
    from documents.models import DocumentType

    return DocumentType.objects.get_or_create(name="Giấy mời", defaults={"abbreviation": "GM"})[0]


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), timezone.get_current_timezone())


def make_meeting(
    org, *, start: dt.datetime | None = None, hours: float = 2, state=WorkflowState.APPROVED, **extra
):
    start = start or local(timezone.localdate() + dt.timedelta(days=3), 8)
    values = {
        "agency": org["agency"],
        "department": org["unit"],
        "title": "Họp triển khai kế hoạch chuyển đổi số năm 2027",
        "start_at": start,
        "end_at": start + dt.timedelta(hours=hours),
        "place": "Phòng họp tầng 3",
        "chair": org["leader"],
        "organiser": org["organiser"],
        "state": state,
    }
    if state == WorkflowState.APPROVED:
        values["approved_at"] = timezone.now()
        values["approved_by"] = org["manager"]
    values.update(extra)
    meeting = Meeting.objects.create(**values)
    Participant.objects.create(meeting=meeting, user=org["officer"], order=1)
    Participant.objects.create(meeting=meeting, department=org["unit"], order=2)
    Participant.objects.create(
        meeting=meeting, name="Công ty Cổ phần Minh Phát", email="giamdoc@minhphat.example", order=3
    )
    return meeting


def publish(org, meeting) -> PublishedWeek:
    week = week_start(timezone.localtime(meeting.start_at).date())
    return PublishedWeek.objects.get_or_create(
        agency=meeting.agency,
        week_start=week,
        defaults={"published_at": timezone.now(), "published_by": org["manager"]},
    )[0]


def ics_of(message) -> tuple[str, icalendar.Calendar]:
    """(the part's ``method`` parameter, parsed calendar) of the .ics attached to a sent e-mail, read from its
    MIME form (Content-Type: text/calendar; method=…)."""
    parsed = message_from_bytes(message.message().as_bytes())
    for part in parsed.walk():
        if part.get_content_type() == "text/calendar":
            return part.get_param("method"), icalendar.Calendar.from_ical(part.get_payload(decode=True))
    raise AssertionError("no text/calendar part")


def vevent(cal: icalendar.Calendar) -> icalendar.Event:
    events = cal.walk("VEVENT")
    assert len(events) == 1
    return events[0]
