"""What the outputs of a case file read: its items in ordinal order with their snapshot (``CaseFileItem``),
each item's computer files (a paper's own file, or the record's files through ``documents.records.kinds``),
the dates the file spans, and the printed values shared by the PDFs and the XML.

The caller has already checked the file's access (``documents.records.access.case_file_access``): reading the
file grants reading its contents, so the records are fetched directly (``kind.model.objects.get``), which is
what lets a borrower of an archived file read documents the borrower could not open one by one.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.records import kinds
from documents.records.models import CaseFile, CaseFileItem, Retention
from eoffice.search import fold

logger = logging.getLogger(__name__)

PDF, IMAGE, OTHER = "pdf", "image", "other"


def nfc(value) -> str:
    return unicodedata.normalize("NFC", str(value or "")).strip()


def sniff(data: bytes, content_type: str = "", name: str = "") -> str:
    """PDF, IMAGE (PNG or JPEG) or OTHER, from the bytes themselves (a name or a type can lie)."""
    head = data[:1024]
    if b"%PDF-" in head:
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n") or head.startswith(b"\xff\xd8\xff"):
        return IMAGE
    return OTHER


def slug(text: str) -> str:
    """ASCII, lower case, words joined by dashes: "05.ĐKKD" → "05-dkkd"."""
    folded = fold(nfc(text))
    out = "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in folded)
    return "-".join(part for part in out.split("-") if part)


def safe_name(name: str, *, limit: int = 80) -> str:
    """A file name safe in a zip and a Content-Disposition header: "Tờ trình 12.pdf" → "to-trinh-12.pdf"."""
    name = nfc(name) or "tep"
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or len(ext) > 8:
        stem, ext = name, ""
    stem, ext = slug(stem)[:limit] or "tep", slug(ext)
    return f"{stem}.{ext}" if ext else stem


@dataclass
class ItemFile:
    """One computer file of an item, read."""

    name: str
    data: bytes
    content_type: str
    caption: str = ""
    sha256: str = ""
    unmergeable: bool = False  # a PDF that cannot be merged (damaged, encrypted): in the package only

    @property
    def form(self) -> str:
        return sniff(self.data, self.content_type, self.name)

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass
class Entry:
    """An item of the file and what the outputs print of it."""

    item: CaseFileItem
    files: list[ItemFile] = field(default_factory=list)
    missing: bool = False  # the record is gone (deleted before the file was frozen)

    @property
    def number_symbol(self) -> str:
        return number_symbol(self.item)

    @property
    def date(self) -> date | None:
        return item_date(self.item)


def number_symbol(item: CaseFileItem) -> str:
    number, notation = nfc(item.code_number), nfc(item.code_notation)
    if number and notation:
        return f"{number}/{notation}"
    return number or notation


def item_date(item: CaseFileItem) -> date | None:
    if item.issued_date:
        return item.issued_date
    return timezone.localtime(item.sort_date).date() if item.sort_date else None


def type_and_subject(item: CaseFileItem) -> str:
    type_name, subject = nfc(item.type_name), nfc(item.subject)
    return f"{type_name}: {subject}" if type_name and subject else (type_name or subject)


def d(value) -> str:
    """dd/mm/yyyy ("" for nothing)."""
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value).date()
    return value.strftime("%d/%m/%Y")


def day_line(value: date) -> str:
    """ "ngày 05 tháng 3 năm 2026" (Decree 30: days below 10 and months 1–2 with a leading 0)."""
    month = f"{value.month:02d}" if value.month <= 2 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"


def retention_label(value: str) -> str:
    try:
        return str(Retention(value).label)
    except ValueError:
        return value


def _record(item: CaseFileItem):
    """The item's record, or None when its kind is unknown or the record is gone."""
    try:
        kind = kinds.get(item.kind)
    except KeyError:
        logger.warning("case file %s: unknown record kind %r", item.case_file_id, item.kind)
        return None, None
    try:
        return kind, kind.model.objects.get(pk=item.object_id)
    except kind.model.DoesNotExist:
        return kind, None


