# ruff: noqa: F811 — the fixtures imported from variants are used as parameters
"""Every variant of domain-exchange.md, made from the real samples: accepted (with its Notice) or refused
(with its code and a Vietnamese reason) — never a crash, never half a value."""

from __future__ import annotations

import base64
import random
import re
import zipfile

import pytest

from documents.exchange.edxml.parse import parse_package, parse_status
from documents.exchange.edxml.types import EdxmlError
from tests.documents.exchange import variants as v
from tests.documents.exchange.variants import agency_key, authority, test_pki  # noqa: F401 (fixtures)

MB = 1024 * 1024
DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600  # an OLE (.doc) header


def refused(data: bytes, code: str, parse=parse_package) -> EdxmlError:
    with pytest.raises(EdxmlError) as caught:
        parse(data)
    assert caught.value.code == code, caught.value.message
    assert caught.value.message and caught.value.message[0].isupper()
    return caught.value


def notice_codes(parsed) -> list[str]:
    return [n.code for n in parsed.notices]


# --------------------------------------------------------------------------------------------- envelope


@pytest.mark.parametrize(
    ("prefix", "notice"),
    [
        (b"\xef\xbb\xbf", "bom"),
        (b"garbage\r\n\x00\x01", "stray_bytes"),
        (b"\xef\xbb\xbf\r\n  ", "bom"),
        (b"\r\n \t", None),
    ],
)
def test_stray_bytes_before_the_declaration_are_stripped(prefix, notice):
    parsed = parse_package(v.with_prefix(v.sample(), prefix))
    assert parsed.package.code.text == "7816/VPCP-TTĐT"
    if notice:
        assert notice in notice_codes(parsed)
    else:
        assert not {"bom", "stray_bytes"} & set(notice_codes(parsed))


def test_stray_bytes_before_a_status():
    parsed = parse_status(v.with_prefix(v.sample("status_finish_06.edxml"), b"HTTP junk\n"))
    assert parsed.status.code == "06"
    assert notice_codes(parsed) == ["stray_bytes"]


def test_xmldsig_namespaced_signature_needs_no_notice():
    parsed = parse_package(v.signature_in_xmldsig(v.sample()))
    assert "signature_no_namespace" not in notice_codes(parsed)
    assert parsed.xml_signature.present and parsed.xml_signature.code == "xml_signature_certificate"


def test_namespace_less_signature_is_found_and_noticed():
    parsed = parse_package(v.sample())
    assert "signature_no_namespace" in notice_codes(parsed)
    assert parsed.xml_signature.present


def test_xlink_attributes_on_manifest_references_accepted():
    plain = parse_package(v.sample()).package
    parsed = parse_package(v.xlink_manifest(v.sample()))
    assert parsed.package == plain


def test_soap_attributes_on_trace_header_list_accepted():
    plain = parse_package(v.sample()).package
    parsed = parse_package(v.soap_trace_list(v.sample()))
    assert parsed.package == plain


def test_undeclared_edxml_prefix_recovered():
    data = v.undeclared_edxml_prefix(v.sample())
    assert b'xmlns:edXML="' not in data
    parsed = parse_package(data)
    assert parsed.package == parse_package(v.sample()).package
    assert "prefix_recovered" in notice_codes(parsed)


@pytest.mark.parametrize(
    ("variant", "prefix"),
    [(v.xlink_manifest, "xlink"), (v.soap_trace_list, "SOAP-ENV")],
)
def test_undeclared_attribute_prefix_recovered(variant, prefix):
    """xlink / SOAP attributes whose prefix the sender forgot to declare."""
    data = variant(v.sample())
    data = re.sub(rf' xmlns:{prefix}="[^"]*"'.encode(), b"", data)
    parsed = parse_package(data)
    assert parsed.package == parse_package(v.sample()).package
    assert "prefix_recovered" in notice_codes(parsed)


def test_xml_declaration_inside_content_is_not_taken_for_the_start():
    data = v.set_text(v.unsigned(v.sample()), "Content", "<![CDATA[ví dụ: <?xml version='1.0'?>]]>")
    data = data.split(b"\n", 1)[1]  # no declaration of its own
    parsed = parse_package(data)
    assert parsed.package.content == "ví dụ: <?xml version='1.0'?>"
    assert not {"bom", "stray_bytes"} & set(notice_codes(parsed))


def test_unknown_undeclared_prefix_refused():
    error = refused(v.unknown_prefix(v.sample()), "undeclared_prefix")
    assert "“foo”" in error.message


