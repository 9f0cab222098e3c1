"""Calendar e-mails (REQUEST, change, CANCEL, removed people) read from Django's outbox and parsed with
icalendar; the Giấy mời drafted from the meeting (type GM, recipients, body) through the meeting page."""

# ruff: noqa: F811
from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from documents.outgoing.models import OutgoingDocument, OutgoingRecipient
from eoffice.models import Notification
from meetings import ical, services
from meetings.actions import MEETING_ACTIONS
from meetings.models import Meeting
from tests.meetings.h2_helpers import ics_of, make_meeting, org, vevent  # noqa: F401
from workflow.models import HistoryEntry, WorkflowState

pytestmark = pytest.mark.django_db


def _queue(capture, meeting, **kwargs):
    mail.outbox.clear()
    with capture(execute=True):
        services.meeting_invitations_queue(meeting=meeting, **kwargs)
    return {m.to[0]: m for m in mail.outbox}


def test_request_goes_to_every_attendee_and_outsider_with_the_ics(org, django_capture_on_commit_callbacks):
    meeting = make_meeting(org)
    sent = _queue(django_capture_on_commit_callbacks, meeting)
    # The chair, the listed officer, the listed unit's head; the outsider by e-mail.
    expected = {org["leader"].email, org["officer"].email, org["head"].email, "giamdoc@minhphat.example"}
    assert set(sent) == expected
    method, cal = ics_of(sent[org["officer"].email])
    assert method == "REQUEST"
    assert cal["METHOD"] == "REQUEST"
    event = vevent(cal)
    assert str(event["UID"]).startswith(str(meeting.uid)) and event["SEQUENCE"] == 0
    assert {str(a) for a in event["ATTENDEE"]} == {f"mailto:{e}" for e in expected}
    assert [a.params["ROLE"] for a in event["ATTENDEE"] if str(a) == f"mailto:{org['leader'].email}"] == [
        "CHAIR"
    ]
    url = meeting.get_absolute_url()
    assert url in sent[org["officer"].email].body and url not in sent["giamdoc@minhphat.example"].body
    meeting.refresh_from_db()
    assert meeting.invited_at is not None
    # In-app notifications for the people; their e-mail is the calendar e-mail, not a second one.
    notes = Notification.objects.filter(kind="meetings.invitation")
    assert set(notes.values_list("recipient_id", flat=True)) == {
        org[k].pk for k in ("leader", "officer", "head")
    }
    assert len(mail.outbox) == 4


def test_a_change_raises_the_sequence_under_the_same_uid(org, django_capture_on_commit_callbacks):
    meeting = make_meeting(org)
    first = vevent(ics_of(_queue(django_capture_on_commit_callbacks, meeting)[org["officer"].email])[1])
    Meeting.objects.filter(pk=meeting.pk).update(
        sequence=F("sequence") + 1,
        start_at=F("start_at") + dt.timedelta(hours=1),
        end_at=F("end_at") + dt.timedelta(hours=1),
    )
    meeting.refresh_from_db()
    sent = _queue(django_capture_on_commit_callbacks, meeting, reason="Đổi giờ do trùng lịch UBND tỉnh")
    second = vevent(ics_of(sent[org["officer"].email])[1])
    assert second["UID"] == first["UID"]
    assert second["SEQUENCE"] == 1 > first["SEQUENCE"]
    assert second.decoded("DTSTART") == meeting.start_at
    message = sent[org["officer"].email]
    assert message.subject.startswith("Thay đổi lịch họp") and "Đổi giờ do trùng lịch" in message.body
    # In-app, a change with its reason is told by services.changes (with what changed), not twice.
    assert Notification.objects.filter(kind="meetings.invitation", title__startswith="Thay đổi").count() == 0


def test_postponed_and_displaced_meetings_are_not_called_cancelled(org, django_capture_on_commit_callbacks):
    now = timezone.now()
    postponed = make_meeting(org, postponed_at=now, postpone_reason="Chờ ý kiến UBND tỉnh", invited_at=now)
    sent = _queue(
        django_capture_on_commit_callbacks, postponed, method="CANCEL", reason="Chờ ý kiến UBND tỉnh"
    )
    assert sent[org["officer"].email].subject.startswith("Hoãn cuộc họp")
    assert vevent(ics_of(sent[org["officer"].email])[1])["STATUS"] == "CANCELLED"
    displaced = make_meeting(org, state=WorkflowState.SUBMITTED, invited_at=now)
    sent = _queue(django_capture_on_commit_callbacks, displaced, method="CANCEL", reason="Nhường phòng")
    assert sent[org["head"].email].subject.startswith("Lịch họp tạm hủy, chờ duyệt lại")
    assert Notification.objects.filter(recipient=org["head"], title__startswith="Lịch họp tạm hủy").exists()


