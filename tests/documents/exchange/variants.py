"""The sloppy and hostile variants of edXML packages (domain-exchange.md), generated from the real samples.

Each function takes a package's bytes and returns the variant's bytes, so that tests say in one line which
variant they feed the parser. ``sign`` signs a package with signxml directly (RSA-SHA256 and exclusive C14N,
or the legacy RSA-SHA1 and C14N 1.0 that older senders use), with a key from ``signing.pki``.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from signxml import XMLSigner
from signxml.algorithms import CanonicalizationMethod, SignatureConstructionMethod

from documents.exchange.edxml.types import XMLDSIG_NAMESPACE
from signing import pki

SAMPLES = Path(__file__).with_name("samples")  # a copy of ../shared/reference/edxml
PACKAGE_SAMPLES = ("edoc_update.edxml", "edoc_revocation.edxml", "edoc_replacement.edxml")
STATUS_SAMPLES = tuple(sorted(p.name for p in SAMPLES.glob("status*.edxml")))
CID = "cid:209"


def sample(name: str = "edoc_update.edxml") -> bytes:
    return (SAMPLES / name).read_bytes()


def replace(data: bytes, old: str, new: str, count: int = 1) -> bytes:
    """``data`` with ``old`` replaced by ``new`` (``count`` times); fails loudly when ``old`` is absent."""
    old_b, new_b = old.encode(), new.encode()
    assert old_b in data, f"{old!r} not in the sample"
    return data.replace(old_b, new_b, count)


def element(name: str) -> str:
    return rf"<edXML:{name}>.*?</edXML:{name}>\s*"


def drop(data: bytes, path: str) -> bytes:
    """``data`` without the first element ``path`` ("From/OrganId", "Subject" …), found in document order."""
    text = data.decode("utf-8")
    names = path.split("/")
    start = 0
    for name in names[:-1]:
        start = text.index(f"<edXML:{name}>", start)
    match = re.compile(element(names[-1]), re.S).search(text, start)
    assert match, path
    return (text[: match.start()] + text[match.end() :]).encode("utf-8")


def drop_all(data: bytes, name: str) -> bytes:
    return re.sub(element(name).encode(), b"", data, flags=re.S)


def set_text(data: bytes, name: str, value: str, *, occurrence: int = 0) -> bytes:
    text = data.decode("utf-8")
    pattern = re.compile(rf"(<edXML:{name}>)(.*?)(</edXML:{name}>)", re.S)
    matches = list(pattern.finditer(text))
    hit = matches[occurrence]
    return (text[: hit.start(2)] + value + text[hit.end(2) :]).encode("utf-8")


# --------------------------------------------------------------------------------------- sloppy variants


def with_prefix(data: bytes, prefix: bytes) -> bytes:
    return prefix + data


def signature_in_xmldsig(data: bytes) -> bytes:
    return replace(data, "<Signature>", f'<Signature xmlns="{XMLDSIG_NAMESPACE}">')


def xlink_manifest(data: bytes) -> bytes:
    data = replace(data, "<edXML ", '<edXML xmlns:xlink="http://www.w3.org/1999/xlink" ')
    return replace(data, "<edXML:Reference>", f'<edXML:Reference xlink:href="{CID}" xlink:role="attachment">')


def soap_trace_list(data: bytes) -> bytes:
    return replace(
        data,
        "<edXML:TraceHeaderList>",
        '<edXML:TraceHeaderList xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"'
        ' SOAP-ENV:mustUnderstand="1" SOAP-ENV:actor="http://schemas.xmlsoap.org/soap/actor/next">',
    )


def undeclared_edxml_prefix(data: bytes) -> bytes:
    """The envelope's ``xmlns:edXML`` declaration left out (seen in the wild): every ``edXML:`` undeclared."""
    return replace(data, ' xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016"', "", count=-1)


def unknown_prefix(data: bytes) -> bytes:
    return replace(data, "<edXML:Subject>", "<foo:Extra>1</foo:Extra><edXML:Subject>")


def billion_laughs(data: bytes) -> bytes:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE edXML [{entities}]>'
    body = data.split(b"?>", 1)[1]
    return head.encode() + replace(body, "<edXML:Subject>", "<edXML:Subject>&lol9;")


def external_entity(data: bytes) -> bytes:
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE edXML [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    )
    body = data.split(b"?>", 1)[1]
    return head.encode() + replace(body, "<edXML:Subject>", "<edXML:Subject>&xxe;")


# ------------------------------------------------------------------------------------------- attachments


