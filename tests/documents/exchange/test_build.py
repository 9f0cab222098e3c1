"""documents.exchange.edxml.build and .sign: packages and status messages laid out as the axis' samples,
deterministic, signed with the agency's exchange key (enveloped XML-DSig, exclusive C14N, RSA-SHA256)."""

from __future__ import annotations

import base64
import datetime as dt
import io
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from cryptography.hazmat.primitives import serialization
from lxml import etree

from documents.exchange.edxml import build, sign
from documents.exchange.edxml.types import (
    NAMESPACE,
    XMLDSIG_NAMESPACE,
    Attachment,
    Business,
    BusinessDocType,
    Code,
    EdxmlError,
    Organ,
    Package,
    Receiver,
    ReplacementInfo,
    ResponseFor,
    SignerInfo,
    StaffInfo,
    StatusCode,
    StatusMessage,
    Trace,
)
from tests.signing.conftest import pki_dir  # noqa: F401

# The axis' samples (a copy of ../shared/reference/edxml kept with the tests).
SAMPLES = Path(__file__).with_name("samples")
NS = {"e": NAMESPACE, "ds": XMLDSIG_NAMESPACE}
LOCAL = dt.timezone(dt.timedelta(hours=7))
PDF = b"%PDF-1.7\n% a tiny stand-in for the issued PDF\n%%EOF\n"


# --- values shared by the exchange tests ----------------------------------------------------------------


def sender() -> Organ:
    return Organ(
        organ_id="000.00.31.H26",
        organ_name="Sở Kế hoạch và Đầu tư",
        organization_in_charge="Ủy ban nhân dân thành phố Hà Nội",
        address="16 Cát Linh, Đống Đa, Hà Nội",
        email="skhdt@hanoi.gov.vn",
        telephone="024 3825 6637",
        fax="024 3825 1733",
        website="skhdt.hanoi.gov.vn",
    )


def recipient(code: str = "000.00.32.H26", name: str = "Sở Thông tin và Truyền thông") -> Organ:
    return Organ(organ_id=code, organ_name=name, organization_in_charge="UBND thành phố Hà Nội")


def sample_package(**changes) -> Package:
    """A package with every field of the standard set."""
    values = {
        "sender": sender(),
        "recipients": (recipient(), recipient("000.00.00.H41", "UBND Tỉnh Nghệ An")),
        "document_id": "000.00.31.H26,2026/12/07,15/SKHĐT-KT",
        "code": Code("15", "SKHĐT-KT"),
        "promulgation_place": "Hà Nội",
        "promulgation_date": dt.date(2026, 12, 7),
        "type": 1,
        "type_detail": 0,
        "type_name": "Công văn",
        "subject": "V/v rà soát danh mục dự án đầu tư công năm 2027",
        "content": "Đề nghị Quý cơ quan phối hợp rà soát.",
        "signer": SignerInfo("KT. GIÁM ĐỐC", "Phó Giám đốc", "Vũ Đức Thắng"),
        "due_date": dt.date(2026, 12, 30),
        "to_places": ("Sở Thông tin và Truyền thông", "UBND Tỉnh Nghệ An"),
        "steering_type": 1,
        "priority": 2,
        "sphere_of_promulgation": "Liên thông văn bản quốc gia",
        "typer_notation": "HT",
        "promulgation_amount": 3,
        "page_amount": 2,
        "direction": False,
        "appendixes": ("Danh mục dự án",),
        "response_for": (
            ResponseFor(
                "000.00.00.H41", "120/UBND-KT", dt.date(2026, 11, 20), "000.00.00.H41,2026/11/20,120/UBND-KT"
            ),
        ),
        "traces": (Trace("000.00.31.H26", dt.datetime(2026, 12, 7, 9, 15, 30, tzinfo=LOCAL)),),
        "business": Business(
            staff=StaffInfo("Văn phòng", "Đặng Thị Hương", "huong@hanoi.gov.vn", "0912000001")
        ),
        "attachments": (
            Attachment("cid:1", "15-SKHĐT-KT.pdf", PDF, "application/pdf", "Văn bản phát hành"),
            Attachment("cid:2", "danh-muc.xlsx", b"PK\x03\x04 a spreadsheet", "application/zip", "Phụ lục"),
        ),
    }
    values.update(changes)
    return Package(**values)