def record_files(item: CaseFileItem) -> tuple[list, bool]:
    """The item's files as ``kinds.RecordFile`` (not read yet) and whether the record is gone."""
    if item.kind == kinds.PAPER:
        if not item.file:
            return [], False
        name = item.file_name or item.file.name.rsplit("/", 1)[-1]
        field_file = item.file

        def read() -> bytes:
            with field_file.open("rb") as handle:
                return handle.read()

        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return [
            kinds.RecordFile(name=name, read=read, content_type=content_type, sha256=item.file_sha256)
        ], False
    kind, record = _record(item)
    if record is None:
        return [], kind is not None
    return list(kind.files(record)), False


def items(case_file: CaseFile) -> list[CaseFileItem]:
    return list(CaseFileItem.objects.filter(case_file=case_file).order_by("ordinal", "id"))


def entries(case_file: CaseFile) -> list[Entry]:
    """Every item in ordinal order with its files read (bytes in memory: one file's export)."""
    out = []
    for item in items(case_file):
        found, missing = record_files(item)
        files = []
        for record_file in found:
            try:
                data = record_file.read()
            except (OSError, ValueError):  # a file missing from the storage: listed, not exported
                logger.exception(
                    "case file %s item %s: %s unreadable", item.case_file_id, item.pk, record_file.name
                )
                continue
            files.append(
                ItemFile(
                    name=nfc(record_file.name) or "tep",
                    data=data,
                    content_type=record_file.content_type,
                    caption=nfc(record_file.caption),
                    sha256=hashlib.sha256(data).hexdigest(),
                )
            )
        out.append(Entry(item=item, files=files, missing=missing))
    return out


def count_files(case_files) -> int:
    """The number of computer files in ``case_files`` (Biên bản giao nhận, 3b), without reading them."""
    total = 0
    for item in CaseFileItem.objects.filter(case_file__in=case_files).order_by("case_file_id", "ordinal"):
        total += len(record_files(item)[0])
    return total


def with_dates(case_files):
    """The files annotated with ``first_date``/``last_date`` (their items' dates) in one query."""
    return case_files.annotate(
        first_issued=Min("items__issued_date"),
        last_issued=Max("items__issued_date"),
        first_sorted=Min("items__sort_date"),
        last_sorted=Max("items__sort_date"),
        item_count=Count("items"),
    )


def span(case_file) -> tuple[date | None, date | None]:
    """Thời gian bắt đầu / kết thúc of a file annotated by ``with_dates``: the first and last document
    dates (the date it was filed for a document without one), else the file's own opening and closing."""

    def local(value):
        return timezone.localtime(value).date() if value else None

    firsts = [v for v in (case_file.first_issued, local(case_file.first_sorted)) if v]
    lasts = [v for v in (case_file.last_issued, local(case_file.last_sorted)) if v]
    start = min(firsts) if firsts else local(case_file.opened_at)
    end = max(lasts) if lasts else local(case_file.closed_at)
    return start, end


def file_span(case_file: CaseFile) -> tuple[date | None, date | None]:
    annotated = with_dates(CaseFile.objects.filter(pk=case_file.pk)).get()
    return span(annotated)


def span_text(start, end) -> str:
    if start and end and start != end:
        return f"{d(start)} – {d(end)}"
    return d(start or end)


def organ_id(case_file: CaseFile) -> str:
    return nfc(case_file.agency.code)


def file_code(case_file: CaseFile) -> str:
    """Mã hồ sơ (Phần II Mục III field 1): OrganId.FileCatalog.FileNotation."""
    return f"{organ_id(case_file)}.{case_file.year}.{nfc(case_file.code)}"


def creator(case_file: CaseFile) -> str:
    return nfc(case_file.owner.get_full_name()) if case_file.owner_id else ""


def note(entry: Entry) -> str:
    """Ghi chú of the table of contents: the item's note, and what could not be put in the PDF."""
    parts = [nfc(entry.item.description)] if entry.item.description else []
    if entry.missing:
        parts.append(_("Văn bản gốc không còn trong hệ thống"))
    others = [f.name for f in entry.files if f.form == OTHER]
    if others:
        parts.append(_("Tệp không chuyển được sang PDF: %(names)s") % {"names": ", ".join(others)})
    return "; ".join(parts)