def test_truncated_xml_refused():
    data = v.sample()
    refused(data[: len(data) // 2], "malformed")


def test_not_edxml_refused():
    refused(b'<?xml version="1.0"?><html><body/></html>', "not_edxml")


@pytest.mark.parametrize("data", [b"", b"   \r\n"])
def test_empty_refused(data):
    refused(data, "empty")


# ---------------------------------------------------------------------------------------------- hostile


def test_billion_laughs_refused():
    refused(v.billion_laughs(v.sample()), "doctype")


def test_external_entity_refused():
    error = refused(v.external_entity(v.sample()), "doctype")
    assert "root:" not in error.message


def test_doctype_after_a_comment_that_looks_like_a_tag_refused():
    data = v.billion_laughs(v.sample()).replace(b"<!DOCTYPE", b"<!-- <edXML> --><!DOCTYPE", 1)
    refused(data, "doctype")


def test_comment_before_the_root_is_fine():
    data = v.replace(v.sample(), "<edXML ", "<!-- <!DOCTYPE nothing> --><edXML ")
    assert parse_package(data, verify_pdfs=False).package.subject


def test_doctype_in_utf16_refused_after_parsing():
    text = v.external_entity(v.sample()).decode("utf-8")
    data = text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    assert b"<\x00!\x00D\x00O\x00C\x00T\x00Y\x00P\x00E\x00" in data  # not visible to a byte scan
    refused(data, "doctype")


def test_huge_package_refused_before_parsing(settings):
    settings.EXCHANGE_MAX_PACKAGE_BYTES = 100_000
    error = refused(v.sample(), "too_large")
    assert "100000" in error.message


def test_package_over_the_default_limit_refused():
    refused(v.sample() + b" " * (50 * MB), "too_large")


# ---------------------------------------------------------------------------------------- agency codes


def test_invalid_agency_id_accepted_with_a_notice():
    data = v.set_text(v.sample(), "OrganId", "SO-TTTT-NGHEAN")
    parsed = parse_package(data)
    assert parsed.package.sender.organ_id == "SO-TTTT-NGHEAN"
    notice = next(n for n in parsed.notices if n.code == "agency_code_invalid")
    assert "Mã định danh không hợp lệ" in notice.message and "From/OrganId" in notice.message


def test_qd20_agency_id_accepted_without_notice():
    parsed = parse_package(v.set_text(v.sample(), "OrganId", "H40.25"))
    assert parsed.package.sender.organ_id == "H40.25"
    assert "agency_code_invalid" not in notice_codes(parsed)


def test_uuid_document_id_accepted():
    parsed = parse_package(v.set_text(v.sample(), "DocumentId", "3ed3cc90-1dcb-4382-9725-1de9cd899790"))
    assert parsed.package.document_id == "3ed3cc90-1dcb-4382-9725-1de9cd899790"


# ------------------------------------------------------------------------------------ required elements


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("From/OrganId", "From/OrganId"),
        ("From", "From/OrganId"),
        ("To/OrganId", "To/OrganId"),
        ("DocumentId", "DocumentId"),
        ("Code", "Code"),
        ("PromulgationDate", "PromulgationInfo/PromulgationDate"),
        ("DocumentType/Type", "DocumentType/Type"),
        ("DocumentType", "DocumentType/Type"),
        ("Subject", "Subject"),
        ("MessageHeader", "MessageHeader"),
    ],
)
def test_package_missing_required_element_refused(path, name):
    error = refused(v.drop(v.sample(), path), "missing_element")
    assert name in error.message


def test_package_without_any_recipient_refused():
    error = refused(v.drop_all(v.sample(), "To"), "missing_element")
    assert "To" in error.message


def test_empty_subject_refused():
    refused(v.set_text(v.sample(), "Subject", "  "), "missing_element")


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("From/OrganId", "From/OrganId"),
        ("ResponseFor", "ResponseFor"),
        ("ResponseFor/OrganId", "ResponseFor/OrganId"),
        ("ResponseFor/DocumentId", "ResponseFor/DocumentId"),
        ("StatusCode", "StatusCode"),
        ("Timestamp", "Timestamp"),
    ],
)
def test_status_missing_required_element_refused(path, name):
    data = v.drop(v.sample("status_acceptance_03.edxml"), path)
    if path == "StatusCode":  # without a StatusCode a header is a package's: parse_status says so
        refused(data, "not_status", parse_status)
        return
    error = refused(data, "missing_element", parse_status)
    assert name in error.message


# ------------------------------------------------------------------------------------------------ dates


