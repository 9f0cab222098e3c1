"""The schema of edXML packages and status messages (``edxml.xsd``, written from the axis' samples), loaded
once, and ``validate(xml_bytes) -> list[str]``: the problems found, empty when the message conforms.

``edxml.xsd`` leaves the content of an xmldsig ``Signature`` to lax processing; ``validate`` then checks
every xmldsig ``Signature`` against the W3C XML-DSig schema that signxml ships (``xmldsig-core-schema.xsd``,
read locally, its DTD not loaded). The samples' namespace-less ``<Signature>`` is outside that namespace and
is not checked by either.

The input is read with a defused parser (no entity expansion, no network, no DTD) and a document type
declaration is itself reported as a problem, so ``validate`` is safe on what an outside sender wrote; the
size limit is the caller's (``parse`` checks it before anything). ``huge_tree`` lifts libxml2's 10 MB limit
on one text node: a package's base64 attachment is one text node.
"""

from __future__ import annotations

import importlib.resources
import threading
from pathlib import Path

from lxml import etree

from documents.exchange.edxml.types import XMLDSIG_NAMESPACE

SCHEMA_PATH = Path(__file__).with_name("edxml.xsd")

_lock = threading.Lock()
_schema: etree.XMLSchema | None = None
_xmldsig: etree.XMLSchema | None = None


def _load(path) -> etree.XMLSchema:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(path), parser))


def schema() -> etree.XMLSchema:
    """The compiled schema, loaded on first use and kept."""
    global _schema
    with _lock:
        if _schema is None:
            _schema = _load(SCHEMA_PATH)
        return _schema


def xmldsig_schema() -> etree.XMLSchema:
    """The W3C XML-DSig schema (from the signxml package), loaded on first use and kept."""
    global _xmldsig
    with _lock:
        if _xmldsig is None:
            _xmldsig = _load(importlib.resources.files("signxml.schemas").joinpath("xmldsig-core-schema.xsd"))
        return _xmldsig


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True, remove_blank_text=False
    )


def _problems(checker: etree.XMLSchema, element: etree._Element) -> list[str]:
    if checker.validate(element):
        return []
    return [f"line {error.line}: {error.message}" for error in checker.error_log]


def validate_tree(root: etree._Element) -> list[str]:
    problems = _problems(schema(), root)
    for signature in root.iter(f"{{{XMLDSIG_NAMESPACE}}}Signature"):
        problems += _problems(xmldsig_schema(), signature)  # the lines stay the document's
    return problems


def validate(xml_bytes: bytes) -> list[str]:
    """The schema's complaints about ``xml_bytes`` (``"line N: message"``), or ``[]`` when it conforms."""
    try:
        tree = etree.fromstring(xml_bytes, _parser()).getroottree()
    except etree.XMLSyntaxError as exc:
        return [f"not well-formed: {exc}"]
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        return ["a document type declaration is not allowed"]
    return validate_tree(tree.getroot())
