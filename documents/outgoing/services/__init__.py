"""Every write of outgoing documents: keyword-only, one transaction, row lock, right checked, history.

A package by sub-domain: ``versions`` (the PDFs kept), ``drafting``, ``review`` (approval), ``consultation``,
``issuance`` (signature, seal and issue, recall), ``notices``. Callers use the package:
``from documents.outgoing import services; services.draft_create(...)``.

Flow (NĐ 30 Điều 10–19): draft (officer; NEW) → submit to the unit head (SUBMITTED) → the head approves and
sends it to the signer (SIGNING, the signer's "chờ ký" queue) → the signer signs: the system gives the number
and the issue date at that moment, renders the final PDF with them and the signature goes on it, all in one
transaction (SIGNED, the clerk's "chờ phát hành" queue) → the clerk applies the agency's signature (seal) as
an incremental update and issues (ISSUED): delivered at once to recipient agencies of this installation,
emailed to the others. Side exits: returned with comments (RETURNED), cancelled draft, recall after issue.
"""

from documents.outgoing.services.consultation import (
    consultation_answer,
    consultation_close,
    consultation_start,
)
from documents.outgoing.services.drafting import (
    DraftFields,
    draft_comment,
    draft_create,
    draft_update,
    parse_external,
    preview_pdf,
)
from documents.outgoing.services.issuance import document_issue, document_recall, document_sign
from documents.outgoing.services.notices import notify_clerks_to_issue
from documents.outgoing.services.review import draft_approve, draft_cancel, draft_return, draft_submit
from documents.outgoing.services.versions import MAX_UPLOAD_BYTES, add_version, read_bytes

__all__ = [
    "MAX_UPLOAD_BYTES",
    "DraftFields",
    "add_version",
    "consultation_answer",
    "consultation_close",
    "consultation_start",
    "document_issue",
    "document_recall",
    "document_sign",
    "draft_approve",
    "draft_cancel",
    "draft_comment",
    "draft_create",
    "draft_return",
    "draft_submit",
    "draft_update",
    "notify_clerks_to_issue",
    "parse_external",
    "preview_pdf",
    "read_bytes",
]
