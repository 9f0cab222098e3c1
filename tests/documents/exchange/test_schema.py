"""documents.exchange.edxml.schema: the XSD written from the samples accepts every sample and every package
and status the builder makes, signed or not, and refuses what breaks the layout."""

from __future__ import annotations

import os

import pytest

from documents.exchange.edxml import build, schema, sign
from documents.exchange.edxml.types import (
    Attachment,
    Business,
    BusinessDocType,
    Receiver,
    ReplacementInfo,
    StatusCode,
)
from tests.documents.exchange.test_build import (
    SAMPLES,
    agency,
    exchange_keys_fixture,  # noqa: F401
    minimal_package,
    sample_package,
    sample_status,
)
from tests.signing.conftest import pki_dir  # noqa: F401

SAMPLE_NAMES = sorted(path.name for path in SAMPLES.glob("*.edxml"))


def test_the_samples_are_there():
    assert len(SAMPLE_NAMES) == 13
    assert {"edoc_update.edxml", "edoc_revocation.edxml", "edoc_replacement.edxml", "status.edxml"} <= set(
        SAMPLE_NAMES
    )


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_every_real_sample_validates(name):
    # Including their namespace-less <Signature> (C14N 1.0, RSA-SHA1), the impossible date 2014/02/30 of
    # edoc_update's Bussiness/DocumentId (a string for the schema) and the statuses' children in other orders.
    assert schema.validate((SAMPLES / name).read_bytes()) == []


BUSINESSES = [
    Business(),
    Business(BusinessDocType.RECALL, "000.00.31.H26,2026/12/01,10/SKHĐT-KT", "Thu hồi"),
    Business(
        BusinessDocType.UPDATE,
        "000.00.31.H26,2026/12/01,10/SKHĐT-KT",
        "Cập nhật",
        document_info="1",
        document_receiver="1",
        receivers=(Receiver("000.00.32.H26", 0),),
    ),
    Business(
        BusinessDocType.REPLACE,
        reason="Thay thế",
        replacements=(ReplacementInfo("000.00.31.H26,2026/12/01,10/SKHĐT-KT", ("000.00.32.H26", "H26.31")),),
    ),
]


@pytest.mark.parametrize("business", BUSINESSES, ids=lambda b: b.doc_type.name)
@pytest.mark.parametrize("make", [sample_package, minimal_package], ids=["full", "minimal"])
def test_every_built_package_validates(make, business):
    assert schema.validate(build.package_xml(make(business=business))) == []


@pytest.mark.parametrize("code", list(StatusCode))
def test_every_built_status_validates(code):
    assert schema.validate(build.status_xml(sample_status(code))) == []
    bare = sample_status(code, staff=None, description="" if code not in ("02", "13") else "Lý do")
    assert schema.validate(build.status_xml(bare)) == []


def test_signed_package_and_status_validate(exchange_keys):
    package = sign.sign_for_agency(build.package_xml(sample_package()), agency=agency())
    status = sign.sign_for_agency(build.status_xml(sample_status()), agency=agency())
    assert schema.validate(package) == [] and schema.validate(status) == []


def _problems(xml: bytes, before: bytes, after: bytes) -> list[str]:
    assert before in xml
    return schema.validate(xml.replace(before, after, 1))


def test_schema_refuses_what_breaks_the_layout():
    xml = build.package_xml(minimal_package())
    status = build.status_xml(sample_status())
    assert _problems(xml, b"<edXML:Subject>", b"<edXML:Subjekt>") != []
    assert any("Subjekt" in problem for problem in _problems(xml, b"Subject>", b"Subjekt>"))
    no_to = xml.replace(xml[xml.index(b"<edXML:To>") : xml.index(b"</edXML:To>") + len(b"</edXML:To>")], b"")
    assert schema.validate(no_to) != []
    assert _problems(xml, b"<edXML:PromulgationDate>2026/12/07", b"<edXML:PromulgationDate>07/12/2026") != []
    assert _problems(xml, b"<edXML:OrganId>000.00.31.H26", b"<edXML:OrganId>") != []  # an empty agency id
    assert _problems(status, b"<edXML:StatusCode>03", b"<edXML:StatusCode>07") != []  # not a published code
    assert _problems(status, b"2026/12/07 10:00:05", b"2026-12-07T10:00:05") != []
    assert _problems(xml, b"<edXML:BussinessDocType>0", b"<edXML:BussinessDocType>4") != []
    wrong_namespace = xml.replace(b"QCVN_102_2016", b"QCVN_102_2015")
    assert schema.validate(wrong_namespace) != []


def test_schema_refuses_a_doctype_and_bad_xml():
    xml = build.status_xml(sample_status())
    with_doctype = xml.replace(b"?>\n", b'?>\n<!DOCTYPE edXML [<!ENTITY x "y">]>\n', 1)
    assert schema.validate(with_doctype) == ["a document type declaration is not allowed"]
    problems = schema.validate(xml[:200])
    assert len(problems) == 1 and problems[0].startswith("not well-formed")


def test_the_schema_is_loaded_once():
    assert schema.schema() is schema.schema()


def test_a_large_attachment_validates():
    # One base64 text node over libxml2's 10 MB default limit.
    data = os.urandom(8 * 1024 * 1024)  # random: the ZIP does not shrink it
    package = minimal_package(attachments=(Attachment("cid:1", "big.bin", data, "application/octet-stream"),))
    xml = build.package_xml(package)
    assert len(xml) > 10 * 1024 * 1024
    assert schema.validate(xml) == []


def test_schema_refuses_a_content_id_twice():
    xml = build.package_xml(sample_package())
    assert schema.validate(xml) == []
    twice = xml.replace(b"<ContentId>cid:2</ContentId>", b"<ContentId>cid:1</ContentId>", 1)
    assert any("AttachmentContentId" in problem for problem in schema.validate(twice))
    twice = xml.replace(
        b"<edXML:ContentId>cid:2</edXML:ContentId>", b"<edXML:ContentId>cid:1</edXML:ContentId>", 1
    )
    assert any("ReferenceContentId" in problem for problem in schema.validate(twice))


def test_an_xmldsig_signature_is_checked_against_the_w3c_schema(exchange_keys):
    signed = sign.sign_for_agency(build.package_xml(sample_package()), agency=agency())
    start, end = signed.index(b"<ds:SignatureValue>"), signed.index(b"</ds:SignatureValue>")
    without_value = signed[:start] + signed[end + len(b"</ds:SignatureValue>") :]
    problems = schema.validate(without_value)
    assert len(problems) == 1 and "SignatureValue" in problems[0]
    line = signed[:start].count(b"\n") + 1
    assert problems[0].startswith(f"line {line}:")
    wrong_algorithm = signed.replace(b'<ds:DigestMethod Algorithm="', b'<ds:DigestMethod Algorithmus="', 1)
    assert schema.validate(wrong_algorithm) != []