def zipped(files: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compression) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def with_payload(data: bytes, payload: bytes | str) -> bytes:
    """The sample with its attachment's ContentTransferEncoded replaced (bytes are base64-encoded)."""
    text = payload if isinstance(payload, str) else base64.b64encode(payload).decode()
    return re.sub(
        rb"(<edXML:ContentTransferEncoded[^>]*>)[^<]*(</edXML:ContentTransferEncoded>)",
        lambda m: m.group(1) + text.encode() + m.group(2),
        data,
    )


def with_attachment(data: bytes, files: dict[str, bytes], *, name: str, content_type: str) -> bytes:
    """The sample carrying ``files`` zipped, declared as ``name`` of ``content_type`` in the manifest."""
    data = with_payload(data, zipped(files))
    data = replace(data, "1896_QD-TTg_m_294779.doc", name, count=-1)
    return set_text(data, "ContentType", content_type)


def duplicate_attachment(data: bytes) -> bytes:
    start = data.index(b"<Attachment>")
    end = data.index(b"</Attachment>") + len(b"</Attachment>")
    return data[:end] + data[start:end] + data[end:]


def zip_bomb(megabytes: int = 20) -> bytes:
    return zipped({"bomb.pdf": b"%PDF-" + b"\0" * (megabytes * 1024 * 1024)})


def traversal_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("../../etc/cron.d/evil"), b"* * * * * root true")
    return out.getvalue()


# --------------------------------------------------------------------------------------------- signing


class LegacySigner(XMLSigner):
    """signxml refuses to produce SHA-1 signatures; older senders still do, and we must read them."""

    def check_deprecated_methods(self):
        return None


def unsigned(data: bytes) -> bytes:
    """The sample without its placeholder signature."""
    return re.sub(rb"\s*<Signature>.*?</Signature>", b"", data, flags=re.S)


def sign(data: bytes, key, cert, *, legacy: bool = False, chain=(), default_namespace: bool = False) -> bytes:
    root = etree.fromstring(unsigned(data), parser=etree.XMLParser(huge_tree=True))
    if legacy:
        signer = LegacySigner(
            method=SignatureConstructionMethod.enveloped,
            signature_algorithm="rsa-sha1",
            digest_algorithm="sha1",
            c14n_algorithm=CanonicalizationMethod.CANONICAL_XML_1_0,
        )
    else:
        signer = XMLSigner(
            method=SignatureConstructionMethod.enveloped,
            signature_algorithm="rsa-sha256",
            digest_algorithm="sha256",
            c14n_algorithm=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0,
        )
    # signxml re-parses the document with a parser of its own, limited to 10 MB text nodes by default.
    signer._parser = etree.XMLParser(resolve_entities=False, huge_tree=True)
    if default_namespace:
        signer.namespaces = {None: XMLDSIG_NAMESPACE}
    signed = signer.sign(root, key=key, cert=[cert, *chain])
    return etree.tostring(signed, xml_declaration=True, encoding="UTF-8")


def strip_signature_namespace(data: bytes) -> bytes:
    """A signature made with xmldsig as default namespace, written as the sloppy senders do: no namespace."""
    return replace(data, f'<Signature xmlns="{XMLDSIG_NAMESPACE}">', "<Signature>")


# ---------------------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def test_pki(tmp_path_factory):
    directory = tmp_path_factory.mktemp("edxml-pki")
    return directory, pki.ensure_test_authority(directory)


@pytest.fixture
def authority(settings, test_pki):
    directory, authority = test_pki
    settings.SIGNING_PKI_DIR = directory
    settings.SIGNING_TRUST_TEST_CA = True
    settings.SIGNING_TRUST_ROOTS = []
    return authority


@pytest.fixture(scope="session")
def agency_key(test_pki):
    """A key and certificate issued by the test authority to an agency (its seal)."""
    _directory, authority = test_pki
    key = pki.new_key()
    cert = pki.issue(
        ca_cert=authority.cert,
        ca_key=authority.key,
        public_key=key.public_key(),
        common_name="Sở Thông tin và Truyền thông",
        organisation="UBND tỉnh Nghệ An",
    )
    return key, cert


@pytest.fixture(scope="session")
def stranger_key():
    """A key and a self-signed certificate nobody trusts."""
    cert, key = pki.make_ca(common_name="Cơ quan lạ")
    return key, cert


@pytest.fixture(scope="session")
def expired_key(test_pki):
    _directory, authority = test_pki
    key = pki.new_key()
    cert = pki.issue(
        ca_cert=authority.cert,
        ca_key=authority.key,
        public_key=key.public_key(),
        common_name="Chứng thư hết hạn",
        days=1,
        not_before=dt.datetime.now(dt.UTC) - dt.timedelta(days=30),
    )
    return key, cert
