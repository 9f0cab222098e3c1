"""A meeting in a real browser, from registration to the conclusion's work items (issue 16, "Done when"):

- an officer registers a meeting from the week page in the real form (content, time, room, chủ trì,
  people, an outsider by e-mail), and the office (Chánh Văn phòng, a schedule manager) approves it;
- a second booking of the same room at the same time is refused, the reason shown on the form;
- the participant's mailbox (Django's outbox: the live server runs in-process) holds an .ics that
  icalendar parses, with the meeting's UID and SEQUENCE; after a change, the same UID, a higher SEQUENCE;
- the clerk of the office publishes the week; a participant reads it on a phone, day by day;
- the Giấy mời made from the meeting is reviewed, signed and issued on the outgoing pages (pdfsig: the
  director's and the seal's signatures valid) and e-mailed to the outsider;
- a vote is taken: the meeting starts two minutes after registration (the form refuses a past start),
  so it is already in its voting window (from the roll call, 30 minutes before);
- once it has started, the biên bản is drafted, signed by the secretary and then the presider in their
  "Chờ ký" (Celery runs eagerly: the batch signs in the request), pdfsig reports both signatures valid;
- the conclusions' Thông báo kết luận is issued through the outgoing flow and its task is in the
  assignee's "Việc của tôi".

Every page is checked for console errors, CSP violations, failed requests and duplicate ids; phone pages for
sideways scrolling. Screenshots (flow-*.png, with the Giấy mời and the biên bản as PNG) go to
EOFFICE_MEETINGS_SHOTS (default /tmp/meetings-shots/).
"""

from __future__ import annotations

import os
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from documents.models import DocumentType
from eoffice.models import Role
from meetings import rules
from meetings.models import (
    Ballot,
    Conclusion,
    ConclusionTask,
    Meeting,
    Minutes,
    PublishedWeek,
    Room,
    ScheduleSettings,
    Vote,
)
from signing import pki
from tests.browser.fixtures import DESKTOP, PHONE
from tests.factories import make_agency, make_department, make_user
from tests.signing import samples
from tests.signing.factories import PIN, make_credential
from workflow.models import Assignment, WorkflowState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("EOFFICE_MEETINGS_SHOTS", "/tmp/meetings-shots"))
START_IN_MINUTES = 2
GUEST = "bao.tq@doanhnghiep.example.vn"
TASK = "Hoàn thiện dự thảo kế hoạch chuyển đổi số năm 2027, trình Giám đốc"
TITLE = "Họp giao ban triển khai kế hoạch chuyển đổi số năm 2027"


