"""Engine features asked for by the record kinds: state labels per kind in the timeline, adding coordinate /
for-information parts to a record that has its lead, and actions done through their own form."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext_lazy

from eoffice.models import Notification, Role
from tests.factories import make_department, make_user
from workflow import services
from workflow.models import (
    Action,
    Assignment,
    HistoryEntry,
    WorkflowState,
    WorkItem,
    state_label,
)
from workflow.selectors import history_for

pytestmark = pytest.mark.django_db


# --- state labels per record kind ------------------------------------------------------------------


@pytest.fixture
def approved_item(make_item, officer_a, leader_a):
    item = make_item()
    services.work_item_transition(item=item, action="submit", by=officer_a)
    return services.work_item_transition(item=item, action="approve", by=leader_a)


@pytest.fixture
def kind_labels(monkeypatch):
    labels = {WorkflowState.APPROVED: gettext_lazy("Đã nghiệm thu")}
    monkeypatch.setattr(WorkItem, "state_labels", labels, raising=False)
    return labels


def test_state_label_helper_prefers_the_kind_then_the_engine(kind_labels):
    assert state_label("approved", WorkItem) == "Đã nghiệm thu"
    assert state_label("approved") == "Đã duyệt"
    assert state_label("submitted", WorkItem) == "Chờ duyệt"
    assert state_label("no-such-state", WorkItem) == ""
    assert WorkItem.label_for_state("approved") == "Đã nghiệm thu"


def test_record_and_history_rows_use_the_kind_labels(approved_item, kind_labels):
    assert approved_item.state_label == "Đã nghiệm thu"
    row = history_for(record=approved_item).get(action="approve")
    assert (row.from_label, row.to_label) == ("Chờ duyệt", "Đã nghiệm thu")


def test_without_kind_labels_the_engine_labels_stay(approved_item):
    row = history_for(record=approved_item).get(action="approve")
    assert row.to_label == "Đã duyệt" and approved_item.state_label == "Đã duyệt"


def test_timeline_shows_the_kind_labels(approved_item, kind_labels, login, leader_a):
    page = login(leader_a).get(approved_item.get_absolute_url()).content.decode()
    assert "Chờ duyệt → Đã nghiệm thu" in page
    assert "Đã duyệt" not in page.split("Lịch sử xử lý", 1)[1]


def test_timeline_resolves_the_model_once(make_item, officer_a, leader_a, kind_labels):
    item = make_item()
    for n in range(3):
        services.work_item_transition(item=item, action="submit", by=officer_a)
        services.work_item_transition(item=item, action="send_back", by=leader_a, comment=f"Sửa lần {n}")
    template = Template(
        '{% load workflow %}{% workflow_history item as entries %}{% include "workflow/_timeline.html" %}'
    )
    item.refresh_from_db()
    with CaptureQueriesContext(connection) as few:
        template.render(Context({"item": item}))
    for _n in range(5):
        services.work_item_transition(item=item, action="submit", by=officer_a)
        services.work_item_transition(item=item, action="send_back", by=leader_a, comment="Sửa tiếp")
    item.refresh_from_db()
    with CaptureQueriesContext(connection) as many:
        html = template.render(Context({"item": item}))
    assert len(many.captured_queries) == len(few.captured_queries)
    assert html.count("Chờ duyệt → Đang xử lý") == 8


# --- assignments_add -------------------------------------------------------------------------------


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


# --- actions done through their own form ------------------------------------------------------------


@pytest.fixture
def submit_has_a_form(monkeypatch):
    for transition in WorkItem.submit._django_fsm.transitions.values():
        monkeypatch.setattr(transition, "custom", {**transition.custom, "form": True})


def test_action_carries_the_form_mark(make_item, officer_a, submit_has_a_form):
    item = make_item()
    actions = {a.name: a for a in item.available_actions(officer_a)}
    assert actions["submit"].form and not actions["start"].form
    assert [a.name for a in item.button_actions(officer_a)] == ["start"]


def test_tag_and_buttons_skip_form_actions(make_item, officer_a, submit_has_a_form, login):
    item = make_item()
    request = RequestFactory().get("/")
    request.user = officer_a
    template = Template("{% load workflow %}{% workflow_actions item as actions %}{{ actions|join:',' }}")
    names = Template(
        "{% load workflow %}{% workflow_actions item as actions %}{% for a in actions %}{{ a.name }};"
        "{% endfor %}"
    ).render(Context({"item": item, "request": request}))
    assert names == "start;"
    assert template.render(Context({"item": item})) == ""  # no request, no user: no buttons
    page = login(officer_a).get(item.get_absolute_url()).content.decode()
    assert 'value="start"' in page and 'value="submit"' not in page
    # _actions.html given the full list (not from the tag) leaves them out too
    html = Template('{% include "workflow/_actions.html" %}').render(
        Context({"record": item, "actions": item.available_actions(officer_a), "action_url": "/x/"})
    )
    assert 'value="start"' in html and 'value="submit"' not in html


def test_without_the_mark_every_action_is_a_button(make_item, officer_a, login):
    item = make_item()
    assert not any(a.form for a in item.available_actions(officer_a))
    page = login(officer_a).get(item.get_absolute_url()).content.decode()
    assert 'value="start"' in page and 'value="submit"' in page


def test_action_from_transition_defaults():
    class T:
        name = "approve"
        target = "approved"
        custom = {}

    action = Action.from_transition(T)
    assert action.form is False and action.label == "Phê duyệt"
