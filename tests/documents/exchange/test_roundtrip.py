"""Build → sign → validate against the XSD → parse: the same package or status back, the XML signature
valid and reported as RSA-SHA256 with exclusive C14N."""

from __future__ import annotations

import os

import pytest

from documents.exchange.edxml import build, parse, schema, sign
from documents.exchange.edxml.types import (
    Attachment,
    Business,
    BusinessDocType,
    ParsedPackage,
    ParsedStatus,
    Receiver,
    ReplacementInfo,
    StatusCode,
)
from tests.documents.exchange.test_build import (
    PDF,
    SAMPLES,
    agency,
    exchange_keys_fixture,  # noqa: F401
    minimal_package,
    sample_package,
    sample_status,
)
from tests.signing.conftest import pki_dir  # noqa: F401


def _round_trip(xml: bytes, who) -> bytes:
    signed = sign.sign_for_agency(xml, agency=who)
    assert schema.validate(signed) == []
    return signed


def _assert_signature(check, who) -> None:
    assert check.present and check.valid, check
    assert check.algorithm == "rsa-sha256" and check.canonicalization == "exc-c14n"
    assert who.name in check.signer


def _pdf_package(**changes):
    # Attachments whose type the parser finds by content the same as the builder was told.
    pdf = Attachment("cid:1", "15-SKHĐT-KT.pdf", PDF, "application/pdf", "Văn bản phát hành")
    return sample_package(attachments=(pdf,), **changes)


BUSINESSES = [
    Business(),
    Business(BusinessDocType.RECALL, "000.00.31.H26,2026/12/01,10/SKHĐT-KT", "Thu hồi do sai sót"),
    Business(
        BusinessDocType.UPDATE,
        "000.00.31.H26,2026/12/01,10/SKHĐT-KT",
        "Cập nhật văn bản điện tử",
        document_info="1",
        document_receiver="1",
        receivers=(Receiver("000.00.32.H26", 0), Receiver("000.00.00.H41", 1)),
    ),
    Business(
        BusinessDocType.REPLACE,
        "000.00.31.H26,2026/12/01,10/SKHĐT-KT",
        "Văn bản thay thế",
        paper=1,
        replacements=(ReplacementInfo("000.00.31.H26,2026/12/01,10/SKHĐT-KT", ("000.00.32.H26", "H26.31")),),
    ),
]


@pytest.mark.parametrize("business", BUSINESSES, ids=lambda b: b.doc_type.name)
def test_package_round_trip(exchange_keys, business):
    package = _pdf_package(business=business)
    signed = _round_trip(build.package_xml(package), agency())
    parsed = parse.parse_package(signed, verify_pdfs=False)
    assert isinstance(parsed, ParsedPackage)
    assert parsed.package == package
    _assert_signature(parsed.xml_signature, agency())


def test_minimal_package_round_trip(exchange_keys):
    package = minimal_package()
    parsed = parse.parse_package(_round_trip(build.package_xml(package), agency()), verify_pdfs=False)
    assert parsed.package == package
    _assert_signature(parsed.xml_signature, agency())


@pytest.mark.parametrize("code", list(StatusCode))
def test_status_round_trip(exchange_keys, code):
    who = agency("000.00.32.H26", "Sở Thông tin và Truyền thông")
    status = sample_status(code)
    parsed = parse.parse_status(_round_trip(build.status_xml(status), who))
    assert isinstance(parsed, ParsedStatus)
    assert parsed.status == status
    _assert_signature(parsed.xml_signature, who)
    assert isinstance(parse.parse_any(_round_trip(build.status_xml(status), who)), ParsedStatus)


def test_a_change_after_signing_is_reported_invalid(exchange_keys):
    signed = _round_trip(build.package_xml(_pdf_package()), agency())
    tampered = signed.replace("V/v rà soát".encode(), "V/v RÀ SOÁT".encode(), 1)
    assert tampered != signed
    parsed = parse.parse_package(tampered, verify_pdfs=False)
    assert parsed.xml_signature.present and not parsed.xml_signature.valid
    assert parsed.package.subject.startswith("V/v RÀ SOÁT")


@pytest.mark.parametrize("name", sorted(path.name for path in SAMPLES.glob("*.edxml")))
def test_every_real_sample_rebuilds_to_the_same_value(name):
    # parse(sample) → build → the schema → parse: what the builder writes, the parser reads back the same,
    # on the senders' own data (the .doc attachment, three recipients, the statuses' other orders).
    parsed = parse.parse_any((SAMPLES / name).read_bytes(), verify_pdfs=False)
    if isinstance(parsed, ParsedPackage):
        value, xml = parsed.package, build.package_xml(parsed.package)
        assert len(value.attachments) == 1 and len(value.recipients) == 3
    else:
        value, xml = parsed.status, build.status_xml(parsed.status)
    assert schema.validate(xml) == []
    again = parse.parse_any(xml, verify_pdfs=False)
    assert type(again) is type(parsed)
    assert (again.package if isinstance(again, ParsedPackage) else again.status) == value
    assert not again.xml_signature.present


def test_a_package_with_a_large_attachment_round_trips(exchange_keys):
    # Over libxml2's 10 MB text-node limit once in base64: built, signed, validated, parsed and verified.
    data = os.urandom(9 * 1024 * 1024)
    package = minimal_package(
        attachments=(Attachment("cid:1", "du-lieu.bin", data, "application/octet-stream"),)
    )
    signed = _round_trip(build.package_xml(package), agency())
    assert len(signed) > 12 * 1024 * 1024
    parsed = parse.parse_package(signed, verify_pdfs=False)
    assert parsed.package == package
    _assert_signature(parsed.xml_signature, agency())