def test_impossible_promulgation_date_refused():
    error = refused(v.set_text(v.sample(), "PromulgationDate", "2014/02/30"), "bad_date")
    assert "2014/02/30" in error.message and "PromulgationDate" in error.message


def test_promulgation_date_in_another_format_refused():
    refused(v.set_text(v.sample(), "PromulgationDate", "28-09-2018"), "bad_date")


def test_impossible_due_date_is_a_notice():
    parsed = parse_package(v.set_text(v.sample(), "DueDate", "2014/02/30"))
    assert parsed.package.due_date is None
    assert "optional_date_invalid" in notice_codes(parsed)


def test_impossible_status_timestamp_refused():
    data = v.set_text(v.sample("status_finish_06.edxml"), "Timestamp", "2015/02/30 11:08:36")
    refused(data, "bad_timestamp", parse_status)


def test_impossible_response_for_date_in_status_is_a_notice():
    data = v.set_text(v.sample("status_finish_06.edxml"), "PromulgationDate", "2015/13/01")
    parsed = parse_status(data)
    assert parsed.status.response_for.promulgation_date is None
    assert notice_codes(parsed) == ["optional_date_invalid"]


def test_bad_trace_timestamp_drops_the_trace_with_a_notice():
    parsed = parse_package(v.set_text(v.sample(), "Timestamp", "hôm qua"))
    assert parsed.package.traces == ()
    assert "trace_invalid" in notice_codes(parsed)


def test_bad_document_type_number_refused():
    refused(v.set_text(v.sample(), "Type", "một"), "bad_number")


def test_bad_business_type_refused():
    refused(v.set_text(v.sample(), "BussinessDocType", "7"), "bad_business_type")


# ------------------------------------------------------------------------------------------ attachments


def test_bad_base64_refused():
    refused(v.with_payload(v.sample(), "!!!không phải base64***"), "attachment_base64")


def test_attachment_over_the_xml_text_node_limit_accepted():
    pdf = b"%PDF-1.4\n" + random.Random(5).randbytes(11 * MB)  # base64: ~15 MB, over libxml2's 10 MB
    data = v.with_attachment(v.sample(), {"qd.pdf": pdf}, name="qd.pdf", content_type="application/zip")
    parsed = parse_package(data, verify_pdfs=False)
    assert parsed.package.attachments[0].data == pdf


def test_big_signed_package_verifies(authority, agency_key):
    pdf = b"%PDF-1.4\n" + random.Random(6).randbytes(11 * MB)
    data = v.with_attachment(v.sample(), {"qd.pdf": pdf}, name="qd.pdf", content_type="application/zip")
    check = parse_package(v.sign(data, *agency_key), verify_pdfs=False).xml_signature
    assert check.valid and check.trusted


def test_zip_bomb_refused():
    refused(v.with_payload(v.sample(), v.zip_bomb(20)), "zip_bomb")


def test_zip_with_path_traversal_refused():
    error = refused(v.with_payload(v.sample(), v.traversal_zip()), "zip_traversal")
    assert "../../etc/cron.d/evil" in error.message


def test_encrypted_zip_refused():
    raw = bytearray(v.zipped({"a.pdf": b"%PDF-1.4"}, compression=zipfile.ZIP_STORED))
    raw[6] |= 0x1  # local header flag: encrypted
    central = raw.rfind(b"PK\x01\x02")
    raw[central + 8] |= 0x1  # central directory flag: encrypted
    refused(v.with_payload(v.sample(), bytes(raw)), "zip_encrypted")


def test_broken_zip_refused():
    refused(v.with_payload(v.sample(), b"PK\x03\x04" + b"\x00" * 40), "zip_invalid")


def test_empty_zip_refused():
    refused(v.with_payload(v.sample(), v.zipped({})), "zip_empty")


def test_attachment_over_the_file_limit_refused(settings):
    settings.EXCHANGE_MAX_ATTACHMENT_BYTES = 1000
    data = v.with_attachment(
        v.sample(),
        {"qd.pdf": b"%PDF-1.4\n" + bytes(range(256)) * 8},
        name="qd.pdf",
        content_type="application/zip",
    )
    refused(data, "attachment_too_large")


def test_attachments_over_the_total_limit_refused(settings):
    settings.EXCHANGE_MAX_ATTACHMENTS_TOTAL_BYTES = 1000
    data = v.with_attachment(
        v.sample(),
        {"qd.pdf": b"%PDF-1.4\n" + bytes(range(256)) * 8},
        name="qd.pdf",
        content_type="application/zip",
    )
    refused(data, "attachments_too_large")


