"""Registering and approving meetings through the pages: validation, recurrence, warnings confirmed before
saving, auto-approving rooms, the approval queue, room conflicts and the agency head taking a room."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from eoffice.models import Notification, Role
from meetings import rules, services
from meetings.forms.booking import warnings_digest
from meetings.models import Meeting, MeetingSeries, Participant, Room, ScheduleSettings, UnitUnlock
from tests.factories import make_department, make_user
from workflow.models import HistoryEntry

# ---- helpers shared by the booking, change and concurrency tests -------------------------------------------


def at(days: int, hour: int, minute: int = 0) -> dt.datetime:
    """A local time ``days`` from today."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, minute), timezone.get_current_timezone())


def local(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def form_data(**over) -> dict:
    data = {
        "kind": "meeting",
        "title": "Họp giao ban tháng",
        "description": "",
        "start_at": local(at(3, 9)),
        "end_at": local(at(3, 10)),
        "room": "",
        "place": "",
        "chair": "",
        "chair_text": "",
        "outsiders": "",
        "notes": "",
        "in_weekly": "on",
        "repeat": "",
        "interval": "1",
        "until": "",
        "exceptions": "",
        "prep-TOTAL_FORMS": "2",
        "prep-INITIAL_FORMS": "0",
        "prep-MIN_NUM_FORMS": "0",
        "prep-MAX_NUM_FORMS": "50",
    }
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


class Recorder:
    """Stands in for H2's invitation queue: records each call."""

    def __init__(self):
        self.calls: list[dict] = []

    def __call__(self, *, meeting, method="REQUEST", user_ids=None, reason=""):
        self.calls.append({"meeting": meeting.pk, "method": method, "user_ids": user_ids, "reason": reason})


@pytest.fixture
def invitations(monkeypatch):
    recorder = Recorder()
    monkeypatch.setattr(services, "meeting_invitations_queue", recorder)
    return recorder


@pytest.fixture
def org(agency_a, dept_a, staff_a):
    """An agency with its office (the schedule managers), a unit, a head, a room; no lock window."""
    ScheduleSettings.objects.create(agency=agency_a, lock_enabled=False)
    unit = make_department(agency=agency_a, name="Phòng Kế hoạch", abbreviation="KH")
    return {
        "agency": agency_a,
        "office": dept_a,
        "unit": unit,
        "manager": staff_a[Role.DEPARTMENT_HEAD],
        "clerk": staff_a[Role.CLERK],
        "head": staff_a[Role.LEADER],
        "deputy": make_user(
            agency=agency_a,
            department=dept_a,
            roles=[Role.LEADER],
            position="Phó Giám đốc",
            full_name="Trần Phó",
        ),
        "officer": make_user(
            agency=agency_a, department=unit, roles=[Role.OFFICER], full_name="Lê Chuyên Viên"
        ),
        "officer2": make_user(
            agency=agency_a, department=unit, roles=[Role.OFFICER], full_name="Phạm Cán Bộ"
        ),
        "room": Room.objects.create(agency=agency_a, name="Phòng họp tầng 2", capacity=30),
        "auto_room": Room.objects.create(agency=agency_a, name="Hội trường", capacity=100, auto_approve=True),
    }


def register(org, *, by=None, chair=None, room=None, start=None, end=None, participants=(), title="Họp"):
    """A meeting registered through the service (arranging a test's starting point)."""
    result = services.meeting_register(
        by=by or org["officer"],
        fields=services.MeetingFields(
            title=title,
            start_at=start or at(3, 9),
            end_at=end or at(3, 10),
            room=room,
            place="" if room else "Phòng 201",
            chair=chair or org["deputy"],
            participants=list(participants),
        ),
    )
    return result.meetings[0]


def approve(org, meeting):
    return services.meeting_approve(meeting=meeting, by=org["manager"])


# ---- registering -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_register_through_the_form(org, login, invitations):
    client = login(org["officer"])
    assert client.get(reverse("meetings:new") + "?date=2030-01-02").status_code == 200
    # A document the person may not see, or a bad parameter, is simply not offered.
    assert client.get(reverse("meetings:new") + "?incoming=999999&outgoing=x&date=x").status_code == 200
    data = form_data(
        room=str(org["room"].pk),
        chair=str(org["deputy"].pk),
        people=[str(org["officer2"].pk)],
        departments=[str(org["office"].pk)],
        outsiders="Ông Nguyễn Khách <khach@example.com>\nBà Không Thư",
        **{
            "prep-0-who": f"d:{org['unit'].pk}",
            "prep-0-role": "prepare_main",
            "prep-0-prepare": "Báo cáo kết quả tháng",
            "prep-1-who": f"u:{org['officer'].pk}",
            "prep-1-role": "prepare_support",
            "prep-1-prepare": "Số liệu",
        },
    )
    response = client.post(reverse("meetings:new"), data)
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert meeting.state == "submitted" and meeting.organiser == org["officer"]
    assert (
        meeting.department == org["unit"] and meeting.room == org["room"] and meeting.chair == org["deputy"]
    )
    rows = {p.label: p for p in meeting.participants.all()}
    assert (
        rows["Phòng Kế hoạch"].role == "prepare_main"
        and rows["Phòng Kế hoạch"].prepare == "Báo cáo kết quả tháng"
    )
    assert rows["Lê Chuyên Viên"].role == "prepare_support"
    assert rows["Phạm Cán Bộ"].role == "attend" and rows["Văn phòng"].role == "attend"
    assert rows["Ông Nguyễn Khách"].email == "khach@example.com" and "Bà Không Thư" in rows
    history = HistoryEntry.objects.for_record(meeting)
    assert [h.event for h in history] == ["created"]
    # The managers are told a registration waits for them; nothing is sent to participants yet.
    assert Notification.objects.filter(recipient=org["manager"], kind="meetings.approval").exists()
    assert invitations.calls == []
    page = client.get(meeting.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "Họp giao ban tháng" in html and "Chờ duyệt" in html and "Báo cáo kết quả tháng" in html
    assert "Chuẩn bị phối hợp" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"end_at": lambda: local(at(4, 11))}, "tối đa 24 giờ"),
        ({"end_at": lambda: local(at(3, 8))}, "phải sau thời gian bắt đầu"),
        ({"start_at": lambda: local(at(-1, 9)), "end_at": lambda: local(at(-1, 10))}, "thời gian đã qua"),
        ({"chair": ""}, "đúng một người chủ trì"),
        ({"chair_text": "Ông Bộ trưởng"}, "đúng một người chủ trì"),
        ({"place": ""}, "chọn phòng họp hoặc nhập địa điểm"),
        (
            {"prep-0-who": "u:{officer}", "prep-0-role": "prepare_support", "prep-0-prepare": "Tài liệu"},
            "phải có một đơn vị chuẩn bị chính",
        ),
        ({"prep-0-who": "u:{officer}", "prep-0-role": "prepare_main", "prep-0-prepare": ""}, "cần chuẩn bị"),
        ({"incoming_docs": ["999999"]}, "Lựa chọn"),
        ({"outsiders": "Khách <không-phải-thư>"}, "không hợp lệ"),
    ],
)
def test_register_refusals(org, login, over, message):
    client = login(org["officer"])
    # Times are computed here, not at collection, so a run that crosses midnight keeps the same offsets.
    over = {k: (v() if callable(v) else v) for k, v in over.items()}
    over = {
        k: (v.replace("{officer}", str(org["officer"].pk)) if isinstance(v, str) else v)
        for k, v in over.items()
    }
    data = form_data(**{"chair": str(org["deputy"].pk), "place": "Phòng 201", **over})
    response = client.post(reverse("meetings:new"), data)
    assert response.status_code == 200
    assert message.lower() in response.content.decode().lower()
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_room_of_another_agency_and_inactive_room(org, agency_b, invitations):
    other = Room.objects.create(agency=agency_b, name="Phòng khác")
    with pytest.raises(Exception, match="không thuộc cơ quan"):
        register(org, room=other)
    Room.objects.filter(pk=org["room"].pk).update(is_active=False)
    org["room"].refresh_from_db()
    with pytest.raises(Exception, match="ngừng sử dụng"):
        register(org, room=org["room"])