@pytest.fixture
def office(transactional_db, settings, tmp_path_factory):
    """A Sở with its office (VP, the schedule manager), a unit, a director who chairs and signs, a secretary
    who signs the minutes, participants with e-mail addresses, a managed room and test credentials."""
    directory = tmp_path_factory.mktemp("pki")
    authority = pki.ensure_test_authority(directory)
    settings.SIGNING_PKI_DIR = directory
    settings.SIGNING_TSA_IN_PROCESS = True
    settings.SIGNING_TRUST_TEST_CA = True
    settings.SIGNING_LOCAL_TSA = True
    settings.SIGNING_PADES_LEVEL = "B-T"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    # Earlier transactional tests flush the types the data migration made.
    for name, abbreviation in (("Công văn", ""), ("Giấy mời", "GM"), ("Thông báo", "TB")):
        DocumentType.objects.get_or_create(name=name, defaults={"abbreviation": abbreviation})
    parent = make_agency(name="Ủy ban nhân dân tỉnh An Hòa", abbreviation="UBND", place_name="An Hòa")
    agency = make_agency(
        name="Sở Kế hoạch và Đầu tư", abbreviation="SKHĐT", parent=parent, place_name="An Hòa"
    )
    office_unit = make_department(agency=agency, name="Văn phòng Sở", abbreviation="VP")
    unit = make_department(agency=agency, name="Phòng Tổng hợp", abbreviation="TH")
    # No lock window: the test books this week's slots whatever day it runs.
    ScheduleSettings.objects.create(agency=agency, lock_enabled=False)
    leader = make_user(
        agency=agency,
        department=office_unit,
        roles=[Role.LEADER],
        username="giamdoc",
        full_name="Vũ Đức Thắng",
        position="Giám đốc",
        email="giamdoc@skhdt.example.gov.vn",
    )
    leader.signature_image.save("signature.png", ContentFile(samples.signature_png()), save=True)
    agency.seal_image.save("seal.png", ContentFile(samples.seal_png()), save=True)
    secretary = make_user(
        agency=agency,
        department=office_unit,
        roles=[Role.OFFICER],
        username="thuky",
        full_name="Ngô Thị Lan",
        position="Chuyên viên Văn phòng",
        email="thuky@skhdt.example.gov.vn",
    )
    secretary.signature_image.save("signature.png", ContentFile(samples.signature_png()), save=True)
    make_credential(authority=authority, agency=agency, owner=leader)
    make_credential(authority=authority, agency=agency, owner=secretary)
    make_credential(authority=authority, agency=agency, owner=None)
    room = Room.objects.create(agency=agency, name="Phòng họp tầng 3", capacity=30, equipment="Máy chiếu")
    return {
        "agency": agency,
        "unit": unit,
        "office_unit": office_unit,
        "room": room,
        "leader": leader,
        "secretary": secretary,
        "chief": make_user(  # Chánh Văn phòng: the schedule manager who approves
            agency=agency,
            department=office_unit,
            roles=[Role.DEPARTMENT_HEAD],
            username="chanhvp",
            full_name="Trịnh Văn Long",
            position="Chánh Văn phòng",
        ),
        "clerk": make_user(  # văn thư of the office: publishes the week, issues the documents
            agency=agency,
            department=office_unit,
            roles=[Role.CLERK],
            username="vanthu",
            full_name="Đặng Thị Hương",
        ),
        "head": make_user(
            agency=agency,
            department=unit,
            roles=[Role.DEPARTMENT_HEAD],
            username="truongphong",
            full_name="Bùi Văn Hải",
            position="Trưởng phòng",
            email="truongphong@skhdt.example.gov.vn",
        ),
        "officer": make_user(
            agency=agency,
            department=unit,
            roles=[Role.OFFICER],
            username="chuyenvien",
            full_name="Phan Minh Đức",
            email="chuyenvien@skhdt.example.gov.vn",
        ),
        "member": make_user(  # a participant: the mailbox checked, the vote, the conclusion's task
            agency=agency,
            department=unit,
            roles=[Role.OFFICER],
            username="thanhvien",
            full_name="Lê Hoàng Yến",
            email="yen.lh@skhdt.example.gov.vn",
        ),
    }


# ---- helpers ----------------------------------------------------------------------------------------------


def _shot(page, label: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"flow-{label}-{page.name}.png"
    page.page.evaluate("window.scrollTo(0, 0)")  # the sticky top bar stays on top in a full-page shot
    page.page.screenshot(path=str(path), full_page=True)
    return path


def _person(open_page, viewport: dict, name: str, user):
    """A browser page signed in as ``user``; confirmation dialogs (data-confirm) are accepted."""
    page = open_page(viewport, name)
    page.page.on("dialog", lambda dialog: dialog.accept())
    page.login(user)
    return page


def _submit(page, target) -> None:
    """Click a submit button (a selector or a locator) and wait for the page it leads to."""
    locator = page.page.locator(target) if isinstance(target, str) else target
    with page.page.expect_navigation():
        locator.click()
    page.page.wait_for_load_state("networkidle")


def _check(page, label: str, *, phone: bool = False) -> None:
    """Screenshot, then: no console error, CSP violation, failed request or duplicate id; on a phone no
    sideways scrolling."""
    _shot(page, label)
    if phone:
        width = page.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], f"{label}: page is {width[0]} px wide in a {width[1]} px window"
    assert not page.errors, f"{label}: {page.errors}"


def _pick(page, field_id: str, typed: str, option: str) -> None:
    """Choose ``option`` in the picker that replaces the select ``field_id``, by typing like a person."""
    picker = page.page.locator(f"#{field_id}-picker-input")
    picker.click()
    picker.type(typed)
    page.page.locator(f"#{field_id}-picker-list .picker-option", has_text=option).first.click()
    page.page.keyboard.press("Escape")


def _local(at) -> str:
    """A datetime-local input's value."""
    return timezone.localtime(at).strftime("%Y-%m-%dT%H:%M")


def _meeting_times():
    """The meeting starts a few minutes from now (the form refuses a past start) and so is already in its
    voting window (from the roll call, 30 minutes before); the minutes wait until it has started."""
    now = timezone.localtime().replace(second=0, microsecond=0)
    start = now + timedelta(minutes=START_IN_MINUTES)
    return start, start + timedelta(hours=2)