def test_pdf_recognised_by_content_whatever_the_declared_type():
    data = v.with_attachment(
        v.sample(), {"qd.doc": b"%PDF-1.4\n%%EOF"}, name="qd.doc", content_type="application/msword"
    )
    parsed = parse_package(data)
    (attachment,) = parsed.package.attachments
    assert attachment.content_type == "application/pdf"
    assert "attachment_type_differs" in notice_codes(parsed)
    ((cid, check),) = parsed.pdf_signatures  # a PDF by content: its signatures are checked
    assert cid == "cid:209" and not check.valid


def test_doc_named_pdf_is_not_taken_for_a_pdf():
    data = v.with_attachment(v.sample(), {"qd.pdf": DOC}, name="qd.pdf", content_type="application/pdf")
    parsed = parse_package(data)
    assert parsed.package.attachments[0].content_type == "application/msword"
    assert parsed.pdf_signatures == ()
    assert "attachment_type_differs" in notice_codes(parsed)


@pytest.mark.parametrize(
    ("files", "name", "content_type"),
    [
        ({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}, "bc.docx", "wordprocessingml"),
        ({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<x/>"}, "bang.xlsx", "spreadsheetml"),
        (
            {"mimetype": b"application/vnd.oasis.opendocument.text", "META-INF/manifest.xml": b"<m/>"},
            "bc.odt",
            "opendocument.text",
        ),
    ],
)
def test_office_files_sniffed_inside_the_wrapper_zip(files, name, content_type):
    data = v.with_attachment(v.sample(), {name: v.zipped(files)}, name=name, content_type="application/zip")
    parsed = parse_package(data)
    assert content_type in parsed.package.attachments[0].content_type
    assert "attachment_type_differs" not in notice_codes(parsed)


def test_zip_with_too_many_members_refused(settings):
    settings.EXCHANGE_MAX_ZIP_MEMBERS = 5
    files = {f"{i}.txt": b"x" for i in range(6)}
    refused(
        v.with_attachment(v.sample(), files, name="qd.pdf", content_type="application/zip"), "zip_too_many"
    )


def test_wrapper_zip_with_a_word_folder_is_still_the_wrapper():
    files = {"word/qd.pdf": b"%PDF-1.4 in a folder"}
    parsed = parse_package(
        v.with_attachment(v.sample(), files, name="qd.pdf", content_type="application/zip")
    )
    assert parsed.package.attachments[0].data == b"%PDF-1.4 in a folder"
    assert "attachment_name_differs" not in notice_codes(parsed)


def test_zip_of_several_files_gives_the_one_named_like_the_attachment():
    files = {"readme.txt": b"x", "qd.pdf": b"%PDF-1.4 qd"}
    parsed = parse_package(
        v.with_attachment(v.sample(), files, name="qd.pdf", content_type="application/zip")
    )
    assert parsed.package.attachments[0].data == b"%PDF-1.4 qd"


def test_zip_of_several_unnamed_files_refused():
    files = {"a.pdf": b"%PDF-1.4 a", "b.pdf": b"%PDF-1.4 b"}
    refused(
        v.with_attachment(v.sample(), files, name="qd.pdf", content_type="application/zip"), "zip_ambiguous"
    )


def test_unzipped_attachment_accepted_with_a_notice():
    parsed = parse_package(v.with_payload(v.sample(), b"%PDF-1.4 raw"))
    assert parsed.package.attachments[0].data == b"%PDF-1.4 raw"
    assert "attachment_not_zipped" in notice_codes(parsed)


def test_duplicate_content_id_refused():
    error = refused(v.duplicate_attachment(v.sample()), "attachment_duplicate")
    assert "cid:209" in error.message


def test_content_ids_matched_without_their_cid_prefix():
    data = v.replace(v.sample(), "<ContentId>cid:209</ContentId>", "<ContentId>209</ContentId>")
    parsed = parse_package(data)
    assert parsed.package.attachments[0].content_id == "209"
    assert "attachment_unlisted" not in notice_codes(parsed)


def test_manifest_reference_without_its_attachment_refused():
    data = v.replace(v.sample(), "<ContentId>cid:209</ContentId>", "<ContentId>cid:210</ContentId>")
    error = refused(data, "attachment_missing")
    assert "209" in error.message


def test_attachment_with_base64_line_breaks_accepted():
    raw = v.zipped({"qd.pdf": b"%PDF-1.4 " + b"x" * 300})
    text = base64.encodebytes(raw).decode()  # 76-character lines
    parsed = parse_package(v.with_payload(v.sample(), text))
    assert parsed.package.attachments[0].data.startswith(b"%PDF-1.4 x")
