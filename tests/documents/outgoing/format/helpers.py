"""A draft brought to the office's format check."""

from __future__ import annotations

from documents.outgoing import services
from documents.outgoing.models import OutgoingDocument
from tests.documents.outgoing.helpers import _fields


def to_format_check(office, agency_b, *, format_reviewer=None, **extra) -> OutgoingDocument:
    doc = services.draft_create(by=office["officer"], fields=_fields(office, agency_b, **extra))
    doc = services.draft_submit(document=doc, by=office["officer"], reviewer=office["head"])
    return services.draft_approve(document=doc, by=office["head"], format_reviewer=format_reviewer)


ALL_TICKS = {"layout", "typeface", "rules", "symbol", "structure", "spelling"}