def test_cancel_sends_cancel_with_cancelled_status(org, django_capture_on_commit_callbacks):
    meeting = make_meeting(org, state=WorkflowState.CANCELLED, sequence=2, invited_at=timezone.now())
    sent = _queue(django_capture_on_commit_callbacks, meeting, method="CANCEL", reason="Lãnh đạo đi công tác")
    assert org["officer"].email in sent and "giamdoc@minhphat.example" in sent
    method, cal = ics_of(sent["giamdoc@minhphat.example"])
    assert method == "CANCEL" and cal["METHOD"] == "CANCEL"
    event = vevent(cal)
    assert event["STATUS"] == "CANCELLED" and event["SEQUENCE"] == 2
    assert sent[org["officer"].email].subject.startswith("Hủy lịch họp")
    # A meeting whose invitations never went out: nothing to cancel in anyone's calendar.
    never = make_meeting(org, state=WorkflowState.CANCELLED)
    assert _queue(django_capture_on_commit_callbacks, never, method="CANCEL", reason="Hủy") == {}


def test_people_removed_get_a_cancel_and_no_one_else(org, django_capture_on_commit_callbacks):
    meeting = make_meeting(org, invited_at=timezone.now())
    removed = org["officer"]
    meeting.participants.filter(user=removed).delete()
    Meeting.objects.filter(pk=meeting.pk).update(sequence=1)
    meeting.refresh_from_db()
    sent = _queue(django_capture_on_commit_callbacks, meeting, method="CANCEL", user_ids=[removed.pk])
    assert list(sent) == [removed.email]
    method, cal = ics_of(sent[removed.email])
    event = vevent(cal)
    assert method == cal["METHOD"] == "CANCEL" and event["STATUS"] == "CANCELLED" and event["SEQUENCE"] == 1
    assert sent[removed.email].subject.startswith("Bạn không còn trong thành phần")
    # Those affected only: a REQUEST to one attendee leaves the others and the outsider out.
    sent = _queue(django_capture_on_commit_callbacks, meeting, user_ids=[org["head"].pk])
    assert list(sent) == [org["head"].email]
    event = vevent(ics_of(sent[org["head"].email])[1])
    assert "mailto:giamdoc@minhphat.example" in {
        str(a) for a in event["ATTENDEE"]
    }  # the event lists everyone
    # A REQUEST never tells someone who is not an attendee that the meeting is cancelled.
    assert _queue(django_capture_on_commit_callbacks, meeting, user_ids=[org["bystander"].pk]) == {}


def test_a_failed_email_is_kept_and_does_not_stop_the_others(
    org, django_capture_on_commit_callbacks, settings
):
    from eoffice.models import EmailFailure

    meeting = make_meeting(org)
    org["officer"].email = "bad\naddress@example.gov.vn"
    org["officer"].save(update_fields=["email"])
    sent = _queue(django_capture_on_commit_callbacks, meeting)
    assert org["head"].email in sent and len(sent) == 3
    assert EmailFailure.objects.filter(source="meetings.invitation").count() == 1


