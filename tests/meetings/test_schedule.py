"""The schedule manager's side of the week through HTTP: publishing (and the one batch of notifications),
the duty roster and reception days, the lock banner and unlocking a unit; the PDF and Excel exports."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from eoffice.models import Notification
from meetings import rules
from meetings.models import (
    DutyShift,
    PublishedWeek,
    ReceptionDay,
    ScheduleSettings,
    UnitUnlock,
    Weekday,
)
from tests.factories import make_user
from tests.html_ids import duplicate_ids
from tests.meetings.test_week import MONDAY, at, make_org, meeting, week_url
from workflow.models import HistoryEntry

pytestmark = pytest.mark.django_db

WEEK = MONDAY.isoformat()


@pytest.fixture
def org(db):
    return make_org()


def manage_url(action: str) -> str:
    return reverse("meetings:week_manage", args=[action])


def test_manager_publishes_the_week_and_staff_are_told(client, org):
    a, chief = org["agency"], org["chief"]
    client.force_login(chief)
    html = client.get(week_url()).content.decode()
    assert 'data-testid="publish-form"' in html and 'data-testid="unpublished"' in html

    response = client.post(manage_url("publish"), {"publish-week": WEEK, "publish-note": "Lịch tuần 46"})
    assert response.status_code == 302 and f"week={WEEK}" in response["Location"]
    published = PublishedWeek.objects.get(agency=a, week_start=MONDAY)
    assert published.published_by == chief and published.note == "Lịch tuần 46"
    staff = {u.pk for u in (org["director"], org["deputy"], org["officer"], org["outsider"])}
    told = Notification.objects.filter(kind="meetings.week", title__contains="11/11")
    assert set(told.values_list("recipient_id", flat=True)) == staff
    assert told.first().url == f"/meetings/week/?week={WEEK}"
    assert HistoryEntry.objects.for_record(published).count() == 1

    html = client.get(response["Location"]).content.decode()
    assert 'data-testid="published"' in html and "Đã ban hành lúc" in html
    assert "Ban hành lại" in html

    # published again after a change: one row, a new time, told again
    first_at = published.published_at
    with CaptureQueriesContext(connection) as few:
        client.post(manage_url("publish"), {"publish-week": (MONDAY + dt.timedelta(days=3)).isoformat()})
    published.refresh_from_db()
    assert PublishedWeek.objects.filter(agency=a).count() == 1 and published.published_at > first_at
    assert Notification.objects.filter(kind="meetings.week", title__contains="ban hành lại").count() == 4
    # the notifications go out in one batch: as many queries for 24 people as for 4
    for _ in range(20):
        make_user(agency=a, department=org["planning"])
    with CaptureQueriesContext(connection) as many:
        client.post(manage_url("publish"), {"publish-week": WEEK})
    assert Notification.objects.filter(kind="meetings.week", title__contains="ban hành lại").count() == 4 + 24
    assert len(many.captured_queries) == len(few.captured_queries)


def test_publish_refused_to_others(client, org):
    for user in (org["officer"], org["director"]):
        client.force_login(user)
        html = client.get(week_url()).content.decode()
        assert 'data-testid="publish-form"' not in html
        response = client.post(manage_url("publish"), {"publish-week": WEEK}, follow=True)
        assert "Chỉ người quản lý lịch" in response.content.decode()
    assert not PublishedWeek.objects.exists()
    assert not Notification.objects.exists()
    # a manager of another agency is not this agency's manager
    from tests.factories import make_agency, make_department

    other = make_agency()
    office = make_department(agency=other, name="Văn phòng", abbreviation="VP")
    stranger = make_user(agency=other, department=office, roles=["department_head"])
    client.force_login(stranger)
    client.post(manage_url("publish"), {"publish-week": WEEK})
    assert not PublishedWeek.objects.filter(agency=org["agency"]).exists()
    assert PublishedWeek.objects.get().agency == other  # their own agency's week
    # unknown action, GET, bad week
    client.force_login(org["chief"])
    assert client.post(manage_url("nothing"), {}).status_code == 404
    assert client.get(manage_url("publish")).status_code == 405
    response = client.post(manage_url("publish"), {"publish-week": "not-a-date"}, follow=True)
    assert response.status_code == 200 and not PublishedWeek.objects.filter(agency=org["agency"]).exists()


def test_duty_roster_set_and_remove(client, org):
    client.force_login(org["chief"])
    post = {
        "duty-week": WEEK,
        "duty-date": (MONDAY + dt.timedelta(days=1)).isoformat(),
        "duty-person": org["director"].pk,
        "duty-phone": "0988 111 222",
        "duty-note": "Trực cả ngày",
    }
    client.post(manage_url("duty"), post)
    shift = DutyShift.objects.get()
    assert (shift.person, shift.phone, shift.date) == (
        org["director"],
        "0988 111 222",
        MONDAY + dt.timedelta(days=1),
    )
    # the same person and day again updates the row
    client.post(manage_url("duty"), {**post, "duty-phone": "0988 333 444"})
    assert DutyShift.objects.get().phone == "0988 333 444"
    html = client.get(week_url()).content.decode()
    assert "0988 333 444" in html and "Trực: Trần Văn Giám" in html
    # a day outside the week shown, or a person of another agency, is refused
    response = client.post(manage_url("duty"), {**post, "duty-date": "2030-12-30"}, follow=True)
    assert "Ngày phải thuộc tuần đang xem" in response.content.decode()
    stranger = make_user(agency=None, roles=())
    client.post(manage_url("duty"), {**post, "duty-person": stranger.pk})
    assert DutyShift.objects.count() == 1
    # another agency's schedule manager cannot remove it
    from tests.factories import make_agency, make_department

    other = make_agency()
    office = make_department(agency=other, name="Văn phòng", abbreviation="VP")
    client.force_login(make_user(agency=other, department=office, roles=["department_head"]))
    response = client.post(manage_url("duty-remove"), {"week": WEEK, "pk": shift.pk}, follow=True)
    assert "Không tìm thấy lịch trực" in response.content.decode() and DutyShift.objects.count() == 1
    # remove
    client.force_login(org["chief"])
    client.post(manage_url("duty-remove"), {"week": WEEK, "pk": shift.pk})
    assert not DutyShift.objects.exists()
    response = client.post(manage_url("duty-remove"), {"week": WEEK, "pk": shift.pk}, follow=True)
    assert "Không tìm thấy lịch trực" in response.content.decode()
    # not a manager
    client.force_login(org["officer"])
    client.post(manage_url("duty"), post)
    assert not DutyShift.objects.exists()


def test_reception_days_add_and_remove(client, org):
    client.force_login(org["chief"])
    post = {
        "rcp-week": WEEK,
        "rcp-date": (MONDAY + dt.timedelta(days=2)).isoformat(),
        "rcp-leader": org["deputy"].pk,
        "rcp-start_time": "07:30",
        "rcp-end_time": "11:30",
        "rcp-place": "Trụ sở tiếp công dân tỉnh",
        "rcp-note": "Định kỳ",
    }
    client.post(manage_url("reception"), post)
    day = ReceptionDay.objects.get()
    assert day.leader == org["deputy"] and day.source == ""
    html = client.get(week_url()).content.decode()
    assert "Trụ sở tiếp công dân tỉnh" in html and "07:30 – 11:30" in html
    # end before start, or a non-leader, refused
    response = client.post(manage_url("reception"), {**post, "rcp-end_time": "07:00"}, follow=True)
    assert "Giờ kết thúc phải sau giờ bắt đầu" in response.content.decode()
    client.post(manage_url("reception"), {**post, "rcp-leader": org["officer"].pk})
    assert ReceptionDay.objects.count() == 1
    # another module's row is not removed here
    fed = ReceptionDay.objects.create(
        agency=org["agency"], date=MONDAY, leader=org["director"], source="complaints", source_ref="7"
    )
    client.post(manage_url("reception-remove"), {"week": WEEK, "pk": fed.pk})
    assert ReceptionDay.objects.filter(pk=fed.pk).exists()
    client.post(manage_url("reception-remove"), {"week": WEEK, "pk": day.pk})
    assert not ReceptionDay.objects.filter(pk=day.pk).exists()


@pytest.fixture
def locked_week(org):
    """The lock window of next week runs now (from this Monday 00:00 to this Sunday 23:59)."""
    ScheduleSettings.objects.create(
        agency=org["agency"],
        lock_enabled=True,
        lock_from_weekday=Weekday.MONDAY,
        lock_from_time=dt.time(0, 0),
        lock_until_weekday=Weekday.SUNDAY,
        lock_until_time=dt.time(23, 59),
    )
    return rules.week_start(timezone.localdate()) + dt.timedelta(days=7)


def test_lock_banner_and_unit_unlock(client, org, locked_week):
    week = locked_week.isoformat()
    start = at(locked_week, 9)
    assert rules.is_locked(agency_id=org["agency"].pk, department_id=org["planning"].pk, start_at=start)

    client.force_login(org["officer"])
    html = client.get(week_url(day=locked_week)).content.decode()
    assert 'data-testid="lock-banner"' in html and "Đang khóa đăng ký" in html
    assert 'data-testid="unlock-form"' not in html
    # this week is not locked: no banner, a note that next week is
    this_week = client.get(week_url(day=locked_week - dt.timedelta(days=7))).content.decode()
    assert 'data-testid="lock-banner"' not in this_week and 'data-testid="next-lock"' in this_week
    assert 'data-testid="next-lock"' not in client.get(week_url()).content.decode()

    client.force_login(org["chief"])
    html = client.get(week_url(day=locked_week)).content.decode()
    assert 'data-testid="unlock-form"' in html
    assert duplicate_ids(html) == {}
    # a reason is required
    response = client.post(
        manage_url("unlock"), {"unlock-week": week, "unlock-department": org["planning"].pk}, follow=True
    )
    assert not UnitUnlock.objects.exists() and response.status_code == 200
    client.post(
        manage_url("unlock"),
        {"unlock-week": week, "unlock-department": org["planning"].pk, "unlock-reason": "Họp đột xuất"},
    )
    unlock = UnitUnlock.objects.get()
    assert (unlock.department, unlock.week_start, unlock.unlocked_by) == (
        org["planning"],
        locked_week,
        org["chief"],
    )
    assert HistoryEntry.objects.for_record(unlock).get().comment == "Họp đột xuất"
    assert not rules.is_locked(agency_id=org["agency"].pk, department_id=org["planning"].pk, start_at=start)
    assert rules.is_locked(agency_id=org["agency"].pk, department_id=org["office"].pk, start_at=start)
    html = client.get(week_url(day=locked_week)).content.decode()
    assert "Phòng Kế hoạch</strong> — Họp đột xuất" in html
    # twice: refused with a message
    response = client.post(
        manage_url("unlock"),
        {"unlock-week": week, "unlock-department": org["planning"].pk, "unlock-reason": "Lần nữa"},
        follow=True,
    )
    assert "đã được mở khóa" in response.content.decode() and UnitUnlock.objects.count() == 1
    # an officer cannot unlock
    client.force_login(org["officer"])
    client.post(
        manage_url("unlock"),
        {"unlock-week": week, "unlock-department": org["office"].pk, "unlock-reason": "x"},
    )
    assert UnitUnlock.objects.count() == 1


def _setup_week(org):
    a = org["agency"]
    meeting(a, org["chief"], title="Họp giao ban đầu tuần", chair=org["director"], place="Hội trường A")
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
    DutyShift.objects.create(agency=a, date=MONDAY, person=org["deputy"], phone="0988123456")
    ReceptionDay.objects.create(agency=a, date=MONDAY + dt.timedelta(days=3), leader=org["director"])


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # landscape
    return "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_export_in_the_agency_header_style(client, org):
    _setup_week(org)
    client.force_login(org["officer"])
    response = client.get(reverse("meetings:week_export", args=["pdf"]) + f"?week={WEEK}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert 'filename="lich-cong-tac-2030-11-11.pdf"' in response["Content-Disposition"]
    text = _pdf_text(response.content)
    for expected in (
        "SỞ TÀI CHÍNH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "LỊCH CÔNG TÁC TUẦN",
        "11/11/2030",
        "17/11/2030",
        "Họp giao ban đầu tuần",
        "Họp bàn nhân sự mật",  # the officer takes part
        "LỊCH TRỰC LÃNH ĐẠO",
        "0988123456",
        "LỊCH TIẾP CÔNG DÂN",
    ):
        assert expected in text, expected
    # an outsider gets the secret meeting masked in the PDF too
    client.force_login(org["outsider"])
    text = _pdf_text(client.get(reverse("meetings:week_export", args=["pdf"]) + f"?week={WEEK}").content)
    assert "Lịch họp" in text and "Họp bàn nhân sự mật" not in text and "Phòng họp số 1" not in text
    # a leader's week and my week export too; an unknown format is not found
    leader = reverse("meetings:week_export", args=["pdf"]) + f"?week={WEEK}&leader={org['director'].pk}"
    assert "Trần Văn Giám" in _pdf_text(client.get(leader).content)
    mine = client.get(reverse("meetings:my_week_export", args=["pdf"]) + f"?week={WEEK}")
    assert mine.status_code == 200 and "cua-toi" in mine["Content-Disposition"]
    assert client.get(reverse("meetings:week_export", args=["doc"])).status_code == 404


def test_excel_export(client, org):
    _setup_week(org)
    client.force_login(org["outsider"])
    response = client.get(reverse("meetings:week_export", args=["xlsx"]) + f"?week={WEEK}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    values = [str(cell) for row in ws.iter_rows(values_only=True) for cell in row if cell is not None]
    assert "SỞ TÀI CHÍNH" in values and "LỊCH CÔNG TÁC TUẦN" in values
    assert "Họp giao ban đầu tuần" in values and "Hội trường A" in values
    assert "Lịch họp" in values and "Họp bàn nhân sự mật" not in values and "Phòng họp số 1" not in values
    assert "LỊCH TRỰC LÃNH ĐẠO" in values and "0988123456" in values
    assert "LỊCH TIẾP CÔNG DÂN" in values and "Dự kiến — chưa ban hành" in values
    assert ws.page_setup.orientation == "landscape"