@pytest.mark.django_db
def test_linked_documents_must_be_visible(org):
    with pytest.raises(Exception, match="không có quyền xem"):
        services.meeting_register(
            by=org["officer"],
            fields=services.MeetingFields(
                title="Họp",
                start_at=at(3, 9),
                end_at=at(3, 10),
                place="P1",
                chair=org["deputy"],
                incoming_ids=[123456],
            ),
        )


@pytest.mark.django_db
def test_lock_window_refuses_unless_unit_unlocked_or_manager(org, login, monkeypatch, invitations):
    config = ScheduleSettings.objects.get(agency=org["agency"])
    config.lock_enabled = True
    today = timezone.localdate()
    # A window covering now for next week's bookings: from 00:00 today to 23:00 tomorrow (the window is
    # counted from the Monday before the booked week, so "today" and "tomorrow" are weekdays of this week).
    week = rules.week_start(today) + dt.timedelta(days=7)
    config.lock_from_weekday = today.weekday()
    config.lock_from_time = dt.time(0, 0)
    config.lock_until_weekday = (today.weekday() + 1) % 7
    config.lock_until_time = dt.time(23, 0)
    config.save()
    day = (week - today).days + 2  # Wednesday of next week
    data = form_data(
        chair=str(org["deputy"].pk), place="P1", start_at=local(at(day, 9)), end_at=local(at(day, 10))
    )
    assert rules.is_locked(agency_id=org["agency"].pk, department_id=None, start_at=at(day, 9))
    response = login(org["officer"]).post(reverse("meetings:new"), data)
    assert "đang khóa" in response.content.decode()
    assert not Meeting.objects.exists()
    UnitUnlock.objects.create(
        agency=org["agency"], department=org["unit"], week_start=week, unlocked_by=org["manager"]
    )
    assert login(org["officer"]).post(reverse("meetings:new"), data).status_code == 302
    # A manager registers in a locked week.
    data.update(title="Họp của Văn phòng", chair="", chair_text="Ông Khách mời")
    assert login(org["manager"]).post(reverse("meetings:new"), data).status_code == 302
    assert Meeting.objects.count() == 2


