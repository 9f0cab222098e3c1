"""The direction of an incoming document: the leader's, its delegation, the head's forward."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from documents.incoming import selectors, services
from eoffice.models import Notification
from tests.documents.conftest import receive
from tests.documents.incoming.helpers import direct
from workflow.models import Assignment
from workflow.services import RecordChanged

pytestmark = pytest.mark.django_db


def test_direct_to_a_person(people):
    doc = receive(people["clerk"], n=1)
    doc = direct(
        doc, people, lead_department=None, lead_user=people["officer2"], coordinators=[people["officer"]]
    )
    assert doc in selectors.incoming_list(user=people["officer2"], queue="todo")
    assert doc in selectors.incoming_list(user=people["officer"], queue="todo")
    with pytest.raises(PermissionDenied):
        services.incoming_finish(document=doc, by=people["officer"])
    services.incoming_finish(document=doc, by=people["officer2"], note="Xong")


def test_only_leaders_direct(people):
    doc = receive(people["clerk"], n=1)
    for who in ("clerk", "head", "officer"):
        with pytest.raises(PermissionDenied):
            direct(doc, people, by=people[who])


def test_direction_needs_instruction_and_future_deadline(people):
    doc = receive(people["clerk"], n=1)
    with pytest.raises(ValidationError):
        direct(doc, people, instruction=" ")
    with pytest.raises(ValidationError):
        direct(doc, people, due_at=timezone.now() - timedelta(days=1))


def test_delegate_to_deputy(people):
    doc = receive(people["clerk"], n=1)
    services.incoming_delegate(document=doc, by=people["leader"], to_leader=people["deputy"])
    assert doc in selectors.incoming_list(user=people["deputy"], queue="direction")
    doc.refresh_from_db()
    assert Notification.objects.filter(
        recipient=people["deputy"], title__contains="Được giao chỉ đạo"
    ).exists()
    direct(doc, people, by=people["deputy"])


def test_delegated_document_leaves_other_leaders_queue(people, agency_a):
    from eoffice.models import Role
    from tests.factories import make_user

    third = make_user(agency=agency_a, roles=[Role.LEADER])
    doc = receive(people["clerk"], n=1)
    services.incoming_delegate(document=doc, by=people["leader"], to_leader=people["deputy"])
    assert doc not in selectors.incoming_list(user=third, queue="direction")
    with pytest.raises(PermissionDenied):
        direct(doc, people, by=third)


def test_second_direction_is_refused(people):
    doc = receive(people["clerk"], n=1)
    direct(doc, people)
    with pytest.raises((RecordChanged, ValidationError)):
        direct(doc, people)


def test_head_of_other_unit_cannot_forward(people):
    doc = direct(receive(people["clerk"], n=1), people)
    part = Assignment.objects.for_record(doc).get(role="lead")
    with pytest.raises(PermissionDenied):
        services.incoming_forward(
            document=doc, assignment=part, by=people["other_head"], to_user=people["other_officer"]
        )
    with pytest.raises(ValidationError):
        services.incoming_forward(
            document=doc, assignment=part, by=people["head"], to_user=people["other_officer"]
        )