def _ics_mails(address: str) -> list:
    """The calendars (icalendar) e-mailed to ``address`` so far, oldest first."""
    found = []
    for message in mail.outbox:
        if address not in message.to:
            continue
        for name, content, _mimetype in message.attachments:
            if name.endswith(".ics"):
                found.append(Calendar.from_ical(content))
    return found


def _event(calendar):
    events = calendar.walk("VEVENT")
    assert len(events) == 1, calendar.to_ical()
    return events[0]


# ---- the flow ---------------------------------------------------------------------------------------------


def test_meeting_from_registration_to_work_items(open_page, office, live_server, tmp_path):
    member = office["member"]

    # 1. The officer registers the meeting in the form: content, time, room, chủ trì, participants.
    officer = _person(open_page, DESKTOP, "desktop", office["officer"])
    officer.goto(reverse("meetings:week"))  # registered from the schedule page
    _submit(officer, officer.page.locator("#main .page-actions").get_by_role("link", name="Đăng ký lịch"))
    assert officer.page.url.endswith(reverse("meetings:new")), officer.page.url
    start, end = _meeting_times()
    officer.page.fill("#id_title", TITLE)
    officer.page.fill("#id_start_at", _local(start))
    officer.page.fill("#id_end_at", _local(end))
    officer.page.select_option("#id_room", label=office["room"].name)
    _pick(officer, "id_chair", "vu duc", "Vũ Đức Thắng")
    _pick(officer, "id_people", "hoang yen", "Lê Hoàng Yến")
    _pick(officer, "id_people", "ngo thi", "Ngô Thị Lan")
    officer.page.fill("#id_outsiders", f"Trần Quốc Bảo <{GUEST}>")
    officer.page.fill(
        "#id_description", "Rà soát tiến độ các dự án chuyển đổi số; thống nhất kế hoạch năm 2027."
    )
    _shot(officer, "01-register-form")
    _submit(officer, "[data-testid=save-meeting]")
    if officer.page.locator("[data-testid=confirm-warnings]").count():
        _submit(officer, "[data-testid=confirm-warnings]")
    meeting = Meeting.objects.get(title=TITLE)
    assert officer.page.url.endswith(meeting.get_absolute_url()), officer.page.url
    assert officer.page.locator("[data-testid=meeting-state]").inner_text() == "Chờ duyệt"
    assert meeting.room == office["room"] and meeting.chair == office["leader"]
    assert {p.user for p in meeting.participants.all()} >= {member, office["secretary"]}
    assert timezone.localtime(meeting.start_at) == start

    # 2. The office approves it from its queue (Chánh Văn phòng: a schedule manager).
    chief = _person(open_page, DESKTOP, "desktop", office["chief"])
    chief.goto(reverse("meetings:approvals"))
    row = chief.page.locator("[data-testid=approval-row]", has_text=TITLE)
    assert row.count() == 1
    _shot(chief, "02-approvals")
    _submit(chief, row.locator(f"[data-testid=approve-{meeting.pk}]"))
    meeting.refresh_from_db()
    assert meeting.state == WorkflowState.APPROVED and meeting.approved_by == office["chief"]

    # 3. A second booking of the same room at the same time is refused, with the reason on the form.
    head = _person(open_page, DESKTOP, "desktop", office["head"])
    head.goto(reverse("meetings:new"))
    head.page.fill("#id_title", "Họp chuyên đề thẩm định dự án đầu tư công")
    head.page.fill("#id_start_at", _local(start + timedelta(minutes=30)))
    head.page.fill("#id_end_at", _local(end))
    head.page.select_option("#id_room", label=office["room"].name)
    _pick(head, "id_chair", "bui van", "Bùi Văn Hải")
    _submit(head, "[data-testid=save-meeting]")
    if head.page.locator("[data-testid=confirm-warnings]").count():
        _submit(head, "[data-testid=confirm-warnings]")
    refused = head.page.locator("form[data-testid=meeting-form]").inner_text()
    assert "Phòng họp đã được duyệt cho cuộc họp khác trùng thời gian" in refused, refused
    assert TITLE in refused
    assert Meeting.objects.count() == 1
    _shot(head, "03-room-refused")

    # 4. The participant's mailbox: an .ics that icalendar parses, with the meeting's UID and SEQUENCE.
    first = _ics_mails(member.email)
    assert len(first) == 1, [m.subject for m in mail.outbox]
    event = _event(first[0])
    assert str(event["UID"]).startswith(f"{meeting.uid}@") and int(event["SEQUENCE"]) == meeting.sequence
    attendees = event.get("ATTENDEE", [])
    attendees = attendees if isinstance(attendees, list) else [attendees]
    assert any(member.email in str(a) for a in attendees), attendees
    assert str(first[0]["METHOD"]) == "REQUEST"
    assert event.decoded("DTSTART") == meeting.start_at

    # 5. The officer changes the meeting (one more unit): the new .ics, same UID, higher SEQUENCE.
    officer.goto(meeting.get_absolute_url())
    _submit(officer, "[data-testid=edit-meeting]")
    _pick(officer, "id_departments", "tong hop", "Phòng Tổng hợp")
    if officer.page.locator("[data-testid=change-notice]").count():
        officer.page.fill("#id_reason", "Bổ sung Phòng Tổng hợp tham dự.")
    _submit(officer, "[data-testid=save-meeting]")
    if officer.page.locator("[data-testid=confirm-warnings]").count():
        _submit(officer, "[data-testid=confirm-warnings]")
    assert "Đã lưu thay đổi của lịch." in officer.page.inner_text("body")
    meeting.refresh_from_db()
    assert meeting.sequence > int(event["SEQUENCE"])
    second = _ics_mails(member.email)
    assert len(second) == 2
    changed = _event(second[-1])
    assert changed["UID"] == event["UID"] and int(changed["SEQUENCE"]) == meeting.sequence
    assert int(changed["SEQUENCE"]) > int(event["SEQUENCE"])
    _check(officer, "05-meeting-changed")

    # 6. The office's clerk publishes the week; a participant reads it on a phone, day by day.
    week = f"{reverse('meetings:week')}?week={start.date().isoformat()}"
    clerk = _person(open_page, DESKTOP, "1280", office["clerk"])
    clerk.goto(week)
    assert clerk.page.locator("[data-testid=unpublished]").count() == 1
    clerk.page.fill("#id_publish-note", "Lịch công tác tuần của Sở.")
    _submit(clerk, clerk.page.locator("[data-testid=publish-form] button[type=submit]"))
    assert clerk.page.locator("[data-testid=published]").count() == 1
    assert PublishedWeek.objects.filter(agency=office["agency"], week_start=rules.week_start(start.date()))
    assert clerk.page.locator(f"tr[data-meeting='{meeting.pk}']").count() == 1
    _check(clerk, "06-week")
    phone = _person(open_page, PHONE, "390", member)
    phone.goto(week)
    assert phone.page.locator("[data-testid=published]").count() == 1
    row = phone.page.locator(f"tbody[data-day='{start.date().isoformat()}'] tr[data-meeting='{meeting.pk}']")
    assert row.is_visible() and TITLE in row.inner_text()
    # A list, not a table: the table's boxes are blocks, its header row left to screen readers.
    table = phone.page.locator("[data-testid=week-table]")
    assert table.evaluate("t => getComputedStyle(t).display") == "block"
    assert table.locator("thead").bounding_box()["height"] <= 1
    days = phone.page.locator("[data-testid=week-table] tbody.wk-day")
    assert days.count() >= 5  # Monday to Friday; a weekend day when it has something
    tops = [days.nth(i).bounding_box()["y"] for i in range(days.count())]
    assert tops == sorted(tops)  # one day under the other
    _check(phone, "06-week", phone=True)
    phone.goto(reverse("meetings:my_week") + f"?week={start.date().isoformat()}")
    assert phone.page.locator(f"tr[data-meeting='{meeting.pk}']").is_visible()
    _check(phone, "06-my-week", phone=True)

    # 7. The Giấy mời is made from the meeting, then reviewed, signed and issued on the outgoing pages.
    officer.goto(meeting.get_absolute_url())
    _submit(officer, "[data-testid=action-invitation_draft] button[type=submit]")
    meeting.refresh_from_db()
    invitation = meeting.invitation
    assert invitation is not None and invitation.doc_type.abbreviation == "GM"
    assert officer.page.url.endswith(invitation.get_absolute_url()), officer.page.url
    assert TITLE in invitation.body or TITLE in invitation.summary
    _issue(open_page, office, officer, invitation, "07-invitation")
    officer.goto(meeting.get_absolute_url())
    invitation.refresh_from_db()
    assert invitation.number_symbol in officer.page.locator("[data-testid=invitation-state]").inner_text()
    text = _signed_pdf(
        officer,
        reverse("meetings:invitation_file", args=[meeting.pk]),
        tmp_path,
        count=2,
        label="07-giay-moi",
    )
    assert "GIẤY MỜI" in text and invitation.number_symbol in text
    # The outsider invited by e-mail: the calendar invitation, then the issued Giấy mời as a PDF.
    guest = [m for m in mail.outbox if GUEST in m.to]
    assert any(name.endswith(".ics") for m in guest for name, _c, _t in m.attachments)
    assert any(name.endswith(".pdf") for m in guest for name, _c, _t in m.attachments), guest

    # 8. A vote while the meeting runs: the organiser sets and opens it, two participants answer, it closes.
    officer.page.click("[data-testid=pl-vote-create] summary")
    officer.page.fill("#id_pl-vote-question", "Thông qua kế hoạch chuyển đổi số năm 2027")
    _submit(officer, "[data-testid=action-vote_create] button[type=submit]")
    vote = Vote.objects.get(meeting=meeting)
    _submit(officer, f"[data-testid=action-vote_open-{vote.pk}] button[type=submit]")
    vote.refresh_from_db()
    assert vote.status == Vote.Status.OPEN
    phone.goto(meeting.get_absolute_url())
    ballot = phone.page.locator(f"[data-testid=action-ballot-{vote.pk}]")
    ballot.get_by_label("Đồng ý", exact=True).check()
    _submit(phone, ballot.locator("button[type=submit]"))
    assert phone.page.locator(f"[data-testid=pl-voted-{vote.pk}]").count() == 1
    _check(phone, "08-voted", phone=True)
    secretary = _person(open_page, DESKTOP, "desktop", office["secretary"])
    secretary.goto(meeting.get_absolute_url())
    ballot = secretary.page.locator(f"[data-testid=action-ballot-{vote.pk}]")
    ballot.get_by_label("Không có ý kiến", exact=True).check()
    _submit(secretary, ballot.locator("button[type=submit]"))
    officer.goto(meeting.get_absolute_url())
    _submit(officer, f"[data-testid=action-vote_close-{vote.pk}] button[type=submit]")
    results = officer.page.locator(f"[data-testid=pl-results-{vote.pk}]").inner_text()
    assert "Lê Hoàng Yến" in results and "Ngô Thị Lan" in results, results
    assert Ballot.objects.filter(vote=vote).count() == 2
    _check(officer, "08-meeting")

    # 9. The biên bản, once the meeting has started: drafted from the meeting, signed by the secretary and
    # then the presider in their "Chờ ký", both signatures valid.
    while timezone.now() < meeting.start_at:
        officer.page.wait_for_timeout(1000)
    officer.goto(meeting.get_absolute_url())
    start_form = officer.page.locator("[data-testid=action-minutes_start]")
    start_form.locator("select[name$=secretary]").select_option(str(office["secretary"].pk))
    _submit(officer, start_form.locator("button[type=submit]"))
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.presider == office["leader"] and minutes.status == Minutes.Status.DRAFT
    _submit(officer, "[data-testid=minutes-edit]")
    content = officer.page.locator("#id_content")
    content.fill(content.input_value() + "\nCác phòng báo cáo tiến độ; Giám đốc kết luận các nhiệm vụ.")
    _submit(officer, "[data-testid=minutes-form] button[type=submit]")
    _submit(officer, "[data-testid=action-minutes_submit] button[type=submit]")
    assert officer.page.locator("[data-testid=minutes-status]").inner_text() == "Chờ thư ký ký"
    _sign_pending(secretary, "09-secretary-signs")
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.PRESIDER
    leader = _person(open_page, PHONE, "phone", office["leader"])
    _sign_pending(leader, "09-presider-signs")
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.SIGNED
    officer.goto(meeting.get_absolute_url())
    assert officer.page.locator("[data-testid=minutes-status]").inner_text() == "Đã ký"
    text = _signed_pdf(
        officer, reverse("meetings:minutes_pdf", args=[meeting.pk]), tmp_path, count=2, label="09-bien-ban"
    )
    assert "BIÊN BẢN" in text and "Ngô Thị Lan" in text and "Vũ Đức Thắng" in text

    # 10. The conclusions with a task; the Thông báo kết luận issued; the task is in "Việc của tôi".
    _submit(officer, "[data-testid=conclusion-edit]")
    officer.page.fill("#id_text", "Giao Phòng Tổng hợp hoàn thiện kế hoạch chuyển đổi số năm 2027.")
    officer.page.fill("#id_task-0-title", TASK)
    officer.page.select_option("#id_task-0-assignee", str(member.pk))
    officer.page.fill("#id_task-0-due_date", (start.date() + timedelta(days=14)).isoformat())
    _submit(officer, "[data-testid=conclusion-form] button[type=submit]")
    _submit(officer, "[data-testid=action-conclusion_notice] button[type=submit]")
    conclusion = Conclusion.objects.get(meeting=meeting)
    notice = conclusion.notice
    assert notice is not None and notice.doc_type.abbreviation == "TB"
    officer.goto(notice.get_absolute_url())
    _issue(open_page, office, officer, notice, "10-notice")
    task = ConclusionTask.objects.get(conclusion=conclusion)
    assert task.work_item is not None and task.work_item.related_record == meeting
    assert Assignment.objects.filter(object_id=task.work_item.pk, assignee=member).exists()
    phone.goto(reverse("workflow:my_work"))
    row = phone.page.locator("tbody tr", has_text=TASK)
    assert row.count() == 1
    _check(phone, "10-my-work", phone=True)
    _submit(phone, row.locator("a").first)
    assert TASK in phone.page.inner_text("body")

    for page in (officer, chief, head, clerk, phone, secretary, leader):
        assert not page.errors, page.errors


