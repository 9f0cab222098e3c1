"""workflow.services.deadlines: pausing, resuming and extending a part's deadline are kept."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from workflow import selectors, services
from workflow.models import Assignment, DeadlineStatus

pytestmark = pytest.mark.django_db


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
