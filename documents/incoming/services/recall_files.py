"""Phụ lục VI III.8.b: "Hủy văn bản đến và dữ liệu đặc tả văn bản đến khi có lệnh thu hồi văn bản từ cơ quan
ban hành". When the recall of an incoming document is carried out (the clerk's confirmation, or the accepted
recall or replacement of the exchange), its stored files — the document and its attachments — are destroyed:
the file fields are cleared in the confirming transaction, the files leave the storage after it commits, and
the full text extracted from them is cleared with them.

What stays is the tombstone (III.8.c): the record's metadata with ``file_sha256``, ``recalled_at``,
``recall_confirmed_at``, and one history entry naming each destroyed file with its SHA-256.

A document inside a case file handed to the archive (``record_in_archived_file``) keeps its files: the
archive's copy must stay what the archive accepted (IV.1g). The history entry says they were kept and why.

Internal delivery stores the recipient's own copy of the PDF (``documents.outgoing.delivery.internal``):
destroying it never touches the sender's signed original.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.common import TextStatus
from documents.incoming.models import IncomingAttachment, IncomingDocument
from eoffice.models import User
from workflow import services as wf
from workflow.models import HistoryEntry

logger = logging.getLogger(__name__)

ACTION = "recall_files"


def _described(document: IncomingDocument, attachments: list[IncomingAttachment]) -> list[dict]:
    files = []
    if document.file:
        files.append(
            {
                "name": document.file_name or document.file.name.rsplit("/", 1)[-1],
                "sha256": document.file_sha256,
                "size": document.file_size,
                "main": True,
            }
        )
    files.extend(
        {"name": a.name, "sha256": a.sha256, "size": a.size, "main": False} for a in attachments if a.file
    )
    return files


def _shared(names: list[str], document: IncomingDocument) -> set[str]:
    """Stored names another record still refers to (never the case today: each copy is its own file)."""
    others = set(
        IncomingDocument.objects.filter(file__in=names).exclude(pk=document.pk).values_list("file", flat=True)
    )
    others.update(
        IncomingAttachment.objects.filter(file__in=names)
        .exclude(document_id=document.pk)
        .values_list("file", flat=True)
    )
    return others


def recall_destroy_files(*, document: IncomingDocument, by: User | None) -> list[dict]:
    """Destroy the stored files of ``document`` (its row locked by the caller, inside the transaction that
    confirms the recall). Returns the files destroyed (name, SHA-256, size); an empty list when there was
    nothing to destroy or the files were kept because the document sits in an archived case file."""
    from documents.records.selectors import record_in_archived_file

    attachments = [a for a in document.attachments.order_by("uploaded_at", "id") if a.file]
    files = _described(document, attachments)
    if not files:
        return []
    names_list = ", ".join(f["name"] for f in files)
    if record_in_archived_file("incoming", document.pk):
        wf.history_add(
            record=document,
            event=HistoryEntry.Event.COMMENT,
            actor=by,
            action=ACTION,
            comment=_("Tệp văn bản được giữ lại, không hủy, vì văn bản nằm trong hồ sơ đã nộp lưu: %(names)s")
            % {"names": names_list},
            data={"kind": "files_kept", "reason": "archived_case_file", "files": files},
        )
        return []

    stored = [(f.storage, f.name) for f in [document.file, *(a.file for a in attachments)] if f]
    keep = _shared([name for _storage, name in stored], document)
    now = timezone.now()
    IncomingDocument.objects.filter(pk=document.pk).update(
        file="", text_content="", text_folded="", text_status=TextStatus.NONE, updated_at=now
    )
    IncomingAttachment.objects.filter(pk__in=[a.pk for a in attachments]).update(file="")
    document.file = ""
    document.text_status = TextStatus.NONE
    wf.history_add(
        record=document,
        event=HistoryEntry.Event.COMMENT,
        actor=by,
        action=ACTION,
        comment=_("Đã hủy tệp văn bản theo yêu cầu thu hồi của cơ quan ban hành: %(names)s")
        % {"names": names_list},
        data={"kind": "files_destroyed", "files": files},
    )

    def delete() -> None:
        for storage, name in stored:
            if name in keep:
                continue
            try:
                storage.delete(name)
            except OSError:  # a file already gone: the record says it was destroyed
                logger.warning("recalled incoming %s: cannot delete %s", document.pk, name, exc_info=True)

    transaction.on_commit(delete)
    return files


__all__ = ["ACTION", "recall_destroy_files"]