def _issue(open_page, office, drafter, doc, label: str) -> None:
    """The outgoing flow of a draft open on ``drafter``'s page: submitted to the head of the unit, approved,
    signed by the director with the PIN (number and date given), sealed and issued by the clerk."""
    drafter.page.select_option("#id_reviewer", str(office["head"].pk))
    _submit(drafter, "[data-testid=submit-submit]")
    assert drafter.page.locator("[data-testid=doc-state]").inner_text() == "Chờ duyệt"
    head = _person(open_page, DESKTOP, "desktop", office["head"])
    head.goto(doc.get_absolute_url())
    _submit(head, "[data-testid=approve-submit]")
    assert head.page.locator("[data-testid=doc-state]").inner_text() == "Chờ ký"
    leader = _person(open_page, PHONE, "phone", office["leader"])
    leader.goto(doc.get_absolute_url())
    leader.page.fill("#sign_pin", PIN)
    _submit(leader, "[data-testid=sign-submit]")
    doc.refresh_from_db()
    assert doc.state == WorkflowState.SIGNED and doc.number, doc.state
    clerk = _person(open_page, DESKTOP, "desktop", office["clerk"])
    clerk.goto(doc.get_absolute_url())
    clerk.page.fill("#iss_pin", PIN)
    _submit(clerk, "[data-testid=issue-submit]")
    assert clerk.page.locator("[data-testid=doc-state]").inner_text() == "Đã phát hành"
    _check(clerk, f"{label}-issued")
    doc.refresh_from_db()
    assert doc.state == WorkflowState.ISSUED
    for page in (head, leader, clerk):
        assert not page.errors, page.errors


