"""workflow.models.base: the protected state field, the actions per user and state, state labels per record
kind, actions done through their own form."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from workflow import services
from workflow.models import Action, WorkflowState, WorkItem, state_label
from workflow.selectors import history_for

pytestmark = pytest.mark.django_db


def names(record, user):
    return [a.name for a in record.available_actions(user)]


def test_state_field_is_protected(make_item):
    item = make_item()
    with pytest.raises(AttributeError):
        item.state = WorkflowState.APPROVED


def test_actions_follow_state_and_role(make_item, leader_a, officer_a, officer2_a):
    item = make_item()
    assert item.state == WorkflowState.ASSIGNED
    assert names(item, officer_a) == ["start", "submit"]
    assert names(item, leader_a) == ["cancel"]
    assert names(item, officer2_a) == []
    item = services.work_item_transition(item=item, action="submit", by=officer_a)
    assert names(item, officer_a) == []
    assert set(names(item, leader_a)) == {"approve", "send_back", "cancel"}
    with pytest.raises(PermissionDenied):
        services.work_item_transition(item=item, action="approve", by=officer_a)
    with pytest.raises(ValidationError, match="ý kiến"):
        services.work_item_transition(item=item, action="send_back", by=leader_a, comment=" ")
    item = services.work_item_transition(
        item=item, action="send_back", by=leader_a, comment="Bổ sung số liệu"
    )
    assert item.state == WorkflowState.PROCESSING
    assert names(item, officer_a) == ["submit"]


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


def test_action_carries_the_form_mark(make_item, officer_a, submit_has_a_form):
    item = make_item()
    actions = {a.name: a for a in item.available_actions(officer_a)}
    assert actions["submit"].form and not actions["start"].form
    assert [a.name for a in item.button_actions(officer_a)] == ["start"]


def test_action_from_transition_defaults():
    class T:
        name = "approve"
        target = "approved"
        custom = {}

    action = Action.from_transition(T)
    assert action.form is False and action.label == "Phê duyệt"
