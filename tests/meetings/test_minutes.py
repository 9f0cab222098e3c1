"""Minutes (biên bản, Mẫu 1.9) signed by the secretary then the presider through the signing module, and the
conclusion notice (TB) through the outgoing flow whose tasks become work items."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from documents.outgoing import services as outgoing
from documents.outgoing.models import OutgoingDocument
from eoffice.models import Role
from meetings import services
from meetings.models import Conclusion, Meeting, Minutes, Participant
from meetings.render import minutes as render
from signing import services as signing
from signing.models import SignatureRequest
from tests.factories import make_department, make_user
from tests.signing import samples
from tests.signing.conftest import _signing_settings, authority, pki_dir  # noqa: F401
from tests.signing.factories import PIN, make_credential
from workflow.models import Assignment, WorkflowState

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def org(agency_a, dept_a, agency_b, authority):  # noqa: F811
    """Agency A: a director (chair, credential), a secretary who is an officer (own credential), a clerk
    with the seal, a unit head, officers; an outsider of agency B."""
    from documents.models import DocumentType

    # get_or_create: a transactional test's flush removes the types the data migration made.
    DocumentType.objects.get_or_create(name="Thông báo", defaults={"abbreviation": "TB"})
    agency_a.seal_image.save("seal.png", ContentFile(samples.seal_png()), save=True)
    unit = make_department(agency=agency_a, name="Phòng Kế hoạch", abbreviation="KH")
    director = make_user(agency=agency_a, roles=[Role.LEADER], full_name="Vũ Đức Thắng", position="Giám đốc")
    director.signature_image.save("sig.png", ContentFile(samples.signature_png()), save=True)
    people = {
        "director": director,
        "secretary": make_user(
            agency=agency_a,
            department=dept_a,
            roles=[Role.OFFICER],
            full_name="Lê Thị Thư",
            position="Chuyên viên",
        ),
        "clerk": make_user(
            agency=agency_a, department=dept_a, roles=[Role.CLERK], full_name="Đặng Thị Hương"
        ),
        "head": make_user(
            agency=agency_a,
            department=unit,
            roles=[Role.DEPARTMENT_HEAD],
            full_name="Bùi Văn Hải",
            position="Trưởng phòng",
        ),
        "officer": make_user(
            agency=agency_a, department=unit, roles=[Role.OFFICER], full_name="Phan Minh Đức"
        ),
        "absent": make_user(
            agency=agency_a, department=unit, roles=[Role.OFFICER], full_name="Trần Văn Vắng"
        ),
        "deputy": make_user(agency=agency_a, department=unit, roles=[Role.OFFICER], full_name="Ngô Văn Thay"),
        "stranger": make_user(agency=agency_a, department=unit, roles=[Role.OFFICER], full_name="Lý Văn Lạ"),
        "outsider": make_user(agency=agency_b, roles=[Role.LEADER], full_name="Hồ Văn Ngoài"),
        "unit": unit,
    }
    make_credential(authority=authority, agency=agency_a, owner=director)
    make_credential(authority=authority, agency=agency_a, owner=people["secretary"])
    make_credential(authority=authority, agency=agency_a, owner=None)
    return people


@pytest.fixture
def meeting(org, agency_a):
    now = timezone.now()
    meeting = Meeting.objects.create(
        agency=agency_a,
        department=org["unit"],
        title="Rà soát tiến độ giải ngân vốn đầu tư công năm 2026",
        description="Báo cáo tiến độ giải ngân của các chủ đầu tư.\nThảo luận giải pháp đẩy nhanh tiến độ.",
        start_at=now - dt.timedelta(hours=1),
        end_at=now + dt.timedelta(hours=1),
        place="Phòng họp tầng 3",
        chair=org["director"],
        organiser=org["head"],
        state=WorkflowState.APPROVED,
        secret=True,
    )
    Participant.objects.create(
        meeting=meeting, user=org["officer"], attendance=Participant.Attendance.PRESENT, attendance_at=now
    )
    Participant.objects.create(
        meeting=meeting, user=org["secretary"], attendance=Participant.Attendance.PRESENT, attendance_at=now
    )
    Participant.objects.create(
        meeting=meeting,
        user=org["absent"],
        attendance=Participant.Attendance.EXCUSED,
        absence_reason="đi công tác",
    )
    Participant.objects.create(
        meeting=meeting,
        user=org["head"],
        substitute=org["deputy"],
        substitute_status=Participant.Substitute.APPROVED,
        attendance=Participant.Attendance.PRESENT,
    )
    return meeting


def _start(meeting, org) -> Minutes:
    return services.minutes_start(meeting=meeting, by=org["head"], secretary=org["secretary"])


def _sign(request: SignatureRequest, user) -> SignatureRequest:
    return signing.signature_request_sign(request=request, pin=PIN, by=user)


# ---- drafting and rendering --------------------------------------------------------------------------


def test_draft_is_made_from_the_meeting_and_rendered_as_mau_1_9(meeting, org, tmp_path):
    minutes = _start(meeting, org)
    assert minutes.presider == org["director"] and minutes.status == Minutes.Status.DRAFT
    assert "Có mặt:" in minutes.attendees and "Phan Minh Đức" in minutes.attendees
    assert "Ngô Văn Thay" in minutes.attendees and "dự thay Bùi Văn Hải" in minutes.attendees
    assert "Vắng mặt:" in minutes.attendees and "đi công tác" in minutes.attendees
    assert "Báo cáo tiến độ giải ngân" in minutes.content

    rendered = render.render(minutes)
    text = _text(rendered.pdf)
    for part in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "SỞ KẾ HOẠCH VÀ ĐẦU TƯ",
        "/BB-SKHĐT",
        "BIÊN BẢN",
        "Rà soát tiến độ giải ngân",
        "Thời gian bắt đầu:",
        "Địa điểm: Phòng họp tầng 3",
        "Thành phần tham dự:",
        "Chủ trì (chủ tọa): Vũ Đức Thắng, Giám đốc",
        "Thư ký (người ghi biên bản): Lê Thị Thư",
        "Nội dung (theo diễn biến cuộc họp):",
        "Cuộc họp kết thúc vào",
        "THƯ KÝ",
        "CHỦ TỌA",
        "Nơi nhận:",
    ):
        assert part in text, part
    boxes = rendered.boxes
    # THƯ KÝ on the left, CHỦ TỌA on the right, side by side on the last page.
    assert boxes["secretary"]["x2"] < boxes["presider"]["x1"]
    assert boxes["secretary"]["page"] == boxes["presider"]["page"] == rendered.pages - 1
    assert abs(boxes["secretary"]["y1"] - boxes["presider"]["y1"]) < 1


def test_draft_needs_a_started_approved_meeting_and_a_keeper(meeting, org):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(PermissionDenied):
        services.minutes_start(meeting=meeting, by=org["officer"], secretary=org["secretary"])
    Meeting.objects.filter(pk=meeting.pk).update(
        start_at=timezone.now() + dt.timedelta(hours=2), end_at=timezone.now() + dt.timedelta(hours=3)
    )
    with pytest.raises(ValidationError, match="đã bắt đầu"):
        _start(meeting, org)


# ---- signing: secretary, then presider, both valid ---------------------------------------------------


def test_secretary_then_presider_sign_and_both_signatures_are_valid(meeting, org, tmp_path):
    minutes = _start(meeting, org)
    minutes = services.minutes_submit(minutes=minutes, by=org["secretary"])
    assert minutes.status == Minutes.Status.SECRETARY
    first = minutes.sign_request
    assert first.signer == org["secretary"] and first.kind == SignatureRequest.Kind.LEADER
    assert first.box == minutes.data["boxes"]["secretary"]
    # The secretary is an officer, not a leader: the signing module's rule is the credential's owner.
    assert _sign(first, org["secretary"]).status == SignatureRequest.Status.SIGNED

    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.PRESIDER
    second = minutes.sign_request
    assert second.signer == org["director"] and second.box == minutes.data["boxes"]["presider"]
    assert second.pk != first.pk
    assert _sign(second, org["director"]).status == SignatureRequest.Status.SIGNED

    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.SIGNED and minutes.signed_at
    data = minutes.pdf.read()
    from signing import engine

    assert minutes.sha256 == engine.sha256(data)
    first.refresh_from_db()
    assert data.startswith(first.result.read())  # incremental update: the secretary's revision untouched
    rows = samples.pdfsig_signatures(samples.pdfsig(data, tmp_path))
    assert len(rows) == 2 and all(r["valid"] for r in rows), rows
    assert "Lê Thị Thư" in rows[0]["text"] and "Vũ Đức Thắng" in rows[1]["text"]


def test_secretary_without_credential_is_refused_before_signing(meeting, org):
    from django.core.exceptions import ValidationError

    minutes = services.minutes_start(meeting=meeting, by=org["head"], secretary=org["officer"])
    with pytest.raises(ValidationError, match="chưa có chứng thư số"):
        services.minutes_submit(minutes=minutes, by=org["head"])
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.DRAFT and SignatureRequest.objects.count() == 0


def test_withdraw_cancels_the_request_and_reopens_the_draft(meeting, org):
    minutes = services.minutes_submit(minutes=_start(meeting, org), by=org["head"])
    request = minutes.sign_request
    minutes = services.minutes_withdraw(minutes=minutes, by=org["head"])
    assert minutes.status == Minutes.Status.DRAFT and minutes.sign_request is None
    request.refresh_from_db()
    assert request.status == SignatureRequest.Status.CANCELLED


# ---- conclusions: TB draft → outgoing flow → work items ----------------------------------------------


def test_conclusion_notice_issued_turns_tasks_into_work_items(meeting, org):
    due1 = timezone.localdate() + dt.timedelta(days=7)
    due2 = timezone.localdate() + dt.timedelta(days=14)
    conclusion = services.conclusion_save(
        meeting=meeting,
        by=org["director"],
        text="Các chủ đầu tư khẩn trương hoàn thiện hồ sơ thanh toán.",
        tasks=[
            ("Tổng hợp báo cáo giải ngân hằng tuần", org["officer"], due1),
            ("Đôn đốc các chủ đầu tư chậm giải ngân", org["head"], due2),
        ],
    )
    _start(meeting, org)  # the minutes' secretary drafts the notice
    document = services.conclusion_notice_draft(meeting=meeting, by=org["secretary"])
    conclusion.refresh_from_db()
    assert conclusion.notice == document and document.doc_type.abbreviation == "TB"
    assert document.signer == org["director"] and "Tổng hợp báo cáo giải ngân" in document.body

    document = outgoing.draft_submit(document=document, by=org["secretary"], reviewer=org["head"])
    document = outgoing.draft_approve(document=document, by=org["head"])
    document = outgoing.document_sign(document=document, by=org["director"], pin=PIN)
    assert document.number_symbol.endswith("/TB-SKHĐT")
    document = outgoing.document_issue(document=document, by=org["clerk"], pin=PIN)
    assert document.state == WorkflowState.ISSUED

    conclusion.refresh_from_db()
    assert conclusion.tasks_created_at is not None
    tasks = list(conclusion.tasks.select_related("work_item").order_by("order"))
    for task, who, due in zip(tasks, (org["officer"], org["head"]), (due1, due2), strict=True):
        item = task.work_item
        assert item is not None and item.related_record == meeting and item.created_by == org["director"]
        assert timezone.localtime(item.due_at).date() == due
        lead = Assignment.objects.for_record(item).get(role=Assignment.Kind.LEAD)
        assert lead.assignee == who

    # Idempotent: issuing again (the receiver called twice) makes nothing new.
    services.conclusion_issued(document=document, by=org["clerk"])
    assert Conclusion.objects.get(pk=conclusion.pk).tasks.filter(work_item__isnull=False).count() == 2


def test_other_documents_cost_one_query(meeting, org, django_assert_num_queries):
    document = OutgoingDocument(pk=10**9, agency=meeting.agency)
    with django_assert_num_queries(1):
        services.conclusion_issued(document=document, by=org["clerk"])


def test_conclusion_is_frozen_once_a_notice_is_drafted(meeting, org):
    from django.core.exceptions import ValidationError

    due = timezone.localdate() + dt.timedelta(days=3)
    services.conclusion_save(
        meeting=meeting, by=org["head"], text="Kết luận.", tasks=[("Việc A", org["officer"], due)]
    )
    with pytest.raises(ValidationError):
        services.conclusion_save(
            meeting=meeting, by=org["head"], text="Kết luận.", tasks=[("Việc A", org["outsider"], due)]
        )
    services.conclusion_notice_draft(meeting=meeting, by=org["head"])
    with pytest.raises(ValidationError, match="không sửa kết luận"):
        services.conclusion_save(meeting=meeting, by=org["head"], text="Khác.", tasks=[])


# ---- through HTTP ------------------------------------------------------------------------------------


def _act(client, meeting, key, data=None):
    return client.post(reverse("meetings:act", args=[meeting.pk, key]), data or {})


def test_pages_start_edit_submit_and_sign_from_the_queue(
    meeting, org, login, django_capture_on_commit_callbacks, tmp_path
):
    client = login(org["head"])  # the organiser
    detail = reverse("meetings:detail", args=[meeting.pk])
    page = client.get(detail)
    assert page.status_code == 200 and b'data-testid="action-minutes_start"' in page.content

    response = _act(client, meeting, "minutes_start", {"minutes-start-secretary": org["secretary"].pk})
    assert response.status_code == 302 and response.url == detail
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.secretary == org["secretary"] and minutes.presider == org["director"]

    edit = reverse("meetings:minutes_edit", args=[meeting.pk])
    assert client.get(edit).status_code == 200
    local = timezone.localtime(minutes.started_at)
    form = {
        "secretary": org["secretary"].pk,
        "presider": org["director"].pk,
        "started_at": local.strftime("%Y-%m-%dT%H:%M"),
        "ended_at": (local - dt.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"),
        "attendees": minutes.attendees,
        "content": "Ông Phan Minh Đức báo cáo.\nCác đại biểu thảo luận.",
        "conclusion": "Giao Phòng Kế hoạch tổng hợp.",
    }
    refused = client.post(edit, form)
    assert refused.status_code == 200 and "phải sau thời gian bắt đầu".encode() in refused.content
    form["ended_at"] = (local + dt.timedelta(minutes=95)).strftime("%Y-%m-%dT%H:%M")
    assert client.post(edit, form).status_code == 302
    minutes.refresh_from_db()
    assert minutes.content.startswith("Ông Phan Minh Đức") and minutes.conclusion

    draft = client.get(reverse("meetings:minutes_pdf", args=[meeting.pk]))
    assert draft.status_code == 200 and "DỰ THẢO" in _text(
        draft.getvalue() if draft.streaming else draft.content
    )

    assert _act(client, meeting, "minutes_submit").status_code == 302
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.SECRETARY
    assert client.get(edit).status_code == 404  # no editing once submitted

    # The secretary sees the link to the signing queue and signs there (batch signing, PIN once).
    secretary = login(org["secretary"])
    assert reverse("signing:pending").encode() in secretary.get(detail).content
    with django_capture_on_commit_callbacks(execute=True):
        response = secretary.post(
            reverse("signing:pending"), {"requests": [minutes.sign_request_id], "pin": PIN}
        )
    assert response.status_code == 302
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.PRESIDER

    director = login(org["director"])
    with django_capture_on_commit_callbacks(execute=True):
        director.post(reverse("signing:pending"), {"requests": [minutes.sign_request_id], "pin": PIN})
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.SIGNED
    served = director.get(reverse("meetings:minutes_pdf", args=[meeting.pk]))
    data = served.getvalue()
    rows = samples.pdfsig_signatures(samples.pdfsig(data, tmp_path))
    assert len(rows) == 2 and all(r["valid"] for r in rows)


def test_minutes_pdf_needs_the_meeting_visible(meeting, org, login):
    _start(meeting, org)
    url = reverse("meetings:minutes_pdf", args=[meeting.pk])
    # A secret meeting: a colleague of the agency who is not involved, and someone of another agency.
    assert login(org["stranger"]).get(url).status_code == 404
    assert login(org["outsider"]).get(url).status_code == 404
    assert login(org["officer"]).get(url).status_code == 200
    assert login(org["stranger"]).get(reverse("meetings:minutes_edit", args=[meeting.pk])).status_code == 404
    assert login(org["officer"]).get(reverse("meetings:minutes_edit", args=[meeting.pk])).status_code == 404


def test_conclusion_page_then_notice_then_my_work(meeting, org, login):
    client = login(org["director"])
    url = reverse("meetings:conclusion_edit", args=[meeting.pk])
    assert client.get(url).status_code == 200
    due = timezone.localdate() + dt.timedelta(days=10)
    data = {
        "text": "Các chủ đầu tư khẩn trương hoàn thiện hồ sơ thanh toán.",
        "task-TOTAL_FORMS": "3",
        "task-INITIAL_FORMS": "0",
        "task-MIN_NUM_FORMS": "0",
        "task-MAX_NUM_FORMS": "20",
        "task-0-title": "Tổng hợp báo cáo giải ngân hằng tuần",
        "task-0-assignee": org["officer"].pk,
        "task-0-due_date": due.isoformat(),
        "task-1-title": "Thiếu người thực hiện",
    }
    incomplete = client.post(url, data)
    assert incomplete.status_code == 200 and not Conclusion.objects.filter(meeting=meeting).exists()
    data.pop("task-1-title")
    assert client.post(url, data).status_code == 302
    conclusion = Conclusion.objects.get(meeting=meeting)
    assert [t.title for t in conclusion.tasks.all()] == ["Tổng hợp báo cáo giải ngân hằng tuần"]

    assert _act(client, meeting, "conclusion_notice").status_code == 302
    conclusion.refresh_from_db()
    document = conclusion.notice
    assert document is not None and document.state == WorkflowState.NEW
    page = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert reverse("documents:outgoing_detail", args=[document.pk]).encode() in page.content
    assert client.get(url).status_code == 404  # frozen while the notice is under way

    # The director drafted it and signs it; the clerk issues; the task is in the officer's "Việc của tôi".
    document = outgoing.draft_approve(document=document, by=org["director"])
    document = outgoing.document_sign(document=document, by=org["director"], pin=PIN)
    outgoing.document_issue(document=document, by=org["clerk"], pin=PIN)
    my_work = login(org["officer"]).get(reverse("workflow:my_work"))
    assert my_work.status_code == 200 and "Tổng hợp báo cáo giải ngân hằng tuần" in my_work.content.decode()


def test_minutes_section_queries_do_not_grow_with_tasks(meeting, org, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _start(meeting, org)
    client = login(org["director"])
    url = reverse("meetings:detail", args=[meeting.pk])
    due = timezone.localdate() + dt.timedelta(days=5)

    def count(n: int) -> int:
        services.conclusion_save(
            meeting=meeting,
            by=org["director"],
            text="Kết luận.",
            tasks=[(f"Nhiệm vụ {i}", org["officer"], due) for i in range(n)],
        )
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(url)
        assert page.status_code == 200 and f"Nhiệm vụ {n - 1}".encode() in page.content
        return len(ctx.captured_queries)

    client.get(url)  # the first page of a session reads what later ones have cached
    assert count(2) == count(6)


def test_tasks_of_a_late_notice_are_due_today_and_leavers_are_skipped(meeting, org):
    from meetings.models import ConclusionTask

    due = timezone.localdate() + dt.timedelta(days=2)
    conclusion = services.conclusion_save(
        meeting=meeting,
        by=org["director"],
        text="Kết luận.",
        tasks=[("Việc quá hạn", org["officer"], due), ("Việc của người đã nghỉ", org["absent"], due)],
    )
    document = services.conclusion_notice_draft(meeting=meeting, by=org["director"])
    ConclusionTask.objects.filter(conclusion=conclusion).update(
        due_date=timezone.localdate() - dt.timedelta(days=3)
    )
    type(org["absent"]).objects.filter(pk=org["absent"].pk).update(is_active=False)
    services.conclusion_issued(document=document, by=org["clerk"])
    late, left = conclusion.tasks.select_related("work_item").order_by("order")
    assert late.work_item.due_at > timezone.now()
    assert timezone.localtime(late.work_item.due_at).date() >= timezone.localdate()
    assert left.work_item is None
    conclusion.refresh_from_db()
    assert conclusion.tasks_created_at is not None


def test_actions_are_refused_to_those_who_do_not_keep_the_minutes(meeting, org, login):
    data = {"minutes-start-secretary": org["secretary"].pk}
    # Not involved in a secret meeting: the same 404 as a missing meeting.
    assert _act(login(org["stranger"]), meeting, "minutes_start", data).status_code == 404
    # A participant who is not the organiser, the chair or a manager: refused with a message.
    client = login(org["officer"])
    response = _act(client, meeting, "minutes_start", data)
    assert response.status_code == 302 and not Minutes.objects.filter(meeting=meeting).exists()
    page = client.get(response.url)
    assert "Bạn không lập biên bản cho cuộc họp này." in page.content.decode()
    assert b'data-testid="action-minutes_start"' not in page.content
    minutes = _start(meeting, org)
    assert _act(client, meeting, "minutes_submit").status_code == 302
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.DRAFT
    assert _act(client, meeting, "conclusion_notice").status_code == 302
    assert not Conclusion.objects.filter(meeting=meeting).exists()


def test_minutes_print_link_is_logged_as_a_print_with_the_mark(meeting, org, login):
    from eoffice.models import AccessEvent

    _start(meeting, org)
    client = login(org["secretary"])
    url = reverse("meetings:minutes_pdf", args=[meeting.pk])
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert f'href="{url}?print=1"' in page and 'data-testid="minutes-print"' in page
    AccessEvent.objects.all().delete()
    printed = client.get(url, {"print": "1"})
    assert printed.status_code == 200
    data = printed.getvalue() if printed.streaming else printed.content
    assert "Bản in từ hệ thống eOffice" in _text(data)
    assert list(AccessEvent.objects.values_list("kind", "object_id", "action", "user_id")) == [
        ("meeting", meeting.pk, "print", org["secretary"].pk)
    ]
