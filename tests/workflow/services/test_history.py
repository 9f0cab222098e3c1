"""workflow.services.history: a transition run for a user (stale page, two people acting at once), one
history row per transition."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_fsm.signals import post_transition

from workflow import services
from workflow.models import WorkflowState, WorkItem
from workflow.selectors import history_for

pytestmark = pytest.mark.django_db


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


def test_every_transition_writes_one_row(make_item, leader_a):
    item = make_item()
    events = list(
        history_for(record=item).order_by("created_at", "id").values_list("event", "from_state", "to_state")
    )
    # one direction, one row (issue 14: the timeline showed "Giao xử lý" twice): the transition names parts
    assert events == [("created", "", "new"), ("transition", "new", "assigned")]
    row = history_for(record=item).filter(event="transition").get()
    assert row.actor == leader_a and row.action == "assign" and row.agency_id == item.agency_id
    assert row.data["lead"] and set(row.data) >= {"coordinate", "inform", "due_at"}
