"""Lenient verification of an edXML package's XML signature and of its PDFs' PAdES signatures.

The XML signature is checked against the certificate it carries (signxml, every algorithm real senders use,
RSA-SHA1 and C14N 1.0 included), then the certificate's chain against the installation's trust roots,
separately: a good signature by an unknown certificate is "chữ ký hợp lệ, chứng thư chưa được tin cậy", not a
refusal. A ``<Signature>`` without the xmldsig namespace is moved into it before checking, with a Notice.
Nothing here raises for a bad signature: the SignatureCheck says what was found.
"""

from __future__ import annotations

import logging

from cryptography import x509
from lxml import etree
from signxml import InvalidCertificate, InvalidDigest, InvalidInput, InvalidSignature, XMLVerifier
from signxml.algorithms import DigestAlgorithm, SignatureMethod
from signxml.verifier import SignatureConfiguration

from documents.exchange.edxml import messages as m
from documents.exchange.edxml.parse import safe_parser
from documents.exchange.edxml.types import NAMESPACE, XMLDSIG_NAMESPACE, Notice, Package, SignatureCheck

logger = logging.getLogger(__name__)

LENIENT = SignatureConfiguration(
    require_x509=True,
    location=".//",
    expect_references=True,
    signature_methods=frozenset(SignatureMethod),
    digest_algorithms=frozenset(DigestAlgorithm),
    ignore_ambiguous_key_info=True,
)
C14N_NAMES = {
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315": "c14n-1.0",
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments": "c14n-1.0-comments",
    "http://www.w3.org/2006/12/xml-c14n11": "c14n-1.1",
    "http://www.w3.org/2006/12/xml-c14n11#WithComments": "c14n-1.1-comments",
    "http://www.w3.org/2001/10/xml-exc-c14n#": "exc-c14n",
    "http://www.w3.org/2001/10/xml-exc-c14n#WithComments": "exc-c14n-comments",
}


def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _find_signature(root):
    """The first Signature element: xmldsig-namespaced, or in the edXML namespace / none (sloppy senders)."""
    for el in root.iter():
        if _local(el) == "Signature" and etree.QName(el).namespace in (XMLDSIG_NAMESPACE, NAMESPACE, None):
            return el
    return None


def _move_to_xmldsig(signature) -> etree._Element:
    """A copy of a namespace-less Signature in the xmldsig namespace, as its default namespace."""
    moved = etree.Element(f"{{{XMLDSIG_NAMESPACE}}}Signature", nsmap={None: XMLDSIG_NAMESPACE})
    moved.attrib.update(signature.attrib)
    moved.text, moved.tail = signature.text, signature.tail

    def copy(source, target):
        for child in source:
            if not isinstance(child.tag, str):
                target.append(etree.Comment(child.text or ""))
                target[-1].tail = child.tail
                continue
            tag = child.tag
            if etree.QName(child).namespace in (NAMESPACE, None):
                tag = f"{{{XMLDSIG_NAMESPACE}}}{_local(child)}"
            new = etree.SubElement(target, tag, attrib=dict(child.attrib))
            new.text, new.tail = child.text, child.tail
            copy(child, new)

    copy(signature, moved)
    return moved


def _short(uri: str) -> str:
    return uri.rsplit("#", 1)[-1] if "#" in uri else uri.rsplit("/", 1)[-1]


def _algorithms(signature) -> tuple[str, str]:
    def attr(name):
        for el in signature.iter():
            if _local(el) == name:
                return el.get("Algorithm", "")
        return ""

    c14n = attr("CanonicalizationMethod")
    return _short(attr("SignatureMethod")), C14N_NAMES.get(c14n, _short(c14n))


def _covers_document(signature) -> bool:
    """Every Reference points at the whole document (URI "" or "#xpointer(/)"): a signature over one element
    would leave the rest of the package — the attachments — unsigned and open to substitution."""
    uris = [el.get("URI") for el in signature.iter() if _local(el) == "Reference"]
    return bool(uris) and all(uri in ("", "#xpointer(/)") for uri in uris)


def _certificates(signature) -> list[x509.Certificate]:
    certs = []
    for el in signature.iter():
        if _local(el) == "X509Certificate":
            text = "".join((el.text or "").split())
            pem = f"-----BEGIN CERTIFICATE-----\n{text}\n-----END CERTIFICATE-----\n"
            certs.append(x509.load_pem_x509_certificate(pem.encode()))
    return certs


def _leaf(certs: list[x509.Certificate]) -> x509.Certificate:
    """The end-entity certificate: the one that issued no other in the list (the first when unclear)."""
    issuers = {c.issuer for c in certs if c.issuer != c.subject}
    leaves = [c for c in certs if c.subject not in issuers]
    return leaves[0] if leaves else certs[0]


def chain_trusted(leaf: x509.Certificate, extra: list[x509.Certificate]) -> bool:
    """Whether ``leaf`` chains (through ``extra``) to one of the installation's trust roots."""
    try:
        from signing.engine import trust_roots

        roots = [x509.load_der_x509_certificate(r.dump()) for r in trust_roots()]
    except Exception:  # no settings, unreadable roots: simply not trusted
        logger.warning("trust roots unavailable", exc_info=True)
        return False
    current, pool = leaf, [c for c in extra if c != leaf]
    for _depth in range(8):
        for root in roots:
            if current == root or _issued_by(current, root):
                return True
        parents = [c for c in pool if _issued_by(current, c)]
        if not parents:
            return False
        current = parents[0]
        pool.remove(current)
    return False


