"""workflow.services.assignments: one lead, forwarding chain, completion, reading; adding coordinate /
for-information parts to a record that has its lead."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from eoffice.models import Notification, Role
from tests.factories import make_department, make_user
from workflow import selectors, services
from workflow.models import Assignment, HistoryEntry, WorkflowState, WorkItem
from workflow.selectors import history_for

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


@pytest.fixture
def unit_a(agency_a):
    return make_department(agency=agency_a, name="Phòng Tài chính", abbreviation="TC")


@pytest.fixture
def unit_head_a(agency_a, unit_a):
    return make_user(agency=agency_a, department=unit_a, roles=[Role.DEPARTMENT_HEAD], username="tc_head")


def _parts(item, role):
    return Assignment.objects.for_record(item).filter(role=role)


def test_lead_asks_for_input_history_and_notifications(make_item, officer_a, officer2_a, unit_a, unit_head_a):
    item = make_item()
    due = timezone.now() + timedelta(days=3)
    created = services.assignments_add(
        record=item,
        by=officer_a,
        role=Assignment.Kind.COORDINATE,
        users=[officer2_a],
        departments=[unit_a],
        due_at=due,
        instruction="Cho ý kiến về số liệu",
    )
    assert {(a.assignee_id, a.department_id) for a in created} == {
        (officer2_a.pk, officer2_a.department_id),
        (None, unit_a.pk),
    }
    for part in created:
        assert part.role == "coordinate" and part.is_open and part.assigned_by_id == officer_a.pk
        assert part.due_at == due and part.due_soon_at and part.escalate_at
        assert part.agency_id == item.agency_id and part.instruction == "Cho ý kiến về số liệu"
    entry = history_for(record=item).get(event="assigned", action="add_coordinate")
    assert entry.actor_id == officer_a.pk and entry.comment == "Cho ý kiến về số liệu"
    assert entry.data["lead"] == str(officer_a)
    assert sorted(entry.data["coordinate"]) == sorted([str(officer2_a), str(unit_a)])
    assert entry.data["inform"] == [] and entry.action_label == "Bổ sung phối hợp"
    for person in (officer2_a, unit_head_a):  # the person, and the head of the unit
        note = Notification.objects.get(recipient=person, kind="workflow.assigned")
        assert note.title.startswith("Được giao (Phối hợp)") and "Cho ý kiến về số liệu" in note.body
    assert not Notification.objects.filter(recipient=officer_a, title__startswith="Được giao (Phối hợp)")
    # they now see the record
    assert WorkItem.visible_to(officer2_a).filter(pk=item.pk).exists()
    assert WorkItem.visible_to(unit_head_a).filter(pk=item.pk).exists()


def test_inform_parts_have_no_deadline(make_item, leader_a, head_a):
    item = make_item()
    [part] = services.assignments_add(
        record=item, by=leader_a, role="inform", users=[head_a], due_at=timezone.now() + timedelta(days=1)
    )
    assert part.role == "inform" and part.due_at is None and part.due_soon_at is None
    entry = history_for(record=item).get(action="add_inform")
    assert entry.data["inform"] == [str(head_a)] and entry.data["coordinate"] == []
    assert Notification.objects.filter(recipient=head_a, title__startswith="Được giao (Để biết)").exists()


def test_who_may_add(make_item, agency_a, dept_a, leader_a, officer_a, officer2_a, head_a, unit_head_a):
    giver = make_user(agency=agency_a, department=dept_a, roles=[Role.DEPARTMENT_HEAD], username="giver")
    item = make_item(by=giver)
    other_leader = make_user(agency=agency_a, roles=[Role.LEADER], username="other_leader")
    bystander = make_user(agency=agency_a, department=dept_a, roles=[Role.OFFICER], username="bystander")
    coordinator = make_user(agency=agency_a, department=dept_a, username="co")
    services.assignments_add(record=item, by=officer_a, role="coordinate", users=[coordinator])
    [co_part] = _parts(item, "coordinate")
    # not involved, a coordinator, or the lead adding "for information": refused
    for who, role in ((bystander, "coordinate"), (coordinator, "coordinate"), (officer_a, "inform")):
        with pytest.raises(PermissionDenied):
            services.assignments_add(record=item, by=who, role=role, users=[officer2_a])
    assert _parts(item, "coordinate").count() == 1 and not _parts(item, "inform").exists()
    # the giver, a leader of the agency, the lead: allowed
    services.assignments_add(record=item, by=giver, role="inform", users=[bystander])
    services.assignments_add(record=item, by=other_leader, role="coordinate", users=[officer2_a])
    assert _parts(item, "coordinate").count() == 2 and _parts(item, "inform").count() == 1
    assert co_part.pk in _parts(item, "coordinate").values_list("pk", flat=True)


def test_head_of_the_lead_unit_may_ask_for_input(make_item, dept_a, head_a, officer_a, unit_a, leader_a):
    item = make_item(lead=None, lead_department=dept_a)
    services.assignments_add(record=item, by=head_a, role="coordinate", departments=[unit_a])
    unit_part = Assignment.objects.for_record(item).get(role="lead")
    services.assignment_forward(assignment=unit_part, to_user=officer_a, by=head_a)
    services.assignments_add(record=item, by=officer_a, role="coordinate", users=[leader_a])
    assert _parts(item, "coordinate").count() == 2


def test_agency_isolation(make_item, officer_a, staff_b, dept_b, leader_a):
    item = make_item()
    for outsider in (staff_b[Role.LEADER], staff_b[Role.OFFICER]):
        with pytest.raises(PermissionDenied):
            services.assignments_add(record=item, by=outsider, role="coordinate", users=[leader_a])
    with pytest.raises(ValidationError):
        services.assignments_add(record=item, by=officer_a, role="coordinate", users=[staff_b[Role.OFFICER]])
    with pytest.raises(ValidationError):
        services.assignments_add(record=item, by=officer_a, role="coordinate", departments=[dept_b])
    assert not _parts(item, "coordinate").exists()
    assert not history_for(record=item).filter(action__startswith="add_").exists()
    assert not Notification.objects.filter(recipient__agency=staff_b[Role.OFFICER].agency).exists()


def test_refusals(make_item, leader_a, officer_a, officer2_a, agency_a):
    item = make_item()
    add = services.assignments_add
    with pytest.raises(ValidationError):
        add(record=item, by=officer_a, role="lead", users=[officer2_a])
    with pytest.raises(ValidationError):
        add(record=item, by=officer_a, role="coordinate")  # nobody chosen
    with pytest.raises(ValidationError):
        add(record=item, by=officer_a, role="coordinate", users=[officer_a])  # oneself
    with pytest.raises(ValidationError):
        add(record=item, by=leader_a, role="coordinate", users=[officer_a])  # the lead
    with pytest.raises(ValidationError):
        add(record=item, by=officer_a, role="coordinate", users=[officer2_a], due_at=timezone.now())
    retired = make_user(agency=agency_a, username="retired", is_active=False)
    with pytest.raises(ValidationError):
        add(record=item, by=officer_a, role="coordinate", users=[retired])
    add(record=item, by=officer_a, role="coordinate", users=[officer2_a, officer2_a])
    assert _parts(item, "coordinate").count() == 1
    with pytest.raises(ValidationError):
        add(record=item, by=officer_a, role="coordinate", users=[officer2_a])  # already asked
    services.work_item_transition(item=item, action="cancel", by=leader_a, comment="Không cần nữa")
    with pytest.raises(services.RecordChanged):
        add(record=item, by=leader_a, role="inform", users=[officer2_a])


def test_record_without_lead(leader_a, officer_a):
    item = WorkItem.objects.create(agency=leader_a.agency, title="Chưa giao", created_by=leader_a)
    with pytest.raises(ValidationError):
        services.assignments_add(record=item, by=leader_a, role="coordinate", users=[officer_a])


def test_one_transaction_nothing_kept_on_failure(make_item, officer_a, officer2_a, monkeypatch):
    item = make_item()

    def broken(**kwargs):
        raise RuntimeError("notify down")

    monkeypatch.setattr(services.assignments, "notify", broken)
    with pytest.raises(RuntimeError):
        services.assignments_add(record=item, by=officer_a, role="coordinate", users=[officer2_a])
    assert not _parts(item, "coordinate").exists()
    assert not HistoryEntry.objects.for_record(item).filter(action="add_coordinate").exists()
