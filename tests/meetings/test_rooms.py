"""Room occupancy page (meetings:rooms): the agency's rooms by day, approved and pending bookings told apart,
secret meetings masked for those who may not read them, free slots linking to the booking form, the day
navigation, and a query count that does not grow with rooms and bookings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from eoffice.models import Role
from meetings.models import Meeting, Room
from tests.factories import make_agency, make_user

pytestmark = pytest.mark.django_db

DAY = timezone.localdate() + dt.timedelta(days=3)


def at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), timezone.get_current_timezone())


def book(room, *, title, start, end, chair, state="approved", secret=False):
    return Meeting.objects.create(
        agency=room.agency,
        room=room,
        title=title,
        start_at=start,
        end_at=end,
        chair=chair,
        organiser=chair,
        state=state,
        secret=secret,
    )


@pytest.fixture
def world(agency_a, staff_a):
    leader = staff_a[Role.LEADER]
    big = Room.objects.create(agency=agency_a, name="Hội trường A", capacity=120, order=1, location="Tầng 1")
    small = Room.objects.create(agency=agency_a, name="Phòng họp số 2", capacity=15, order=2)
    Room.objects.create(agency=agency_a, name="Phòng cũ", is_active=False)
    other = make_agency(name="Sở Tài chính", abbreviation="STC", code="000.00.51.H26")
    other_room = Room.objects.create(agency=other, name="Phòng họp Sở Tài chính")
    other_chair = make_user(agency=other, roles=[Role.LEADER])
    book(big, title="Giao ban lãnh đạo Sở", start=at(8), end=at(10), chair=leader)
    book(big, title="Họp thẩm định dự án", start=at(13), end=at(14, 30), chair=leader, state="submitted")
    book(big, title="Họp đã hủy", start=at(15), end=at(16), chair=leader, state="cancelled")
    book(small, title="Họp bàn nhân sự", start=at(9), end=at(11), chair=leader, secret=True)
    book(
        big,
        title="Họp hôm sau",
        start=at(8, day=DAY + dt.timedelta(days=1)),
        end=at(9, day=DAY + dt.timedelta(days=1)),
        chair=leader,
    )
    book(other_room, title="Họp của Sở Tài chính", start=at(8), end=at(9), chair=other_chair)
    return {"leader": leader, "big": big, "small": small}


def _page(client, day=DAY):
    return client.get(reverse("meetings:rooms"), {"date": day.isoformat()})


def test_rooms_of_the_day(world, login, officer_a):
    response = _page(login(officer_a))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hội trường A" in html and "Phòng họp số 2" in html
    assert "Phòng cũ" not in html and "Sở Tài chính" not in html
    assert "Giao ban lãnh đạo Sở" in html and "Họp thẩm định dự án" in html
    assert "Họp đã hủy" not in html and "Họp hôm sau" not in html
    assert 'data-state="approved"' in html and 'data-state="submitted"' in html
    # The hall comes first (room order), its bookings in time order.
    assert html.index("Hội trường A") < html.index("Phòng họp số 2")
    assert html.index("08:00–10:00") < html.index("13:00–14:30")
    # "Đăng ký lịch" opens the booking form on the day shown.
    assert f'href="{reverse("meetings:new")}?date={DAY.isoformat()}"' in html


def test_secret_meeting_masked_unless_visible(world, login, officer_a):
    html = _page(login(officer_a)).content.decode()
    assert "Họp bàn nhân sự" not in html
    assert 'data-testid="booking-masked">Lịch họp<' in html
    # The chair is involved: they read it.
    html = _page(login(world["leader"])).content.decode()
    assert "Họp bàn nhân sự" in html


def test_free_slots_link_to_the_booking_form(world, login, officer_a):
    html = _page(login(officer_a)).content.decode()
    day = DAY.isoformat()
    big = world["big"].pk
    # The gaps of the hall: 07:00–08:00, 10:00–13:00, 14:30–18:00; each opens the form with an hour of it.
    assert ">07:00–08:00<" in html and ">10:00–13:00<" in html and ">14:30–18:00<" in html
    assert f"room={big}&amp;date={day}&amp;start={day}T07%3A00&amp;end={day}T08%3A00" in html
    assert f"room={big}&amp;date={day}&amp;start={day}T10%3A00&amp;end={day}T11%3A00" in html
    assert f"room={big}&amp;date={day}&amp;start={day}T14%3A30&amp;end={day}T15%3A30" in html


def test_free_slot_link_fills_the_booking_form(world, login, officer_a):
    query = {"room": world["big"].pk, "date": DAY.isoformat(), "start": f"{DAY}T10:00", "end": f"{DAY}T11:00"}
    response = login(officer_a).get(reverse("meetings:new"), query)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["room"] == world["big"].pk
    assert timezone.localtime(form.initial["start_at"]) == at(10)
    assert timezone.localtime(form.initial["end_at"]) == at(11)
    # Nonsense in the query: the form opens empty, never an error.
    bad = {"room": "x", "start": "2026-99-01T10:00", "end": "abc", "date": "2026-02-30"}
    assert login(officer_a).get(reverse("meetings:new"), bad).status_code == 200


def test_no_free_slot_in_the_past(world, login, officer_a):
    html = _page(login(officer_a), day=timezone.localdate() - dt.timedelta(days=2)).content.decode()
    assert 'data-testid="free-slot"' not in html


def test_day_navigation_and_bad_dates(world, login, officer_a):
    client = login(officer_a)
    html = _page(client).content.decode()
    assert f"?date={(DAY - dt.timedelta(days=1)).isoformat()}" in html
    assert f"?date={(DAY + dt.timedelta(days=1)).isoformat()}" in html
    for bad in ("2026-13-45", "abc", "99999-01-01", "0001-01-01", "2026-02-30\x00"):
        response = client.get(reverse("meetings:rooms"), {"date": bad})
        assert response.status_code in (200, 400)
    response = client.get(reverse("meetings:rooms"), {"date": "nonsense"})
    assert response.status_code == 200
    assert timezone.localdate().strftime("%d/%m/%Y") in response.content.decode()


def test_someone_without_agency_is_refused(db, login):
    nobody = make_user(agency=None, roles=())
    response = login(nobody).get(reverse("meetings:rooms"))
    assert response.status_code == 403


def test_login_required(client):
    response = client.get(reverse("meetings:rooms"))
    assert response.status_code == 302


def test_query_count_does_not_grow(world, login, officer_a, agency_a, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(officer_a)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert _page(client).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    leader = world["leader"]
    for n in range(6):
        room = Room.objects.create(agency=agency_a, name=f"Phòng thêm {n}", order=10 + n)
        for hour in (8, 10, 14):
            book(
                room,
                title=f"Họp {n}-{hour}",
                start=at(hour),
                end=at(hour + 1),
                chair=leader,
                secret=n % 2 == 0,
            )
    after = count()
    assert after == before, (before, after)
