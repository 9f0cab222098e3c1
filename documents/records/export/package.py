"""A case file as a package (Phụ lục VI III.4g, III.5e): a zip holding ``metadata.xml`` (the file's metadata
of Phần II Mục III, then each document's of Mục I/II with the list of its computer files), the files under
``files/NNN-K-name`` in ordinal order, and the schema ``metadata.xsd`` the XML follows. The format is
described in docs/records-xml.md; it is the hand-over format of III.5e: there is no public interface to a
historical archive to send it to.
"""

from __future__ import annotations

import hashlib
import io
import logging
import zipfile
from datetime import date, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

from django.utils import timezone

from documents.records.models import CaseFile, UsageRights
from eoffice.output import pdfa

from . import contents
from .contents import IMAGE, PDF, nfc

NAMESPACE = "urn:eoffice:records:package:1"
SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "records-package.xsd"
SCHEMA_NAME = "metadata.xsd"
METADATA_NAME = "metadata.xml"
VERSION = "1"
RENDITION_FORMAT = "PDF/A-2b"

logger = logging.getLogger(__name__)


def _clean(text) -> str:
    """Text as XML 1.0 allows it (no control characters but tab and line breaks)."""
    value = nfc(text)
    return "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 0x20)


def _sub(parent: ET.Element, tag: str, value=None) -> ET.Element:
    element = ET.SubElement(parent, f"{{{NAMESPACE}}}{tag}")
    if isinstance(value, datetime):
        element.text = timezone.localtime(value).date().isoformat()
    elif isinstance(value, date):
        element.text = value.isoformat()
    elif value is not None:
        element.text = _clean(value) if isinstance(value, str) else str(value)
    return element


def pdf_pages(item_file) -> int:
    if item_file.form == IMAGE:
        return 1
    if item_file.form != PDF:
        return 0
    from .printing import pdf_pages as count

    return count(item_file.data) or 0


def zip_path(ordinal: int, index: int, name: str) -> str:
    return f"files/{ordinal:03d}-{index}-{contents.safe_name(name)}"


def rendition_path(path: str) -> str:
    """Where the PDF/A rendition of the file at ``path`` sits (files/001-1-a.pdf: files/001-1-a-pdfa.pdf)."""
    stem = path[:-4] if path.endswith(".pdf") else path
    return f"{stem}-pdfa.pdf"


def renditions(entries: list, paths: list[list[str]], *, title: str = "") -> dict[str, bytes]:
    """The PDF/A-2b rendition of every PDF of the file, by the original's path. A PDF Ghostscript cannot
    convert (damaged, encrypted) has none; the originals are never touched."""
    out: dict[str, bytes] = {}
    for entry, entry_paths in zip(entries, paths, strict=True):
        for item_file, path in zip(entry.files, entry_paths, strict=True):
            if item_file.form != PDF:
                continue
            try:
                out[path] = pdfa.convert(item_file.data, title=title)
            except pdfa.PdfaError:
                logger.warning("no PDF/A rendition of %s", path, exc_info=True)
    return out


