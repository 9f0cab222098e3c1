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

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

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
