"""The dossier: derived properties and who the transitions let through (services check the rest)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_fsm import has_transition_perm

from onestop.models import Dossier, DossierState
from tests.onestop.conftest import advance, receive

pytestmark = pytest.mark.django_db


def test_masked_name():
    assert Dossier(applicant_name="Nguyễn Văn An").masked_name == "Nguyễn V** A*"
    assert Dossier(applicant_name="").masked_name == ""


def test_open_overdue_and_public_code():
    past = timezone.now() - timedelta(minutes=1)
    assert Dossier(state=DossierState.PROCESSING, due_at=past).is_open
    assert Dossier(state=DossierState.PROCESSING, due_at=past).is_overdue
    paused = Dossier(state=DossierState.SUPPLEMENT, due_at=past)
    assert paused.is_open and not paused.is_overdue
    assert not Dossier(state=DossierState.RETURNED, due_at=past).is_open
    assert Dossier(reference="ABC123").public_code == "ABC123"
    assert Dossier(reference="ABC123", code="000.00.01.H01-261207-0001").public_code.startswith("000")


def test_transition_permissions(procedure, people):
    dossier = advance(receive(procedure, people), DossierState.UNIT, people)
    assert has_transition_perm(dossier.assign_officer, people["head"])
    assert not has_transition_perm(dossier.assign_officer, people["officer"])
    assert has_transition_perm(dossier.stop, people["onestop"])
    assert has_transition_perm(dossier.stop, people["leader"])
    assert not has_transition_perm(dossier.stop, people["head"])
    assert has_transition_perm(dossier.ask_supplement, people["head"])
    assert not has_transition_perm(dossier.ask_supplement, people["onestop"])
