"""The kinds of record a case file can hold, registered by the modules that own them.

``documents`` cannot import the business apps built on it (one-stop, meetings, complaints), so each module
registers its records here in its ``AppConfig.ready``:

    from documents.records import kinds
    kinds.register(kinds.FileableKind(key="dossier", label=_("Hồ sơ một cửa"), model=Dossier,
                                      access=..., visible_ids=..., snapshot=..., files=...))

A case file item names its record by ``(kind, object_id)``; the records module reaches the record only
through these callables:

- ``access(user, pk)`` returns the record when the user may see it and raises ``Http404`` otherwise (the
  module's own access helper: the same 404 for "missing" and "not yours");
- ``visible_ids(user, ids)`` the subset of ``ids`` the user may see, in one query (list pages);
- ``snapshot(record)`` its metadata for the file (Phụ lục VI Phần II), a ``Snapshot``;
- ``files(record)`` its files for the export of the file, in the order they were made: ``RecordFile``s
  (name, a callable returning the bytes, the content type, a caption such as "Dự thảo lần 2"); the
  issued or main document comes last for an outgoing document (drafts first, chronologically);
- ``url(record)`` its page;
- ``agency_id(record)`` the agency that holds it (a record is filed only in a file of its own agency).

``paper`` (a paper uploaded to the file itself) is not a registered kind: the item carries its file.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError

from documents.files import pdf_pages
from eoffice.search import fold

PAPER = "paper"


@dataclass(frozen=True)
class Snapshot:
    """A record's metadata as the file keeps it (the fields of ``CaseFileItem`` of the same names)."""

    sort_date: datetime
    subject: str
    type_name: str = ""
    code_number: str = ""
    code_notation: str = ""
    issued_date: date | None = None
    organ_name: str = ""
    page_amount: int | None = None
    language: str = "Tiếng Việt"
    description: str = ""
    signer_position: str = ""
    signer_name: str = ""
    arrival_number: str = ""
    arrival_date: date | None = None
    priority: int = 0

    def as_fields(self) -> dict:
        """The item's field values: strings cut to the columns' lengths."""
        return {
            "sort_date": self.sort_date,
            "subject": self.subject[:1000],
            "type_name": self.type_name[:100],
            "code_number": self.code_number[:20],
            "code_notation": self.code_notation[:50],
            "issued_date": self.issued_date,
            "organ_name": self.organ_name[:250],
            "page_amount": self.page_amount,
            "language": self.language[:30],
            "description": self.description[:500],
            "signer_position": self.signer_position[:150],
            "signer_name": self.signer_name[:100],
            "arrival_number": self.arrival_number[:20],
            "arrival_date": self.arrival_date,
            "priority": self.priority,
        }


@dataclass(frozen=True)
class RecordFile:
    name: str
    read: Callable[[], bytes]
    content_type: str = "application/pdf"
    caption: str = ""
    sha256: str = ""


@dataclass(frozen=True)
class FileableKind:
    key: str
    label: object
    model: type
    access: Callable[[object, int], object]
    visible_ids: Callable[[object, Iterable[int]], set[int]]
    snapshot: Callable[[object], Snapshot]
    files: Callable[[object], list[RecordFile]]
    url: Callable[[object], str]
    agency_id: Callable[[object], int] = field(default=lambda record: record.agency_id)


_KINDS: dict[str, FileableKind] = {}


def register(kind: FileableKind) -> FileableKind:
    known = _KINDS.get(kind.key)
    if known is not None and known.model is not kind.model:
        raise ValueError(f"record kind {kind.key!r} is already registered for {known.model.__name__}")
    _KINDS[kind.key] = kind
    return kind


def get(key: str) -> FileableKind:
    """The registered kind; ``KeyError`` for an unknown key."""
    return _KINDS[key]


def registered() -> list[FileableKind]:
    return list(_KINDS.values())


def key_for(record) -> str | None:
    """The kind key of a record instance, ``None`` when its model is not registered."""
    for kind in _KINDS.values():
        if isinstance(record, kind.model):
            return kind.key
    return None


# ---- helpers the registering modules share (meetings, complaints …) -----------------------------------

FINAL_VERSION_KINDS = ("sealed", "signed")


def field_reader(field_file) -> Callable[[], bytes]:
    """A ``RecordFile.read`` for a stored file field."""

    def read() -> bytes:
        with field_file.open("rb") as handle:
            return handle.read()

    return read


def file_slug(text: str, fallback: str = "") -> str:
    """ASCII for a file name: "04/TB-SKHĐT" → "04-tb-skhdt"; ``fallback`` when nothing is left."""
    out = "".join(c if c.isascii() and c.isalnum() else "-" for c in fold(text))
    return "-".join(part for part in out.split("-") if part) or fallback


def file_extension(name: str, content_type: str = "", default: str = ".bin") -> str:
    """The extension of a file for the export: its own (short, alphanumeric), else the content type's."""
    tail = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if tail.isalnum() and len(tail) <= 5:
        return f".{tail}"
    return mimetypes.guess_extension(content_type or "") or default


def final_version(document):
    """The issued PDF version of an outgoing document: its last sealed version, else its last signed one;
    ``None`` while it is not issued. Reads ``document.versions.all()`` (prefetched or not)."""
    if document is None or document.issued_at is None:
        return None
    versions = [v for v in document.versions.all() if v.kind in FINAL_VERSION_KINDS]
    for kind in FINAL_VERSION_KINDS:
        found = [v for v in versions if v.kind == kind]
        if found:
            return max(found, key=lambda v: v.number)
    return None


def record_file_pages(record_file: RecordFile) -> int | None:
    """The pages of one ``RecordFile``: a PDF's pages, one for an image, ``None`` when unknown (another
    format, an unreadable or damaged file)."""
    try:
        data = record_file.read()
    except (FileNotFoundError, OSError, ValueError):
        return None
    if data[:1024].lstrip().startswith(b"%PDF"):
        try:
            return pdf_pages(data)
        except ValidationError:
            return None
    return 1 if record_file.content_type.startswith("image/") else None


def pages_of(counts: Iterable[int | None]) -> int | None:
    """A record's "Số trang" from its files' pages: their sum, ``None`` when none is known."""
    known = [n for n in counts if n]
    return sum(known) if known else None


def file_this_block(*, user, kind: str, record, ended: bool) -> dict:
    """The context of a record page's "file this" block (``documents/records/_file_this.html``): prominent
    once the record has ``ended`` while no case file holds it yet."""
    from documents.records.selectors import file_this_context

    context = file_this_context(user=user, kind=kind, record=record, prominent=False)
    context["prominent"] = ended and not context["holders"]
    return context