def minimal_package(**changes) -> Package:
    """A package with only what the standard requires."""
    values = {
        "sender": Organ("000.00.31.H26"),
        "recipients": (Organ("000.00.32.H26"),),
        "document_id": "000.00.31.H26,2026/12/07,16/SKHĐT-VP",
        "code": Code("16", "SKHĐT-VP"),
        "promulgation_place": "Hà Nội",
        "promulgation_date": dt.date(2026, 12, 7),
        "type": 1,
        "type_detail": 0,
        "type_name": "Công văn",
        "subject": "V/v thử nghiệm",
    }
    values.update(changes)
    return Package(**values)


def sample_status(code: StatusCode = StatusCode.ACCEPTED, **changes) -> StatusMessage:
    values = {
        "sender": recipient(),
        "response_for": ResponseFor(
            "000.00.31.H26", "15/SKHĐT-KT", dt.date(2026, 12, 7), "000.00.31.H26,2026/12/07,15/SKHĐT-KT"
        ),
        "code": code,
        "timestamp": dt.datetime(2026, 12, 7, 10, 0, 5, tzinfo=LOCAL),
        "description": "Văn thư: đã tiếp nhận, vào sổ văn bản đến",
        "staff": StaffInfo("Văn phòng", "Lý Thị Nhận", "nhan@stttt.example", "0912000002"),
    }
    values.update(changes)
    return StatusMessage(**values)


@pytest.fixture(name="exchange_keys")
def exchange_keys_fixture(settings, tmp_path, pki_dir):  # noqa: F811
    """Exchange keys issued by the test authority into a directory of the test's own."""
    settings.SIGNING_PKI_DIR = pki_dir
    settings.EXCHANGE_KEYS_DIR = tmp_path / "exchange-keys"
    settings.EXCHANGE_TEST_KEYS = True
    settings.EXCHANGE_KEY_PASSWORD = ""
    sign.clear_key_cache()
    yield settings.EXCHANGE_KEYS_DIR
    sign.clear_key_cache()


def agency(code: str = "000.00.31.H26", name: str = "Sở Kế hoạch và Đầu tư"):
    return SimpleNamespace(code=code, name=name, email="skhdt@hanoi.gov.vn")


def tree(xml: bytes) -> etree._Element:
    return etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))


def local(name: str) -> str:
    return etree.QName(name).localname


def children(element) -> list[str]:
    return [local(child.tag) for child in element if isinstance(child.tag, str)]


def sample_tree(name: str) -> etree._Element:
    return tree((SAMPLES / name).read_bytes())


def _pem(cert) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode()


# --- layout ----------------------------------------------------------------------------------------------


def test_package_is_laid_out_as_the_samples():
    xml = build.package_xml(sample_package())
    assert xml.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<edXML xmlns="' + NAMESPACE.encode())
    assert b'<edXML:edXMLEnvelope xmlns:edXML="' + NAMESPACE.encode() + b'">' in xml
    assert b"\n  <AttachmentEncoded>\n    <Attachment>\n      <ContentId>cid:1</ContentId>" in xml
    assert b'<edXML:ContentTransferEncoded xmlns:edXML="' + NAMESPACE.encode() + b'">' in xml
    root = tree(xml)
    assert root.tag == f"{{{NAMESPACE}}}edXML" and children(root) == ["edXMLEnvelope", "AttachmentEncoded"]
    envelope = root.find("e:edXMLEnvelope", NS)
    assert children(envelope) == ["edXMLHeader", "edXMLBody"]
    assert children(envelope.find("e:edXMLHeader", NS)) == ["MessageHeader", "TraceHeaderList"]
    sample = sample_tree("edoc_revocation.edxml")
    header_path = "e:edXMLEnvelope/e:edXMLHeader/e:MessageHeader"

    def order(element):  # the element names in order, a repeated name once
        names = children(element)
        return [name for index, name in enumerate(names) if index == 0 or names[index - 1] != name]

    assert order(root.find(header_path, NS)) == order(sample.find(header_path, NS))
    for part in (
        "From",
        "To",
        "Code",
        "PromulgationInfo",
        "DocumentType",
        "SignerInfo",
        "OtherInfo",
        "ToPlaces",
    ):
        ours, theirs = root.find(f"{header_path}/e:{part}", NS), sample.find(f"{header_path}/e:{part}", NS)
        assert children(ours) == children(theirs), part
    trace_path = "e:edXMLEnvelope/e:edXMLHeader/e:TraceHeaderList"
    assert children(root.find(trace_path, NS)) == ["TraceHeader", "Bussiness"]
    assert children(root.find(f"{trace_path}/e:TraceHeader", NS)) == ["OrganId", "Timestamp"]
    manifest = root.find("e:edXMLEnvelope/e:edXMLBody/e:edXMLManifest", NS)
    assert manifest.get("version") == "1.0"
    references = manifest.findall("e:Reference", NS)
    assert [children(r) for r in references] == [
        children(sample.find(".//e:edXMLManifest/e:Reference", NS))
    ] * 2
    assert [r.findtext("e:ContentType", namespaces=NS) for r in references] == ["application/zip"] * 2
    attachments = root.findall("e:AttachmentEncoded/e:Attachment", NS)
    assert [children(a) for a in attachments] == [children(sample.find(".//e:Attachment", NS))] * 2
    assert [a.findtext("e:ContentType", namespaces=NS) for a in attachments] == ["application/zip"] * 2


