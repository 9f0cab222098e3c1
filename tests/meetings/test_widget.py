"""The meetings dashboard widget: today's and tomorrow's approved meetings of the person and of the agency's
leaders, secret ones masked, one query whatever the number of meetings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from eoffice import dashboard
from eoffice.models import Role
from meetings import widgets
from meetings.models import Meeting, Participant
from tests.factories import make_agency, make_department, make_user

pytestmark = pytest.mark.django_db


def at(days: int, hour: int) -> dt.datetime:
    return dt.datetime.combine(
        timezone.localdate() + dt.timedelta(days=days), dt.time(hour), timezone.get_current_timezone()
    )


def meeting(agency, *, title, days, hour, chair, state="approved", secret=False, people=()):
    m = Meeting.objects.create(
        agency=agency,
        title=title,
        start_at=at(days, hour),
        end_at=at(days, hour + 1),
        chair=chair,
        organiser=chair,
        state=state,
        secret=secret,
        place="Phòng họp tầng 3",
    )
    for person in people:
        Participant.objects.create(meeting=m, user=person)
    return m


@pytest.fixture
def world(agency_a, staff_a):
    plan = make_department(agency=agency_a, name="Phòng Kế hoạch", abbreviation="KH")
    officer = make_user(agency=agency_a, department=plan, full_name="Phạm Chuyên Viên")
    leader = staff_a[Role.LEADER]
    head = make_user(agency=agency_a, department=plan, roles=[Role.DEPARTMENT_HEAD])
    other = make_agency(name="Sở Công Thương", abbreviation="SCT", code="000.00.71.H26")
    meeting(agency_a, title="Họp tổ công tác của tôi", days=0, hour=14, chair=head, people=[officer])
    meeting(agency_a, title="Giao ban lãnh đạo Sở", days=1, hour=8, chair=leader)
    meeting(agency_a, title="Họp bàn nhân sự", days=1, hour=10, chair=leader, secret=True)
    meeting(agency_a, title="Họp chờ duyệt", days=0, hour=9, chair=head, state="submitted", people=[officer])
    meeting(agency_a, title="Họp ngày kia", days=2, hour=8, chair=leader, people=[officer])
    meeting(agency_a, title="Họp hôm qua", days=-1, hour=8, chair=leader, people=[officer])
    meeting(agency_a, title="Họp phòng khác", days=0, hour=15, chair=head)
    meeting(
        other, title="Họp Sở Công Thương", days=0, hour=8, chair=make_user(agency=other, roles=[Role.LEADER])
    )
    return {"officer": officer, "leader": leader, "head": head}


def _titles(context, key):
    section = next(s for s in context["sections"] if s["key"] == key)
    return [[m.title if m.shown else "Lịch họp" for m in day["meetings"]] for day in section["days"]]


def test_widget_lists_mine_and_the_leaders(world):
    context = widgets.widget_context(world["officer"])
    assert _titles(context, "mine") == [["Họp tổ công tác của tôi"], []]
    assert _titles(context, "leaders") == [[], ["Giao ban lãnh đạo Sở", "Lịch họp"]]


def test_the_leader_reads_the_secret_meeting_as_their_own(world):
    context = widgets.widget_context(world["leader"])
    assert _titles(context, "mine") == [[], ["Giao ban lãnh đạo Sở", "Họp bàn nhân sự"]]
    assert _titles(context, "leaders") == [[], []]


def test_widget_on_the_dashboard(world, login):
    html = login(world["officer"]).get(reverse("dashboard")).content.decode()
    assert 'data-testid="meetings-widget"' in html
    assert "Họp tổ công tác của tôi" in html and "Giao ban lãnh đạo Sở" in html
    assert "Họp bàn nhân sự" not in html
    for title in ("Họp chờ duyệt", "Họp ngày kia", "Họp hôm qua", "Họp phòng khác", "Họp Sở Công Thương"):
        assert title not in html


def test_no_widget_without_agency(db):
    nobody = make_user(agency=None, roles=())
    assert widgets.widget_context(nobody) is None
    assert not any(w["widget"].key == "meetings.today" for w in dashboard.widgets_for(nobody))


def test_no_widget_without_meetings_and_an_empty_list_says_so(db, agency_a, login, staff_a):
    person = make_user(agency=agency_a)
    assert widgets.widget_context(person) is None  # the dashboard says nothing is waiting
    html = login(person).get(reverse("dashboard")).content.decode()
    assert 'data-testid="meetings-widget"' not in html and "Chưa có việc cần xử lý" in html
    # A leader's meeting tomorrow: the widget shows, and says the person has none of their own.
    meeting(agency_a, title="Giao ban lãnh đạo", days=1, hour=8, chair=staff_a[Role.LEADER])
    html = login(person).get(reverse("dashboard")).content.decode()
    assert "Giao ban lãnh đạo" in html
    assert "Bạn không có lịch họp hôm nay và ngày mai." in html


def test_query_count_does_not_grow(world, agency_a):
    def count():
        officer = type(world["officer"]).objects.get(pk=world["officer"].pk)
        with CaptureQueriesContext(connection) as ctx:
            widgets.widget_context(officer)
        return len(ctx.captured_queries)

    small = count()
    for n in range(8):
        meeting(
            agency_a,
            title=f"Họp thêm {n}",
            days=n % 2,
            hour=7 + n,
            chair=world["leader"],
            people=[world["officer"]],
        )
    assert count() == small
