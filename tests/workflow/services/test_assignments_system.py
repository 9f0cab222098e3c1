"""workflow.services.assignments with no actor (``by=None``): a system action such as an online letter
gives a record its parts; the holders are told that the system gave it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from eoffice.models import Notification
from workflow import services
from workflow.models import Assignment, HistoryEntry, WorkItem
from workflow.selectors import history_for

pytestmark = pytest.mark.django_db


def test_a_system_assignment_notifies_every_holder_naming_the_system(
    agency_a, leader_a, officer_a, officer2_a
):
    item = WorkItem.objects.create(
        agency=agency_a,
        title="Đơn gửi trực tuyến",
        created_by=leader_a,
        due_at=timezone.now() + timedelta(days=5),
    )
    created = services.assignments_create(
        record=item, by=None, lead=officer_a, coordinators=[officer2_a], due_at=item.due_at
    )

    assert sorted(a.role for a in created) == ["coordinate", "lead"]
    assert all(a.assigned_by_id is None for a in created)
    lead_note = Notification.objects.get(recipient=officer_a, kind="workflow.assigned")
    coord_note = Notification.objects.get(recipient=officer2_a, kind="workflow.assigned")
    assert lead_note.body == "Người giao: Hệ thống"
    assert "Chủ trì" in lead_note.title and "Phối hợp" in coord_note.title
    entry = history_for(record=item).get(event=HistoryEntry.Event.ASSIGNED)
    assert entry.actor_id is None
    assert Assignment.objects.for_record(item).filter(role="lead", assignee=officer_a).exists()


def test_a_person_assigning_is_still_named_and_not_told_of_their_own_part(agency_a, leader_a, officer_a):
    item = WorkItem.objects.create(
        agency=agency_a, title="Báo cáo", created_by=leader_a, due_at=timezone.now() + timedelta(days=5)
    )
    services.assignments_create(record=item, by=leader_a, lead=officer_a, informed=[leader_a])

    note = Notification.objects.get(recipient=officer_a, kind="workflow.assigned")
    assert note.body == f"Người giao: {leader_a}"
    assert not Notification.objects.filter(recipient=leader_a, kind="workflow.assigned").exists()
