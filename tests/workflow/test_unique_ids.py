"""A work item's page has no two elements with one id (issue 14), whoever opens it."""

import pytest
from django.urls import reverse

from tests.html_ids import duplicate_ids
from workflow.models import Assignment

pytestmark = pytest.mark.django_db


def test_work_item_page_has_unique_ids(make_item, login, officer_a, officer2_a, leader_a, head_a, dept_a):
    item = make_item(coordinators=[officer2_a], lead_department=dept_a, lead=None)
    # a person who both leads a part and coordinates another sees the progress form and a reply form
    for user in (leader_a, head_a, officer2_a):
        response = login(user).get(item.get_absolute_url())
        assert response.status_code == 200
        assert duplicate_ids(response.content) == {}, user
    part = Assignment.objects.for_record(item).get(assignee=officer2_a)
    response = login(officer2_a).post(
        reverse("workflow:assignment_complete", args=[part.pk]), {f"complete-{part.pk}-note": "Đã góp ý"}
    )
    part.refresh_from_db()
    assert part.status == Assignment.Status.DONE and part.progress_note == "Đã góp ý"
