"""documents.exchange.edxml.from_outgoing: an issued outgoing document as an edXML package — its metadata,
its issued PDF (both signatures intact), refused before issue; the package validates and signs."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.utils import timezone
from signxml import XMLVerifier

from documents.exchange.edxml import build, from_outgoing, parse, schema, sign
from documents.exchange.edxml.types import Business, BusinessDocType, Code, EdxmlError, Organ, Trace
from documents.outgoing import services
from signing.verification import verify_pdf
from tests.documents.exchange.test_build import PDF, _pem, exchange_keys_fixture  # noqa: F401
from tests.documents.outgoing.helpers import PIN, _to_signing, office  # noqa: F401
from tests.signing.conftest import _signing_settings, authority, pki_dir  # noqa: F401

NOW = dt.datetime(2026, 12, 7, 3, 0, 0, tzinfo=dt.UTC)


def test_issued_document_as_a_package(office, agency_a, agency_b, exchange_keys):  # noqa: F811
    agency_a.address, agency_a.phone, agency_a.email = "16 Cát Linh, Hà Nội", "024 3825 6637", "vt@skhdt.vn"
    agency_a.save()
    to = [from_outgoing.organ_for_agency(agency_b)]
    doc = _to_signing(
        office, agency_b, addressees=f"{agency_b.name}\nUBND các quận, huyện", urgency=1, copies=4
    )
    with pytest.raises(EdxmlError) as error:  # not signed yet: no number
        from_outgoing.package_for_outgoing(document=doc, recipients=to, now=NOW)
    assert error.value.code == "outgoing_not_issued"
    doc = services.document_sign(document=doc, by=office["leader"], pin=PIN)
    with pytest.raises(EdxmlError) as error:  # signed, not issued: the agency's signature is missing
        from_outgoing.package_for_outgoing(document=doc, recipients=to, now=NOW)
    assert error.value.code == "outgoing_not_issued"
    doc = services.document_issue(document=doc, by=office["clerk"], pin=PIN)
    with pytest.raises(EdxmlError) as error:
        from_outgoing.package_for_outgoing(document=doc, recipients=[], now=NOW)
    assert error.value.code == "outgoing_no_recipients"

    package = from_outgoing.package_for_outgoing(document=doc, recipients=to, now=NOW)
    issued_on = timezone.localtime(doc.issued_at).date()
    assert package.sender == Organ(
        organ_id=agency_a.code,
        organ_name=agency_a.name,
        organization_in_charge=agency_a.name,
        address="16 Cát Linh, Hà Nội",
        email="vt@skhdt.vn",
        telephone="024 3825 6637",
    )
    assert package.recipients == (Organ(agency_b.code, agency_b.name, agency_b.name),)
    assert package.document_id == f"{agency_a.code},{issued_on:%Y/%m/%d},{doc.number_symbol}"
    number, notation = doc.number_symbol.split("/", 1)
    assert package.code == Code(number, notation) and notation == f"{agency_a.abbreviation}-KT"
    assert package.promulgation_date == issued_on and package.promulgation_place == agency_a.place_name
    assert (package.type, package.type_detail, package.type_name) == (1, 0, "Công văn")
    assert package.subject == doc.summary
    assert package.signer.full_name == "Vũ Đức Thắng" and package.signer.position == "Giám đốc"
    assert package.signer.competence == ""
    assert package.priority == 1 and package.promulgation_amount == 4
    assert package.page_amount == doc.current_version.pages
    assert package.to_places == (agency_b.name, "UBND các quận, huyện")
    assert package.due_date is None and package.response_for == ()
    assert package.traces == (Trace(agency_a.code, NOW),)
    assert package.business == Business()
    [attachment] = package.attachments
    doc.current_version.file.open("rb")
    assert attachment.data == doc.current_version.file.read()
    assert attachment.content_id == "cid:1" and attachment.content_type == "application/pdf"
    assert attachment.name == f"{doc.number_symbol.replace('/', '-')}.pdf"
    report = verify_pdf(attachment.data)
    assert len(report.signatures) == 2 and report.all_ok  # the leader's and the agency's

    xml = build.package_xml(package)
    assert schema.validate(xml) == []
    signed = sign.sign_for_agency(xml, agency=agency_a)
    assert schema.validate(signed) == []
    _key, chain = sign.agency_exchange_signer(agency_a)
    XMLVerifier().verify(signed, x509_cert=_pem(chain[0]))

    # What the recipient reads: the same package, both signatures checked and reported.
    parsed = parse.parse_package(signed)
    assert parsed.package == package
    assert parsed.xml_signature.valid and parsed.xml_signature.algorithm == "rsa-sha256"
    [(content_id, pdf_check)] = parsed.pdf_signatures
    assert content_id == "cid:1" and pdf_check.present and pdf_check.valid
    assert office["leader"].full_name in pdf_check.signer

    recall = Business(BusinessDocType.RECALL, package.document_id, "Thu hồi do sai sót")
    recalled = from_outgoing.package_for_outgoing(document=doc, recipients=to, business=recall, now=NOW)
    assert recalled.business == recall and schema.validate(build.package_xml(recalled)) == []


# --- the mapping, on stand-ins for the models ------------------------------------------------------------


class _File:
    def __init__(self, data: bytes):
        self.data = data

    def __bool__(self) -> bool:
        return True

    def open(self, mode: str = "rb"):
        return io.BytesIO(self.data)


def fake_document(**changes):
    parent = SimpleNamespace(name="Ủy ban nhân dân tỉnh Nghệ An")
    agency = SimpleNamespace(
        code="000.00.12.H41",
        name="Sở Tài chính",
        parent_id=1,
        parent=parent,
        address="",
        email="",
        phone="",
        place_name="Nghệ An",
    )
    issuer = SimpleNamespace(code="000.00.00.G22")
    incoming = SimpleNamespace(
        issuer_agency_id=9,
        issuer_agency=issuer,
        number_symbol="7816/VPCP-TTĐT",
        issued_date=dt.date(2026, 11, 2),
    )
    values = {
        "state": "issued",
        "number_symbol": "123/QĐ-STC",
        "issued_at": dt.datetime(2026, 12, 6, 18, 30, tzinfo=dt.UTC),  # 7 December in Vietnam
        "agency": agency,
        "place_name": "",
        "doc_type": SimpleNamespace(name="Quyết định"),
        "summary": "Về việc phân bổ kinh phí",
        "addressees": "",
        "signer": SimpleNamespace(get_full_name=lambda: "Hồ Văn Tài", position="Phó Giám đốc"),
        "signer_authority": "KT.",
        "authority_title": "GIÁM ĐỐC",
        "signer_title": "PHÓ GIÁM ĐỐC",
        "urgency": 3,
        "confidentiality": 0,
        "copies": 1,
        "reply_to_id": 5,
        "reply_to": incoming,
        "current_version": SimpleNamespace(file=_File(PDF), pages=3),
    }
    values.update(changes)
    return SimpleNamespace(**values)


def test_mapping_of_the_fields():
    package = from_outgoing.package_for_outgoing(
        document=fake_document(), recipients=[Organ("000.00.00.G22")], now=NOW
    )
    assert package.sender.organization_in_charge == "Ủy ban nhân dân tỉnh Nghệ An"
    assert package.promulgation_date == dt.date(2026, 12, 7)
    assert package.document_id == "000.00.12.H41,2026/12/07,123/QĐ-STC"
    assert package.promulgation_place == "Nghệ An"
    assert (package.type_detail, package.type_name) == (2, "Quyết định")
    assert (package.signer.competence, package.signer.position) == ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")
    assert package.priority == 3 and package.page_amount == 3
    [response] = package.response_for
    assert (response.organ_id, response.code, response.promulgation_date) == (
        "000.00.00.G22",
        "7816/VPCP-TTĐT",
        dt.date(2026, 11, 2),
    )
    assert response.document_id == "000.00.00.G22,2026/11/02,7816/VPCP-TTĐT"
    assert package.attachments[0].data == PDF and package.attachments[0].name == "123-QĐ-STC.pdf"
    assert schema.validate(build.package_xml(package)) == []


def test_reply_to_a_document_without_an_agency_code_has_no_response_for():
    incoming = SimpleNamespace(
        issuer_agency_id=None, issuer_agency=None, number_symbol="1/CV", issued_date=None
    )
    package = from_outgoing.package_for_outgoing(
        document=fake_document(reply_to=incoming), recipients=[Organ("000.00.00.G22")], now=NOW
    )
    assert package.response_for == ()


@pytest.mark.parametrize("state", ["new", "submitted", "signing", "signed", "returned", "cancelled"])
def test_refused_before_issue(state):
    with pytest.raises(EdxmlError) as error:
        from_outgoing.package_for_outgoing(
            document=fake_document(state=state), recipients=[Organ("X")], now=NOW
        )
    assert error.value.code == "outgoing_not_issued"


def test_refused_without_its_pdf():
    with pytest.raises(EdxmlError) as error:
        from_outgoing.package_for_outgoing(
            document=fake_document(current_version=None), recipients=[Organ("X")], now=NOW
        )
    assert error.value.code == "outgoing_no_file"


def test_a_recalled_document_can_still_be_packaged():
    # The recall package (BussinessDocType 1) is built from the recalled document.
    recall = Business(BusinessDocType.RECALL, "000.00.12.H41,2026/12/07,123/QĐ-STC", "Thu hồi")
    package = from_outgoing.package_for_outgoing(
        document=fake_document(state="recalled"), recipients=[Organ("X")], business=recall, now=NOW
    )
    assert package.business.doc_type == BusinessDocType.RECALL


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("05/SKHĐT-KT", Code("05", "SKHĐT-KT")),
        (" 123/QĐ-UBND ", Code("123", "QĐ-UBND")),
        ("12/2026/TT-BTC", Code("12", "2026/TT-BTC")),
        ("TB-VP", Code("", "TB-VP")),
    ],
)
def test_split_code(text, code):
    assert from_outgoing.split_code(text) == code


def test_type_detail():
    assert from_outgoing.type_detail("Công văn") == 0
    assert from_outgoing.type_detail("Nghị quyết") == 1
    assert from_outgoing.type_detail("Thư công") == 28
    assert from_outgoing.type_detail("Loại lạ") == 0


@pytest.mark.parametrize("level", [1, 2, 3])
def test_a_secret_document_is_not_sent_over_the_axis(level):
    with pytest.raises(EdxmlError) as error:
        from_outgoing.package_for_outgoing(
            document=fake_document(confidentiality=level), recipients=[Organ("X")], now=NOW
        )
    assert error.value.code == "outgoing_secret" and "mật" in error.value.message
