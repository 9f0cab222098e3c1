"""Changes of a registered meeting through its change form: free while waiting for approval; after the
invitations went out, a reason and a choice of whom to tell; people removed are told it is cancelled for
them; postponing and setting a new time."""

# ruff: noqa: F811 - the fixtures imported from test_booking
from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from eoffice.models import Notification
from meetings import services
from meetings.models import Meeting
from tests.meetings.test_booking import (  # noqa: F401 - fixtures
    approve,
    at,
    form_data,
    invitations,
    local,
    org,
    register,
)
from workflow.models import HistoryEntry


def _published(org, **kw):
    """An approved meeting whose invitations went out, with two people listed."""
    meeting = register(
        org,
        room=org["room"],
        participants=[
            services.ParticipantFields(user=org["officer2"]),
            services.ParticipantFields(user=org["clerk"]),
        ],
        **kw,
    )
    approve(org, meeting)
    Meeting.objects.filter(pk=meeting.pk).update(invited_at=timezone.now())
    meeting.refresh_from_db()
    return meeting


def _edit_data(org, meeting, **over) -> dict:
    return form_data(
        **{
            "title": meeting.title,
            "start_at": local(meeting.start_at),
            "end_at": local(meeting.end_at),
            "room": str(meeting.room_id or ""),
            "place": meeting.place,
            "chair": str(meeting.chair_id),
            "people": [str(p.user_id) for p in meeting.participants.all() if p.user_id],
            **over,
        }
    )


@pytest.mark.django_db
def test_waiting_meeting_changed_freely_by_its_organiser(org, login, invitations):
    meeting = register(org, participants=[services.ParticipantFields(user=org["officer2"])])
    client = login(org["officer"])
    page = client.get(reverse("meetings:edit", args=[meeting.pk]))
    assert page.status_code == 200 and 'name="reason"' not in page.content.decode()
    data = _edit_data(
        org, meeting, title="Họp giao ban (sửa)", start_at=local(at(3, 14)), end_at=local(at(3, 15))
    )
    response = client.post(reverse("meetings:edit", args=[meeting.pk]), data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Họp giao ban (sửa)" and timezone.localtime(meeting.start_at).hour == 14
    assert meeting.changed_at is None and meeting.sequence == 1
    entry = HistoryEntry.objects.for_record(meeting).get(event="updated")
    assert set(entry.data["changes"]) == {"time", "title"}
    assert invitations.calls == []
    # Someone else cannot change it.
    assert login(org["officer2"]).get(reverse("meetings:edit", args=[meeting.pk])).status_code == 403


@pytest.mark.django_db
def test_published_change_needs_a_reason_and_tells_everyone(org, login, invitations):
    meeting = _published(org)
    client = login(org["officer"])
    page = client.get(reverse("meetings:edit", args=[meeting.pk])).content.decode()
    assert 'name="reason"' in page and 'name="notify"' in page
    data = _edit_data(
        org, meeting, start_at=local(at(3, 15)), end_at=local(at(3, 16)), notify="all", reason=""
    )
    response = client.post(reverse("meetings:edit", args=[meeting.pk]), data)
    assert response.status_code == 200 and "vui lòng ghi lý do thay đổi" in response.content.decode()
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.start_at).hour == 9
    invitations.calls.clear()
    data["reason"] = "Giám đốc bận buổi sáng"
    assert client.post(reverse("meetings:edit", args=[meeting.pk]), data).status_code == 302
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.start_at).hour == 15
    assert meeting.sequence == 1 and meeting.changed_at is not None and meeting.state == "approved"
    entry = HistoryEntry.objects.for_record(meeting).get(event="updated")
    assert entry.comment == "Giám đốc bận buổi sáng" and entry.data["notify"] == "all"
    assert entry.data["changes"]["time"][1].startswith("15:00")
    assert invitations.calls == [
        {"meeting": meeting.pk, "method": "REQUEST", "user_ids": None, "reason": "Giám đốc bận buổi sáng"}
    ]
    told = set(Notification.objects.filter(kind="meetings.invitation").values_list("recipient_id", flat=True))
    assert {org["officer2"].pk, org["clerk"].pk, org["deputy"].pk} <= told
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert 'data-testid="meeting-changed"' in page and "Giám đốc bận buổi sáng" in page