def _issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    if cert.issuer != issuer.subject:
        return False
    try:
        cert.verify_directly_issued_by(issuer)
    except Exception:
        return False
    return True


def _check(code: str, *, valid: bool, algorithm="", c14n="", signer="", trusted=False, **params):
    return SignatureCheck(
        present=True,
        valid=valid,
        algorithm=algorithm,
        canonicalization=c14n,
        signer=signer,
        code=code,
        message=m.text(code, **params),
        trusted=trusted,
    )


def check_tree(root) -> tuple[SignatureCheck, tuple[Notice, ...]]:
    """The signature check of a parsed package or status, and the Notices it raises."""
    signature = _find_signature(root)
    if signature is None:
        return (
            SignatureCheck(
                present=False,
                valid=False,
                code="xml_signature_missing",
                message=m.text("xml_signature_missing"),
            ),
            (),
        )
    notices: tuple[Notice, ...] = ()
    try:
        # The tree was parsed defused (no DOCTYPE): re-reading it may lift the text-node limit.
        copy_root = etree.fromstring(etree.tostring(root), parser=safe_parser(huge=True))
        signature = _find_signature(copy_root)
        if etree.QName(signature).namespace != XMLDSIG_NAMESPACE:
            moved = _move_to_xmldsig(signature)
            signature.getparent().replace(signature, moved)
            signature = moved
            notices = (m.notice("signature_no_namespace"),)
    except Exception:  # a signature nested absurdly deep, or the like
        logger.info("XML signature could not be prepared", exc_info=True)
        return _check("xml_signature_malformed", valid=False), notices
    algorithm, c14n = _algorithms(signature)
    try:
        certs = _certificates(signature)
        if not certs:
            raise ValueError("no certificate")
        leaf = _leaf(certs)
    except Exception:
        return _check("xml_signature_certificate", valid=False, algorithm=algorithm, c14n=c14n), notices
    signer = leaf.subject.rfc4514_string()
    found = {"algorithm": algorithm, "c14n": c14n, "signer": signer}
    if not _covers_document(signature):
        return _check("xml_signature_partial", valid=False, **found), notices
    try:
        XMLVerifier().verify(copy_root, x509_cert=leaf, expect_config=LENIENT, parser=safe_parser(huge=True))
    except InvalidCertificate:
        return _check("xml_signature_expired", valid=False, **found), notices
    except (InvalidSignature, InvalidDigest):
        return _check("xml_signature_invalid", valid=False, **found), notices
    except InvalidInput as exc:
        return _check("xml_signature_unsupported", valid=False, detail=str(exc)[:120], **found), notices
    except Exception:
        logger.info("XML signature could not be checked", exc_info=True)
        return _check("xml_signature_malformed", valid=False, **found), notices
    trusted = chain_trusted(leaf, certs)
    code = "xml_signature_trusted" if trusted else "xml_signature_untrusted"
    return _check(code, valid=True, trusted=trusted, **found), notices


def verify_xml_signature(root_or_bytes) -> SignatureCheck:
    """Check the XML signature of a package or status (its root element, or its bytes). A bad signature is
    reported in the SignatureCheck; only bytes that are not a readable edXML document raise EdxmlError."""
    root = root_or_bytes
    if isinstance(root_or_bytes, bytes | str):
        from documents.exchange.edxml.parse import read_tree

        root = read_tree(root_or_bytes, [])
    return check_tree(root)[0]


def _pdf_check(data: bytes) -> SignatureCheck:
    from signing.verification import verify_pdf

    try:
        report = verify_pdf(data)
    except Exception as exc:  # verify_pdf promises not to raise; be sure
        logger.exception("PDF verification failed")
        return SignatureCheck(
            present=False,
            valid=False,
            code="pdf_unreadable",
            message=m.text("pdf_unreadable", detail=str(exc)[:80]),
        )
    if report.error:
        return SignatureCheck(
            present=False,
            valid=False,
            code="pdf_unreadable",
            message=m.text("pdf_unreadable", detail=report.error),
        )
    signatures = [s for s in report.signatures if not s.is_document_timestamp] or report.signatures
    if not signatures:
        return SignatureCheck(present=False, valid=False, code="pdf_unsigned", message=m.text("pdf_unsigned"))
    valid = all(s.intact and s.valid for s in signatures)
    trusted = valid and all(s.trusted for s in signatures)
    code = "pdf_invalid" if not valid else ("pdf_trusted" if trusted else "pdf_untrusted")
    return _check(
        code, valid=valid, trusted=trusted, signer="; ".join(s.signer for s in signatures if s.signer)
    )


def verify_pdf_attachments(package: Package) -> tuple[tuple[str, SignatureCheck], ...]:
    """The PAdES check of every attachment that is a PDF by content, as (content_id, check)."""
    return tuple(
        (a.content_id, _pdf_check(a.data)) for a in package.attachments if a.content_type == "application/pdf"
    )