def test_package_values():
    root = tree(build.package_xml(sample_package()))
    header = root.find("e:edXMLEnvelope/e:edXMLHeader/e:MessageHeader", NS)

    def text(path):
        return header.findtext(path, namespaces=NS)

    assert text("e:From/e:OrganId") == "000.00.31.H26"
    assert text("e:From/e:OrganizationInCharge") == "Ủy ban nhân dân thành phố Hà Nội"
    assert text("e:From/e:Website") == "skhdt.hanoi.gov.vn"
    assert [t.findtext("e:OrganId", namespaces=NS) for t in header.findall("e:To", NS)] == [
        "000.00.32.H26",
        "000.00.00.H41",
    ]
    assert text("e:DocumentId") == "000.00.31.H26,2026/12/07,15/SKHĐT-KT"
    assert (text("e:Code/e:CodeNumber"), text("e:Code/e:CodeNotation")) == ("15", "SKHĐT-KT")
    assert text("e:PromulgationInfo/e:PromulgationDate") == "2026/12/07"
    assert text("e:DueDate") == "2026/12/30"
    assert text("e:SignerInfo/e:Competence") == "KT. GIÁM ĐỐC"
    assert text("e:OtherInfo/e:Priority") == "2"
    assert text("e:OtherInfo/e:Direction") == "false"
    assert text("e:OtherInfo/e:Appendixes/e:Appendix") == "Danh mục dự án"
    assert text("e:SteeringType") == "1"
    assert [p.text for p in header.findall("e:ToPlaces/e:Place", NS)] == list(sample_package().to_places)
    assert text("e:ResponseFor/e:Code") == "120/UBND-KT"
    assert text("e:ResponseFor/e:PromulgationDate") == "2026/11/20"
    trace = root.find(".//e:TraceHeader", NS)
    assert trace.findtext("e:Timestamp", namespaces=NS) == "2026/12/07 09:15:30"
    business = root.find(".//e:Bussiness", NS)
    assert children(business) == ["BussinessDocType", "BussinessDocReason", "Paper", "StaffInfo"]
    assert business.findtext("e:BussinessDocType", namespaces=NS) == "0"
    assert business.findtext("e:StaffInfo/e:Staff", namespaces=NS) == "Đặng Thị Hương"


def test_optional_values_left_out_when_unset():
    root = tree(build.package_xml(minimal_package()))
    header = root.find(".//e:MessageHeader", NS)
    assert children(header) == [
        "From",
        "To",
        "DocumentId",
        "Code",
        "PromulgationInfo",
        "DocumentType",
        "Subject",
        "Content",
        "SignerInfo",
        "OtherInfo",
    ]
    assert children(header.find("e:OtherInfo", NS)) == ["Priority"]
    assert children(header.find("e:From", NS)) == [
        "OrganId",
        "OrganizationInCharge",
        "OrganName",
        "OrganAdd",
        "Email",
        "Telephone",
        "Fax",
        "Website",
    ]
    assert root.find("e:AttachmentEncoded", NS) is None
    assert root.find(".//e:edXMLManifest", NS) is not None and root.find(".//e:Reference", NS) is None
    assert root.find(".//e:TraceHeader", NS) is None


