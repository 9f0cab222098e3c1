# ruff: noqa: F811
"""Meetings in case files (kind "meeting"): registration, access (secret meetings, other agencies),
visible_ids in one query, the Phần II snapshot, the files in the order they were made (invitation, the
documents open to every participant, the signed minutes, the conclusion notice), and filing from the
meeting's page once it was held."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.files.base import ContentFile
from django.http import Http404
from django.utils import timezone

from documents.records import kinds
from meetings import records
from meetings.models import Conclusion, Meeting, MeetingFile, Minutes, Participant
from tests.meetings.h2_helpers import local, make_meeting, org  # noqa: F401
from tests.onestop.conftest import pdf_bytes
from tests.records_kinds.helpers import file_through_page, open_file, pages
from tests.records_kinds.outgoing import issued_outgoing

pytestmark = pytest.mark.django_db


def _held(org, **extra):
    start = local(timezone.localdate() - dt.timedelta(days=2), 8)
    return make_meeting(org, start=start, **extra)


def _meeting_file(meeting, org, name: str, data: bytes, at, *, restricted=False):
    row = MeetingFile(
        meeting=meeting,
        name=name,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        content_type="application/pdf",
        restricted=restricted,
        uploaded_by=org["organiser"],
        uploaded_at=at,
    )
    row.file.save("tai-lieu.pdf", ContentFile(data), save=False)
    row.save()
    return row


def _record(meeting, org):
    """Invitation issued two days before, a document for all and a restricted one, the signed minutes, the
    conclusion notice issued after."""
    start = meeting.start_at
    invitation, _v = issued_outgoing(
        agency=meeting.agency,
        by=org["manager"],
        type_name="Giấy mời",
        abbreviation="GM",
        symbol="15/GM-SKHĐT",
        summary="Mời họp",
        pdf=pdf_bytes("Giấy mời họp"),
        at=start - dt.timedelta(days=2),
    )
    Meeting.objects.filter(pk=meeting.pk).update(invitation=invitation)
    _meeting_file(
        meeting, org, "Dự thảo kế hoạch.pdf", pdf_bytes("Dự thảo kế hoạch"), start - dt.timedelta(days=1)
    )
    _meeting_file(
        meeting,
        org,
        "Báo cáo mật.pdf",
        pdf_bytes("Báo cáo mật"),
        start - dt.timedelta(hours=20),
        restricted=True,
    )
    minutes = Minutes(
        meeting=meeting,
        secretary=org["officer"],
        presider=org["leader"],
        started_at=start,
        ended_at=meeting.end_at,
        content="Nội dung",
        conclusion="Kết luận",
        status=Minutes.Status.SIGNED,
        created_by=org["organiser"],
        signed_at=meeting.end_at + dt.timedelta(hours=1),
    )
    data = pdf_bytes("Biên bản cuộc họp")
    minutes.sha256 = hashlib.sha256(data).hexdigest()
    minutes.pdf.save("bien-ban.pdf", ContentFile(data), save=False)
    minutes.save()
    notice, _v = issued_outgoing(
        agency=meeting.agency,
        by=org["manager"],
        type_name="Thông báo",
        abbreviation="TB",
        symbol="04/TB-SKHĐT",
        summary="Thông báo kết luận cuộc họp",
        pdf=pdf_bytes("Thông báo kết luận"),
        at=meeting.end_at + dt.timedelta(days=1),
    )
    Conclusion.objects.create(meeting=meeting, text="Kết luận", notice=notice, created_by=org["leader"])
    meeting.refresh_from_db()
    return meeting


def test_the_meeting_kind_is_registered():
    kind = kinds.get("meeting")
    assert kind.model is Meeting and kind.access is records.access
    assert kinds.key_for(Meeting()) == "meeting"


def test_access_refuses_another_agency_and_the_uninvolved_of_a_secret_meeting(org):
    meeting = make_meeting(org, secret=True)
    kind = kinds.get("meeting")
    assert kind.access(org["organiser"], meeting.pk) == meeting
    assert kind.access(org["manager"], meeting.pk) == meeting
    with pytest.raises(Http404):
        kind.access(org["bystander"], meeting.pk)
    with pytest.raises(Http404):
        kind.access(org["officer_b"], meeting.pk)
    # invited from another agency: sees the meeting, but it is not a record of their agency
    Participant.objects.create(meeting=meeting, user=org["officer_b"], order=9)
    from meetings import selectors

    assert selectors.meeting_access(user=org["officer_b"], pk=meeting.pk) == meeting
    with pytest.raises(Http404):
        kind.access(org["officer_b"], meeting.pk)
    assert records.file_this(user=org["officer_b"], meeting=meeting) is None


def test_visible_ids_in_one_query(org, django_assert_num_queries):
    from meetings import rules

    open_one = make_meeting(org)
    secret = make_meeting(org, secret=True, title="Họp mật")
    Participant.objects.create(meeting=secret, user=org["officer_b"], order=9)
    ids = [open_one.pk, secret.pk, secret.pk + 1000]
    kind = kinds.get("meeting")
    for who, expected in (
        ("bystander", {open_one.pk}),
        ("organiser", {open_one.pk, secret.pk}),
        ("officer_b", set()),
    ):
        user = org[who]
        rules.is_manager(user)  # the person's standing: read once per request, kept on the user
        with django_assert_num_queries(1):
            assert kind.visible_ids(user, ids) == expected


def test_snapshot_fields(org):
    meeting = _record(_held(org), org)
    snap = kinds.get("meeting").snapshot(meeting)
    assert snap.type_name == "Hồ sơ cuộc họp"
    assert snap.subject == meeting.title
    assert snap.sort_date == meeting.start_at
    assert snap.issued_date == timezone.localtime(meeting.start_at).date()
    assert snap.organ_name == org["agency"].name
    assert snap.signer_name == org["leader"].get_full_name() and snap.signer_position == "Giám đốc"
    expected = sum(
        pages(pdf_bytes(t))
        for t in ("Giấy mời họp", "Dự thảo kế hoạch", "Biên bản cuộc họp", "Thông báo kết luận")
    )
    assert snap.page_amount == expected
    assert "Phòng họp tầng 3" in snap.description


def test_files_in_the_order_they_were_made(org):
    meeting = _record(_held(org), org)
    files = kinds.get("meeting").files(meeting)
    assert [(f.name, f.caption) for f in files] == [
        ("giay-moi-15-gm-skhdt.pdf", "Giấy mời số 15/GM-SKHĐT"),
        ("tai-lieu-01.pdf", "Dự thảo kế hoạch.pdf"),
        (f"bien-ban-{meeting.pk}.pdf", "Biên bản cuộc họp"),
        ("thong-bao-ket-luan-04-tb-skhdt.pdf", "Thông báo kết luận số 04/TB-SKHĐT"),
    ]
    texts = ("Giấy mời họp", "Dự thảo kế hoạch", "Biên bản cuộc họp", "Thông báo kết luận")
    for record_file, text in zip(files, texts, strict=True):
        assert record_file.read() == pdf_bytes(text)
        assert record_file.sha256 == hashlib.sha256(pdf_bytes(text)).hexdigest()


def test_draft_minutes_and_unissued_notices_are_not_filed(org):
    meeting = _held(org)
    Minutes.objects.create(
        meeting=meeting,
        secretary=org["officer"],
        presider=org["leader"],
        started_at=meeting.start_at,
        ended_at=meeting.end_at,
        created_by=org["organiser"],
    )
    assert kinds.get("meeting").files(meeting) == []


def test_prominent_once_held(org):
    upcoming = make_meeting(org)
    assert records.ended(upcoming) is False
    held = _held(org)
    assert records.ended(held) is True
    open_file(org["manager"])
    assert records.file_this(user=org["manager"], meeting=upcoming)["prominent"] is False
    assert records.file_this(user=org["manager"], meeting=held)["prominent"] is True


def test_filing_a_held_meeting_from_its_page(org, login):
    meeting = _record(_held(org), org)
    case_file = open_file(org["manager"], code="VP-03", title="Hồ sơ các cuộc họp giao ban năm 2026")
    client = login(org["manager"])
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert 'data-prominent="1"' in html
    item = file_through_page(
        client, page_url=meeting.get_absolute_url(), kind="meeting", object_id=meeting.pk, case_file=case_file
    )
    assert item.type_name == "Hồ sơ cuộc họp" and item.subject == meeting.title
    assert item.sort_date == meeting.start_at
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert case_file.get_absolute_url() in html and 'data-prominent="1"' not in html
