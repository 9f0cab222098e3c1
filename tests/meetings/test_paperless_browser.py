"""The paperless meeting in a real browser: the organiser uploads a document and sets a vote on a phone, an
attendee checks in and votes, the chair closes the vote at a desk and the results show. Every page is checked
for console errors, failed requests and duplicate ids, and the phone pages for sideways scrolling."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from eoffice.models import Role
from meetings.models import Ballot, Meeting, MeetingFile, Participant, Vote
from tests.browser.fixtures import DESKTOP, PHONE
from tests.factories import make_agency, make_department, make_user
from workflow.models import WorkflowState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setup(transactional_db, tmp_path):
    from pypdf import PdfWriter

    agency = make_agency(name="Sở Kế hoạch và Đầu tư", abbreviation="SKHĐT")
    unit = make_department(agency=agency, name="Phòng Tổng hợp", abbreviation="TH")
    organiser = make_user(
        agency=agency, department=unit, roles=[Role.DEPARTMENT_HEAD], username="tp", full_name="Bùi Văn Hải"
    )
    chair = make_user(agency=agency, roles=[Role.LEADER], username="gd", full_name="Vũ Đức Thắng")
    attendee = make_user(
        agency=agency, department=unit, roles=[Role.OFFICER], username="cv", full_name="Phan Minh Đức"
    )
    start = timezone.now() + dt.timedelta(minutes=5)
    meeting = Meeting.objects.create(
        agency=agency,
        department=unit,
        title="Họp rà soát tiến độ giải ngân vốn đầu tư công",
        start_at=start,
        end_at=start + dt.timedelta(hours=2),
        place="Phòng họp tầng 3",
        chair=chair,
        organiser=organiser,
        state=WorkflowState.APPROVED,
    )
    Participant.objects.create(meeting=meeting, user=attendee)
    pdf = tmp_path / "to-trinh.pdf"
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with pdf.open("wb") as out:
        writer.write(out)
    return {"meeting": meeting, "organiser": organiser, "chair": chair, "attendee": attendee, "pdf": pdf}


def _submit(page, form):
    with page.page.expect_navigation():
        form.locator('button[type="submit"]').first.click()
    page.page.wait_for_load_state("networkidle")


def test_document_vote_and_roll_call_on_a_phone_results_at_a_desk(open_page, setup):
    meeting = setup["meeting"]
    url = meeting.get_absolute_url()

    phone = open_page(PHONE, "paperless-organiser")
    phone.login(setup["organiser"])
    phone.goto(url)
    phone.page.locator('[data-testid="pl-upload"] summary').click()
    phone.page.set_input_files("#id_pl-up-file", str(setup["pdf"]))
    phone.page.fill("#id_pl-up-name", "Tờ trình số 12")
    _submit(phone, phone.page.locator('[data-testid="pl-upload"] form'))
    assert "Đã tải lên tài liệu" in phone.page.inner_text("body")
    assert MeetingFile.objects.get().name == "Tờ trình số 12"

    phone.page.locator('[data-testid="pl-vote-create"] summary').click()
    phone.page.fill("#id_pl-vote-question", "Thông qua tờ trình số 12")
    _submit(phone, phone.page.locator('[data-testid="pl-vote-create"] form'))
    vote = Vote.objects.get()
    _submit(phone, phone.page.locator(f'[data-testid="action-vote_open-{vote.pk}"]'))
    assert "Đã mở biểu quyết." in phone.page.inner_text("body")
    assert phone.no_horizontal_overflow()
    phone.shot("open")

    member = open_page(PHONE, "paperless-attendee")
    member.login(setup["attendee"])
    member.goto(url)
    assert "Tờ trình số 12" in member.page.inner_text('[data-testid="pl-files"]')
    _submit(member, member.page.locator('[data-testid="action-check_in"]'))
    assert "Đã điểm danh" in member.page.inner_text("body")
    ballot = member.page.locator(f'[data-testid="action-ballot-{vote.pk}"]')
    ballot.get_by_label("Đồng ý", exact=True).check()
    _submit(member, ballot)
    assert "Đã ghi nhận biểu quyết" in member.page.inner_text("body")
    assert member.page.locator(f'[data-testid="pl-voted-{vote.pk}"]').is_visible()
    assert member.no_horizontal_overflow()
    member.shot("voted")

    desk = open_page(DESKTOP, "paperless-chair")
    desk.login(setup["chair"])
    desk.goto(url)
    desk.page.on("dialog", lambda d: d.accept())
    _submit(desk, desk.page.locator(f'[data-testid="action-vote_close-{vote.pk}"]'))
    results = desk.page.inner_text(f'[data-testid="pl-results-{vote.pk}"]')
    assert "Phan Minh Đức" in results and "Đồng ý" in results
    desk.shot("results")

    assert Ballot.objects.filter(vote=vote, voter=setup["attendee"]).count() == 1
    assert Participant.objects.get(meeting=meeting).attendance == Participant.Attendance.PRESENT
    for page in (phone, member, desk):
        assert page.errors == [], page.errors
