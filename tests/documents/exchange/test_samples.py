"""Every real sample (tests/documents/exchange/samples, a copy of ../shared/reference/edxml) parses (its
placeholder signature reported, not fatal)."""

from __future__ import annotations

import datetime as dt

import pytest

from documents.exchange.edxml.parse import VIETNAM, parse_any, parse_package, parse_status
from documents.exchange.edxml.types import BusinessDocType, ParsedPackage, ParsedStatus, StatusCode
from tests.documents.exchange.variants import PACKAGE_SAMPLES, STATUS_SAMPLES, sample

BUSINESS = {
    "edoc_update.edxml": BusinessDocType.UPDATE,
    "edoc_revocation.edxml": BusinessDocType.RECALL,
    "edoc_replacement.edxml": BusinessDocType.REPLACE,
}


def codes(parsed) -> set[str]:
    return {n.code for n in parsed.notices}


def test_the_samples_are_all_there():
    assert len(PACKAGE_SAMPLES) == 3
    assert len(STATUS_SAMPLES) == 10


@pytest.mark.parametrize("name", PACKAGE_SAMPLES)
def test_package_sample_parses(name):
    parsed = parse_package(sample(name))
    package = parsed.package
    assert package.sender.organ_id == "000.00.00.G22"
    assert package.sender.organ_name == "Văn phòng Chính phủ"
    assert [r.organ_id for r in package.recipients] == ["000.00.00.H41", "000.00.00.H14", "000.00.00.G17"]
    assert package.document_id == "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT"
    assert package.code.text == "7816/VPCP-TTĐT"
    assert package.promulgation_date == dt.date(2018, 9, 28)
    assert (package.type, package.type_detail, package.type_name) == (1, 0, "Công văn")
    assert package.subject == "V/v kết nối, liên thông phần mềm quản lý văn bản"
    assert package.signer.full_name == "Nguyen Thanh Phuc"
    assert package.due_date == dt.date(2018, 9, 28)
    assert package.to_places == ("Cac bo va co quan ngang bo", "Uy ban nhan dan cac tinh, TP")
    assert (package.steering_type, package.priority, package.page_amount) == (1, 0, 22)
    assert package.direction is False
    assert package.traces[0].organ_id == "000.00.00.G22"
    assert package.traces[0].timestamp == dt.datetime(2018, 9, 28, tzinfo=VIETNAM)
    assert package.business.doc_type == BUSINESS[name]
    assert package.business.staff.staff == "Nguyễn Thị Ngọc Trâm"
    # The attachment: a ZIP whose one file is not named like the attachment, and is not a .doc at all.
    (attachment,) = package.attachments
    assert attachment.content_id == "cid:209"
    assert attachment.name == "1896_QD-TTg_m_294779.doc"
    assert attachment.data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert attachment.content_type == "application/xml"
    assert {"attachment_name_differs", "attachment_type_differs", "signature_no_namespace"} <= codes(parsed)
    # The placeholder signature (a truncated certificate) is reported, not fatal.
    check = parsed.xml_signature
    assert check.present and not check.valid and not check.trusted
    assert check.code == "xml_signature_certificate"
    assert (check.algorithm, check.canonicalization) == ("rsa-sha1", "c14n-1.0")
    assert parsed.pdf_signatures == ()


def test_update_sample_keeps_its_impossible_business_date_with_a_notice():
    parsed = parse_package(sample("edoc_update.edxml"))
    business = parsed.package.business
    assert business.document_id == "000.00.00.G22,2014/02/30,7806/VPCP-TTĐT"
    assert "document_id_date_invalid" in codes(parsed)
    assert business.reason == "Cập nhật văn bản điện tử"
    assert (business.document_info, business.document_receiver) == ("1", "1")
    assert [(r.organ_id, r.receiver_type) for r in business.receivers] == [
        ("000.00.00.H41", 0),
        ("000.00.00.H14", 1),
    ]


def test_replacement_sample_lists_what_it_replaces():
    business = parse_package(sample("edoc_replacement.edxml")).package.business
    assert len(business.replacements) == 2
    assert business.replacements[0].document_id == "000.00.00.G22,2014/01/30,7806/VPCP-TTĐT"
    assert business.replacements[0].organ_ids == ("000.00.00.H41", "000.00.00.H14")


def test_revocation_sample_has_no_business_document_id():
    parsed = parse_package(sample("edoc_revocation.edxml"))
    assert parsed.package.business.doc_type == BusinessDocType.RECALL
    assert parsed.package.business.document_id == ""
    assert "document_id_date_invalid" not in codes(parsed)


@pytest.mark.parametrize("name", STATUS_SAMPLES)
def test_status_sample_parses(name):
    parsed = parse_status(sample(name))
    status = parsed.status
    expected = name.rsplit("_", 1)[-1].removesuffix(".edxml")
    assert status.code == StatusCode(expected if expected.isdigit() else "01")
    # 13 goes from the sender of the document to its recipient, the others back.
    pair = ("000.00.00.G22", "000.00.00.H41") if expected == "13" else ("000.00.00.H41", "000.00.00.G22")
    assert (status.sender.organ_id, status.response_for.organ_id) == pair
    assert status.response_for.document_id == "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT"
    assert status.response_for.code == "7816/VPCP-TTĐT"
    assert status.timestamp.tzinfo == VIETNAM
    assert status.description
    assert status.staff is not None and status.staff.department
    assert parsed.xml_signature.present is False
    assert parsed.xml_signature.code == "xml_signature_missing"
    assert parsed.notices == ()


def test_rejection_sample_fields():
    status = parse_status(sample("status_rejection_02.edxml")).status
    assert status.code == StatusCode.REFUSED
    assert status.description.endswith("Từ chối không tiếp nhận văn bản điện tử")
    assert status.timestamp == dt.datetime(2015, 9, 20, 11, 8, 36, tzinfo=VIETNAM)
    assert status.response_for.promulgation_date == dt.date(2015, 9, 30)
    assert status.staff.mobile == "84912000001"


@pytest.mark.parametrize("name", PACKAGE_SAMPLES + STATUS_SAMPLES)
def test_parse_any_tells_packages_from_statuses(name):
    parsed = parse_any(sample(name))
    assert isinstance(parsed, ParsedStatus if name.startswith("status") else ParsedPackage)
