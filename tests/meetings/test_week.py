"""The weekly schedule pages through HTTP: the agency's week, a leader's, a unit's, my week; what shows and
what does not; secret meetings masked in SQL; the "đã thay đổi" mark; duty roster and reception days (with
another module's source); query counts that do not grow with the meetings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from eoffice import schedule_sources
from eoffice.models import Role
from meetings.models import DutyShift, Meeting, Participant, ReceptionDay, ScheduleSeen
from tests.factories import make_agency, make_department, make_user
from workflow.models import WorkflowState

pytestmark = pytest.mark.django_db

# A Monday far enough ahead that nothing in it has ended (the FSM's "not ended" plays no part here).
MONDAY = dt.date(2030, 11, 11)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), timezone.get_current_timezone())


def meeting(
    agency,
    organiser,
    *,
    title="Họp giao ban",
    day=MONDAY,
    hour=8,
    hours=2,
    state=WorkflowState.APPROVED,
    chair=None,
    chair_text="",
    people=(),
    units=(),
    **extra,
) -> Meeting:
    m = Meeting.objects.create(
        agency=agency,
        title=title,
        start_at=at(day, hour),
        end_at=at(day, hour) + dt.timedelta(hours=hours),
        organiser=organiser,
        chair=chair,
        chair_text="" if chair is not None else (chair_text or "Chủ tịch UBND tỉnh"),
        state=state,
        **extra,
    )
    for order, person in enumerate(people):
        Participant.objects.create(meeting=m, user=person, order=order)
    for order, unit in enumerate(units):
        Participant.objects.create(meeting=m, department=unit, order=100 + order)
    return m


@pytest.fixture
def org(db):
    return make_org()


def make_org() -> dict:
    """An agency with an office (the schedule managers), a planning unit, a director, a deputy and staff."""
    agency = make_agency(name="Sở Tài chính", abbreviation="STC", code="000.00.41.H26", place_name="An Hòa")
    office = make_department(agency=agency, name="Văn phòng", abbreviation="VP")
    planning = make_department(agency=agency, name="Phòng Kế hoạch", abbreviation="KH")
    return {
        "agency": agency,
        "office": office,
        "planning": planning,
        "director": make_user(
            agency=agency,
            roles=[Role.LEADER],
            full_name="Trần Văn Giám",
            position="Giám đốc",
            phone="0912000001",
        ),
        "deputy": make_user(
            agency=agency, roles=[Role.LEADER], full_name="Lê Thị Phó", position="Phó Giám đốc"
        ),
        "chief": make_user(
            agency=agency, department=office, roles=[Role.DEPARTMENT_HEAD], full_name="Phạm Chánh Văn"
        ),
        "officer": make_user(agency=agency, department=planning, full_name="Hoàng Chuyên Viên"),
        "outsider": make_user(agency=agency, department=planning, full_name="Đỗ Người Ngoài"),
    }


def week_url(name="meetings:week", day=MONDAY, **query):
    params = "&".join(f"{k}={v}" for k, v in {"week": day.isoformat(), **query}.items())
    return f"{reverse(name)}?{params}"


def test_week_needs_login(client):
    response = client.get(reverse("meetings:week"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_agency_week_shows_approved_weekly_meetings_only(client, org):
    a, officer = org["agency"], org["officer"]
    shown = meeting(
        a,
        officer,
        title="Họp giao ban tuần",
        chair=org["director"],
        people=[org["deputy"]],
        units=[org["planning"]],
        place="Phòng họp tầng 2",
        notes="Mang theo báo cáo",
    )
    Participant.objects.create(
        meeting=shown, user=org["chief"], role=Participant.Role.PREPARE_MAIN, prepare="Báo cáo tuần"
    )
    meeting(a, officer, title="Lịch chờ duyệt", state=WorkflowState.SUBMITTED, hour=14)
    meeting(a, officer, title="Lịch bị từ chối", state=WorkflowState.REJECTED, hour=15)
    meeting(a, officer, title="Lịch đã hủy", state=WorkflowState.CANCELLED, hour=16)
    meeting(a, officer, title="Không đưa vào lịch tuần", in_weekly=False, hour=17)
    meeting(a, officer, title="Họp của tuần kế tiếp", day=MONDAY + dt.timedelta(days=7))
    other = make_agency(name="Sở khác")
    meeting(other, make_user(agency=other), title="Lịch của cơ quan khác")

    client.force_login(officer)
    response = client.get(week_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Họp giao ban tuần" in html
    for hidden in (
        "Lịch chờ duyệt",
        "Lịch bị từ chối",
        "Lịch đã hủy",
        "Không đưa vào lịch tuần",
        "Họp của tuần kế tiếp",
    ):
        assert hidden not in html
    assert "Lịch của cơ quan khác" not in html
    # the columns of the domain guide
    assert "Trần Văn Giám (Giám đốc)" in html
    assert "Lê Thị Phó" in html and "Phòng Kế hoạch" in html
    assert "Phòng họp tầng 2" in html
    assert '<span class="wk-prep-who">Phạm Chánh Văn</span>: Báo cáo tuần' in html
    assert "Mang theo báo cáo" in html
    assert "Thứ Hai 11/11" in html and "Sáng" in html and "08:00 – 10:00" in html
    assert 'data-testid="unpublished"' in html


def test_week_navigation_and_bad_input(client, org):
    meeting(org["agency"], org["officer"], title="Họp tuần sau", day=MONDAY + dt.timedelta(days=9))
    client.force_login(org["officer"])
    # any day of the week selects the week
    html = client.get(week_url(day=MONDAY + dt.timedelta(days=10))).content.decode()
    assert "Họp tuần sau" in html
    assert "Thứ Tư 20/11" in html
    assert f"week={MONDAY.isoformat()}" in html  # "Tuần trước"
    assert f"week={(MONDAY + dt.timedelta(days=14)).isoformat()}" in html  # "Tuần sau"
    for bad in ("abc", "2030-13-45", "99999-01-01", "0001-01-01", "%00"):
        assert client.get(f"{reverse('meetings:week')}?week={bad}").status_code in (200, 400)
    assert client.get(f"{reverse('meetings:week')}?leader=abc&unit=-1").status_code == 200
    # a leader or unit of another agency is not found
    other = make_agency()
    stranger = make_user(agency=other, roles=[Role.LEADER])
    assert client.get(week_url(leader=stranger.pk)).status_code == 404
    assert client.get(week_url(unit=make_department(agency=other).pk)).status_code == 404


def test_saturday_shows_only_when_something_happens(client, org):
    client.force_login(org["officer"])
    html = client.get(week_url()).content.decode()
    assert "Thứ Sáu 15/11" in html and "Thứ Bảy 16/11" not in html
    meeting(org["agency"], org["officer"], title="Kiểm tra thực địa", day=MONDAY + dt.timedelta(days=5))
    html = client.get(week_url()).content.decode()
    assert "Thứ Bảy 16/11" in html and "Kiểm tra thực địa" in html


def test_leader_and_unit_scopes(client, org):
    a, officer = org["agency"], org["officer"]
    meeting(a, officer, title="Giám đốc chủ trì", chair=org["director"])
    meeting(a, officer, title="Phó Giám đốc dự", people=[org["deputy"]], hour=10)
    meeting(a, officer, title="Văn phòng chuẩn bị", units=[org["office"]], hour=14)
    client.force_login(officer)

    html = client.get(week_url(leader=org["director"].pk)).content.decode()
    assert "Lịch công tác của Trần Văn Giám" in html
    assert "Giám đốc chủ trì" in html
    assert "Phó Giám đốc dự" not in html and "Văn phòng chuẩn bị" not in html

    html = client.get(week_url(leader=org["deputy"].pk)).content.decode()
    assert "Phó Giám đốc dự" in html and "Giám đốc chủ trì" not in html

    html = client.get(week_url(unit=org["office"].pk)).content.decode()
    assert "Lịch công tác của Văn phòng" in html
    assert "Văn phòng chuẩn bị" in html and "Giám đốc chủ trì" not in html
    # a member of the unit in person counts for the unit
    meeting(a, officer, title="Chánh Văn phòng dự", people=[org["chief"]], hour=16)
    assert "Chánh Văn phòng dự" in client.get(week_url(unit=org["office"].pk)).content.decode()
    # the scope menu lists the leaders and the units
    html = client.get(week_url()).content.decode()
    assert f"leader={org['director'].pk}" in html and f"unit={org['planning'].pk}" in html


def test_my_week_across_agencies_with_pending_marked(client, org):
    a, officer = org["agency"], org["officer"]
    meeting(a, org["chief"], title="Tôi tham dự", people=[officer])
    meeting(a, officer, title="Tôi đăng ký, chờ duyệt", state=WorkflowState.SUBMITTED, hour=10)
    meeting(a, org["chief"], title="Không liên quan", hour=14)
    meeting(a, org["chief"], title="Đơn vị tôi dự", units=[org["planning"]], hour=15, in_weekly=False)
    other = make_agency(name="UBND tỉnh An Hòa")
    host = make_user(agency=other)
    invited = meeting(other, host, title="Họp ở tỉnh", hour=9, day=MONDAY + dt.timedelta(days=1))
    Participant.objects.create(meeting=invited, agency=a)
    meeting(a, officer, title="Tôi đăng ký, bị hủy", state=WorkflowState.CANCELLED, hour=16)

    client.force_login(officer)
    response = client.get(week_url("meetings:my_week"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Lịch của tôi" in html
    assert "Tôi tham dự" in html and "Đơn vị tôi dự" in html
    assert "Tôi đăng ký, chờ duyệt" in html and 'data-mark="pending"' in html
    assert "Họp ở tỉnh" in html and "UBND tỉnh An Hòa" in html
    assert "Không liên quan" not in html and "Tôi đăng ký, bị hủy" not in html
    # nothing that week: the empty state
    html = client.get(week_url("meetings:my_week", day=MONDAY + dt.timedelta(days=28))).content.decode()
    assert 'data-testid="week-empty"' in html


def test_secret_meeting_masked_for_outsider_readable_for_involved(client, org):
    a = org["agency"]
    secret_meeting = meeting(
        a,
        org["chief"],
        title="Họp bàn nhân sự mật",
        secret=True,
        chair=org["director"],
        people=[org["officer"]],
        place="Phòng họp số 1",
        notes="Không ghi âm",
    )
    # an outsider in the same agency: "Lịch họp", its time, nothing else
    client.force_login(org["outsider"])
    html = client.get(week_url()).content.decode()
    assert "Lịch họp" in html and "08:00 – 10:00" in html
    for secret in (
        "Họp bàn nhân sự mật",
        "Phòng họp số 1",
        "Không ghi âm",
        "Hoàng Chuyên Viên",
        "Trần Văn Giám (",
    ):
        assert secret not in html
    # no link to the meeting's page either
    detail = reverse("meetings:detail", args=[secret_meeting.pk])
    assert f'href="{detail}"' not in html
    # the same on the leader's week and in the exports
    html = client.get(week_url(leader=org["director"].pk)).content.decode()
    assert "Lịch họp" in html and "Họp bàn nhân sự mật" not in html
    # a participant reads it, and so does the schedule manager (the office's head)
    for reader in (org["officer"], org["director"], org["chief"]):
        client.force_login(reader)
        html = client.get(week_url()).content.decode()
        assert "Họp bàn nhân sự mật" in html and "Phòng họp số 1" in html, reader
        assert f'href="{detail}"' in html


def test_postponed_meeting_marked(client, org):
    meeting(
        org["agency"],
        org["officer"],
        title="Hội nghị sơ kết",
        postponed_at=timezone.now(),
        postpone_reason="Lãnh đạo đi công tác",
    )
    client.force_login(org["officer"])
    html = client.get(week_url()).content.decode()
    assert 'data-mark="postponed"' in html and "Hoãn" in html and "Lãnh đạo đi công tác" in html


def test_changed_since_last_seen(client, org):
    m = meeting(org["agency"], org["officer"], title="Họp chuyên đề")
    client.force_login(org["outsider"])
    # the first look records the time; nothing is marked
    html = client.get(week_url()).content.decode()
    assert 'data-mark="changed"' not in html
    seen = ScheduleSeen.objects.get(user=org["outsider"], week_start=MONDAY)
    # a change after that look is marked at the next look, once
    Meeting.objects.filter(pk=m.pk).update(changed_at=seen.seen_at + dt.timedelta(seconds=5))
    html = client.get(week_url(day=MONDAY + dt.timedelta(days=2))).content.decode()
    assert 'data-mark="changed"' in html and "Đã thay đổi" in html
    ScheduleSeen.objects.filter(pk=seen.pk).update(seen_at=seen.seen_at + dt.timedelta(seconds=10))
    assert 'data-mark="changed"' not in client.get(week_url()).content.decode()
    # one row per person and week
    assert ScheduleSeen.objects.filter(user=org["outsider"]).count() == 1
    # a person who never looked sees no marks (everything would be new)
    client.force_login(org["deputy"])
    assert 'data-mark="changed"' not in client.get(week_url()).content.decode()


def test_duty_roster_and_reception_days_with_a_source(client, org):
    a = org["agency"]
    DutyShift.objects.create(
        agency=a, date=MONDAY, person=org["director"], phone="0988123456", note="Cả ngày"
    )
    ReceptionDay.objects.create(
        agency=a, date=MONDAY + dt.timedelta(days=3), leader=org["deputy"], place="Trụ sở tiếp công dân"
    )

    def complaints_days(agency_id, start, end):
        assert (start, end) == (MONDAY, MONDAY + dt.timedelta(days=6))
        if agency_id != a.pk:
            return []
        return [
            schedule_sources.ReceptionRow(
                date=MONDAY + dt.timedelta(days=1),
                leader_name="Trần Văn Giám",
                leader_id=org["director"].pk,
                start_time=dt.time(14, 0),
                end_time=dt.time(17, 0),
                place="Ban Tiếp công dân tỉnh",
                source="complaints",
            ),
            {"date": MONDAY + dt.timedelta(days=30), "leader_name": "Ngoài tuần"},
        ]

    def broken(agency_id, start, end):
        raise RuntimeError("boom")

    schedule_sources.register_reception_source(complaints_days)
    schedule_sources.register_reception_source(broken)
    try:
        client.force_login(org["officer"])
        html = client.get(week_url()).content.decode()
        assert "Trực: Trần Văn Giám" in html and "0988123456" in html and "Cả ngày" in html
        assert "Trụ sở tiếp công dân" in html and "Ban Tiếp công dân tỉnh" in html
        assert "14:00 – 17:00" in html and "Ngoài tuần" not in html
        # the leader's week keeps only that leader's
        html = client.get(week_url(leader=org["director"].pk)).content.decode()
        assert "Ban Tiếp công dân tỉnh" in html and "Trụ sở tiếp công dân" not in html
    finally:
        schedule_sources.unregister_reception_source(complaints_days)
        schedule_sources.unregister_reception_source(broken)


def _week_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["meetings:week", "meetings:my_week"])
def test_week_query_count_does_not_grow_with_meetings(client, org, name):
    a, officer = org["agency"], org["officer"]
    people = [make_user(agency=a, department=org["planning"]) for _ in range(3)]

    def add(n, offset):
        for i in range(n):
            m = meeting(
                a,
                officer,
                title=f"Cuộc họp {offset + i}",
                day=MONDAY + dt.timedelta(days=(offset + i) % 5),
                hour=7 + (offset + i) % 12,
                chair=org["director"] if i % 2 else None,
                people=[officer, *people],
                units=[org["office"]],
                secret=i % 3 == 0,
                room=None,
            )
            Participant.objects.create(
                meeting=m, department=org["planning"], role=Participant.Role.PREPARE_MAIN, prepare="Tài liệu"
            )
        DutyShift.objects.create(
            agency=a, date=MONDAY + dt.timedelta(days=offset % 7), person=people[offset % 3]
        )

    add(5, 0)
    client.force_login(org["outsider"] if name == "meetings:week" else officer)
    _week_queries(client, week_url(name))  # warm the session
    few = _week_queries(client, week_url(name))
    add(45, 5)
    many = _week_queries(client, week_url(name))
    html = client.get(week_url(name)).content.decode()
    assert html.count('data-meeting="') == 50
    assert many == few, (few, many)
