"""The JSON export for the national database: the documented format through the adapter, no identity of
anyone, the staff download under the visibility rules, the management command."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from complaints import export
from complaints.models import Case, CaseKind
from documents.stats.selectors import Period
from tests.complaints.conftest import COMPLAINANT, DENOUNCER, make_case
from tests.complaints.h6_helpers import AFTER, IN_PERIOD, PERIOD

pytestmark = pytest.mark.django_db

SECRETS = [
    value
    for person in (DENOUNCER, COMPLAINANT)
    for value in (person.name, person.id_number, person.address, person.phone, person.email)
]
OCTOBER = Period(IN_PERIOD.replace(day=1), IN_PERIOD.replace(day=31))


def _no_secret(raw: str) -> None:
    for secret in SECRETS:
        assert secret not in raw


def test_serialize_is_the_documented_record(org):
    case = make_case(org, kind=CaseKind.DENUNCIATION, received_on=IN_PERIOD, content="Tố cáo cán bộ")
    record = export.NationalDatabaseAdapter().serialize(
        export.cases_for_export(Case.objects.filter(pk=case.pk)).get()
    )
    assert record["code"] == case.code and record["kind"] == "denunciation"
    assert record["letter"]["received_on"] == "2026-10-05"
    assert record["letter"]["protected"] is True
    assert record["letter"]["people"] == [{"role": "signer", "protected": True}]
    assert record["due_rule"]["source"]
    assert set(record) >= {"classification", "intake", "state", "stage", "due_at", "documents", "content"}
    _no_secret(json.dumps(record, ensure_ascii=False))


def test_export_json_envelope_and_no_identity(org):
    make_case(org, received_on=IN_PERIOD)
    make_case(org, kind=CaseKind.DENUNCIATION, received_on=IN_PERIOD)
    make_case(org, received_on=AFTER)
    qs = export.cases_for_export(Case.objects.filter(agency=org["agency"]), OCTOBER)
    raw = export.export_json(qs, agency=org["agency"], period=OCTOBER).decode()
    data = json.loads(raw)
    assert data["format"] == export.FORMAT and data["version"] == 1
    assert data["count"] == 2 and len(data["cases"]) == 2
    assert data["period"] == {"from": "2026-10-01", "to": "2026-10-31"}
    _no_secret(raw)


def test_staff_download_under_visibility(client, login, org):
    mine = make_case(org, received_on=IN_PERIOD)
    make_case(org, received_on=IN_PERIOD, content="Khiếu nại khác")
    login(org["reception"])
    response = client.get(reverse("complaints:export"), PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "vu-viec-20261001-20261031.json" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["count"] == 2 and mine.code in {c["code"] for c in data["cases"]}
    _no_secret(response.content.decode())
    login(org["verifier"])  # an officer of the inspectorate: staff, all of the agency
    assert json.loads(client.get(reverse("complaints:export"), PERIOD).content)["count"] == 2
    login(org["officer"])
    assert client.get(reverse("complaints:export"), PERIOD).status_code == 403
    login(org["other_b"])
    assert json.loads(client.get(reverse("complaints:export"), PERIOD).content)["count"] == 0


def test_management_command(org, tmp_path):
    make_case(org, kind=CaseKind.DENUNCIATION, received_on=IN_PERIOD)
    out = tmp_path / "cases.json"
    args = ["--agency", str(org["agency"].pk), "--from", "2026-10-01", "--to", "2026-10-31"]
    call_command("complaints_export", *args, "--output", str(out))
    raw = out.read_text()
    assert json.loads(raw)["count"] == 1
    _no_secret(raw)
    with pytest.raises(CommandError):
        call_command("complaints_export", "--agency", "999999", "--from", "2026-10-01", "--to", "2026-10-31")
    with pytest.raises(CommandError):
        call_command(
            "complaints_export", "--agency", str(org["agency"].pk), "--from", "x", "--to", "2026-10-31"
        )
