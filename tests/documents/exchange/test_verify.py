# ruff: noqa: F811 — the fixtures imported from variants are used as parameters
"""documents.exchange.edxml.verify: the XML signature checked leniently, trust reported apart; PDFs' PAdES."""

from __future__ import annotations

import pytest

from documents.exchange.edxml import verify
from documents.exchange.edxml.parse import parse_package, parse_status
from documents.exchange.edxml.types import Attachment, Package
from tests.documents.exchange.variants import (  # noqa: F401 (fixtures)
    agency_key,
    authority,
    expired_key,
    replace,
    sample,
    set_text,
    sign,
    stranger_key,
    strip_signature_namespace,
    test_pki,
    unsigned,
    with_attachment,
)


def test_modern_signature_valid_and_trusted(authority, agency_key):
    data = sign(sample(), *agency_key)
    parsed = parse_package(data)
    check = parsed.xml_signature
    assert check.present and check.valid and check.trusted
    assert check.code == "xml_signature_trusted"
    assert check.message == "Chữ ký hợp lệ, chứng thư được tin cậy."
    assert (check.algorithm, check.canonicalization) == ("rsa-sha256", "exc-c14n")
    assert "CN=Sở Thông tin và Truyền thông" in check.signer
    assert "signature_no_namespace" not in {n.code for n in parsed.notices}


def test_legacy_rsa_sha1_c14n_signature_accepted_and_reported(authority, agency_key):
    check = verify.verify_xml_signature(sign(sample(), *agency_key, legacy=True))
    assert check.valid and check.trusted
    assert (check.algorithm, check.canonicalization) == ("rsa-sha1", "c14n-1.0")


def test_namespace_less_signature_moved_into_xmldsig(authority, agency_key):
    # (exclusive C14N: signxml's own signer gets inclusive C14N with a default namespace wrong — it cannot
    # verify its own output — so that combination cannot be produced here.)
    data = strip_signature_namespace(sign(sample(), *agency_key, default_namespace=True))
    assert b"<Signature>" in data
    parsed = parse_package(data)
    assert parsed.xml_signature.valid
    assert "signature_no_namespace" in {n.code for n in parsed.notices}


def test_self_signed_certificate_is_valid_but_not_trusted(authority, stranger_key):
    check = verify.verify_xml_signature(sign(sample(), *stranger_key))
    assert check.valid and not check.trusted
    assert check.code == "xml_signature_untrusted"
    assert check.message == "Chữ ký hợp lệ, chứng thư chưa được tin cậy."
    assert "Cơ quan lạ" in check.signer


def test_untrusted_when_the_test_ca_is_not_a_root(settings, authority, agency_key):
    settings.SIGNING_TRUST_TEST_CA = False
    check = verify.verify_xml_signature(sign(sample(), *agency_key))
    assert check.valid and not check.trusted


def test_tampered_package_is_invalid(authority, agency_key):
    data = set_text(sign(sample(), *agency_key), "Subject", "V/v nội dung đã bị sửa")
    parsed = parse_package(data)
    assert parsed.package.subject == "V/v nội dung đã bị sửa"
    check = parsed.xml_signature
    assert check.present and not check.valid and not check.trusted
    assert check.code == "xml_signature_invalid"


def test_tampered_attachment_is_invalid(authority, agency_key):
    data = with_attachment(
        sign(sample(), *agency_key), {"a.pdf": b"%PDF-1.4 x"}, name="a.pdf", content_type="application/zip"
    )
    assert verify.verify_xml_signature(data).code == "xml_signature_invalid"


def test_signature_over_one_element_only_is_not_accepted(authority, agency_key):
    from lxml import etree
    from signxml import XMLSigner

    root = etree.fromstring(
        unsigned(replace(sample(), "<edXML:MessageHeader>", '<edXML:MessageHeader Id="mh">'))
    )
    key, cert = agency_key
    signed = XMLSigner().sign(root, key=key, cert=[cert], reference_uri="#mh")
    check = verify.verify_xml_signature(etree.tostring(signed))
    assert not check.valid and check.code == "xml_signature_partial"


