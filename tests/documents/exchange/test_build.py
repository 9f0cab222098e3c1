"""documents.exchange.edxml.build and .sign: packages and status messages laid out as the axis' samples,
deterministic, signed with the agency's exchange key (enveloped XML-DSig, exclusive C14N, RSA-SHA256)."""

from __future__ import annotations

import base64
import datetime as dt
import io
import os
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from lxml import etree
from signxml import XMLVerifier
from signxml.exceptions import InvalidSignature

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
from signing import pki
from tests.signing.conftest import pki_dir  # noqa: F401

# The axis' samples: a copy beside the tests when the repository carries one, else the shared reference.
SAMPLES = Path(__file__).with_name("samples")
if not SAMPLES.is_dir():
    SAMPLES = Path("/work/shared/reference/edxml")
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


@pytest.fixture
def exchange_keys(settings, tmp_path, pki_dir):  # noqa: F811
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


# --- signature -------------------------------------------------------------------------------------------


def test_signed_package_signature_where_the_samples_put_it(exchange_keys):
    key, chain = sign.agency_exchange_signer(agency())
    signed = sign.sign_xml(build.package_xml(sample_package()), key=key, cert_chain=chain)
    root = tree(signed)
    header = root.find("e:edXMLEnvelope/e:edXMLHeader", NS)
    assert children(header) == ["MessageHeader", "TraceHeaderList", "Signature"]
    signature = header[-1]
    assert signature.tag == f"{{{XMLDSIG_NAMESPACE}}}Signature" and signature.get("Id") is None
    assert signature.find("ds:SignedInfo/ds:CanonicalizationMethod", NS).get("Algorithm") == (
        "http://www.w3.org/2001/10/xml-exc-c14n#"
    )
    assert signature.find("ds:SignedInfo/ds:SignatureMethod", NS).get("Algorithm").endswith("#rsa-sha256")
    reference = signature.find("ds:SignedInfo/ds:Reference", NS)
    assert reference.get("URI") == ""
    assert [t.get("Algorithm") for t in reference.findall("ds:Transforms/ds:Transform", NS)] == [
        "http://www.w3.org/2000/09/xmldsig#enveloped-signature",
        "http://www.w3.org/2001/10/xml-exc-c14n#",
    ]
    assert reference.find("ds:DigestMethod", NS).get("Algorithm").endswith("#sha256")
    certs = [
        c.text.replace("\n", "") for c in signature.findall("ds:KeyInfo/ds:X509Data/ds:X509Certificate", NS)
    ]
    leaf = base64.b64encode(chain[0].public_bytes(serialization.Encoding.DER)).decode()
    assert certs[0] == leaf and len(certs) == len(chain) == 2
    result = XMLVerifier().verify(signed, x509_cert=_pem(chain[0]))
    assert result.signed_xml is not None


def test_a_change_after_signing_breaks_the_signature(exchange_keys):
    signed = sign.sign_for_agency(build.package_xml(sample_package()), agency=agency())
    _key, chain = sign.agency_exchange_signer(agency())
    XMLVerifier().verify(signed, x509_cert=_pem(chain[0]))
    for before, after in [
        ("V/v rà soát danh mục".encode(), "V/v rà soát danh mụC".encode()),
        (b"<ContentId>cid:2</ContentId>", b"<ContentId>cid:3</ContentId>"),  # outside the envelope
    ]:
        assert before in signed
        with pytest.raises(InvalidSignature):
            XMLVerifier().verify(signed.replace(before, after, 1), x509_cert=_pem(chain[0]))


def test_signed_status(exchange_keys):
    signed = sign.sign_for_agency(build.status_xml(sample_status()), agency=agency("000.00.32.H26", "Sở TT"))
    header = tree(signed).find("e:edXMLEnvelope/e:edXMLHeader", NS)
    assert children(header) == ["MessageHeader", "Signature"]
    _key, chain = sign.agency_exchange_signer(agency("000.00.32.H26", "Sở TT"))
    XMLVerifier().verify(signed, x509_cert=_pem(chain[0]))


def test_signing_refuses_what_it_cannot_sign(exchange_keys):
    key, chain = sign.agency_exchange_signer(agency())
    signed = sign.sign_xml(build.package_xml(minimal_package()), key=key, cert_chain=chain)
    with pytest.raises(EdxmlError) as error:
        sign.sign_xml(signed, key=key, cert_chain=chain)
    assert error.value.code == "sign_already_signed"
    with pytest.raises(EdxmlError) as error:
        sign.sign_xml((SAMPLES / "edoc_update.edxml").read_bytes(), key=key, cert_chain=chain)
    assert error.value.code == "sign_already_signed"  # the namespace-less Signature counts
    with pytest.raises(EdxmlError) as error:
        sign.sign_xml(b"<other/>", key=key, cert_chain=chain)
    assert error.value.code == "sign_not_edxml"
    with pytest.raises(EdxmlError) as error:
        sign.sign_xml(b"<edXML", key=key, cert_chain=chain)
    assert error.value.code == "sign_not_xml"


# --- the agency's exchange key ---------------------------------------------------------------------------


