"""The processing services: hand-offs along the path, who may move the dossier, send back, refusal, stop."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from onestop import services
from onestop.models import Dossier, DossierState, Outcome, StepKind, Timing
from tests.onestop.conftest import advance, make_procedure, pdf_upload, receive
from workflow.models import HistoryEntry
from workflow.services import RecordChanged

pytestmark = pytest.mark.django_db


def test_full_path_records_every_hand_off(procedure, people):
    # Every step at one instant after the office closed (Tuesday 18:00): each step's allotted hours end on a
    # later day, so each is early. At the real time the test failed between midnight and the opening in
    # Vietnam (a step of a few hours then ends the same day: on time, not early).
    now = datetime(2026, 12, 1, 18, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    dossier = receive(procedure, people, now=now)
    dossier = advance(dossier, DossierState.RETURNED, people, now=now)
    kinds = list(dossier.steps.order_by("started_at", "id").values_list("kind", flat=True))
    assert kinds == ["receive", "assign", "process", "review", "approve", "return"]
    assert not dossier.steps.filter(finished_at__isnull=True).exists()
    assert set(dossier.steps.values_list("timing", flat=True)) == {Timing.EARLY}
    assert dossier.outcome == Outcome.APPROVED and dossier.timing == Timing.EARLY
    assert dossier.returned_to == "Nguyễn Văn An"
    actions = list(
        HistoryEntry.objects.for_record(dossier).filter(event="transition").values_list("action", flat=True)
    )
    assert actions == ["accept", "hand_to_unit", "assign_officer", "submit_review", "forward_approval", "approve", "hand_over"]  # fmt: skip  # noqa: E501


def test_procedure_without_review_goes_straight_to_the_leader(agency_a, people):
    procedure = make_procedure(agency_a, unit=people["unit"], review=False, code="2.002")
    dossier = advance(receive(procedure, people), DossierState.PROCESSING, people)
    with pytest.raises(ValidationError):
        services.dossier_submit(dossier=dossier, by=people["officer"], result_file=pdf_upload(), leader=None)
    dossier = services.dossier_submit(
        dossier=dossier, by=people["officer"], result_file=pdf_upload(), leader=people["leader"]
    )
    assert (dossier.state, dossier.holder) == (DossierState.APPROVAL, people["leader"])


def test_wrong_people_cannot_move_the_dossier(procedure, people):
    dossier = advance(receive(procedure, people), DossierState.UNIT, people)
    with pytest.raises(PermissionDenied):
        services.dossier_assign(dossier=dossier, by=people["officer"], officer=people["officer"])
    with pytest.raises(ValidationError):  # an officer of another unit
        services.dossier_assign(dossier=dossier, by=people["head"], officer=people["officer2"])
    dossier = services.dossier_assign(dossier=dossier, by=people["head"], officer=people["officer"])
    with pytest.raises(PermissionDenied):
        services.dossier_submit(dossier=dossier, by=people["officer2"], result_file=pdf_upload())
    with pytest.raises(RecordChanged):  # already assigned: someone else acted first
        services.dossier_assign(dossier=dossier, by=people["head"], officer=people["officer"])


def test_submit_needs_a_result(procedure, people):
    dossier = advance(receive(procedure, people), DossierState.PROCESSING, people)
    with pytest.raises(ValidationError):
        services.dossier_submit(dossier=dossier, by=people["officer"])
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.PROCESSING


def test_send_back_returns_to_the_officer(procedure, people):
    dossier = advance(receive(procedure, people), DossierState.APPROVAL, people)
    with pytest.raises(ValidationError):
        services.dossier_send_back(dossier=dossier, by=people["leader"], note="")
    dossier = services.dossier_send_back(dossier=dossier, by=people["leader"], note="Sửa lại ngành nghề")
    assert (dossier.state, dossier.holder) == (DossierState.PROCESSING, people["officer"])


def test_refusal_during_processing_goes_back_to_the_counter(procedure, people):
    dossier = advance(receive(procedure, people), DossierState.PROCESSING, people)
    dossier = services.dossier_refuse(dossier=dossier, by=people["officer"], reasons="Tên doanh nghiệp trùng")
    assert (dossier.state, dossier.outcome) == (DossierState.RETURNING, Outcome.REFUSED)
    assert dossier.steps.get(finished_at__isnull=True).kind == StepKind.RETURN
    dossier = services.dossier_hand_over(dossier=dossier, by=people["onestop"], returned_to="Nguyễn Văn An")
    assert dossier.state == DossierState.RETURNED


def test_stop_closes_the_dossier(procedure, people):
    dossier = advance(receive(procedure, people), DossierState.PROCESSING, people)
    with pytest.raises(PermissionDenied):
        services.dossier_stop(dossier=dossier, by=people["officer"], reason="Công dân rút hồ sơ")
    dossier = services.dossier_stop(dossier=dossier, by=people["leader"], reason="Công dân rút hồ sơ")
    assert (dossier.state, dossier.outcome, dossier.holder) == (DossierState.STOPPED, Outcome.STOPPED, None)
    assert not dossier.steps.filter(finished_at__isnull=True).exists()
