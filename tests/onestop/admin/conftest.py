"""Shared by the one-stop admin tests: the agency admins, the superuser, a dossier, a procedure's posted form
and a query counter."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from eoffice.models import Role
from onestop.models import ProcedureField
from tests.factories import make_user
from tests.onestop.conftest import receive

HOURS = {"receive": 2, "assign": 2, "process": 12, "review": 4, "approve": 2, "return": 2}


@pytest.fixture
def admin_a(agency_a, people):
    return make_user(agency=agency_a, roles=[Role.AGENCY_ADMIN], is_staff=True, username="quantri.a")


@pytest.fixture
def admin_b(agency_b):
    return make_user(agency=agency_b, roles=[Role.AGENCY_ADMIN], is_staff=True, username="quantri.b")


@pytest.fixture
def superuser(db):
    return make_user(agency=None, roles=(), is_staff=True, is_superuser=True, username="root")


@pytest.fixture
def dossier(procedure, people):
    return receive(procedure, people)


def procedure_form(agency, people, hours=HOURS, *, unit=None, code="2.002039", **changes) -> dict:
    field, _created = ProcedureField.objects.get_or_create(code="DN", defaults={"name": "Doanh nghiệp"})
    unit = unit or people["unit"]
    data = {
        "agency": agency.pk,
        "code": code,
        "name": "Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên",
        "field": field.pk,
        "online_level": "full",
        "is_active": "on",
        "time_value": "3",
        "time_unit": "days",
        "fee_amount": "50000",
        "fee_note": "",
        "result_name": "Giấy chứng nhận đăng ký doanh nghiệp",
        "handling_department": people["unit"].pk,
        "legal_basis": "Luật Doanh nghiệp năm 2020.",
        "papers-TOTAL_FORMS": "1",
        "papers-INITIAL_FORMS": "0",
        "papers-MIN_NUM_FORMS": "0",
        "papers-MAX_NUM_FORMS": "1000",
        "papers-0-order": "1",
        "papers-0-name": "Giấy đề nghị đăng ký doanh nghiệp",
        "papers-0-kind": "original",
        "papers-0-quantity": "1",
        "papers-0-mandatory": "on",
        "steps-TOTAL_FORMS": str(len(hours)),
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
        "_save": "Lưu lại",
    }
    for i, (kind, value) in enumerate(hours.items()):
        data[f"steps-{i}-kind"] = kind
        data[f"steps-{i}-hours"] = str(value)
        data[f"steps-{i}-department"] = "" if kind == "approve" else unit.pk
    data.update(changes)
    return data


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)
