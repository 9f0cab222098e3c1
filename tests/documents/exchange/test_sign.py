"""documents.exchange.edxml.sign: the enveloped XML-DSig signature (exclusive C14N, RSA-SHA256, the chain in
KeyInfo) where the samples put it, and the agency's exchange key — issued by the test authority in
development, installed by an operator in production, cached, reloaded when replaced."""

from __future__ import annotations

import base64
import os

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from lxml import etree
from signxml import XMLVerifier
from signxml.exceptions import InvalidSignature

from documents.exchange.edxml import build, sign
from documents.exchange.edxml.types import XMLDSIG_NAMESPACE, Attachment, EdxmlError
from signing import pki
from tests.documents.exchange.test_build import (
    NS,
    SAMPLES,
    _pem,
    agency,
    children,
    exchange_keys_fixture,  # noqa: F401
    minimal_package,
    sample_package,
    sample_status,
    tree,
)
from tests.signing.conftest import pki_dir  # noqa: F401

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
