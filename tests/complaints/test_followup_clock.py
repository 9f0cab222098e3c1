"""``sync_clock`` passes its actor through to the workflow engine: ``by=None`` is the system (an online letter
nobody has taken yet), whose assignment names no person and tells the holders it came from the system."""

from __future__ import annotations

import pytest
from django.db import transaction

from complaints import services
from complaints.models import Case
from eoffice.models import Notification
from tests.complaints.conftest import make_case
from workflow.models import Assignment

pytestmark = pytest.mark.django_db


def test_a_clock_synced_by_the_system_gives_the_unit_its_part(org):
    case = make_case(org)
    Assignment.objects.for_record(case).delete()
    Case.objects.filter(pk=case.pk).update(handler=None)
    case.refresh_from_db()
    with transaction.atomic():
        services.sync_clock(case, by=None)
    lead = Assignment.objects.for_record(case).get(role=Assignment.Kind.LEAD)
    assert lead.assignee_id is None and lead.department_id == org["ttr"].pk
    assert lead.assigned_by_id is None and lead.due_at == case.due_at
    note = Notification.objects.get(recipient=org["chief"], kind="workflow.assigned")
    assert note.body == "Người giao: Hệ thống"


def test_a_clock_synced_by_the_system_for_a_handler_names_no_person(org):
    case = make_case(org)
    Assignment.objects.for_record(case).delete()
    with transaction.atomic():
        services.sync_clock(case, by=None)
    lead = Assignment.objects.for_record(case).get(role=Assignment.Kind.LEAD)
    assert lead.assignee_id == org["reception"].pk and lead.assigned_by_id is None
    assert Notification.objects.get(recipient=org["reception"], kind="workflow.assigned").body == (
        "Người giao: Hệ thống"
    )
