"""workflow.actions: what the work item page offers to whom, with the forms' prefixes and URLs the page
always had, and what a post does through the shared action view (eoffice.actions)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from workflow.actions import work_item_page
from workflow.models import Assignment, HistoryEntry, WorkflowState

pytestmark = pytest.mark.django_db


def future(days=5):
    return (timezone.localtime() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def _said(client, url, data) -> tuple[str, list[str]]:
    """Post, follow the redirect: where it led and the messages the page showed."""
    response = client.post(url, data, follow=True)
    return response.redirect_chain[-1][0], [str(m) for m in response.context["messages"]]


@pytest.fixture
def item(make_item, officer2_a, dept_a, head_a):
    """Led by the unit (its head forwards), coordinated by officer2 and by the head in person."""
    return make_item(coordinators=[officer2_a, head_a], lead_department=dept_a, lead=None)


def test_each_person_is_offered_their_actions(item, leader_a, head_a, officer2_a):
    giver = work_item_page(item, leader_a)
    assert [a.key for a in giver["actions"].main] == ["action", "extend"]
    assert [b.name for b in giver["buttons"]] == ["cancel"]
    assert giver["actions"].by_key["extend"].url == reverse("workflow:workitem_extend", args=[item.pk])
    assert giver["complete"] == [] and giver["forward"] == []

    coordinator = work_item_page(item, officer2_a)
    assert [a.key for a in coordinator["actions"].main] == ["progress"]
    progress = coordinator["actions"].by_key["progress"]
    assert (
        progress.form.prefix == ""
        and progress.multipart
        and progress.form["percent"].id_for_label == "id_percent"
    )
    part = Assignment.objects.for_record(item).get(assignee=officer2_a)
    [complete] = coordinator["complete"]
    assert complete.form.prefix == f"complete-{part.pk}"
    assert complete.url == reverse("workflow:assignment_complete", args=[part.pk])
    assert coordinator["forward"] == []

    head = work_item_page(item, head_a)
    unit = Assignment.objects.for_record(item).get(role=Assignment.Kind.LEAD, assignee__isnull=True)
    own = Assignment.objects.for_record(item).get(assignee=head_a)
    assert [(part.pk, a.form.prefix) for part, a in head["forward"]] == [
        (own.pk, f"fw{own.pk}"),
        (unit.pk, f"fw{unit.pk}"),
    ]
    _part, forward = head["forward"][1]
    assert forward.url == reverse("workflow:assignment_forward", args=[unit.pk])
    assert (
        head_a not in forward.form.fields["to_user"].queryset
        and officer2_a in forward.form.fields["to_user"].queryset
    )
    assert [c.form.prefix for c in head["complete"]] == [f"complete-{own.pk}"]


def test_forward_posts_the_prefixed_form_and_returns_to_the_item(item, login, head_a, officer_a):
    unit = Assignment.objects.for_record(item).get(role=Assignment.Kind.LEAD, assignee__isnull=True)
    url = reverse("workflow:assignment_forward", args=[unit.pk])
    client = login(head_a)
    refused = _said(client, url, {f"fw{unit.pk}-to_user": head_a.pk})  # the page never offers oneself
    assert refused == (item.get_absolute_url(), ["Vui lòng chọn cán bộ trong đơn vị."])
    assert not Assignment.objects.filter(parent=unit).exists()
    done = _said(client, url, {f"fw{unit.pk}-to_user": officer_a.pk, f"fw{unit.pk}-instruction": "Làm ngay"})
    assert done == (item.get_absolute_url(), ["Đã chuyển giao phần việc."])
    child = Assignment.objects.get(parent=unit)
    assert (child.assignee, child.instruction) == (officer_a, "Làm ngay")


def test_item_actions_post_unprefixed_forms(item, login, leader_a, officer2_a):
    page = item.get_absolute_url()
    progress = reverse("workflow:workitem_progress", args=[item.pk])
    assert _said(login(officer2_a), progress, {"percent": 20, "note": "Đã gửi số liệu"}) == (
        page,
        ["Đã gửi báo cáo tiến độ."],
    )
    giver = login(leader_a)
    extend = reverse("workflow:workitem_extend", args=[item.pk])
    assert _said(giver, extend, {"due_at": future(20), "reason": "Chờ số liệu"}) == (
        page,
        ["Đã gia hạn công việc."],
    )
    assert HistoryEntry.objects.filter(event="deadline").count() == 1
    action = reverse("workflow:workitem_action", args=[item.pk])
    for crafted in ({"expected_state": "nowhere"}, {"action": "cancel", "expected_state": "nowhere"}, {}):
        assert _said(giver, action, crafted) == (page, ["Yêu cầu không hợp lệ."])
    cancel = {"action": "cancel", "expected_state": "assigned", "comment": "Không cần nữa"}
    assert _said(giver, action, cancel) == (page, ["Đã cập nhật công việc."])
    item.refresh_from_db()
    assert item.state == WorkflowState.CANCELLED
    assert not work_item_page(item, officer2_a)["actions"]
