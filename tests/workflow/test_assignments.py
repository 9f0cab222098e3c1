"""Assignments: one lead, forwarding chain, completion, reading, deadline status in SQL, clock."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from eoffice.models import Role
from tests.factories import make_department, make_user
from workflow import selectors, services
from workflow.models import Assignment, DeadlineStatus, WorkflowState

pytestmark = pytest.mark.django_db


def test_roles_and_exactly_one_lead(make_item, officer_a, officer2_a, head_a, dept_a, leader_a):
    item = make_item(coordinators=[officer2_a], informed=[head_a])
    roles = sorted(Assignment.objects.for_record(item).values_list("role", flat=True))
    assert roles == ["coordinate", "inform", "lead"]
    with pytest.raises(ValidationError):
        services.assignments_create(record=item, by=leader_a, lead=officer2_a)
    lead = Assignment.objects.for_record(item).get(role="lead")
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            content_type=lead.content_type,
            object_id=item.pk,
            agency=item.agency,
            role="lead",
            department=dept_a,
        )
    with pytest.raises(ValidationError):
        services.assignments_create(record=item, by=leader_a)  # no lead at all


def test_cannot_assign_outside_the_agency(make_item, staff_b):
    with pytest.raises(ValidationError):
        make_item(lead=staff_b[Role.OFFICER])


def test_head_forwards_within_department_and_chain_is_kept(make_item, head_a, dept_a, officer_a, officer2_a):
    item = make_item(lead=None, lead_department=dept_a)
    unit = Assignment.objects.for_record(item).get(role="lead")
    assert unit.assignee_id is None
    # Holding by unit: the head sees it in "my work", an officer not yet.
    assert list(selectors.my_work(user=head_a)) == [unit]
    assert not selectors.my_work(user=officer_a).exists()
    with pytest.raises(PermissionDenied):
        services.assignment_forward(assignment=unit, to_user=officer2_a, by=officer_a)
    other_unit = make_department(agency=item.agency, name="Phòng Tài chính", abbreviation="TC")
    stranger = make_user(agency=item.agency, department=other_unit)
    with pytest.raises(ValidationError):
        services.assignment_forward(assignment=unit, to_user=stranger, by=head_a)
    first = services.assignment_forward(
        assignment=unit, to_user=officer_a, by=head_a, instruction="Xử lý gấp"
    )
    second = services.assignment_forward(assignment=unit, to_user=officer2_a, by=head_a)  # re-assignment
    first.refresh_from_db()
    assert first.status == "cancelled" and first.superseded
    assert second.parent_id == unit.pk and second.due_at == unit.due_at
    history = list(
        selectors.history_for(record=item).filter(event="reassigned").values_list("data", flat=True)
    )
    assert [h["to"] for h in history] == [str(officer2_a), str(officer_a)]
    # The officer's completion closes the unit's assignment up the chain.
    services.assignment_complete(assignment=second, by=officer2_a, note="Xong")
    unit.refresh_from_db()
    assert unit.status == "done"


def test_lead_completion_closes_processing_and_coordinator_reports(
    make_item, officer_a, officer2_a, leader_a
):
    item = make_item(coordinators=[officer2_a])
    coord = Assignment.objects.for_record(item).get(role="coordinate")
    services.assignment_complete(assignment=coord, by=officer2_a, note="Đã gửi số liệu")
    with pytest.raises(ValidationError):
        services.assignment_complete(assignment=coord, by=officer2_a)
    item = services.work_item_transition(item=item, action="submit", by=officer_a)
    assert item.state == WorkflowState.SUBMITTED
    assert not Assignment.objects.for_record(item).filter(role="lead", status="open").exists()
    item = services.work_item_transition(item=item, action="send_back", by=leader_a, comment="Bổ sung")
    assert Assignment.objects.for_record(item).filter(role="lead", status="open").count() == 1


def test_for_information_is_closed_by_reading(make_item, head_a, login):
    item = make_item(informed=[head_a])
    assert selectors.my_work(user=head_a).filter(role="inform").exists()
    assert login(head_a).get(item.get_absolute_url()).status_code == 200
    inform = Assignment.objects.for_record(item).get(role="inform")
    assert inform.status == "done" and inform.read_at is not None
    assert selectors.history_for(record=item).filter(event="read", actor=head_a).count() == 1


def test_deadline_status_is_derived_in_sql(make_item, officer_a, officer2_a, leader_a):
    ontime = make_item(title="a", due_in=timedelta(days=30))
    soon = make_item(title="b", due_in=timedelta(hours=2))
    late = make_item(title="c", due_in=timedelta(days=30))
    Assignment.objects.for_record(late).update(
        due_at=timezone.now() - timedelta(hours=1), due_soon_at=timezone.now() - timedelta(days=1)
    )
    statuses = dict(selectors.my_work(user=officer_a).values_list("object_id", "deadline_status"))
    assert statuses == {
        ontime.pk: DeadlineStatus.ON_TIME,
        soon.pk: DeadlineStatus.DUE_SOON,
        late.pk: DeadlineStatus.OVERDUE,
    }
    assert [a.object_id for a in selectors.my_work(user=officer_a)] == [late.pk, soon.pk, ontime.pk]
    for status, pk in ((DeadlineStatus.OVERDUE, late.pk), (DeadlineStatus.DUE_SOON, soon.pk)):
        assert list(Assignment.objects.open().with_status(status).values_list("object_id", flat=True)) == [pk]
    counts = selectors.my_work_counts(user=officer_a)
    assert counts == {"total": 3, "overdue": 1, "due_soon": 1}
    sql = str(Assignment.objects.open().with_deadline_status().query)
    assert "CASE WHEN" in sql


def test_pause_resume_and_extend_are_kept(make_item, leader_a, officer_a):
    item = make_item(due_in=timedelta(days=5))
    lead = Assignment.objects.for_record(item).get(role="lead")
    with pytest.raises(PermissionDenied):
        services.assignment_pause(assignment=lead, by=officer_a, reason="x")
    services.assignment_pause(assignment=lead, by=leader_a, reason="Chờ bổ sung hồ sơ")
    assert Assignment.objects.with_deadline_status().get(pk=lead.pk).deadline_status == DeadlineStatus.PAUSED
    resumed = services.assignment_resume(assignment=lead, by=leader_a, now=timezone.now() + timedelta(days=7))
    assert resumed.due_at > lead.due_at and resumed.paused_seconds > 0
    with pytest.raises(ValidationError):
        services.assignment_extend(
            assignment=lead, by=leader_a, due_at=timezone.now() + timedelta(days=20), reason=""
        )
    extended = services.assignment_extend(
        assignment=lead, by=leader_a, due_at=timezone.now() + timedelta(days=20), reason="Chờ ý kiến Bộ"
    )
    assert extended.extension_count == 1
    row = selectors.history_for(record=item).filter(event="deadline").get()
    assert row.comment == "Chờ ý kiến Bộ" and row.data["extension_count"] == 1
    assert set(selectors.history_for(record=item).values_list("event", flat=True)) >= {"paused", "resumed"}
