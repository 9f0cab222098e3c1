"""The meetings demo: two weeks of Sở Kế hoạch và Đầu tư's schedule made through the services, with every
element the issue asks for, and nothing more on a second run."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone

from documents.models import OutgoingDocument
from eoffice import demo
from eoffice.models import Agency, Notification
from meetings import rules
from meetings.demo import (
    APPRAISAL,
    CANCELLED,
    CONFIDENTIAL,
    DISPLACED,
    HEAD_MEETING,
    JOINT,
    ONLINE,
    REJECTED,
    seed_meetings,
)
from meetings.models import (
    Ballot,
    Conclusion,
    ConclusionTask,
    DutyShift,
    Meeting,
    Minutes,
    Participant,
    PublishedWeek,
    ReceptionDay,
    Room,
    ScheduleSettings,
    Vote,
)
from signing.models import Credential, SignatureRequest
from workflow.models import Assignment, HistoryEntry, WorkItem

MODELS = [
    Room,
    ScheduleSettings,
    Meeting,
    Participant,
    PublishedWeek,
    DutyShift,
    ReceptionDay,
    Vote,
    Ballot,
    Minutes,
    Conclusion,
    ConclusionTask,
    OutgoingDocument,
    SignatureRequest,
    Credential,
    WorkItem,
]


def _counts() -> dict:
    counts = {m.__name__: m.objects.count() for m in MODELS}
    counts["history"] = HistoryEntry.objects.count()
    counts["notifications"] = Notification.objects.count()
    return counts


@pytest.fixture
def seeded(settings, monkeypatch, django_capture_on_commit_callbacks, tmp_path_factory):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SIGNING_PKI_DIR = tmp_path_factory.mktemp("pki")
    settings.SIGNING_TRUST_TEST_CA = True
    settings.SIGNING_LOCAL_TSA = True
    settings.SIGNING_PADES_LEVEL = "B-T"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    monkeypatch.setattr(demo, "SEEDERS", [seed_meetings])
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed(stdout=out)
    return out.getvalue()


@pytest.mark.slow  # the core demo data, then about a dozen meetings through the services
@pytest.mark.django_db
def test_the_meetings_demo(seeded, django_capture_on_commit_callbacks):
    assert "meetings:" in seeded
    agency = Agency.objects.get(code=demo.SKHDT)
    before = _counts()

    # A second run writes nothing.
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed(stdout=out)
    assert _counts() == before
    assert "meetings:" not in out.getvalue()

    # Rooms, one approving itself; the settings.
    rooms = {r.name: r for r in Room.objects.filter(agency=agency)}
    assert {"Phòng họp số 1", "Hội trường", "Phòng họp trực tuyến"} <= set(rooms)
    assert rooms["Phòng họp trực tuyến"].auto_approve
    config = ScheduleSettings.objects.get(agency=agency)
    assert config.head.username == "giamdoc.skhdt"
    assert config.manager_department.abbreviation == "VP"

    # Two weeks (this one and the next), every state.
    monday = rules.week_start(timezone.localdate())
    meetings = {m.title: m for m in Meeting.objects.filter(agency=agency)}
    for m in meetings.values():
        if m.title != APPRAISAL:
            assert 0 <= (timezone.localtime(m.start_at).date() - monday).days < 14, m.title
    assert {m.state for m in meetings.values()} == {"submitted", "approved", "rejected", "cancelled"}
    assert sum(m.state == "approved" for m in meetings.values()) >= 5
    assert meetings[REJECTED].state == "rejected"
    assert meetings[CANCELLED].state == "cancelled"
    assert meetings[ONLINE].state == "approved" and meetings[ONLINE].room == rooms["Phòng họp trực tuyến"]
    assert meetings[CONFIDENTIAL].secret
    for title, action in ((REJECTED, "reject"), (CANCELLED, "cancel")):
        entry = HistoryEntry.objects.filter(object_id=meetings[title].pk, action=action).get()
        assert entry.comment
    assert Participant.objects.filter(meeting__agency=agency, role="prepare_main").exists()
    assert Participant.objects.filter(meeting__agency=agency, agency__isnull=False).exists()
    assert Participant.objects.filter(meeting__agency=agency).exclude(name="").exists()

    # The room conflict: the head's meeting took the room, the other one is back to chờ duyệt.
    head, displaced = meetings[HEAD_MEETING], meetings[DISPLACED]
    assert head.state == "approved" and head.room == displaced.room
    assert head.start_at < displaced.end_at and displaced.start_at < head.end_at
    assert displaced.state == "submitted"
    assert HistoryEntry.objects.filter(object_id=displaced.pk, action="displace").exists()
    assert Notification.objects.filter(
        recipient=displaced.organiser, url__contains=f"/{displaced.pk}/", title__contains="chờ duyệt"
    ).exists()
    # never two approved meetings in one room at once
    approved = list(Meeting.objects.filter(agency=agency, state="approved", room__isnull=False))
    for a in approved:
        for b in approved:
            if a.pk < b.pk and a.room_id == b.room_id:
                assert not (a.start_at < b.end_at and b.start_at < a.end_at), (a.title, b.title)

    # The approved meetings' attendees were invited (in-app notice; the e-mail carries the .ics).
    assert all(m.invited_at for m in meetings.values() if m.state == "approved")
    assert Notification.objects.filter(
        kind="meetings.invitation", recipient__username="chuyenvien2.skhdt", url__contains=f"/{head.pk}/"
    ).exists()

    # The published week, the duty roster of both weeks, a reception day.
    assert PublishedWeek.objects.filter(agency=agency, week_start=monday).exists()
    assert DutyShift.objects.filter(agency=agency, date__gte=monday).count() == 14
    assert ReceptionDay.objects.filter(agency=agency, leader__username="giamdoc.skhdt").exists()

    # The past meeting: roll call and a vote with ballots.
    appraisal = meetings[APPRAISAL]
    assert appraisal.has_ended and appraisal.state == "approved"
    assert appraisal.participants.filter(attendance="present").count() >= 2
    vote = Vote.objects.get(meeting=appraisal)
    assert vote.status == "closed" and vote.opened_at and vote.closed_at
    assert appraisal.start_at <= vote.opened_at < vote.closed_at <= appraisal.end_at
    assert Ballot.objects.filter(vote=vote).count() >= 3

    # Its minutes, signed by the secretary then the presider (two signatures in the PDF).
    minutes = Minutes.objects.get(meeting=appraisal)
    assert minutes.status == "signed" and minutes.signed_at and minutes.pdf
    assert (
        minutes.secretary.username == "chuyenvien.skhdt" and minutes.presider.username == "phogiamdoc.skhdt"
    )
    assert "Hồ Xanh" in minutes.content and minutes.conclusion
    with minutes.pdf.open("rb") as f:
        assert f.read().count(b"/ByteRange") == 2
    assert SignatureRequest.objects.filter(signer=minutes.presider, status="signed").exists()

    # Its conclusion notice, issued through the outgoing flow; the tasks are work items in "Việc của tôi".
    conclusion = Conclusion.objects.select_related("notice").get(meeting=appraisal)
    notice = conclusion.notice
    assert notice.doc_type.abbreviation == "TB" and notice.state == "issued" and notice.number
    assert conclusion.tasks_created_at
    tasks = list(conclusion.tasks.select_related("work_item", "assignee"))
    assert len(tasks) == 3
    for task in tasks:
        item = task.work_item
        assert item is not None and item.related_record == appraisal
        lead = Assignment.objects.for_record(item).get(role=Assignment.Kind.LEAD)
        assert lead.assignee == task.assignee and lead.status == "open"

    # Giấy mời through the outgoing flow: one issued and delivered to the invited agency, one awaiting
    # the director's signature.
    joint = Meeting.objects.select_related("invitation").get(pk=meetings[JOINT].pk)
    assert joint.invitation.doc_type.abbreviation == "GM" and joint.invitation.state == "issued"
    delivered = joint.invitation.recipients.get(agency__abbreviation="STP")
    assert delivered.incoming is not None and delivered.incoming.agency.abbreviation == "STP"
    waiting = Meeting.objects.select_related("invitation").get(pk=head.pk).invitation
    assert waiting.state == "signing" and waiting.signer.username == "giamdoc.skhdt"