def metadata_xml(
    case_file: CaseFile, entries: list, paths: list[list[str]], rendered: dict[str, bytes] | None = None
) -> bytes:
    """``metadata.xml`` of the file: ``paths[i][k]`` is where the k-th file of the i-th entry sits;
    ``rendered`` the PDF/A renditions by the original's path."""
    rendered = rendered or {}
    ET.register_namespace("", NAMESPACE)
    root = ET.Element(
        f"{{{NAMESPACE}}}RecordsPackage",
        {
            "version": VERSION,
            "created": timezone.localtime().isoformat(timespec="seconds"),
            "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation": f"{NAMESPACE} {SCHEMA_NAME}",
        },
    )
    start, end = contents.file_span(case_file)
    page_amounts = [
        e.item.page_amount if e.item.page_amount is not None else sum(pdf_pages(f) for f in e.files)
        for e in entries
    ]
    record = _sub(root, "File")
    code = _sub(record, "FileCode")
    _sub(code, "OrganId", contents.organ_id(case_file))
    _sub(code, "FileCatalog", case_file.year)
    _sub(code, "FileNotation", case_file.code)
    _sub(record, "Title", case_file.title)
    _sub(record, "Maintenance", contents.retention_label(case_file.retention))
    rights = (
        UsageRights(case_file.rights).label if case_file.rights in UsageRights.values else case_file.rights
    )
    _sub(record, "Rights", str(rights))
    _sub(record, "Creator", contents.creator(case_file))
    _sub(record, "Language", case_file.language or "Tiếng Việt")
    if start:
        _sub(record, "StartDate", start)
    if end:
        _sub(record, "EndDate", end)
    _sub(record, "DocTotal", len(entries))
    _sub(record, "PageTotal", sum(page_amounts))
    _sub(record, "Description", case_file.description)

    documents = _sub(root, "Documents")
    for entry, pages, entry_paths in zip(entries, page_amounts, paths, strict=True):
        item = entry.item
        doc = _sub(documents, "Document", None)
        doc.set("kind", item.kind)
        _sub(doc, "DocOrdinal", item.ordinal)
        _sub(doc, "TypeName", item.type_name)
        _sub(doc, "CodeNumber", item.code_number)
        _sub(doc, "CodeNotation", item.code_notation)
        issued = item.issued_date or contents.item_date(item)
        if issued:
            _sub(doc, "IssuedDate", issued)
        _sub(doc, "OrganName", item.organ_name)
        _sub(doc, "Subject", item.subject)
        _sub(doc, "Language", item.language or "Tiếng Việt")
        _sub(doc, "PageAmount", pages)
        _sub(doc, "Description", item.description)
        signer = _sub(doc, "SignerInfo")
        _sub(signer, "Position", item.signer_position)
        _sub(signer, "FullName", item.signer_name)
        if item.arrival_number:
            _sub(doc, "ArrivalNumber", item.arrival_number)
        if item.arrival_date:
            _sub(doc, "ArrivalDate", item.arrival_date)
        _sub(doc, "Priority", min(int(item.priority or 0), 9))
        files = _sub(doc, "Files")
        for item_file, path in zip(entry.files, entry_paths, strict=True):
            computer_file = _sub(files, "ComputerFile")
            _sub(computer_file, "Name", item_file.name)
            _sub(computer_file, "Path", path)
            _sub(computer_file, "ContentType", item_file.content_type or "application/octet-stream")
            _sub(computer_file, "Size", item_file.size)
            _sub(computer_file, "Sha256", item_file.sha256)
            if item_file.caption:
                _sub(computer_file, "Caption", item_file.caption)
            if path in rendered:
                rendition = _sub(computer_file, "Rendition")
                _sub(rendition, "Format", RENDITION_FORMAT)
                _sub(rendition, "Path", rendition_path(path))
                _sub(rendition, "ContentType", "application/pdf")
                _sub(rendition, "Size", len(rendered[path]))
                _sub(rendition, "Sha256", hashlib.sha256(rendered[path]).hexdigest())
    ET.indent(root, space="  ")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"


def schema_bytes() -> bytes:
    return SCHEMA_PATH.read_bytes()


def file_package(*, case_file: CaseFile, with_pdfa: bool = False) -> bytes:
    """The zip of ``case_file``: metadata.xml, metadata.xsd, then files/NNN-K-name in ordinal order;
    ``with_pdfa``: each PDF followed by its PDF/A-2b rendition (files/NNN-K-name-pdfa.pdf)."""
    entries = contents.entries(case_file)
    paths = [
        [zip_path(entry.item.ordinal, index, f.name) for index, f in enumerate(entry.files, start=1)]
        for entry in entries
    ]
    rendered = renditions(entries, paths, title=case_file.title) if with_pdfa else {}
    xml = metadata_xml(case_file, entries, paths, rendered)
    out = io.BytesIO()
    stamp = timezone.localtime().timetuple()[:6]
    with zipfile.ZipFile(out, "w") as archive:

        def put(name: str, data: bytes, *, compress: bool) -> None:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)

        put(METADATA_NAME, xml, compress=True)
        put(SCHEMA_NAME, schema_bytes(), compress=True)
        for entry, entry_paths in zip(entries, paths, strict=True):
            for item_file, path in zip(entry.files, entry_paths, strict=True):
                # PDFs and images are compressed already
                put(path, item_file.data, compress=item_file.form not in (PDF, IMAGE))
                if path in rendered:
                    put(rendition_path(path), rendered[path], compress=False)
    return out.getvalue()


def filename(case_file: CaseFile, ext: str, *, prefix: str = "ho-so") -> str:
    """ "ho-so-2026-05-dkkd.zip": ASCII, safe in a Content-Disposition header."""
    return f"{prefix}-{case_file.year}-{contents.slug(case_file.code) or case_file.pk}.{ext}"