def test_invitation_draft_from_the_meeting_page(org, login, client):
    meeting = make_meeting(org)
    meeting.participants.create(agency=org["agency_b"], order=4)
    meeting.participants.create(meeting=meeting, name="Ông Nguyễn Văn Khách", order=5)  # no e-mail: paper
    login(org["organiser"])
    response = client.post(reverse("meetings:act", args=[meeting.pk, "invitation_draft"]))
    meeting.refresh_from_db()
    document = meeting.invitation
    assert document is not None
    assert response.status_code == 302 and response["Location"] == document.get_absolute_url()
    assert document.doc_type.abbreviation == "GM" and document.state == WorkflowState.NEW
    assert document.drafted_by == org["organiser"] and document.signer == org["leader"]
    assert document.summary == "Dự họp triển khai kế hoạch chuyển đổi số năm 2027"
    body = document.body
    assert "Sở Kế hoạch và Đầu tư trân trọng kính mời:" in body
    assert "Ông (bà) Lê Thị Mai" in body and "Lãnh đạo Phòng Kinh tế" in body
    assert "Đại diện lãnh đạo Sở Thông tin và Truyền thông" in body and "Công ty Cổ phần Minh Phát" in body
    assert "Tới dự cuộc họp: Họp triển khai kế hoạch chuyển đổi số năm 2027." in body
    assert "Chủ trì:</strong> Vũ Đức Thắng, Giám đốc." in body
    assert "Thời gian:</strong>" in body and " giờ 00 phút, " in body
    assert "Địa điểm:</strong> Phòng họp tầng 3." in body
    recipients = {(r.channel, r.agency_id, r.email) for r in document.recipients.all()}
    assert recipients == {
        (OutgoingRecipient.Channel.INTERNAL, org["agency_b"].pk, ""),
        (OutgoingRecipient.Channel.EMAIL, None, "giamdoc@minhphat.example"),
    }
    assert "Như thành phần được mời" in document.distribution
    assert document.current_version is not None  # rendered through the outgoing renderer
    assert HistoryEntry.objects.filter(object_id=meeting.pk, action="invitation_draft").exists()
    # Only once, unless the draft is cancelled on the outgoing pages.
    with pytest.raises(ValidationError):
        services.invitation_draft(meeting=meeting, by=org["organiser"])
    assert "invitation_draft" not in MEETING_ACTIONS.page(meeting, org["organiser"])
    OutgoingDocument.objects.filter(pk=document.pk).update(state=WorkflowState.CANCELLED)
    meeting.refresh_from_db()
    assert "invitation_draft" in MEETING_ACTIONS.page(meeting, org["organiser"])
    second = services.invitation_draft(meeting=meeting, by=org["organiser"])
    meeting.refresh_from_db()
    assert meeting.invitation == second != document


def test_invitation_draft_refused_to_others_and_before_approval(org):
    meeting = make_meeting(org)
    with pytest.raises(PermissionDenied):
        services.invitation_draft(meeting=meeting, by=org["officer"])  # a participant, not the organiser
    pending = make_meeting(org, state=WorkflowState.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.invitation_draft(meeting=pending, by=org["manager"])
    # A schedule manager (head of the office) may.
    document = services.invitation_draft(meeting=meeting, by=org["manager"])
    assert document.doc_type.abbreviation == "GM" and document.confidentiality == 0
    # The Giấy mời of a secret meeting is drafted as Mật (the drafter may change it on the draft).
    secret = make_meeting(org, secret=True)
    assert services.invitation_draft(meeting=secret, by=org["organiser"]).confidentiality == 1


def test_invitation_issued_is_one_query_for_other_documents(org, django_assert_num_queries):
    class Document:
        pk = 987654

    with django_assert_num_queries(1):
        services.invitation_issued(document=Document(), by=org["manager"])


def test_ics_email_uses_the_stable_uid(org, settings, django_capture_on_commit_callbacks):
    settings.EOFFICE_BASE_URL = "https://lich.anhoa.gov.vn"
    meeting = make_meeting(org)
    sent = _queue(django_capture_on_commit_callbacks, meeting)
    assert str(vevent(ics_of(sent[org["head"].email])[1])["UID"]) == ical.event_uid(meeting)
    assert ical.event_uid(meeting) == f"{meeting.uid}@lich.anhoa.gov.vn"


def test_approval_by_the_office_sends_the_invitation(org, django_capture_on_commit_callbacks):
    """Booking's approve calls meeting_invitations_queue: the attendees' mailbox holds the REQUEST."""
    meeting = make_meeting(org, state=WorkflowState.SUBMITTED)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_approve(meeting=meeting, by=org["manager"])
    sent = {m.to[0]: m for m in mail.outbox if m.attachments}
    assert org["officer"].email in sent and "giamdoc@minhphat.example" in sent
    method, cal = ics_of(sent[org["officer"].email])
    assert method == "REQUEST" and str(vevent(cal)["UID"]) == ical.event_uid(meeting)
    meeting.refresh_from_db()
    assert meeting.invited_at is not None