@pytest.mark.django_db
def test_recurrence_creates_occurrences_with_exceptions(org, login, invitations):
    first = at(3, 14)
    skip = (first + dt.timedelta(weeks=1)).date()
    data = form_data(
        chair=str(org["deputy"].pk),
        place="Phòng 201",
        start_at=local(first),
        end_at=local(first + dt.timedelta(hours=1)),
        repeat="weekly",
        interval="1",
        until=(first + dt.timedelta(weeks=4)).date().isoformat(),
        exceptions=skip.strftime("%d/%m/%Y"),
    )
    response = login(org["officer"]).post(reverse("meetings:new"), data)
    assert response.status_code == 302
    meetings = list(Meeting.objects.order_by("start_at"))
    assert len(meetings) == 4  # 5 weeks, one skipped
    assert skip not in {timezone.localtime(m.start_at).date() for m in meetings}
    assert all(timezone.localtime(m.start_at).hour == 14 for m in meetings)
    series = MeetingSeries.objects.get()
    assert {m.series_id for m in meetings} == {series.pk} and series.exceptions == [skip.isoformat()]


@pytest.mark.django_db
def test_recurrence_capped(org):
    first = at(3, 9)
    too_long = services.RecurrenceFields(frequency="weekly", until=(first + dt.timedelta(days=400)).date())
    with pytest.raises(Exception, match="tối đa một năm"):
        services.conflicts.occurrence_starts(first, too_long)
    monthly = services.RecurrenceFields(frequency="monthly", until=(first + dt.timedelta(days=100)).date())
    assert 3 <= len(services.conflicts.occurrence_starts(first, monthly)) <= 4


# ---- auto-approving rooms and the double booking refusal --------------------------------------------------


@pytest.mark.django_db
def test_auto_approve_room_and_second_booking_refused(org, login, invitations):
    client = login(org["officer"])
    data = form_data(room=str(org["auto_room"].pk), chair=str(org["deputy"].pk))
    assert client.post(reverse("meetings:new"), data).status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.state == "approved" and meeting.approved_at is not None
    assert [h.action for h in HistoryEntry.objects.for_record(meeting)] == ["", "approve"]
    assert invitations.calls == [{"meeting": meeting.pk, "method": "REQUEST", "user_ids": None, "reason": ""}]
    # The same room at an overlapping time: refused, in Vietnamese, nothing saved.
    client = login(org["officer2"])
    data = form_data(
        room=str(org["auto_room"].pk),
        chair=str(org["officer"].pk),
        title="Họp khác",
        start_at=local(at(3, 9, 30)),
        end_at=local(at(3, 11)),
    )
    response = client.post(reverse("meetings:new"), data)
    assert response.status_code == 200
    assert "Phòng họp đã được duyệt cho cuộc họp khác trùng thời gian" in response.content.decode()
    assert Meeting.objects.count() == 1
    # Back to back is no overlap.
    data.update(start_at=local(at(3, 10)), end_at=local(at(3, 11)))
    assert client.post(reverse("meetings:new"), data).status_code == 302
    assert Meeting.objects.filter(state="approved").count() == 2


