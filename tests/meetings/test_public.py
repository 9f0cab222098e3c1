"""The public weekly schedule (/lich-cong-tac/<agency code>/) without login: only agencies that publish,
only published weeks, only approved meetings put in the weekly schedule; secret meetings show as "Lịch họp"
with their time only; no notes, preparations, outsiders or staff phone numbers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import DutyShift, Participant, PublishedWeek, ReceptionDay, ScheduleSettings
from tests.factories import make_agency
from tests.html_ids import duplicate_ids
from tests.meetings.test_week import MONDAY, make_org, meeting
from workflow.models import WorkflowState

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(db):
    return make_org()


def public_url(agency, day=MONDAY) -> str:
    return reverse("meetings_public:week", args=[agency.code]) + f"?week={day.isoformat()}"


def publish(org, day=MONDAY):
    return PublishedWeek.objects.create(
        agency=org["agency"], week_start=day, published_at=timezone.now(), published_by=org["chief"]
    )


@pytest.fixture
def public_org(org):
    ScheduleSettings.objects.create(agency=org["agency"], publish_public=True)
    return org


def test_not_found_unless_the_agency_publishes(client, org):
    publish(org)
    assert reverse("meetings_public:week", args=[org["agency"].code]) == "/lich-cong-tac/000.00.41.H26/"
    # no settings row, or publish_public off: 404
    assert client.get(public_url(org["agency"])).status_code == 404
    ScheduleSettings.objects.create(agency=org["agency"], publish_public=False)
    assert client.get(public_url(org["agency"])).status_code == 404
    assert client.get("/lich-cong-tac/khong-co/").status_code == 404
    # an inactive agency does not publish either
    ScheduleSettings.objects.filter(agency=org["agency"]).update(publish_public=True)
    assert client.get(public_url(org["agency"])).status_code == 200
    type(org["agency"]).objects.filter(pk=org["agency"].pk).update(is_active=False)
    assert client.get(public_url(org["agency"])).status_code == 404


def test_unpublished_week_shows_nothing(client, public_org):
    org = public_org
    meeting(org["agency"], org["officer"], title="Họp giao ban chưa công bố")
    response = client.get(public_url(org["agency"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="week-unpublished"' in html
    assert "Họp giao ban chưa công bố" not in html
    # another agency's published week does not open this one
    other = make_agency()
    PublishedWeek.objects.create(
        agency=other, week_start=MONDAY, published_at=timezone.now(), published_by=org["chief"]
    )
    assert "Họp giao ban chưa công bố" not in client.get(public_url(org["agency"])).content.decode()


def test_published_week_without_private_data(client, public_org):
    org = public_org
    a = org["agency"]
    shown = meeting(
        a,
        org["officer"],
        title="Hội nghị tổng kết năm",
        chair=org["director"],
        people=[org["deputy"]],
        units=[org["planning"]],
        place="Hội trường tỉnh",
        notes="Ghi chú nội bộ không công khai",
    )
    Participant.objects.create(
        meeting=shown, user=org["chief"], role=Participant.Role.PREPARE_MAIN, prepare="Chuẩn bị nội bộ"
    )
    Participant.objects.create(meeting=shown, name="Ông Khách Mời", email="khach@example.com")
    meeting(
        a,
        org["chief"],
        title="Họp bàn nhân sự mật",
        secret=True,
        chair=org["director"],
        people=[org["officer"]],
        place="Phòng họp số 1",
        hour=14,
    )
    meeting(a, org["officer"], title="Lịch chờ duyệt", state=WorkflowState.SUBMITTED, hour=16)
    meeting(a, org["officer"], title="Không đưa vào lịch tuần", in_weekly=False, hour=17)
    DutyShift.objects.create(agency=a, date=MONDAY, person=org["director"], phone="0988123456")
    ReceptionDay.objects.create(
        agency=a, date=MONDAY + dt.timedelta(days=2), leader=org["deputy"], place="Trụ sở tiếp công dân"
    )
    publish(org)

    response = client.get(public_url(a))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sở Tài chính" in html and 'data-testid="published"' in html
    assert duplicate_ids(html) == {}
    assert "Hội nghị tổng kết năm" in html and "Hội trường tỉnh" in html
    assert "Trần Văn Giám (Giám đốc)" in html and "Lê Thị Phó" in html and "Phòng Kế hoạch" in html
    # secret: "Lịch họp" and its time, nothing else
    assert "Lịch họp" in html and "14:00 – 16:00" in html
    assert "Họp bàn nhân sự mật" not in html and "Phòng họp số 1" not in html
    assert "Hoàng Chuyên Viên" not in html
    # only approved meetings of the weekly schedule
    assert "Lịch chờ duyệt" not in html and "Không đưa vào lịch tuần" not in html
    # nothing private: notes, preparation, outsiders, staff phones (only the roster's published phone)
    for private in ("Ghi chú nội bộ", "Chuẩn bị nội bộ", "Ông Khách Mời", "khach@example.com", "0912000001"):
        assert private not in html, private
    assert "0988123456" in html and "Trụ sở tiếp công dân" in html
    # no links into the signed-in application's meetings
    assert "/meetings/" not in html
    # next week is not published
    html = client.get(public_url(a, MONDAY + dt.timedelta(days=7))).content.decode()
    assert 'data-testid="week-unpublished"' in html and "0988123456" not in html


def test_public_query_count_does_not_grow(client, public_org):
    org = public_org
    publish(org)

    def add(n, offset):
        for i in range(n):
            meeting(
                org["agency"],
                org["officer"],
                title=f"Công khai {offset + i}",
                day=MONDAY + dt.timedelta(days=(offset + i) % 5),
                hour=7 + (offset + i) % 12,
                chair=org["director"],
                people=[org["deputy"]],
                units=[org["planning"]],
                secret=i % 4 == 0,
            )

    add(5, 0)
    client.get(public_url(org["agency"]))
    with CaptureQueriesContext(connection) as few:
        client.get(public_url(org["agency"]))
    add(45, 5)
    with CaptureQueriesContext(connection) as many:
        html = client.get(public_url(org["agency"])).content.decode()
    assert html.count('data-meeting="') == 50
    # 9: the week's rows, the duty roster, the reception days — one of them the complaints module's published
    # reception sessions (eoffice.schedule_sources) —, the agency and the settings; none grows with meetings.
    assert len(many.captured_queries) == len(few.captured_queries) <= 9
