"""workflow.selectors: the access helpers of a work item and of a part (assignment), the one way each is
loaded for a person: the same 404 for a missing record and for one that is not theirs, and a row lock on
demand inside the caller's transaction."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError, connection, connections, transaction
from django.db.transaction import TransactionManagementError
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from eoffice.models import Role
from workflow import selectors, services
from workflow.models import Assignment, WorkItem

pytestmark = pytest.mark.django_db


def _message(access, user, pk, *, lock=False) -> str:
    with pytest.raises(Http404) as caught:
        access(user=user, pk=pk, lock=lock)
    return str(caught.value)


@pytest.mark.parametrize("lock", [False, True])
def test_work_item_access_same_404_for_missing_and_forbidden(make_item, officer_a, officer2_a, staff_b, lock):
    item = make_item()
    missing = WorkItem.objects.order_by("-pk").values_list("pk", flat=True).first() + 1000
    with transaction.atomic():
        expected = _message(selectors.work_item_access, officer_a, missing, lock=lock)
        for outsider in (officer2_a, staff_b[Role.LEADER], staff_b[Role.OFFICER], AnonymousUser()):
            assert _message(selectors.work_item_access, outsider, item.pk, lock=lock) == expected, outsider
        assert selectors.work_item_access(user=officer_a, pk=item.pk, lock=lock) == item


def test_work_item_access_gives_what_the_page_shows(make_item, officer_a, django_assert_num_queries):
    item = make_item()
    got = selectors.work_item_access(user=officer_a, pk=item.pk)
    with django_assert_num_queries(0):
        assert (got.created_by.pk, got.department.pk, got.deadline_status) == (
            item.created_by_id,
            item.department_id,
            "on_time",
        )


def test_work_item_access_locks_the_row_inside_a_transaction(make_item, officer_a):
    item = make_item()
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        locked = selectors.work_item_access(user=officer_a, pk=item.pk, lock=True)
        assert locked.pk == item.pk
    assert 'FOR UPDATE OF "workflow_workitem"' in queries.captured_queries[-1]["sql"]
    with CaptureQueriesContext(connection) as queries:
        selectors.work_item_access(user=officer_a, pk=item.pk)
    assert "FOR UPDATE" not in queries.captured_queries[-1]["sql"]


@pytest.mark.django_db(transaction=True)
def test_work_item_lock_holds_off_another_transaction(make_item, officer_a):
    item = make_item()
    seen: list[str] = []

    def other_session():
        try:
            with transaction.atomic():
                WorkItem.objects.select_for_update(nowait=True).get(pk=item.pk)
            seen.append("free")
        except DatabaseError:
            seen.append("locked")
        finally:
            connections.close_all()

    with transaction.atomic():
        selectors.work_item_access(user=officer_a, pk=item.pk, lock=True)
        thread = threading.Thread(target=other_session)
        thread.start()
        thread.join()
    thread = threading.Thread(target=other_session)
    thread.start()
    thread.join()
    assert seen == ["locked", "free"]
    with pytest.raises(TransactionManagementError):
        selectors.work_item_access(user=officer_a, pk=item.pk, lock=True)  # a lock needs a transaction


@pytest.mark.parametrize("lock", [False, True])
def test_assignment_access_same_404_for_missing_closed_and_someone_elses(
    make_item, officer_a, officer2_a, head_a, dept_a, staff_b, leader_a, lock
):
    item = make_item(coordinators=[officer2_a])
    lead = Assignment.objects.for_record(item).get(assignee=officer_a)
    coord = Assignment.objects.for_record(item).get(assignee=officer2_a)
    unit = services.assignments_add(record=item, by=officer_a, role="coordinate", departments=[dept_a])[0]
    missing = Assignment.objects.order_by("-pk").values_list("pk", flat=True).first() + 1000
    with transaction.atomic():
        expected = _message(selectors.assignment_access, officer_a, missing, lock=lock)
        for user, pk in (
            (officer2_a, lead.pk),  # someone else's part of the same item
            (leader_a, lead.pk),  # the giver does not hold the part
            (staff_b[Role.OFFICER], lead.pk),  # another agency
            (staff_b[Role.DEPARTMENT_HEAD], unit.pk),  # another agency's head
            (AnonymousUser(), lead.pk),
        ):
            assert _message(selectors.assignment_access, user, pk, lock=lock) == expected, user
        assert selectors.assignment_access(user=officer_a, pk=lead.pk, lock=lock) == lead
        assert selectors.assignment_access(user=head_a, pk=unit.pk, lock=lock) == unit  # the unit's head
    services.assignment_complete(assignment=coord, by=officer2_a)
    with transaction.atomic():
        assert _message(selectors.assignment_access, officer2_a, coord.pk, lock=lock) == expected  # closed


def test_assignment_access_locks_the_row_inside_a_transaction(make_item, officer_a):
    item = make_item()
    lead = Assignment.objects.for_record(item).get(assignee=officer_a)
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        assert selectors.assignment_access(user=officer_a, pk=lead.pk, lock=True) == lead
    assert 'FOR UPDATE OF "workflow_assignment"' in queries.captured_queries[-1]["sql"]
    with CaptureQueriesContext(connection) as queries:
        selectors.assignment_access(user=officer_a, pk=lead.pk)
    assert "FOR UPDATE" not in queries.captured_queries[-1]["sql"]
