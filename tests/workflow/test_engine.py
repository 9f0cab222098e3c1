"""State machine: actions per user, permission, protected state, and two people acting at once."""

import threading
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django_fsm.signals import post_transition

from workflow import services
from workflow.models import WorkflowState, WorkItem

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


def test_stale_page_gets_clear_message(make_item, leader_a, officer_a):
    item = make_item()
    services.work_item_transition(item=item, action="submit", by=officer_a)
    with pytest.raises(ValidationError, match="người khác xử lý"):
        services.work_item_transition(
            item=item, action="cancel", by=leader_a, comment="x", expected_state="assigned"
        )


@pytest.mark.django_db(transaction=True)
def test_two_people_at_once_exactly_one_applies(agency_a, staff_a, officer_a):
    """Two real connections: the creator approves while … the creator's deputy sends back. One wins."""
    from eoffice.models import Role

    leader = staff_a[Role.LEADER]
    item = services.work_item_create(by=leader, title="Việc tranh chấp", due_at=None, lead=officer_a)
    services.work_item_transition(item=item, action="submit", by=officer_a)

    def slow(sender, **kwargs):  # keep the first lock held long enough for the other to wait on it
        time.sleep(0.3)

    post_transition.connect(slow, sender=WorkItem, weak=False, dispatch_uid="slow")
    barrier = threading.Barrier(2)
    results: dict[str, object] = {}

    def act(action, comment):
        try:
            barrier.wait()
            services.work_item_transition(
                item=WorkItem.objects.get(pk=item.pk),
                action=action,
                by=leader,
                comment=comment,
                expected_state=WorkflowState.SUBMITTED,
            )
            results[action] = "ok"
        except ValidationError as exc:
            results[action] = exc.messages[0]
        finally:
            connection.close()

    try:
        threads = [
            threading.Thread(target=act, args=("approve", "")),
            threading.Thread(target=act, args=("send_back", "Làm lại")),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(10)
    finally:
        post_transition.disconnect(dispatch_uid="slow", sender=WorkItem)
    outcomes = sorted(results.values())
    assert outcomes.count("ok") == 1, results
    loser = next(v for v in outcomes if v != "ok")
    assert "hồ sơ đã được người khác xử lý" in loser.lower()
    from workflow.selectors import history_for

    item.refresh_from_db()
    assert history_for(record=item).filter(event="transition", from_state="submitted").count() == 1