def _sign_pending(page, label: str) -> None:
    """Sign everything in the person's "Chờ ký" with the PIN (the batch runs in the request: Celery eager)."""
    page.goto(reverse("signing:pending"))
    assert page.page.locator("tbody tr").count() == 1
    page.page.check("input[name=requests]")
    page.page.fill("#id_pin", PIN)
    _submit(page, "form[data-signing-batch] button[type=submit]")
    page.page.locator('#batch-progress[data-finished="1"]').wait_for()
    assert "1 văn bản đã ký" in page.page.locator("#batch-progress").inner_text()
    _check(page, label, phone=page.name == "phone")


def _signed_pdf(page, url: str, tmp_path, *, count: int, label: str) -> str:
    """Download ``url`` with the page's session: pdfsig reports ``count`` signatures, all valid. Returns
    the PDF's text (pdftotext); its first page goes to the screenshots as a PNG (to compare with the
    decree's form)."""
    response = page.context.request.get(page.base_url + url)
    assert response.status == 200, url
    data = response.body()
    rows = samples.pdfsig_signatures(samples.pdfsig(data, tmp_path))
    assert len(rows) == count, rows
    assert all(r["valid"] for r in rows), rows
    path = tmp_path / "download.pdf"
    path.write_bytes(data)
    SHOTS.mkdir(parents=True, exist_ok=True)
    png = ["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", "-singlefile", str(path)]
    subprocess.run([*png, str(SHOTS / f"flow-{label}")], check=True)
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return done.stdout