@pytest.mark.django_db
def test_removed_person_is_told_it_is_cancelled_for_them_affected_only(org, login, invitations, staff_a):
    meeting = _published(org)
    client = login(org["officer"])
    invitations.calls.clear()
    data = _edit_data(
        org,
        meeting,
        people=[str(org["officer2"].pk), str(org["officer"].pk)],
        notify="affected",
        reason="Đổi người",
    )
    assert client.post(reverse("meetings:edit", args=[meeting.pk]), data).status_code == 302
    assert invitations.calls == [
        {"meeting": meeting.pk, "method": "CANCEL", "user_ids": [org["clerk"].pk], "reason": "Đổi người"},
        {"meeting": meeting.pk, "method": "REQUEST", "user_ids": [org["officer"].pk], "reason": "Đổi người"},
    ]
    cancelled = Notification.objects.get(recipient=org["clerk"], kind="meetings.invitation")
    assert "đã hủy đối với bạn" in cancelled.title
    # Those whose participation did not change are not told.
    assert not Notification.objects.filter(recipient=org["officer2"], kind="meetings.invitation").exists()
    entry = HistoryEntry.objects.for_record(meeting).get(event="updated")
    assert entry.data["changes"]["participants"] == {
        "added": ["Lê Chuyên Viên"],
        "removed": [org["clerk"].full_name],
    }
    assert set(meeting.participants.values_list("user_id", flat=True)) == {
        org["officer2"].pk,
        org["officer"].pk,
    }


@pytest.mark.django_db
def test_postpone_then_new_time(org, login, invitations):
    meeting = _published(org)
    client = login(org["manager"])
    invitations.calls.clear()
    data = _edit_data(org, meeting, notify="postpone", reason="Chờ ý kiến UBND tỉnh")
    assert client.post(reverse("meetings:edit", args=[meeting.pk]), data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_postponed and meeting.postpone_reason == "Chờ ý kiến UBND tỉnh"
    assert invitations.calls == [
        {"meeting": meeting.pk, "method": "CANCEL", "user_ids": None, "reason": "Chờ ý kiến UBND tỉnh"}
    ]
    assert 'data-testid="meeting-postponed"' in client.get(meeting.get_absolute_url()).content.decode()
    invitations.calls.clear()
    data = _edit_data(
        org, meeting, start_at=local(at(5, 9)), end_at=local(at(5, 10)), notify="affected", reason="Lịch mới"
    )
    assert client.post(reverse("meetings:edit", args=[meeting.pk]), data).status_code == 302
    meeting.refresh_from_db()
    assert not meeting.is_postponed and meeting.postpone_reason == "" and meeting.sequence == 2
    assert invitations.calls == [
        {"meeting": meeting.pk, "method": "REQUEST", "user_ids": None, "reason": "Lịch mới"}
    ]


@pytest.mark.django_db
def test_change_into_a_taken_room_is_refused(org, login, invitations):
    other = register(
        org, by=org["officer2"], chair=org["officer2"], room=org["room"], start=at(4, 9), end=at(4, 10)
    )
    approve(org, other)
    meeting = _published(org)
    data = _edit_data(
        org, meeting, start_at=local(at(4, 9, 30)), end_at=local(at(4, 11)), notify="all", reason="Dời lịch"
    )
    response = login(org["officer"]).post(reverse("meetings:edit", args=[meeting.pk]), data)
    assert response.status_code == 200
    assert "Phòng họp đã được duyệt cho cuộc họp khác trùng thời gian" in response.content.decode()
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.start_at).day == timezone.localtime(at(3, 9)).day


@pytest.mark.django_db
def test_kept_participants_keep_their_rows(org, invitations):
    meeting = _published(org)
    row = meeting.participants.get(user=org["officer2"])
    row.attendance = "present"
    row.save()
    fields = services.MeetingFields.of(meeting)
    fields.participants = [
        services.ParticipantFields(user=org["officer2"], role="prepare_main", prepare="Báo cáo"),
    ]
    services.meeting_change(
        meeting=meeting, by=org["officer"], fields=fields, reason="Giao chuẩn bị", notify="all"
    )
    row.refresh_from_db()
    assert row.attendance == "present" and row.role == "prepare_main" and row.prepare == "Báo cáo"


@pytest.mark.django_db
def test_meeting_in_a_retired_room_can_still_be_changed(org, login, invitations):
    meeting = register(org, room=org["room"])
    org["room"].is_active = False
    org["room"].save()
    data = _edit_data(org, meeting, title="Họp (đổi nội dung)")
    assert login(org["officer"]).post(reverse("meetings:edit", args=[meeting.pk]), data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Họp (đổi nội dung)" and meeting.room == org["room"]


@pytest.mark.django_db
def test_change_of_a_postponed_meeting_without_new_time_sends_no_new_invitation(org, invitations):
    meeting = _published(org)
    fields = services.MeetingFields.of(meeting)
    services.meeting_change(
        meeting=meeting, by=org["officer"], fields=fields, reason="Hoãn", notify="postpone"
    )
    invitations.calls.clear()
    fields = services.MeetingFields.of(Meeting.objects.get(pk=meeting.pk))
    fields.participants = [services.ParticipantFields(user=org["officer2"])]
    services.meeting_change(
        meeting=meeting, by=org["officer"], fields=fields, reason="Bớt người", notify="all"
    )
    meeting.refresh_from_db()
    assert meeting.is_postponed
    assert invitations.calls == [
        {"meeting": meeting.pk, "method": "CANCEL", "user_ids": [org["clerk"].pk], "reason": "Bớt người"}
    ]
