"""Shared by the complaints tests: an inspectorate (Thanh tra, TTr) inside agency A with its reception
officer, a verifier and the chief inspector; the agency's head (the decider, with a signing credential);
the office's clerk; a unit head and an officer outside the inspectorate; a person of agency B.

``make_case`` builds a letter, its people (encrypted, through the identity service) and one case as rows,
for the tests of the steps after registration; the registration itself is tested through its service and
its page."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps as django_apps
from django.db import transaction
from django.utils import timezone

from complaints import services
from complaints.models import Case, CaseKind, CaseState, Letter, Source
from complaints.services.identity import PersonInput
from eoffice.models import Role
from tests.documents.outgoing.helpers import PIN, office  # noqa: F401
from tests.factories import make_department, make_user
from tests.signing.conftest import _signing_settings, authority, pki_dir  # noqa: F401

DENOUNCER = PersonInput(
    name="Hoàng Thị Bí Mật",
    id_number="001190012345",
    address="Số 12 ngõ 34 phố Kim Mã, Ba Đình, Hà Nội",
    phone="0912345678",
    email="bimat@example.vn",
    protected=True,
)
COMPLAINANT = PersonInput(
    name="Nguyễn Văn Khiếu",
    id_number="001080054321",
    address="Thôn Đông, xã Yên Phú",
    phone="0987654321",
    email="khieu@example.vn",
)


# The data migrations of the law as data (rules, forms): a transactional test's flush removes their rows,
# so a later test seeds them again, as the migrations do.
LEGAL_DATA_MIGRATIONS = (
    "complaints.migrations.0002_legal_rules",
    "complaints.migrations.0003_forms",
    "complaints.migrations.0005_followup_forms",
)


def ensure_legal_data() -> None:
    from complaints.models import LegalForm, LegalRule

    if LegalRule.objects.exists() and LegalForm.objects.exists():
        return
    for migration in LEGAL_DATA_MIGRATIONS:
        importlib.import_module(migration).seed(django_apps, None)


@pytest.fixture
def org(office, agency_a, agency_b):  # noqa: F811
    """``office`` (clerk, leader = Giám đốc with a credential, unit head, officer) plus the inspectorate;
    the legal rules and forms present (seeded again after a transactional test's flush)."""
    ensure_legal_data()
    ttr = make_department(agency=agency_a, name="Thanh tra Sở", abbreviation="TTr")
    return {
        **office,
        "agency": agency_a,
        "agency_b": agency_b,
        "ttr": ttr,
        "reception": make_user(
            agency=agency_a, department=ttr, roles=[Role.OFFICER], full_name="Lê Thị Tiếp Dân"
        ),
        "verifier": make_user(
            agency=agency_a, department=ttr, roles=[Role.OFFICER], full_name="Trần Văn Xác Minh"
        ),
        "chief": make_user(
            agency=agency_a,
            department=ttr,
            roles=[Role.DEPARTMENT_HEAD],
            full_name="Phạm Văn Chánh",
            position="Chánh Thanh tra",
        ),
        "other_b": make_user(agency=agency_b, roles=[Role.LEADER], full_name="Đỗ Văn Khác"),
    }


def make_case(org, **kwargs) -> Case:
    """``_make_case`` in one transaction (the register counter is locked, also in transactional tests)."""
    with transaction.atomic():
        return _make_case(org, **kwargs)


def _make_case(
    org,
    *,
    kind: str = CaseKind.COMPLAINT,
    people=None,
    received_on: dt.date | None = None,
    content: str = "Khiếu nại quyết định thu hồi đất số 15/QĐ-UBND",
    state: str = CaseState.REGISTERED,
    handler=None,
    protected: bool | None = None,
    **case_fields,
) -> Case:
    """A letter with its people and one case, as rows (the clock computed by the service)."""
    people = people if people is not None else [DENOUNCER if kind == CaseKind.DENUNCIATION else COMPLAINANT]
    protected = any(p.protected for p in people) if protected is None else protected
    received_on = received_on or timezone.localdate()
    officer = org["reception"]
    letter = Letter.objects.create(
        agency=org["agency"],
        year=received_on.year,
        number=services.next_number(agency_id=org["agency"].pk, register="letters", year=received_on.year),
        received_on=received_on,
        received_by=officer,
        source=Source.IN_PERSON,
        summary=content,
        signer_count=len(people) or 1,
        protected=protected,
    )
    services.identities_add(people=list(people), by=officer, letter=letter)
    case = Case(
        agency=org["agency"],
        letter=letter,
        code=services.new_case_code(kind),
        kind=kind,
        content=content,
        handler=handler or officer,
        department=org["ttr"],
        protected=protected,
        **case_fields,
    )
    case.save()
    if state != CaseState.REGISTERED:
        Case.objects.filter(pk=case.pk).update(state=state)
        case.refresh_from_db()
    services.sync_clock(case, by=officer)
    return case


__all__ = ["COMPLAINANT", "DENOUNCER", "PIN", "make_case", "org"]
