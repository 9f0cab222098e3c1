"""Work-item and my-work pages through HTTP: isolation, form errors, uploads, constant queries, menu."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from eoffice.menu import menu_for
from eoffice.models import NotificationPreference, Role
from tests.bombs import small_pdf_bytes
from workflow.models import HistoryEntry, WorkflowState, WorkItem

pytestmark = pytest.mark.django_db


def future(days=5):
    return (timezone.localtime() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def test_leader_creates_work_item_through_the_form(login, leader_a, officer_a, officer2_a):
    client = login(leader_a)
    assert client.get(reverse("workflow:workitem_create")).status_code == 200
    response = client.post(
        reverse("workflow:workitem_create"),
        {
            "title": "Rà soát thủ tục",
            "due_at": future(),
            "priority": 3,
            "lead": officer_a.pk,
            "coordinators": [officer2_a.pk],
            "instruction": "Hoàn thành trước hạn",
        },
    )
    item = WorkItem.objects.get()
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    assert item.state == WorkflowState.ASSIGNED


@pytest.mark.parametrize(
    "data, message",
    [
        ({"title": "", "due_at": future()}, "This field is required"),
        ({"title": "X", "due_at": "2020-01-01T08:00"}, "Hạn phải sau thời điểm hiện tại"),
        ({"title": "X", "due_at": "không phải ngày"}, ""),
        ({"title": "X", "due_at": future()}, "Chọn đúng một người chủ trì"),
    ],
)
def test_bad_input_gives_form_errors_and_saves_nothing(login, leader_a, data, message):
    response = login(leader_a).post(reverse("workflow:workitem_create"), data)
    assert response.status_code == 200
    assert WorkItem.objects.count() == 0 and HistoryEntry.objects.count() == 0
    if message and "required" not in message:
        assert message in response.content.decode()


def test_officer_cannot_give_work(login, officer_a):
    assert login(officer_a).get(reverse("workflow:workitem_create")).status_code == 403


def test_agency_b_gets_404_and_sees_nothing(make_item, staff_b, login):
    item = make_item(title="Việc bí mật của A")
    entry = HistoryEntry.objects.filter(object_id=item.pk).first()
    for role in Role.values:
        client = login(staff_b[role])
        for url in (
            item.get_absolute_url(),
            reverse("workflow:workitem_progress", args=[item.pk]),
            reverse("workflow:workitem_action", args=[item.pk]),
            reverse("workflow:history_file", args=[entry.pk]),
        ):
            method = client.post if url.endswith(("progress/", "action/")) else client.get
            assert method(url).status_code == 404, (role, url)
        for scope in ("mine", "given", "unit"):
            page = client.get(reverse("workflow:workitem_list"), {"scope": scope}).content.decode()
            assert "Việc bí mật của A" not in page
        assert "Việc bí mật của A" not in client.get(reverse("workflow:my_work")).content.decode()


def test_part_and_extend_posts_same_404_for_missing_and_someone_elses(
    make_item, login, officer_a, officer2_a, staff_b
):
    from workflow.models import Assignment

    item = make_item(coordinators=[officer2_a])
    lead = Assignment.objects.for_record(item).get(assignee=officer_a)
    missing = lead.pk + 1000
    for name in ("assignment_complete", "assignment_forward"):
        for user, pk in (
            (officer2_a, lead.pk),
            (staff_b[Role.DEPARTMENT_HEAD], lead.pk),
            (officer_a, missing),
        ):
            response = login(user).post(reverse(f"workflow:{name}", args=[pk]), {f"complete-{pk}-note": "x"})
            assert response.status_code == 404, (name, user)
    extend = reverse("workflow:workitem_extend", args=[item.pk])
    for user in (staff_b[Role.LEADER], staff_b[Role.OFFICER]):
        assert login(user).post(extend, {"due_at": future(20), "reason": "x"}).status_code == 404
    lead.refresh_from_db()
    assert (
        lead.status == Assignment.Status.OPEN and not HistoryEntry.objects.filter(event="deadline").exists()
    )


def test_buttons_follow_available_actions(make_item, login, officer_a, officer2_a, leader_a):
    item = make_item()
    page = login(officer_a).get(item.get_absolute_url()).content.decode()
    assert 'value="submit"' in page and 'value="approve"' not in page and 'value="cancel"' not in page
    page = login(leader_a).get(item.get_absolute_url()).content.decode()
    assert 'value="cancel"' in page and 'value="submit"' not in page
    assert login(officer2_a).get(item.get_absolute_url()).status_code == 404  # not involved


def test_action_post_and_stale_message(make_item, login, officer_a):
    item = make_item()
    client = login(officer_a)
    url = reverse("workflow:workitem_action", args=[item.pk])
    client.post(url, {"action": "submit", "expected_state": "assigned"})
    response = client.post(url, {"action": "submit", "expected_state": "assigned"}, follow=True)
    assert "người khác xử lý" in response.content.decode()
    item.refresh_from_db()
    assert item.state == WorkflowState.SUBMITTED


def test_progress_with_file_is_checked_by_content(make_item, login, officer_a, leader_a, officer2_a):
    item = make_item()
    client = login(officer_a)
    url = reverse("workflow:workitem_progress", args=[item.pk])
    fake = SimpleUploadedFile("bao-cao.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(url, {"percent": 40, "note": "Đang làm", "attachment": fake}, follow=True)
    assert "Chỉ chấp nhận tệp PDF" in response.content.decode()
    assert not HistoryEntry.objects.filter(event="progress").exists()
    pdf = SimpleUploadedFile("bao-cao.pdf", small_pdf_bytes(), content_type="application/pdf")
    client.post(url, {"percent": 40, "note": "Đã xong phần 1", "attachment": pdf})
    entry = HistoryEntry.objects.get(event="progress")
    assert len(entry.attachment_sha256) == 64 and entry.data["percent"] == 40
    item.refresh_from_db()
    assert item.progress == 40 and item.state == WorkflowState.PROCESSING
    file_url = reverse("workflow:history_file", args=[entry.pk])
    assert login(leader_a).get(file_url).status_code == 200
    assert login(officer2_a).get(file_url).status_code == 404
    bad = login(officer_a).post(url, {"percent": 140, "note": "x"}, follow=True)
    assert bad.status_code == 200
    item.refresh_from_db()
    assert item.progress == 40


def _count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_lists_keep_a_constant_number_of_queries(make_item, login, leader_a, officer_a):
    for n in range(3):
        make_item(title=f"Việc {n}")
    leader, officer = login(leader_a), None
    small = {
        "given": _count_queries(leader, reverse("workflow:workitem_list"), {"scope": "given"}),
        "unit": _count_queries(
            leader, reverse("workflow:workitem_list"), {"scope": "unit", "deadline": "on_time"}
        ),
    }
    officer = login(officer_a)
    small["mine"] = _count_queries(officer, reverse("workflow:workitem_list"), {"scope": "mine"})
    small["my_work"] = _count_queries(officer, reverse("workflow:my_work"))
    for n in range(27):
        make_item(title=f"Việc thêm {n}")
    leader = login(leader_a)
    large = {
        "given": _count_queries(leader, reverse("workflow:workitem_list"), {"scope": "given"}),
        "unit": _count_queries(
            leader, reverse("workflow:workitem_list"), {"scope": "unit", "deadline": "on_time"}
        ),
    }
    officer = login(officer_a)
    large["mine"] = _count_queries(officer, reverse("workflow:workitem_list"), {"scope": "mine"})
    large["my_work"] = _count_queries(officer, reverse("workflow:my_work"))
    assert small == large
    assert "Việc thêm 26" in officer.get(reverse("workflow:my_work")).content.decode()


def test_my_work_and_menu_counters(make_item, officer_a, rf):
    make_item()
    from workflow.models import Assignment

    late = make_item(title="Trễ")
    Assignment.objects.for_record(late).update(due_at=timezone.now() - timedelta(hours=1))
    sections = {s["key"]: s for s in menu_for(officer_a, "/work/")}
    entries = {e["item"].key: e for e in sections["work"]["entries"]}
    assert entries["workflow.my_work"]["count"] == 2
    assert (
        entries["workflow.overdue"]["count"] == 1
        and entries["workflow.overdue"]["item"].counter_tone == "alert"
    )
    assert "workflow.work_items" not in entries  # only leaders and heads give work


def test_notification_preferences_page(login, officer_a):
    client = login(officer_a)
    url = reverse("workflow:notification_settings")
    page = client.get(url).content.decode()
    assert "Cài đặt thông báo" in page and "Việc quá hạn" in page
    client.post(url, {"email_kinds": ["workflow.digest"]})
    prefs = dict(NotificationPreference.objects.filter(user=officer_a).values_list("kind", "email"))
    assert prefs["workflow.digest"] is True and prefs["workflow.overdue"] is False
    assert client.post(url, {"email_kinds": ["khong.ton.tai"]}).status_code == 200
    assert NotificationPreference.objects.filter(user=officer_a, kind="khong.ton.tai").count() == 0


def test_dashboard_widget(login, make_item, officer_a):
    make_item()
    response = login(officer_a).get(reverse("dashboard"))
    assert response.status_code == 200
    assert "Việc của tôi" in response.content.decode()