# ---- warnings before saving -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_person_and_chair_booked_twice_warn_then_save_after_confirmation(org, login, invitations):
    register(org, chair=org["deputy"], participants=[services.ParticipantFields(user=org["officer2"])])
    client = login(org["officer"])
    data = form_data(place="Phòng 305", chair=str(org["deputy"].pk), people=[str(org["officer2"].pk)])
    response = client.post(reverse("meetings:new"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-code="chair_busy"' in html and 'data-code="person_busy"' in html
    assert "Người chủ trì Trần Phó đã có lịch khác trùng thời gian" in html
    assert "Phạm Cán Bộ đã có lịch khác trùng thời gian" in html
    assert Meeting.objects.count() == 1
    warnings = response.context["form"].warnings
    response = client.post(reverse("meetings:new"), {**data, "acknowledged": warnings_digest(warnings)})
    assert response.status_code == 302
    assert Meeting.objects.count() == 2


@pytest.mark.django_db
def test_weekly_cap_warns(org, invitations):
    config = ScheduleSettings.objects.get(agency=org["agency"])
    config.weekly_cap_hours = 3
    config.save()
    register(org, chair=org["deputy"], start=at(7, 8), end=at(7, 11))
    fields = services.MeetingFields(
        title="Họp", start_at=at(8, 8), end_at=at(8, 9), place="P", chair=org["deputy"]
    )
    codes = [w.code for w in services.meeting_warnings(by=org["officer"], fields=fields)]
    monday = rules.week_start(at(7, 8).date())
    if monday != rules.week_start(at(8, 8).date()):
        assert codes == []  # the two days fall in different weeks
    else:
        assert codes == ["weekly_cap"]


# ---- approving, rejecting, cancelling -------------------------------------------------------------------


@pytest.mark.django_db
def test_manager_approves_from_the_queue(org, login, invitations):
    meeting = register(org, room=org["room"])
    officer = login(org["officer"])
    assert officer.get(reverse("meetings:approvals")).status_code == 403
    response = officer.post(reverse("meetings:act", args=[meeting.pk, "approve"]), follow=True)
    meeting.refresh_from_db()
    assert meeting.state == "submitted"
    client = login(org["manager"])
    page = client.get(reverse("meetings:approvals"))
    assert page.status_code == 200 and meeting.title in page.content.decode()
    response = client.post(reverse("meetings:act", args=[meeting.pk, "approve"]), follow=True)
    assert "Đã duyệt lịch." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.state == "approved" and meeting.approved_by == org["manager"]
    assert invitations.calls[-1]["method"] == "REQUEST"
    assert Notification.objects.filter(
        recipient=org["officer"], kind="meetings.approval", title__contains="đã được duyệt"
    ).exists()
    assert HistoryEntry.objects.for_record(meeting).filter(action="approve", actor=org["manager"]).exists()


@pytest.mark.django_db
def test_approval_refused_when_room_taken(org, login, invitations):
    first = register(org, room=org["room"], title="Cuộc họp thứ nhất")
    second = register(
        org, by=org["officer2"], chair=org["officer"], room=org["room"], title="Cuộc họp thứ hai"
    )
    approve(org, first)
    client = login(org["manager"])
    response = client.post(reverse("meetings:act", args=[second.pk, "approve"]), follow=True)
    assert "Phòng họp đã được duyệt cho cuộc họp khác trùng thời gian" in response.content.decode()
    second.refresh_from_db()
    assert second.state == "submitted"


@pytest.mark.django_db
def test_agency_head_takes_the_room_after_confirmation(org, login, invitations):
    other = register(org, room=org["room"], title="Họp chuyên môn")
    approve(org, other)
    fields = services.MeetingFields(
        title="Giám đốc họp", start_at=at(3, 9), end_at=at(3, 10), room=org["room"], chair=org["head"]
    )
    codes = [w.code for w in services.meeting_warnings(by=org["officer2"], fields=fields)]
    assert "room_taken_by_head" in codes
    mine = services.meeting_register(by=org["officer2"], fields=fields).meetings[0]
    assert mine.state == "submitted"
    client = login(org["manager"])
    page = client.get(reverse("meetings:detail", args=[mine.pk])).content.decode()
    assert 'data-testid="room-conflict"' in page and "approve-take_room" in page
    # Without the confirmation: refused with the explanation.
    response = client.post(reverse("meetings:act", args=[mine.pk, "approve"]), follow=True)
    assert "xác nhận “Lấy phòng”" in response.content.decode()
    mine.refresh_from_db()
    assert mine.state == "submitted"
    response = client.post(reverse("meetings:act", args=[mine.pk, "approve"]), {"approve-take_room": "on"})
    assert response.status_code == 302
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.state == "approved" and other.state == "submitted"
    displaced = HistoryEntry.objects.for_record(other).get(action="displace")
    assert "Nhường phòng" in displaced.comment and displaced.actor == org["manager"]
    note = Notification.objects.get(recipient=org["officer"], title__contains="trở lại chờ duyệt")
    assert "Giám đốc họp" in note.body
    assert [c["method"] for c in invitations.calls if c["meeting"] == other.pk] == ["REQUEST", "CANCEL"]


@pytest.mark.django_db
def test_reject_and_cancel_need_a_reason(org, login, invitations):
    meeting = register(org)
    client = login(org["manager"])
    response = client.post(
        reverse("meetings:act", args=[meeting.pk, "reject"]), {"reject-reason": ""}, follow=True
    )
    assert "Lý do từ chối" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.state == "submitted"
    client.post(
        reverse("meetings:act", args=[meeting.pk, "reject"]), {"reject-reason": "Trùng lịch Giám đốc"}
    )
    meeting.refresh_from_db()
    assert meeting.state == "rejected"
    assert Notification.objects.filter(recipient=org["officer"], body="Trùng lịch Giám đốc").exists()
    # A rejected meeting may be approved later, then cancelled by its organiser with a reason.
    client.post(reverse("meetings:act", args=[meeting.pk, "approve"]))
    meeting.refresh_from_db()
    assert meeting.state == "approved"
    organiser = login(org["officer"])
    organiser.post(reverse("meetings:act", args=[meeting.pk, "cancel"]), {"cancel-reason": ""})
    meeting.refresh_from_db()
    assert meeting.state == "approved"
    organiser.post(
        reverse("meetings:act", args=[meeting.pk, "cancel"]), {"cancel-reason": "Lãnh đạo đi công tác"}
    )
    meeting.refresh_from_db()
    assert meeting.state == "cancelled" and meeting.sequence == 1
    assert invitations.calls[-1]["method"] == "CANCEL"
    actions = [h.action for h in HistoryEntry.objects.for_record(meeting)]
    assert actions == ["", "reject", "approve", "cancel"]


@pytest.mark.django_db
def test_nothing_changes_after_the_meeting_ended(org, login, invitations):
    meeting = register(org)
    Meeting.objects.filter(pk=meeting.pk).update(start_at=at(-1, 9), end_at=at(-1, 10))
    client = login(org["manager"])
    response = client.post(reverse("meetings:act", args=[meeting.pk, "approve"]), follow=True)
    assert "đã kết thúc" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.state == "submitted"
    assert login(org["officer"]).get(reverse("meetings:edit", args=[meeting.pk])).status_code == 403


@pytest.mark.django_db
def test_other_agency_cannot_open(org, staff_b, login):
    meeting = register(org)
    client = login(staff_b[Role.DEPARTMENT_HEAD])
    assert client.get(meeting.get_absolute_url()).status_code == 404
    assert client.post(reverse("meetings:act", args=[meeting.pk, "approve"])).status_code == 404


# ---- the approval queue's query count ------------------------------------------------------------------


def _queue_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("meetings:approvals")).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_approvals_page_query_count_does_not_grow(org, login, invitations):
    client = login(org["manager"])
    for i in range(3):
        register(org, room=org["room"], start=at(3 + i, 9), end=at(3 + i, 10), title=f"Họp {i}")
    few = _queue_queries(client)
    for i in range(3, 12):
        register(
            org,
            room=org["room"] if i % 2 else None,
            chair=org["head"] if i % 3 else org["deputy"],
            start=at(3 + i, 9),
            end=at(3 + i, 10),
            title=f"Họp {i}",
            participants=[services.ParticipantFields(user=org["officer2"])],
        )
    approve(org, Meeting.objects.get(title="Họp 3"))
    many = _queue_queries(client)
    assert many <= few
    assert Participant.objects.exists()


@pytest.mark.django_db
def test_room_waiting_for_approval_warns(org, invitations):
    register(org, room=org["room"], title="Đăng ký trước")
    fields = services.MeetingFields(
        title="Đăng ký sau", start_at=at(3, 9, 30), end_at=at(3, 11), room=org["room"], chair_text="Khách"
    )
    warnings = services.meeting_warnings(by=org["officer2"], fields=fields)
    assert [w.code for w in warnings] == ["room_pending"]
    assert "Đăng ký trước" in warnings[0].message


@pytest.mark.django_db
def test_add_a_preparation_row_keeps_what_was_typed(org, login):
    data = form_data(**{"prep-0-who": f"d:{org['unit'].pk}", "prep-0-prepare": "Báo cáo"})
    response = login(org["officer"]).post(reverse("meetings:prepare_rows"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="prep-TOTAL_FORMS" value="3"' in html and 'name="prep-2-who"' in html
    assert "Báo cáo" in html
    assert login(org["officer"]).get(reverse("meetings:prepare_rows")).status_code == 405


@pytest.mark.django_db
def test_decisions_in_the_queue_stay_on_the_queue(org, login, invitations):
    first = register(org, room=org["room"], title="Họp thứ nhất")
    second = register(org, by=org["officer2"], chair=org["officer2"], room=org["room"], title="Họp thứ hai")
    third = register(org, start=at(5, 9), end=at(5, 10), title="Họp thứ ba")
    client = login(org["manager"])
    url = reverse("meetings:approvals")
    response = client.post(url, {"meeting": first.pk, "decision": "approve"}, follow=True)
    assert response.redirect_chain[-1][0] == url
    html = response.content.decode()
    assert "Đã duyệt lịch “Họp thứ nhất”." in html
    # The other booking of the room now shows the conflict and no approve button.
    assert 'data-testid="row-conflict"' in html and f'data-testid="approve-{second.pk}"' not in html
    response = client.post(url, {"meeting": second.pk, "decision": "approve"}, follow=True)
    assert "Phòng họp đã được duyệt cho cuộc họp khác trùng thời gian" in response.content.decode()
    client.post(url, {"meeting": third.pk, "decision": "reject", "reason": ""})
    third.refresh_from_db()
    assert third.state == "submitted"
    client.post(url, {"meeting": third.pk, "decision": "reject", "reason": "Không cần họp"})
    third.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state, third.state) == ("approved", "submitted", "rejected")
    assert client.post(url, {"meeting": "x", "decision": "approve"}).status_code == 404
    assert login(org["officer"]).post(url, {"meeting": first.pk}).status_code == 403


@pytest.mark.django_db
def test_a_secret_meeting_shows_as_lich_hop_in_warnings_and_refusals(org, login, invitations):
    secret = register(
        org, by=org["manager"], chair=org["deputy"], room=org["auto_room"], title="Họp mật nhân sự"
    )
    Meeting.objects.filter(pk=secret.pk).update(secret=True, state="approved")
    client = login(org["officer2"])
    data = form_data(room=str(org["auto_room"].pk), chair=str(org["officer2"].pk), title="Họp khác")
    html = client.post(reverse("meetings:new"), data).content.decode()
    assert "Phòng họp đã được duyệt cho cuộc họp khác trùng thời gian: “Lịch họp”" in html
    assert "Họp mật nhân sự" not in html
    data.update(room="", place="Phòng 305", chair=str(org["deputy"].pk))
    html = client.post(reverse("meetings:new"), data).content.decode()
    assert "Người chủ trì Trần Phó đã có lịch khác trùng thời gian: “Lịch họp”" in html
    assert "Họp mật nhân sự" not in html