def test_test_key_issued_on_first_use_kept_and_cached(exchange_keys):
    first = sign.agency_exchange_signer(agency())
    path = exchange_keys / "000.00.31.H26.p12"
    assert path.exists() and (path.stat().st_mode & 0o777) == 0o600
    assert [p.name for p in exchange_keys.iterdir()] == ["000.00.31.H26.p12"]  # no temporary left
    key, chain = first
    assert "Sở Kế hoạch và Đầu tư" in chain[0].subject.rfc4514_string()
    assert chain[1].subject == chain[0].issuer  # the test CA follows the certificate
    assert sign.agency_exchange_signer(agency()) is first  # cached
    sign.clear_key_cache()
    again = sign.agency_exchange_signer(agency())
    assert again is not first and again[1][0] == chain[0]  # the same key, read from the file again
    other = sign.agency_exchange_signer(agency("000.00.32.H26", "Sở Thông tin và Truyền thông"))
    assert other[1][0] != chain[0]


def test_missing_key_in_production_names_the_file(exchange_keys, settings):
    settings.EXCHANGE_TEST_KEYS = False
    settings.DEBUG = False
    with pytest.raises(EdxmlError) as error:
        sign.agency_exchange_signer(agency())
    assert error.value.code == "exchange_key_missing"
    assert str(exchange_keys / "000.00.31.H26.p12") in error.value.message
    assert not exchange_keys.exists() or not any(exchange_keys.iterdir())


def test_installed_key_with_its_password_file(exchange_keys, settings, pki_dir):  # noqa: F811
    settings.EXCHANGE_TEST_KEYS = False
    authority = pki.ensure_test_authority(pki_dir)
    key = pki.new_key()
    cert = pki.issue(
        ca_cert=authority.cert, ca_key=authority.key, public_key=key.public_key(), common_name="H41"
    )
    exchange_keys.mkdir(parents=True)
    (exchange_keys / "000.00.00.H41.p12").write_bytes(
        pki.to_pkcs12(key=key, cert=cert, chain=[authority.cert], pin="mật-khẩu", friendly_name="H41")
    )
    (exchange_keys / "000.00.00.H41.pass").write_text("mật-khẩu\n")
    loaded_key, chain = sign.agency_exchange_signer(agency("000.00.00.H41", "UBND Tỉnh Nghệ An"))
    assert chain == [cert, authority.cert]
    signed = sign.sign_xml(build.status_xml(sample_status()), key=loaded_key, cert_chain=chain)
    XMLVerifier().verify(signed, x509_cert=_pem(cert))

    # Replaced by the operator (a renewed certificate): read again without a restart.
    renewed = pki.issue(
        ca_cert=authority.cert, ca_key=authority.key, public_key=key.public_key(), common_name="H41 (2)"
    )
    path = exchange_keys / "000.00.00.H41.p12"
    path.write_bytes(pki.to_pkcs12(key=key, cert=renewed, chain=[], pin="mật-khẩu", friendly_name="H41"))
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000_000))
    assert sign.agency_exchange_signer(agency("000.00.00.H41", "UBND Tỉnh Nghệ An"))[1] == [renewed]

    (exchange_keys / "000.00.00.H41.pass").write_text("sai")
    with pytest.raises(EdxmlError) as error:
        sign.agency_exchange_signer(agency("000.00.00.H41", "UBND Tỉnh Nghệ An"))
    assert error.value.code == "exchange_key_unreadable"


def test_password_from_settings_when_no_password_file(exchange_keys, settings, pki_dir):  # noqa: F811
    settings.EXCHANGE_KEY_PASSWORD = "từ-môi-trường"
    key, chain = sign.agency_exchange_signer(agency())  # issued, encrypted with that password
    blob = (exchange_keys / "000.00.31.H26.p12").read_bytes()
    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates(blob, None)
    assert pkcs12.load_key_and_certificates(blob, "từ-môi-trường".encode())[1] == chain[0]


@pytest.mark.parametrize("code", ["", "../etc", "a/b", ".hidden", "x" * 80])
def test_agency_code_unusable_as_a_file_name(exchange_keys, code):
    with pytest.raises(EdxmlError) as error:
        sign.agency_exchange_signer(agency(code))
    assert error.value.code == "exchange_key_bad_code"


def test_a_package_with_a_large_attachment_signs(exchange_keys):
    # Its base64 text node is over libxml2's 10 MB default limit, which signxml's own parser keeps.
    data = os.urandom(8 * 1024 * 1024)
    package = minimal_package(attachments=(Attachment("cid:1", "big.bin", data, "application/octet-stream"),))
    signed = sign.sign_for_agency(build.package_xml(package), agency=agency())
    assert len(signed) > 10 * 1024 * 1024
    header = tree(signed).find("e:edXMLEnvelope/e:edXMLHeader", NS)
    assert children(header)[-1] == "Signature"
    _key, chain = sign.agency_exchange_signer(agency())
    huge = etree.XMLParser(resolve_entities=False, huge_tree=True)
    XMLVerifier().verify(signed, x509_cert=_pem(chain[0]), parser=huge)


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
