"""Meetings admin (issue 16, section 5): an agency admin sees and edits only their agency's rooms, schedule
settings, duty roster and reception days; the agency of what they add is theirs; people offered are their
agency's; unlocks and published weeks are read only; meetings are read only, secret ones hidden."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from eoffice.models import Role
from meetings.models import DutyShift, Meeting, PublishedWeek, Room, ScheduleSettings
from tests.factories import make_agency, make_department, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(agency_a, dept_a):
    agency_b = make_agency(name="Sở Xây dựng", abbreviation="SXD", code="000.00.41.H26")
    dept_b = make_department(agency=agency_b, name="Văn phòng Sở Xây dựng", abbreviation="VP")
    return {
        "admin_a": make_user(agency=agency_a, roles=[Role.AGENCY_ADMIN], username="quantri.a", is_staff=True),
        "admin_b": make_user(agency=agency_b, roles=[Role.AGENCY_ADMIN], username="quantri.b", is_staff=True),
        "leader_a": make_user(
            agency=agency_a, department=dept_a, roles=[Role.LEADER], full_name="Trần Văn Giám Đốc"
        ),
        "leader_b": make_user(
            agency=agency_b, department=dept_b, roles=[Role.LEADER], full_name="Lê Thị Sở Khác"
        ),
        "room_a": Room.objects.create(agency=agency_a, name="Phòng họp tầng 2", capacity=30),
        "room_b": Room.objects.create(agency=agency_b, name="Hội trường Xây dựng", capacity=200),
        "agency_a": agency_a,
        "agency_b": agency_b,
        "dept_b": dept_b,
    }


def _meeting(*, agency, chair, secret=False, title="Họp giao ban", state="approved", room=None):
    start = timezone.now() + dt.timedelta(days=1)
    return Meeting.objects.create(
        agency=agency,
        title=title,
        start_at=start,
        end_at=start + dt.timedelta(hours=2),
        chair=chair,
        organiser=chair,
        secret=secret,
        state=state,
        room=room,
    )


def test_agency_admin_lists_and_opens_only_their_rooms(world, login):
    client = login(world["admin_a"])
    html = client.get(reverse("admin:meetings_room_changelist")).content.decode()
    assert "Phòng họp tầng 2" in html
    assert "Hội trường Xây dựng" not in html
    assert client.get(reverse("admin:meetings_room_change", args=[world["room_a"].pk])).status_code == 200
    # Another agency's room: the admin's "not found" redirect, never its page.
    response = client.get(reverse("admin:meetings_room_change", args=[world["room_b"].pk]))
    assert response.status_code == 302
    posted = client.post(
        reverse("admin:meetings_room_change", args=[world["room_b"].pk]),
        {"agency": world["agency_a"].pk, "name": "Đổi tên", "capacity": 5, "order": 0},
    )
    assert posted.status_code == 302
    world["room_b"].refresh_from_db()
    assert world["room_b"].name == "Hội trường Xây dựng"


def test_creating_a_room_sets_the_agency_and_offers_only_own_staff(world, login):
    client = login(world["admin_a"])
    page = client.get(reverse("admin:meetings_room_add")).content.decode()
    assert "Trần Văn Giám Đốc" in page
    assert "Lê Thị Sở Khác" not in page and "Sở Xây dựng" not in page
    response = client.post(
        reverse("admin:meetings_room_add"),
        {
            # A forged agency: the room is still the admin's agency's.
            "agency": world["agency_b"].pk,
            "name": "Phòng họp trực tuyến",
            "capacity": 12,
            "location": "Tầng 3",
            "equipment": "Cầu truyền hình",
            "auto_approve": "on",
            "managers": [world["leader_a"].pk],
            "order": 1,
            "is_active": "on",
        },
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        # The forged choice is refused as an invalid choice; the right one saves.
        response = client.post(
            reverse("admin:meetings_room_add"),
            {
                "agency": world["agency_a"].pk,
                "name": "Phòng họp trực tuyến",
                "capacity": 12,
                "managers": [world["leader_a"].pk],
                "order": 1,
                "is_active": "on",
                "auto_approve": "on",
            },
        )
        assert response.status_code == 302
    room = Room.objects.get(name="Phòng họp trực tuyến")
    assert room.agency_id == world["agency_a"].pk
    assert list(room.managers.all()) == [world["leader_a"]]
    assert room.auto_approve


def test_a_manager_of_another_agency_is_refused(world, login):
    client = login(world["admin_a"])
    response = client.post(
        reverse("admin:meetings_room_add"),
        {
            "agency": world["agency_a"].pk,
            "name": "Phòng khách",
            "capacity": 8,
            "managers": [world["leader_b"].pk],
            "order": 0,
        },
    )
    assert response.status_code == 200
    assert not Room.objects.filter(name="Phòng khách").exists()


def test_superuser_cannot_give_a_room_to_staff_of_another_agency(world, login):
    superuser = make_user(agency=None, roles=(), is_staff=True, is_superuser=True)
    client = login(superuser)
    response = client.post(
        reverse("admin:meetings_room_add"),
        {
            "agency": world["agency_a"].pk,
            "name": "Phòng khách",
            "capacity": 8,
            "managers": [world["leader_b"].pk],
            "order": 0,
        },
    )
    assert response.status_code == 200
    assert "không thuộc cơ quan này" in response.content.decode()
    assert not Room.objects.filter(name="Phòng khách").exists()


def test_duplicate_room_name_is_a_form_error(world, login):
    client = login(world["admin_a"])
    response = client.post(
        reverse("admin:meetings_room_add"),
        {"agency": world["agency_a"].pk, "name": "Phòng họp tầng 2", "capacity": 8, "order": 0},
    )
    assert response.status_code == 200
    assert Room.objects.filter(name="Phòng họp tầng 2").count() == 1


def test_schedule_settings_scoped_and_set_to_own_agency(world, login, dept_a):
    client = login(world["admin_a"])
    response = client.post(
        reverse("admin:meetings_schedulesettings_add"),
        {
            "agency": world["agency_a"].pk,
            "manager_department": dept_a.pk,
            "managers": [world["leader_a"].pk],
            "head": world["leader_a"].pk,
            "publish_weekday": 4,
            "publish_time": "16:00",
            "lock_from_weekday": 3,
            "lock_from_time": "16:00",
            "lock_until_weekday": 0,
            "lock_until_time": "08:00",
            "remind_evening_time": "17:00",
            "remind_minutes_before": 60,
            "prepare_remind_days": 1,
            "roll_call_minutes": 30,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    config = ScheduleSettings.objects.get(agency=world["agency_a"])
    assert config.head == world["leader_a"]
    # One row per agency: no second add page for this admin.
    assert client.get(reverse("admin:meetings_schedulesettings_add")).status_code == 403
    # The other agency's admin neither sees it nor is offered the first agency's people.
    other = login(world["admin_b"])
    listing = other.get(reverse("admin:meetings_schedulesettings_changelist")).content.decode()
    assert "Sở Kế hoạch và Đầu tư" not in listing
    add = other.get(reverse("admin:meetings_schedulesettings_add")).content.decode()
    assert "Trần Văn Giám Đốc" not in add and "Lê Thị Sở Khác" in add
    refused = other.post(
        reverse("admin:meetings_schedulesettings_add"),
        {"agency": world["agency_b"].pk, "head": world["leader_a"].pk, "publish_weekday": 4},
    )
    assert refused.status_code == 200
    assert not ScheduleSettings.objects.filter(agency=world["agency_b"]).exists()


def test_duty_shift_added_for_own_agency(world, login):
    client = login(world["admin_a"])
    response = client.post(
        reverse("admin:meetings_dutyshift_add"),
        {
            "agency": world["agency_a"].pk,
            "date": "2026-12-07",
            "person": world["leader_a"].pk,
            "phone": "0912",
        },
    )
    assert response.status_code == 302
    assert DutyShift.objects.get().agency_id == world["agency_a"].pk


def test_published_weeks_read_only(world, login):
    PublishedWeek.objects.create(
        agency=world["agency_a"],
        week_start=dt.date(2026, 12, 7),
        published_at=timezone.now(),
        published_by=world["leader_a"],
    )
    client = login(world["admin_a"])
    assert client.get(reverse("admin:meetings_publishedweek_changelist")).status_code == 200
    assert client.get(reverse("admin:meetings_publishedweek_add")).status_code == 403
    assert client.get(reverse("admin:meetings_unitunlock_changelist")).status_code == 200


def test_meetings_are_read_only_and_secret_ones_hidden(world, login):
    open_one = _meeting(agency=world["agency_a"], chair=world["leader_a"], title="Họp giao ban tuần")
    _meeting(agency=world["agency_a"], chair=world["leader_a"], title="Họp bàn nhân sự", secret=True)
    _meeting(agency=world["agency_b"], chair=world["leader_b"], title="Họp Sở Xây dựng")
    client = login(world["admin_a"])
    listing = client.get(reverse("admin:meetings_meeting_changelist")).content.decode()
    assert "Họp giao ban tuần" in listing
    assert "Họp bàn nhân sự" not in listing and "Họp Sở Xây dựng" not in listing
    url = reverse("admin:meetings_meeting_change", args=[open_one.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="title"' not in page.content.decode()
    assert client.post(url, {"title": "Đổi", "state": "cancelled"}).status_code == 403
    open_one.refresh_from_db()
    assert (open_one.title, open_one.state) == ("Họp giao ban tuần", "approved")
    assert client.get(reverse("admin:meetings_meeting_add")).status_code == 403
    delete = reverse("admin:meetings_meeting_delete", args=[open_one.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Meeting.objects.filter(pk=open_one.pk).exists()


def test_staff_without_admin_role_sees_no_meetings_admin(world, login, officer_a):
    officer_a.is_staff = True
    officer_a.save()
    client = login(officer_a)
    assert client.get(reverse("admin:meetings_room_changelist")).status_code == 403


def test_meeting_list_filters_by_the_meeting_states(world, login):
    _meeting(agency=world["agency_a"], chair=world["leader_a"], title="Họp đã duyệt")
    _meeting(agency=world["agency_a"], chair=world["leader_a"], title="Họp chờ duyệt", state="submitted")
    client = login(world["admin_a"])
    page = client.get(reverse("admin:meetings_meeting_changelist"), {"state": "submitted"}).content.decode()
    assert "Họp chờ duyệt" in page and "Họp đã duyệt" not in page
    # Only the meeting's four states are offered, not every state of the workflow engine.
    assert "Mới tạo" not in page and "Đã ban hành" not in page
    # The agency admin's lists have no agency column or filter (everything is their agency's).
    assert "column-agency" not in page


def test_meeting_page_shows_its_history_read_only(world, login):
    from workflow.services import history_add

    meeting = _meeting(agency=world["agency_a"], chair=world["leader_a"], title="Họp có lịch sử")
    history_add(record=meeting, event="comment", actor=world["leader_a"], comment="Đề nghị chuẩn bị tài liệu")
    client = login(world["admin_a"])
    html = client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk])).content.decode()
    assert "Đề nghị chuẩn bị tài liệu" in html and "Trần Văn Giám Đốc" in html
    assert 'name="comment"' not in html


def test_reception_day_fed_by_another_module_is_read_only(world, login):
    from meetings.models import ReceptionDay

    fed = ReceptionDay.objects.create(
        agency=world["agency_a"], date=dt.date(2026, 12, 9), leader=world["leader_a"], source="complaints"
    )
    client = login(world["admin_a"])
    url = reverse("admin:meetings_receptionday_change", args=[fed.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"agency": world["agency_a"].pk, "date": "2026-12-10"}).status_code == 403
    fed.refresh_from_db()
    assert fed.date == dt.date(2026, 12, 9)
