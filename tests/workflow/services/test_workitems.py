"""workflow.services.workitems: the services lock the item a person acts on through its access helper, so
that a person who may not see the item is refused, and nothing changes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from eoffice.models import Role
from workflow import selectors, services
from workflow.models import HistoryEntry, WorkflowState

pytestmark = pytest.mark.django_db


@pytest.fixture
def access_calls(monkeypatch):
    calls = []

    def spy(**kwargs):
        calls.append(kwargs)
        return selectors.work_item_access(**kwargs)

    monkeypatch.setattr(services.workitems, "work_item_access", spy)
    return calls


def test_services_lock_the_item_through_its_access_helper(make_item, officer_a, leader_a, access_calls):
    item = make_item()
    item = services.work_item_report_progress(item=item, by=officer_a, percent=30, note="Đang tổng hợp")
    assert (item.state, item.progress) == (WorkflowState.PROCESSING, 30)
    services.work_item_extend(
        item=item, by=leader_a, due_at=timezone.now() + timedelta(days=20), reason="Chờ số liệu"
    )
    services.work_item_transition(item=item, action="submit", by=officer_a)
    assert access_calls == [
        {"user": officer_a, "pk": item.pk, "lock": True},
        {"user": leader_a, "pk": item.pk, "lock": True},
        {"user": officer_a, "pk": item.pk, "lock": True},
    ]
    item.refresh_from_db()
    assert item.state == WorkflowState.SUBMITTED


def test_who_may_not_see_the_item_is_refused_and_nothing_changes(make_item, officer2_a, staff_b):
    item = make_item()
    rows = HistoryEntry.objects.count()
    for outsider in (officer2_a, staff_b[Role.LEADER], staff_b[Role.OFFICER]):
        with pytest.raises(PermissionDenied):
            services.work_item_report_progress(item=item, by=outsider, percent=50, note="x")
        with pytest.raises(PermissionDenied):
            services.work_item_extend(
                item=item, by=outsider, due_at=timezone.now() + timedelta(days=20), reason="x"
            )
        with pytest.raises(PermissionDenied):
            services.work_item_transition(item=item, action="cancel", by=outsider, comment="x")
    item.refresh_from_db()
    assert (item.state, item.progress, HistoryEntry.objects.count()) == (WorkflowState.ASSIGNED, 0, rows)
