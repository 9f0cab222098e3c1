"""The schema of edXML packages and status messages (``edxml.xsd``, written from the axis' samples), loaded
once, and ``validate(xml_bytes) -> list[str]``: the problems found, empty when the message conforms.

The input is read with a defused parser (no entity expansion, no network, no DTD) and a document type
declaration is itself reported as a problem, so ``validate`` is safe on what an outside sender wrote; the
size limit is the caller's (``parse`` checks it before anything). ``huge_tree`` lifts libxml2's 10 MB limit
on one text node: a package's base64 attachment is one text node.
"""

from __future__ import annotations

import threading
from pathlib import Path

from lxml import etree

SCHEMA_PATH = Path(__file__).with_name("edxml.xsd")

_lock = threading.Lock()
_schema: etree.XMLSchema | None = None


def schema() -> etree.XMLSchema:
    """The compiled schema, loaded on first use and kept."""
    global _schema
    with _lock:
        if _schema is None:
            parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
            _schema = etree.XMLSchema(etree.parse(str(SCHEMA_PATH), parser))
        return _schema


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True, remove_blank_text=False
    )


def validate_tree(root: etree._Element) -> list[str]:
    checker = schema()
    if checker.validate(root):
        return []
    return [f"line {error.line}: {error.message}" for error in checker.error_log]


def validate(xml_bytes: bytes) -> list[str]:
    """The schema's complaints about ``xml_bytes`` (``"line N: message"``), or ``[]`` when it conforms."""
    try:
        tree = etree.fromstring(xml_bytes, _parser()).getroottree()
    except etree.XMLSyntaxError as exc:
        return [f"not well-formed: {exc}"]
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        return ["a document type declaration is not allowed"]
    return validate_tree(tree.getroot())
