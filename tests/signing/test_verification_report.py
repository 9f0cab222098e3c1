"""signing.verification: the report as plain JSON types, built without a deep copy."""

from __future__ import annotations

import dataclasses
import json

from signing import services
from signing.verification import VerificationReport, verify_pdf
from tests.signing import samples
from tests.signing.factories import PIN


def test_as_dict_is_plain_json_and_round_trips(sample, leader_a, leader_credential):
    signed = services.sign_pdf_bytes(
        data=sample, credential=leader_credential, pin=PIN, by=leader_a, kind="leader", box=samples.SIGNER_BOX
    ).data
    report = verify_pdf(signed)
    assert report.all_ok and len(report.signatures) == 1
    # pyHanko names the field with its own string class; the report keeps a plain str
    assert type(report.signatures[0].field_name) is str and report.signatures[0].field_name
    data = report.as_dict()
    assert data == dataclasses.asdict(report)  # the same content as before, field by field
    assert json.loads(json.dumps(data)) == data
    data["signatures"][0]["signer"] = "x"  # a copy: changing it leaves the report as it was
    assert report.signatures[0].signer != "x"
    again = VerificationReport.from_dict(report.as_dict())
    assert again == report and again.all_ok


def test_as_dict_of_an_unreadable_file():
    report = verify_pdf(b"not a pdf")
    assert report.as_dict()["error"] and report.as_dict()["signatures"] == []