def test_timestamps_are_written_in_ho_chi_minh_time():
    utc = dt.datetime(2026, 12, 7, 20, 30, 0, tzinfo=dt.UTC)
    assert build.format_timestamp(utc) == "2026/12/08 03:30:00"
    assert build.format_timestamp(dt.datetime(2026, 12, 7, 8, 0, 0)) == "2026/12/07 08:00:00"  # naive: local
    assert build.format_date(dt.date(2026, 1, 5)) == "2026/01/05"
    status = tree(build.status_xml(sample_status(timestamp=utc)))
    assert status.findtext(".//e:MessageHeader/e:Timestamp", namespaces=NS) == "2026/12/08 03:30:00"


def test_document_id():
    assert build.document_id("000.00.31.H26", dt.date(2026, 3, 4), "05/SKHĐT-KT") == (
        "000.00.31.H26,2026/03/04,05/SKHĐT-KT"
    )
    assert build.document_id(" H26.31 ", dt.date(2026, 12, 7), " 7/QĐ-UBND ") == "H26.31,2026/12/07,7/QĐ-UBND"


def test_attachment_is_a_zip_holding_the_file_in_base64():
    package = sample_package()
    root = tree(build.package_xml(package))
    for attachment, element in zip(package.attachments, root.findall(".//e:Attachment", NS), strict=True):
        data = base64.b64decode(element.findtext("e:ContentTransferEncoded", namespaces=NS))
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert archive.namelist() == [attachment.name]
            assert archive.read(attachment.name) == attachment.data
            assert archive.infolist()[0].date_time == (1980, 1, 1, 0, 0, 0)
        assert element.findtext("e:AttachmentName", namespaces=NS) == attachment.name
        assert element.findtext("e:Description", namespaces=NS) == attachment.description


def test_same_package_same_bytes():
    assert build.package_xml(sample_package()) == build.package_xml(sample_package())
    assert build.zip_file("a.pdf", PDF) == build.zip_file("a.pdf", PDF)
    assert build.package_xml(sample_package()) != build.package_xml(sample_package(subject="Khác"))


@pytest.mark.parametrize(
    ("business", "expected"),
    [
        (
            Business(BusinessDocType.RECALL, "000.00.31.H26,2026/12/01,10/SKHĐT-KT", "Thu hồi do sai sót"),
            ["DocumentId", "BussinessDocType", "BussinessDocReason", "Paper"],
        ),
        (
            Business(
                BusinessDocType.UPDATE,
                "000.00.31.H26,2026/12/01,10/SKHĐT-KT",
                "Cập nhật văn bản điện tử",
                document_info="1",
                document_receiver="1",
                receivers=(Receiver("000.00.32.H26", 0), Receiver("000.00.00.H41", 1)),
            ),
            ["DocumentId", "BussinessDocType", "BussinessDocReason", "Paper", "BussinessDocumentInfo"],
        ),
        (
            Business(
                BusinessDocType.REPLACE,
                reason="Văn bản thay thế",
                paper=1,
                replacements=(ReplacementInfo("000.00.31.H26,2026/12/01,10/SKHĐT-KT", ("000.00.32.H26",)),),
            ),
            ["DocumentId", "BussinessDocType", "BussinessDocReason", "Paper", "ReplacementInfoList"],
        ),
    ],
)
def test_business_types(business, expected):
    root = tree(build.package_xml(minimal_package(business=business)))
    element = root.find(".//e:Bussiness", NS)
    assert children(element) == expected
    assert element.findtext("e:BussinessDocType", namespaces=NS) == str(int(business.doc_type))
    if business.receivers:
        receivers = element.findall(".//e:Receiver", NS)
        assert [
            (r.findtext("e:OrganId", namespaces=NS), r.findtext("e:ReceiverType", namespaces=NS))
            for r in receivers
        ] == [
            ("000.00.32.H26", "0"),
            ("000.00.00.H41", "1"),
        ]
    if business.replacements:
        assert (
            element.findtext(".//e:ReplacementInfo/e:OrganIdList/e:OrganId", namespaces=NS) == "000.00.32.H26"
        )
        assert element.findtext("e:Paper", namespaces=NS) == "1"


