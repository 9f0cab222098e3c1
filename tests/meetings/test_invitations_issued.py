"""The Giấy mời through the whole outgoing flow: drafted from the meeting, submitted, approved, signed
(numbered), issued by the clerk; on issue the meeting's attendees inside the agency are told, the meeting's
history has it, and they can download the issued PDF from the meeting."""

# ruff: noqa: F811
from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from documents.outgoing import services as outgoing
from documents.outgoing.models import DeliveryStatus
from eoffice.models import Notification, Role
from meetings import services
from meetings.models import Meeting, Participant
from tests.documents.outgoing.helpers import PIN, office  # noqa: F401
from tests.factories import make_agency, make_user
from tests.meetings.h2_helpers import gm_type
from tests.signing.conftest import _signing_settings, authority, pki_dir  # noqa: F401
from workflow.models import HistoryEntry, WorkflowState

pytestmark = pytest.mark.django_db
SHOTS = Path(os.environ.get("EOFFICE_MEETINGS_SHOTS", "/tmp/meetings-shots"))


@pytest.fixture
def meeting(office, agency_a, agency_b):
    gm_type()
    start = timezone.now() + dt.timedelta(days=4)
    meeting = Meeting.objects.create(
        agency=agency_a,
        department=office["unit"],
        title="Hội nghị sơ kết công tác đầu tư công",
        start_at=start,
        end_at=start + dt.timedelta(hours=3),
        place="Hội trường Sở",
        chair=office["leader"],
        organiser=office["officer"],
        state=WorkflowState.APPROVED,
        approved_at=timezone.now(),
    )
    Participant.objects.create(meeting=meeting, department=office["unit"], order=1)
    Participant.objects.create(meeting=meeting, agency=agency_b, order=2)
    Participant.objects.create(
        meeting=meeting, name="Công ty Minh Phát", email="vanthu@minhphat.example", order=3
    )
    return meeting


def test_issued_invitation_tells_the_attendees(office, meeting, agency_b, login, client):
    officer, head, leader, clerk = office["officer"], office["head"], office["leader"], office["clerk"]
    doc = services.invitation_draft(meeting=meeting, by=officer)
    assert doc.signer == leader
    doc = outgoing.draft_submit(document=doc, by=officer, reviewer=head)
    doc = outgoing.draft_approve(document=doc, by=head)
    doc = outgoing.document_sign(document=doc, by=leader, pin=PIN)
    assert doc.state == WorkflowState.SIGNED and "/GM-" in doc.number_symbol
    assert not Notification.objects.filter(kind="meetings.invitation").exists()
    doc = outgoing.document_issue(document=doc, by=clerk, pin=PIN)
    assert doc.state == WorkflowState.ISSUED

    notes = Notification.objects.filter(kind="meetings.invitation")
    # The chair and the listed unit's head: the attendees inside the agency.
    assert set(notes.values_list("recipient_id", flat=True)) == {leader.pk, head.pk}
    note = notes.get(recipient=head)
    assert doc.number_symbol in note.title and note.url == meeting.get_absolute_url()
    assert HistoryEntry.objects.filter(object_id=meeting.pk, action="invitation_issued").exists()
    # Delivered through the outgoing flow: to agency B inside the installation, by e-mail outside.
    channels = {r.channel: r for r in doc.recipients.all()}
    assert channels["internal"].agency == agency_b and channels["internal"].status == DeliveryStatus.ARRIVED

    # The unit head downloads the issued Giấy mời from the meeting (so does the invited agency's clerk);
    # someone of an agency outside the meeting may not.
    response = login(head).get(reverse("meetings:invitation_file", args=[meeting.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.getvalue()
    assert pdf.startswith(b"%PDF")
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "h2-giay-moi.pdf").write_bytes(pdf)  # rendered to PNG and compared with Mẫu 1.7 by hand
    url = reverse("meetings:invitation_file", args=[meeting.pk])
    assert login(office["clerk_b"]).get(url).status_code == 200
    stranger = make_user(agency=make_agency(), roles=[Role.CLERK])
    assert login(stranger).get(url).status_code == 404

    # "In" beside the download on the meeting's page: logged as a print, the copy carries the print mark.
    from eoffice.models import AccessEvent

    page = login(head).get(meeting.get_absolute_url()).content.decode()
    assert f'href="{url}?print=1"' in page and 'data-testid="invitation-print"' in page
    AccessEvent.objects.all().delete()
    printed = login(head).get(url, {"print": "1"})
    assert printed.status_code == 200
    from pypdf import PdfReader

    text = "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(printed.getvalue())).pages)
    assert "Bản in từ hệ thống eOffice" in text
    assert list(AccessEvent.objects.values_list("kind", "object_id", "action", "user_id")) == [
        ("meeting", meeting.pk, "print", head.pk)
    ]
