"""The reception services: outcomes at the counter, codes, who may receive, the scans."""

from __future__ import annotations

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from eoffice.models import Role
from onestop import selectors, services
from onestop.models import Dossier, DossierState, StepKind
from tests.factories import make_user
from tests.onestop.conftest import make_procedure, receive

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=VN)


def test_valid_reception_gives_code_appointment_and_first_step(procedure, people):
    dossier = receive(procedure, people, now=at(2026, 11, 23, 9, 0))
    assert dossier.state == DossierState.RECEIVED
    prefix = procedure.agency.code
    assert dossier.code == f"{prefix}-261123-0001"
    assert dossier.received_by == people["onestop"]
    assert dossier.due_at == at(2026, 11, 27, 17, 0)  # Tue 24/11 is Ngày Văn hóa Việt Nam: off
    step = dossier.steps.get()
    assert (step.kind, step.giver_name, step.receiver, step.finished_at) == (
        StepKind.RECEIVE,
        "Nguyễn Văn An",
        people["onestop"],
        None,
    )
    assert dossier.papers.filter(received=True).count() == 3
    assert receive(procedure, people, now=at(2026, 11, 23, 9, 5)).code.endswith("-261123-0002")
    assert receive(procedure, people, now=at(2026, 11, 25, 9, 5)).code.endswith("-261125-0001")


def test_receiving_code_from_the_agency_config(procedure, people):
    config = selectors.config_for(procedure.agency)
    config.receiving_code = "000.00.31.H26"
    config.save()
    assert receive(procedure, people, now=at(2026, 11, 23, 9, 0)).code == "000.00.31.H26-261123-0001"


def test_valid_outcome_refused_when_a_mandatory_paper_is_missing(procedure, people):
    papers = [p for p in procedure.papers.all() if p.order != 2]
    with pytest.raises(ValidationError, match="Bản sao giấy tờ pháp lý"):
        receive(procedure, people, papers=[services.PaperInput(name=p.name, required=p) for p in papers])
    assert not Dossier.objects.exists()  # nothing half-saved


def test_incomplete_lists_every_missing_paper(procedure, people):
    dossier = receive(procedure, people, papers=[], outcome=services.OUTCOME_INCOMPLETE)
    assert dossier.state == DossierState.INCOMPLETE
    assert dossier.code is None and dossier.reference.startswith("TN-")
    assert dossier.missing_papers.splitlines() == [
        "Giấy đề nghị đăng ký doanh nghiệp",
        "Bản sao giấy tờ pháp lý của chủ doanh nghiệp",
    ]


def test_ineligible_needs_reasons(procedure, people):
    with pytest.raises(ValidationError):
        receive(procedure, people, outcome=services.OUTCOME_INELIGIBLE, reasons="  ")
    dossier = receive(
        procedure, people, outcome=services.OUTCOME_INELIGIBLE, reasons="Không thuộc thẩm quyền"
    )
    assert (dossier.state, dossier.refusal_reason) == (DossierState.REFUSED, "Không thuộc thẩm quyền")


def test_only_the_agencys_onestop_officer_receives(procedure, people, agency_b):
    with pytest.raises(PermissionDenied):
        receive(procedure, people, by=people["officer"])
    stranger = make_user(agency=agency_b, roles=[Role.ONESTOP_OFFICER])
    with pytest.raises(PermissionDenied):
        receive(procedure, people, by=stranger)


def test_scans_are_checked_by_content(procedure, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    papers = services.PaperInput(name="Giấy đề nghị", file=fake)
    with pytest.raises(ValidationError):
        receive(procedure, people, papers=[papers])
    assert not Dossier.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_codes_stay_unique_when_counters_work_at_once(agency_a, people):
    procedure = make_procedure(agency_a, unit=people["unit"])
    when = at(2026, 11, 23, 10, 0)
    codes, errors = [], []
    barrier = threading.Barrier(6)

    def work():
        try:
            barrier.wait()
            codes.append(receive(procedure, people, now=when).code)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(c[-4:] for c in codes) == [f"{n:04d}" for n in range(1, 7)]