@pytest.mark.parametrize("code", list(StatusCode))
def test_status_message(code):
    root = tree(build.status_xml(sample_status(code)))
    envelope = root.find("e:edXMLEnvelope", NS)
    assert children(root) == ["edXMLEnvelope"] and children(envelope) == ["edXMLHeader"]
    header = envelope.find("e:edXMLHeader/e:MessageHeader", NS)
    assert children(header) == ["From", "ResponseFor", "StaffInfo", "StatusCode", "Description", "Timestamp"]
    sample = sample_tree("status.edxml").find(".//e:MessageHeader", NS)
    assert children(header) == children(sample)
    assert header.findtext("e:StatusCode", namespaces=NS) == code.value
    assert children(header.find("e:ResponseFor", NS)) == ["OrganId", "Code", "PromulgationDate", "DocumentId"]
    no_staff = tree(build.status_xml(sample_status(code, staff=None))).find(".//e:MessageHeader", NS)
    assert "StaffInfo" not in children(no_staff)


def test_characters_xml_cannot_carry_are_dropped():
    package = minimal_package(
        subject="V/v\x0b báo cáo\x00 quý IV\ufffe",
        signer=SignerInfo(full_name="Nguyễn\x1f Văn A"),
        attachments=(Attachment("cid:1", "bao\x07cao.pdf", PDF),),
    )
    xml = build.package_xml(package)
    root = tree(xml)
    assert root.findtext(".//e:MessageHeader/e:Subject", namespaces=NS) == "V/v báo cáo quý IV"
    assert root.findtext(".//e:SignerInfo/e:FullName", namespaces=NS) == "Nguyễn Văn A"
    assert root.findtext(".//e:Attachment/e:AttachmentName", namespaces=NS) == "baocao.pdf"


@pytest.mark.parametrize(
    ("name", "inside"),
    [
        ("15-SKHĐT-KT.pdf", "15-SKHĐT-KT.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Văn bản\\phu-luc.docx", "phu-luc.docx"),
        ("/", "tep-dinh-kem"),
        ("..", "tep-dinh-kem"),
    ],
)
def test_the_file_inside_the_zip_has_no_folder(name, inside):
    with zipfile.ZipFile(io.BytesIO(build.zip_file(name, PDF))) as archive:
        assert archive.namelist() == [inside] and archive.read(inside) == PDF


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"recipients": ()}, "build_no_recipient"),
        ({"recipients": (Organ(" "),)}, "build_recipient_no_code"),
        ({"sender": Organ("")}, "build_missing"),
        ({"subject": " \x0b "}, "build_missing"),
        ({"document_id": ""}, "build_missing"),
        (
            {"attachments": (Attachment("cid:1", "a.pdf", PDF), Attachment("cid:1", "b.pdf", PDF))},
            "build_content_ids",
        ),
        ({"attachments": (Attachment("", "a.pdf", PDF),)}, "build_content_ids"),
    ],
)
def test_a_package_no_receiver_would_take_is_refused(changes, code):
    with pytest.raises(EdxmlError) as error:
        build.package_xml(minimal_package(**changes))
    assert error.value.code == code and error.value.message


@pytest.mark.parametrize("code", [StatusCode.REFUSED, StatusCode.CHANGE_REQUESTED])
def test_a_refusal_or_a_change_request_needs_its_reason(code):
    with pytest.raises(EdxmlError) as error:
        build.status_xml(sample_status(code, description="  "))
    assert error.value.code == "build_reason_required" and code.value in error.value.message
    assert build.status_xml(sample_status(code, description="Gửi nhầm nơi nhận"))
    assert build.status_xml(sample_status(StatusCode.FINISHED, description=""))  # others need none
    with pytest.raises(EdxmlError) as error:
        build.status_xml(sample_status(sender=Organ("")))
    assert error.value.code == "build_missing"
