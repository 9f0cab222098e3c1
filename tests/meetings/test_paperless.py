"""The paperless meeting through HTTP: files checked by content with per-file viewers, comments, roll call in
its window, substitutes approved by the organiser, votes with one ballot per attendee (also under a race),
results exported as Excel, and the section's query count."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import threading

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from eoffice.models import Notification, Role
from meetings.models import Ballot, FileComment, Meeting, MeetingFile, Participant, Vote, VoteOption
from tests.factories import make_department, make_user
from tests.html_ids import duplicate_ids
from workflow.models import WorkflowState

pytestmark = pytest.mark.django_db


def pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def org(agency_a, dept_a):
    unit = make_department(agency=agency_a, name="Phòng Kế hoạch", abbreviation="KH")

    def person(key, roles=(Role.OFFICER,), dept=unit, **kw):
        return make_user(agency=agency_a, department=dept, roles=list(roles), username=f"pl_{key}", **kw)

    return {
        "unit": unit,
        "organiser": person("organiser", full_name="Bùi Văn Hải"),
        "chair": person("chair", roles=(Role.LEADER,), dept=None, full_name="Vũ Đức Thắng"),
        "a1": person("a1", full_name="Phan Minh Đức"),
        "a2": person("a2", full_name="Trần Thị Lan"),
        "prep": person("prep", full_name="Lê Văn Chuẩn"),
        "deputy": person("deputy", full_name="Ngô Văn Thay"),
        "stranger": person("stranger", full_name="Lý Văn Lạ"),
    }


def make_meeting(org, agency, *, start_in=dt.timedelta(minutes=10), length=dt.timedelta(hours=2), extra=0):
    start = timezone.now() + start_in
    meeting = Meeting.objects.create(
        agency=agency,
        department=org["unit"],
        title="Họp rà soát kế hoạch đầu tư công",
        start_at=start,
        end_at=start + length,
        place="Phòng họp tầng 2",
        chair=org["chair"],
        organiser=org["organiser"],
        state=WorkflowState.APPROVED,
    )
    Participant.objects.create(meeting=meeting, user=org["a1"], order=1)
    Participant.objects.create(meeting=meeting, user=org["a2"], order=2)
    Participant.objects.create(
        meeting=meeting, user=org["prep"], role=Participant.Role.PREPARE_MAIN, prepare="Báo cáo", order=3
    )
    for n in range(extra):
        user = make_user(agency=agency, department=org["unit"], full_name=f"Khách {n}")
        Participant.objects.create(meeting=meeting, user=user, order=10 + n)
    return meeting


@pytest.fixture
def meeting(org, agency_a):
    return make_meeting(org, agency_a)


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def act(meeting, key, part=None) -> str:
    if part is None:
        return reverse("meetings:act", args=[meeting.pk, key])
    return reverse("meetings:act_part", args=[meeting.pk, key, part])


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def upload(client, meeting, name, data, **extra):
    fields = {"pl-up-file": SimpleUploadedFile(name, data), "pl-up-name": extra.pop("title", "")}
    fields.update({f"pl-up-{k}": v for k, v in extra.items()})
    return client.post(act(meeting, "file_upload"), fields)


# ---- files -------------------------------------------------------------------------------------------


def test_fake_pdf_is_refused_and_a_real_one_kept_with_its_sha256(meeting, org):
    c = client_for(org["organiser"])
    r = upload(c, meeting, "baocao.pdf", b"%PDF-1.4 not really a pdf at all")
    assert r.status_code == 302
    assert MeetingFile.objects.count() == 0
    assert any("PDF" in m or "tệp" in m.lower() for m in messages_of(r))

    r = upload(c, meeting, "script.pdf", b"<html><script>alert(1)</script></html>")
    assert MeetingFile.objects.count() == 0

    data = pdf_bytes()
    r = upload(c, meeting, "baocao.pdf", data, title="Báo cáo tiến độ")
    row = MeetingFile.objects.get()
    assert row.name == "Báo cáo tiến độ" and row.sha256 == hashlib.sha256(data).hexdigest()
    assert row.size == len(data) and not row.restricted


def test_upload_rights_main_preparer_yes_plain_attendee_no(meeting, org):
    r = upload(client_for(org["a1"]), meeting, "a.pdf", pdf_bytes())
    assert MeetingFile.objects.count() == 0
    assert any("tải tài liệu" in m for m in messages_of(r))
    upload(client_for(org["prep"]), meeting, "chuanbi.pdf", pdf_bytes())
    assert MeetingFile.objects.get().uploaded_by == org["prep"]


def test_restricted_file_is_404_to_a_non_viewer_and_served_to_a_viewer(meeting, org):
    data = pdf_bytes()
    upload(client_for(org["organiser"]), meeting, "mat.pdf", data, restricted="on", viewers=[org["a1"].pk])
    row = MeetingFile.objects.get()
    assert row.restricted and list(row.viewers.all()) == [org["a1"]]
    url = reverse("meetings:paperless_file", args=[meeting.pk, row.pk])

    r = client_for(org["a1"]).get(url)
    # served with the print mark as an incremental update: the stored bytes come first, unchanged
    assert r.status_code == 200 and r.getvalue().startswith(data) and len(r.getvalue()) > len(data)
    assert r["Cache-Control"] == "private, no-store"
    assert client_for(org["chair"]).get(url).status_code == 200
    assert client_for(org["a2"]).get(url).status_code == 404
    assert client_for(org["stranger"]).get(url).status_code == 404
    # the section lists it only to those who may open it
    page = reverse("meetings:paperless", args=[meeting.pk])
    assert "mat.pdf" in client_for(org["a1"]).get(page).content.decode()
    assert "mat.pdf" not in client_for(org["a2"]).get(page).content.decode()


def test_open_file_served_to_participants_not_to_other_staff(meeting, org):
    upload(client_for(org["organiser"]), meeting, "chung.pdf", pdf_bytes())
    url = reverse("meetings:paperless_file", args=[meeting.pk, MeetingFile.objects.get().pk])
    assert client_for(org["a2"]).get(url).status_code == 200
    # the meeting is not secret: a colleague sees the meeting, but not its documents
    assert client_for(org["stranger"]).get(url).status_code == 404


def test_restricted_viewers_must_be_participants(meeting, org):
    r = upload(
        client_for(org["organiser"]),
        meeting,
        "mat.pdf",
        pdf_bytes(),
        restricted="on",
        viewers=[org["stranger"].pk],
    )
    assert MeetingFile.objects.count() == 0 and messages_of(r)


def test_comments_append_only_and_only_on_files_one_may_see(meeting, org):
    organiser = client_for(org["organiser"])
    upload(organiser, meeting, "chung.pdf", pdf_bytes())
    upload(organiser, meeting, "mat.pdf", pdf_bytes(), restricted="on", viewers=[org["a1"].pk])
    open_file, secret_file = MeetingFile.objects.order_by("pk")
    a2 = client_for(org["a2"])
    a2.post(
        act(meeting, "file_comment", open_file.pk), {f"pl-cm-{open_file.pk}-text": "Đề nghị bổ sung số liệu."}
    )
    r = a2.post(
        act(meeting, "file_comment", secret_file.pk), {f"pl-cm-{secret_file.pk}-text": "Xem được không?"}
    )
    assert any("Không tìm thấy tài liệu" in m for m in messages_of(r))
    comment = FileComment.objects.get()
    assert comment.file == open_file and comment.author == org["a2"]
    page = client_for(org["a1"]).get(reverse("meetings:paperless", args=[meeting.pk])).content.decode()
    assert "Đề nghị bổ sung số liệu." in page


# ---- roll call and substitutes ----------------------------------------------------------------------------


def test_check_in_outside_the_window_is_refused(org, agency_a):
    later = make_meeting(org, agency_a, start_in=dt.timedelta(hours=3))
    r = client_for(org["a1"]).post(act(later, "check_in"))
    assert any("Chỉ điểm danh được từ" in m for m in messages_of(r))
    assert Participant.objects.get(meeting=later, user=org["a1"]).attendance == ""
    r = client_for(org["organiser"]).post(
        act(later, "roll_call_mark", Participant.objects.get(meeting=later, user=org["a1"]).pk),
        {f"pl-rc-{Participant.objects.get(meeting=later, user=org['a1']).pk}-attendance": "present"},
    )
    assert Participant.objects.get(meeting=later, user=org["a1"]).attendance == ""


def test_check_in_and_organiser_marks_absence_with_reason(meeting, org):
    client_for(org["a1"]).post(act(meeting, "check_in"))
    row = Participant.objects.get(meeting=meeting, user=org["a1"])
    assert row.attendance == Participant.Attendance.PRESENT and row.attendance_at is not None

    a2 = Participant.objects.get(meeting=meeting, user=org["a2"])
    organiser = client_for(org["organiser"])
    r = organiser.post(act(meeting, "roll_call_mark", a2.pk), {f"pl-rc-{a2.pk}-attendance": "excused"})
    assert any("lý do" in m for m in messages_of(r))
    organiser.post(
        act(meeting, "roll_call_mark", a2.pk),
        {f"pl-rc-{a2.pk}-attendance": "excused", f"pl-rc-{a2.pk}-reason": "Đi công tác"},
    )
    a2.refresh_from_db()
    assert a2.attendance == Participant.Attendance.EXCUSED and a2.absence_reason == "Đi công tác"
    # a plain attendee may not mark others
    client_for(org["a1"]).post(
        act(meeting, "roll_call_mark", a2.pk), {f"pl-rc-{a2.pk}-attendance": "present"}
    )
    a2.refresh_from_db()
    assert a2.attendance == Participant.Attendance.EXCUSED
    # a stranger has nothing to check in for
    r = client_for(org["stranger"]).post(act(meeting, "check_in"))
    assert any("không có trong thành phần" in m for m in messages_of(r))


def test_substitute_flow_request_approve_then_the_substitute_checks_in_and_votes(meeting, org):
    row = Participant.objects.get(meeting=meeting, user=org["a1"])
    a1 = client_for(org["a1"])
    a1.post(act(meeting, "substitute_request"), {"pl-sub-substitute": org["deputy"].pk})
    row.refresh_from_db()
    assert row.substitute == org["deputy"] and row.substitute_status == Participant.Substitute.REQUESTED
    assert Notification.objects.filter(recipient=org["organiser"], kind="meetings.paperless").exists()

    # only the organiser decides
    client_for(org["a2"]).post(
        act(meeting, "substitute_decide", row.pk), {f"pl-sd-{row.pk}-decision": "approve"}
    )
    row.refresh_from_db()
    assert row.substitute_status == Participant.Substitute.REQUESTED
    client_for(org["organiser"]).post(
        act(meeting, "substitute_decide", row.pk), {f"pl-sd-{row.pk}-decision": "approve"}
    )
    row.refresh_from_db()
    assert row.substitute_status == Participant.Substitute.APPROVED
    assert Notification.objects.filter(recipient=org["deputy"], kind="meetings.paperless").exists()

    deputy = client_for(org["deputy"])
    page = deputy.get(reverse("meetings:paperless", args=[meeting.pk]))
    assert page.status_code == 200 and 'data-testid="action-check_in"' in page.content.decode()
    deputy.post(act(meeting, "check_in"))
    row.refresh_from_db()
    assert row.attendance == Participant.Attendance.PRESENT and row.data["checked_in_by"] == org["deputy"].pk

    vote = _open_vote(meeting, org)
    yes = vote.options.first()
    deputy.post(act(meeting, "ballot", vote.pk), {f"pl-bal-{vote.pk}-option": yes.pk})
    r = a1.post(act(meeting, "ballot", vote.pk), {f"pl-bal-{vote.pk}-option": yes.pk})
    assert any("Chỉ thành phần tham dự" in m for m in messages_of(r))
    assert list(Ballot.objects.values_list("voter", flat=True)) == [org["deputy"].pk]


def test_substitute_refused_and_rules(meeting, org):
    row = Participant.objects.get(meeting=meeting, user=org["a2"])
    a2 = client_for(org["a2"])
    r = a2.post(act(meeting, "substitute_request"), {"pl-sub-substitute": org["a1"].pk})
    assert any("đã có trong thành phần" in m for m in messages_of(r))
    a2.post(act(meeting, "substitute_request"), {"pl-sub-substitute": org["deputy"].pk})
    client_for(org["organiser"]).post(
        act(meeting, "substitute_decide", row.pk),
        {f"pl-sd-{row.pk}-decision": "refuse", f"pl-sd-{row.pk}-comment": "Cần đồng chí trực tiếp dự"},
    )
    row.refresh_from_db()
    assert row.substitute_status == Participant.Substitute.REFUSED
    # the refused substitute is not an attendee; the person checks in themself
    r = client_for(org["deputy"]).post(act(meeting, "check_in"))
    assert any("không có trong thành phần" in m for m in messages_of(r))
    # after the start, no more requests
    Meeting.objects.filter(pk=meeting.pk).update(start_at=timezone.now() - dt.timedelta(minutes=5))
    r = a2.post(act(meeting, "substitute_request"), {"pl-sub-substitute": org["deputy"].pk})
    assert any("trước giờ họp" in m for m in messages_of(r))


# ---- votes --------------------------------------------------------------------------------------------


def _create_vote(meeting, user, *, options="Đồng ý\nKhông đồng ý\nKhông có ý kiến", anonymous=False):
    data = {"pl-vote-question": "Thông qua kế hoạch đầu tư công 2027", "pl-vote-options": options}
    if anonymous:
        data["pl-vote-anonymous"] = "on"
    return client_for(user).post(act(meeting, "vote_create"), data)


def _open_vote(meeting, org, **kw) -> Vote:
    _create_vote(meeting, org["chair"], **kw)
    vote = Vote.objects.filter(meeting=meeting).latest("pk")
    client_for(org["chair"]).post(act(meeting, "vote_open", vote.pk))
    vote.refresh_from_db()
    assert vote.status == Vote.Status.OPEN
    return vote


def test_vote_needs_two_options_and_the_chair_or_organiser(meeting, org):
    r = _create_vote(meeting, org["chair"], options="Đồng ý\n đồng ý ")
    assert any("hai phương án" in m for m in messages_of(r)) and not Vote.objects.exists()
    r = _create_vote(meeting, org["a1"])
    assert not Vote.objects.exists()
    _create_vote(meeting, org["organiser"])
    vote = Vote.objects.get()
    assert [o.label for o in vote.options.all()] == ["Đồng ý", "Không đồng ý", "Không có ý kiến"]
    assert vote.status == Vote.Status.DRAFT


def test_vote_opens_only_while_the_meeting_runs(org, agency_a):
    later = make_meeting(org, agency_a, start_in=dt.timedelta(days=1))
    _create_vote(later, org["chair"])
    vote = Vote.objects.get()
    r = client_for(org["chair"]).post(act(later, "vote_open", vote.pk))
    assert any("trong thời gian diễn ra" in m for m in messages_of(r))
    vote.refresh_from_db()
    assert vote.status == Vote.Status.DRAFT


def test_one_ballot_per_person_and_results_after_closing(meeting, org):
    vote = _open_vote(meeting, org)
    assert Notification.objects.filter(recipient=org["a1"], kind="meetings.paperless").exists()
    yes, no, _abstain = vote.options.all()
    a1 = client_for(org["a1"])
    a1.post(act(meeting, "ballot", vote.pk), {f"pl-bal-{vote.pk}-option": yes.pk})
    r = a1.post(act(meeting, "ballot", vote.pk), {f"pl-bal-{vote.pk}-option": no.pk})
    assert any("mỗi người chỉ biểu quyết một lần" in m for m in messages_of(r))
    client_for(org["a2"]).post(act(meeting, "ballot", vote.pk), {f"pl-bal-{vote.pk}-option": no.pk})
    r = client_for(org["stranger"]).post(act(meeting, "ballot", vote.pk), {f"pl-bal-{vote.pk}-option": no.pk})
    assert any("Chỉ thành phần tham dự" in m for m in messages_of(r))
    assert Ballot.objects.filter(vote=vote).count() == 2

    page = client_for(org["a1"]).get(reverse("meetings:paperless", args=[meeting.pk])).content.decode()
    assert f'data-testid="pl-results-{vote.pk}"' not in page  # results only after closing

    client_for(org["a1"]).post(act(meeting, "vote_close", vote.pk))
    vote.refresh_from_db()
    assert vote.status == Vote.Status.OPEN  # a plain attendee may not close it
    client_for(org["organiser"]).post(act(meeting, "vote_close", vote.pk))
    vote.refresh_from_db()
    assert vote.status == Vote.Status.CLOSED and vote.closed_at
    r = client_for(org["prep"]).post(act(meeting, "ballot", vote.pk), {f"pl-bal-{vote.pk}-option": yes.pk})
    assert any("đã kết thúc" in m for m in messages_of(r))

    page = client_for(org["a2"]).get(reverse("meetings:paperless", args=[meeting.pk])).content.decode()
    assert f'data-testid="pl-results-{vote.pk}"' in page and "Phan Minh Đức" in page

    r = client_for(org["a2"]).get(reverse("meetings:vote_export", args=[meeting.pk, vote.pk]))
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment")
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    values = [tuple(c for c in row) for row in wb.active.iter_rows(values_only=True)]
    by_label = {
        row[1]: row for row in values if row and row[1] in ("Đồng ý", "Không đồng ý", "Không có ý kiến")
    }
    assert (
        by_label["Đồng ý"][2] == 1
        and by_label["Không đồng ý"][2] == 1
        and by_label["Không có ý kiến"][2] == 0
    )
    assert by_label["Đồng ý"][4] == "Phan Minh Đức"
    assert any(row and row[1] == "Tổng số phiếu" and row[2] == 2 for row in values)
    # a colleague outside the meeting gets nothing
    assert (
        client_for(org["stranger"])
        .get(reverse("meetings:vote_export", args=[meeting.pk, vote.pk]))
        .status_code
        == 404
    )


def test_anonymous_vote_shows_counts_not_names(meeting, org):
    vote = _open_vote(meeting, org, anonymous=True)
    yes = vote.options.first()
    client_for(org["a1"]).post(act(meeting, "ballot", vote.pk), {f"pl-bal-{vote.pk}-option": yes.pk})
    client_for(org["chair"]).post(act(meeting, "vote_close", vote.pk))
    page = client_for(org["a2"]).get(reverse("meetings:paperless", args=[meeting.pk])).content.decode()
    assert f'data-testid="pl-results-{vote.pk}"' in page and "Phan Minh Đức" not in page.split("pl-votes")[1]
    r = client_for(org["a2"]).get(reverse("meetings:vote_export", args=[meeting.pk, vote.pk]))
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    cells = [c for row in wb.active.iter_rows(values_only=True) for c in row if c]
    assert "Phan Minh Đức" not in cells and "Người chọn" not in cells


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_ballots_of_one_person_make_one(org, agency_a):
    meeting = make_meeting(org, agency_a)
    vote = _open_vote(meeting, org)
    yes, no = list(vote.options.all())[:2]
    barrier = threading.Barrier(2)
    statuses = []

    def post(option):
        try:
            c = client_for(org["a1"])
            barrier.wait()
            statuses.append(
                c.post(act(meeting, "ballot", vote.pk), {f"pl-bal-{vote.pk}-option": option.pk}).status_code
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(o,)) for o in (yes, no)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [302, 302]
    assert Ballot.objects.filter(vote=vote, voter=org["a1"]).count() == 1


# ---- the section on the meeting's page ----------------------------------------------------------------


def _fill(meeting, org, n):
    for i in range(n):
        row = MeetingFile.objects.create(
            meeting=meeting,
            name=f"Tài liệu {i}",
            sha256="0" * 64,
            size=10,
            uploaded_by=org["organiser"],
            restricted=bool(i % 2),
        )
        row.file.save(f"t{i}.pdf", io.BytesIO(pdf_bytes()), save=True)
        if i % 2:
            row.viewers.set([org["a1"]])
        FileComment.objects.create(file=row, author=org["a2"], text=f"Ý kiến {i}")
        vote = Vote.objects.create(meeting=meeting, question=f"Câu hỏi {i}", created_by=org["chair"])
        options = VoteOption.objects.bulk_create(
            [VoteOption(vote=vote, label="Đồng ý", order=1), VoteOption(vote=vote, label="Không", order=2)]
        )
        Vote.objects.filter(pk=vote.pk).update(status=Vote.Status.CLOSED if i % 2 else Vote.Status.OPEN)
        Ballot.objects.create(vote=vote, option=options[0], voter=org["a1"])
        user = make_user(agency=meeting.agency, department=org["unit"])
        Participant.objects.create(
            meeting=meeting,
            user=user,
            attendance="present" if i % 2 else "",
            substitute=org["deputy"] if i == 0 else None,
            substitute_status="requested" if i == 0 else "",
        )


@pytest.mark.parametrize("who", ["organiser", "a1"])
def test_section_queries_do_not_grow_with_files_participants_and_votes(org, agency_a, who):
    counts = []
    for n in (2, 6):
        meeting = make_meeting(org, agency_a)
        _fill(meeting, org, n)
        c = client_for(org[who])
        url = reverse("meetings:paperless", args=[meeting.pk])
        c.get(url)
        with CaptureQueriesContext(connection) as ctx:
            r = c.get(url)
        # a1 is a viewer of every restricted file: both see all n files
        assert r.status_code == 200 and r.content.decode().count('data-testid="pl-file-') == n
        assert duplicate_ids(r.content) == {}
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_section_on_the_meeting_page(meeting, org):
    upload(client_for(org["organiser"]), meeting, "chung.pdf", pdf_bytes())
    r = client_for(org["a1"]).get(reverse("meetings:detail", args=[meeting.pk]))
    assert r.status_code == 200
    html = r.content.decode()
    assert 'id="paperless"' in html and "chung.pdf" in html and 'data-testid="action-check_in"' in html
    r = client_for(org["stranger"]).get(reverse("meetings:detail", args=[meeting.pk]))
    assert r.status_code == 200 and 'data-testid="pl-outsider"' in r.content.decode()


def test_meeting_page_queries_do_not_grow_with_the_paperless_dossier(org, agency_a):
    counts = []
    for n in (2, 6):
        meeting = make_meeting(org, agency_a)
        _fill(meeting, org, n)
        c = client_for(org["a1"])
        url = reverse("meetings:detail", args=[meeting.pk])
        c.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_size_cap_and_a_cancelled_meeting(meeting, org, settings):
    settings.EOFFICE_MAX_UPLOAD_MB = 1
    r = upload(client_for(org["organiser"]), meeting, "lon.pdf", b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 10))
    assert any("1 MB" in m for m in messages_of(r)) and not MeetingFile.objects.exists()
    Meeting.objects.filter(pk=meeting.pk).update(state=WorkflowState.CANCELLED)
    r = upload(client_for(org["organiser"]), meeting, "a.pdf", pdf_bytes())
    assert any("đã bị hủy" in m for m in messages_of(r)) and not MeetingFile.objects.exists()
    r = client_for(org["a1"]).post(act(meeting, "check_in"))
    assert Participant.objects.get(meeting=meeting, user=org["a1"]).attendance == ""


def test_a_unit_head_checks_in_for_the_unit_and_votes(meeting, org, agency_a):
    head = make_user(
        agency=agency_a, department=org["unit"], roles=[Role.DEPARTMENT_HEAD], full_name="Trưởng phòng"
    )
    row = Participant.objects.create(meeting=meeting, department=org["unit"], order=9)
    client_for(head).post(act(meeting, "check_in"))
    row.refresh_from_db()
    assert row.attendance == Participant.Attendance.PRESENT and row.data["checked_in_by"] == head.pk
    vote = _open_vote(meeting, org)
    client_for(head).post(
        act(meeting, "ballot", vote.pk), {f"pl-bal-{vote.pk}-option": vote.options.first().pk}
    )
    assert Ballot.objects.filter(vote=vote, voter=head).exists()


def test_an_option_of_another_vote_is_refused(meeting, org):
    first = _open_vote(meeting, org)
    second = _open_vote(meeting, org)
    foreign = first.options.first()
    r = client_for(org["a1"]).post(
        act(meeting, "ballot", second.pk), {f"pl-bal-{second.pk}-option": foreign.pk}
    )
    assert any("chọn một phương án" in m for m in messages_of(r))
    assert not Ballot.objects.exists()


def test_a_meeting_of_another_agency_is_404_for_files_and_export(meeting, org, agency_b):
    upload(client_for(org["organiser"]), meeting, "chung.pdf", pdf_bytes())
    outsider = make_user(agency=agency_b, roles=[Role.LEADER])
    c = client_for(outsider)
    assert (
        c.get(reverse("meetings:paperless_file", args=[meeting.pk, MeetingFile.objects.get().pk])).status_code
        == 404
    )
    assert c.get(reverse("meetings:paperless", args=[meeting.pk])).status_code == 404
    assert c.post(act(meeting, "check_in")).status_code == 404
