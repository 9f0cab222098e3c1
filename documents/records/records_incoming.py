"""Incoming documents as records a case file holds (kind "incoming"), registered in
``DocumentsConfig.ready``."""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Iterable
from datetime import datetime, time

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.incoming.models import IncomingDocument
from documents.incoming.selectors import incoming_access, visible_incoming
from documents.records import kinds

KEY = "incoming"


def split_number_symbol(value: str) -> tuple[str, str]:
    """``"15/UBND-KT"`` → ``("15", "UBND-KT")``; a symbol without a leading number → ``("", value)``."""
    value = (value or "").strip()
    match = re.match(r"^\s*(?:Số\s*:?\s*)?(\d+[A-Za-z]?)\s*/\s*(.+)$", value, flags=re.IGNORECASE)
    if match:
        return match.group(1), match.group(2).strip()
    return "", value


def day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _access(user, pk: int) -> IncomingDocument:
    return incoming_access(user=user, pk=pk)


def _visible_ids(user, ids: Iterable[int]) -> set[int]:
    return set(visible_incoming(user).filter(pk__in=list(ids)).values_list("pk", flat=True))


def _snapshot(doc: IncomingDocument) -> kinds.Snapshot:
    number, notation = split_number_symbol(doc.number_symbol)
    received = timezone.localtime(doc.received_at).date() if doc.received_at else None
    return kinds.Snapshot(
        sort_date=day_start(doc.issued_date) if doc.issued_date else doc.received_at,
        subject=doc.summary,
        type_name=doc.doc_type.name if doc.doc_type_id else "",
        code_number=number,
        code_notation=notation,
        issued_date=doc.issued_date,
        organ_name=doc.issuer_name,
        page_amount=doc.page_count,
        signer_name=doc.signer_name,
        arrival_number=doc.number_display if doc.number else "",
        arrival_date=received if doc.number else None,
        priority=doc.urgency or 0,
    )


def _reader(field_file):
    def read() -> bytes:
        with field_file.open("rb") as handle:
            return handle.read()

    return read


def _files(doc: IncomingDocument) -> list[kinds.RecordFile]:
    """The document and its attachments; a file destroyed on the sender's recall (III.8.b, empty field) is
    left out."""
    files = []
    if doc.file:
        files.append(
            kinds.RecordFile(
                name=doc.file_name or doc.file.name.rsplit("/", 1)[-1],
                read=_reader(doc.file),
                content_type=mimetypes.guess_type(doc.file_name or doc.file.name)[0] or "application/pdf",
                caption=str(_("Văn bản")),
                sha256=doc.file_sha256,
            )
        )
    for n, attachment in enumerate(doc.attachments.order_by("uploaded_at", "id"), start=1):
        if not attachment.file:
            continue
        files.append(
            kinds.RecordFile(
                name=attachment.name,
                read=_reader(attachment.file),
                content_type=mimetypes.guess_type(attachment.name)[0] or "application/octet-stream",
                caption=str(_("Tệp đính kèm %(n)d")) % {"n": n},
                sha256=attachment.sha256,
            )
        )
    return files


def register() -> None:
    kinds.register(
        kinds.FileableKind(
            key=KEY,
            label=_("Văn bản đến"),
            model=IncomingDocument,
            access=_access,
            visible_ids=_visible_ids,
            snapshot=_snapshot,
            files=_files,
            url=lambda doc: doc.get_absolute_url(),
        )
    )