def test_expired_certificate_reported(authority, expired_key):
    check = verify.verify_xml_signature(sign(sample(), *expired_key))
    assert not check.valid and check.code == "xml_signature_expired"


def test_signed_status(authority, agency_key):
    parsed = parse_status(sign(sample("status_acceptance_03.edxml"), *agency_key))
    assert parsed.xml_signature.valid and parsed.xml_signature.trusted


def test_missing_signature():
    check = verify.verify_xml_signature(unsigned(sample()))
    assert (check.present, check.valid, check.code) == (False, False, "xml_signature_missing")


def test_placeholder_signature_reports_unreadable_certificate():
    check = verify.verify_xml_signature(sample())
    assert check.present and not check.valid and check.code == "xml_signature_certificate"


def test_garbage_signature_value_reported_not_raised(authority, agency_key):
    data = sign(sample(), *agency_key)
    start = data.index(b"<ds:SignatureValue>") + len(b"<ds:SignatureValue>")
    data = data[:start] + b"AAAA" + data[start + 4 :]
    assert verify.verify_xml_signature(data).code == "xml_signature_invalid"


def test_unknown_algorithm_reported(authority, agency_key):
    data = replace(sign(sample(), *agency_key), "xmldsig-more#rsa-sha256", "xmldsig-more#rsa-foo")
    check = verify.verify_xml_signature(data)
    assert not check.valid and check.code in ("xml_signature_unsupported", "xml_signature_malformed")


# ------------------------------------------------------------------------------------------------ PDFs


@pytest.fixture
def signed_pdf(authority, agency_key):
    from signing.engine import LoadedKeySigner, SignOptions, sign_pdf, to_asn1
    from tests.signing.samples import sample_pdf

    key, cert = agency_key
    signer = LoadedKeySigner(private_key=key, signing_cert=to_asn1(cert), chain=[to_asn1(authority.cert)])
    return sign_pdf(sample_pdf(), signer=signer, options=SignOptions(level="B-B"))


def _package(*attachments: Attachment) -> Package:
    base = parse_package(sample(), verify_pdfs=False).package
    from dataclasses import replace as dc_replace

    return dc_replace(base, attachments=attachments)


def test_pdf_attachments_verified_by_content(signed_pdf):
    from tests.signing.samples import sample_pdf

    package = _package(
        Attachment(content_id="cid:1", name="qd.pdf", data=signed_pdf),
        Attachment(content_id="cid:2", name="phu-luc.pdf", data=sample_pdf()),
        Attachment(content_id="cid:3", name="x.doc", data=b"\xd0\xcf", content_type="application/msword"),
    )
    results = dict(verify.verify_pdf_attachments(package))
    assert set(results) == {"cid:1", "cid:2"}
    assert results["cid:1"].valid and results["cid:1"].trusted and results["cid:1"].code == "pdf_trusted"
    assert "Sở Thông tin và Truyền thông" in results["cid:1"].signer
    assert results["cid:2"].present is False and results["cid:2"].code == "pdf_unsigned"


def test_damaged_pdf_reported(authority):
    package = _package(Attachment(content_id="cid:1", name="qd.pdf", data=b"%PDF-1.7 broken"))
    ((cid, check),) = verify.verify_pdf_attachments(package)
    assert cid == "cid:1" and check.code == "pdf_unreadable" and not check.valid


def test_parse_package_reports_the_pdf_signature(signed_pdf):
    data = with_attachment(sample(), {"qd.pdf": signed_pdf}, name="qd.pdf", content_type="application/zip")
    parsed = parse_package(data)
    assert parsed.package.attachments[0].content_type == "application/pdf"
    ((cid, check),) = parsed.pdf_signatures
    assert cid == "cid:209" and check.valid
