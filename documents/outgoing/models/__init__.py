"""Outgoing documents (văn bản đi): drafts and their versions, review comments, consultation, signature,
number, issuance, delivery to recipients and recall (NĐ 30 Điều 10–19).

Imported by ``documents.models`` (app label ``documents``). Models hold data, constraints and indexes;
transitions only guard. Every write is in ``documents.outgoing.services``.

- ``document``: the outgoing document, its states and choices, the guards of its transitions, and who may
  see it (``visible_q``, also the engine's ``OutgoingDocument.visible_to``);
- ``versions``: the PDF versions of a draft and the reviewers' comments;
- ``consultations``: lấy ý kiến, the consultations and their answers;
- ``format``: who checks format before signing, and each check;
- ``attachments``: appendices (in the body's PDF) and attached files (stamped and signed at issuance);
- ``authorizations``: the records that allow a signer's KT./Q./TL./TUQ.;
- ``recipients``: the recipients of an issued document, their delivery statuses and trail.
"""

from documents.outgoing.models.attachments import OutgoingAppendix, OutgoingAttachment
from documents.outgoing.models.authorizations import SigningAuthorization
from documents.outgoing.models.consultations import Consultation, ConsultationAnswer
from documents.outgoing.models.document import (
    AFTER_SIGNATURE,
    DRAFT_STATES,
    EDITABLE_STATES,
    ISSUED_STATES,
    LEADER_STATES,
    OUTGOING_STATE_LABELS,
    Circulation,
    OutgoingDocument,
    Relation,
    SignerAuthority,
    can_recall,
    can_return,
    is_clerk,
    is_drafter,
    is_reviewer,
    is_signer,
    visible_q,
)
from documents.outgoing.models.format import FormatCheck, FormatReviewRule
from documents.outgoing.models.recipients import DeliveryEvent, DeliveryStatus, OutgoingRecipient
from documents.outgoing.models.versions import DraftComment, OutgoingVersion, upload_version_path

# Migration 0003 names the upload path of versions by its first home: the same function.
_upload_version = upload_version_path

__all__ = [
    "AFTER_SIGNATURE",
    "DRAFT_STATES",
    "EDITABLE_STATES",
    "ISSUED_STATES",
    "LEADER_STATES",
    "OUTGOING_STATE_LABELS",
    "Circulation",
    "Consultation",
    "ConsultationAnswer",
    "DeliveryEvent",
    "DeliveryStatus",
    "DraftComment",
    "FormatCheck",
    "FormatReviewRule",
    "OutgoingAppendix",
    "OutgoingAttachment",
    "SigningAuthorization",
    "OutgoingDocument",
    "OutgoingRecipient",
    "OutgoingVersion",
    "Relation",
    "SignerAuthority",
    "can_recall",
    "can_return",
    "is_clerk",
    "is_drafter",
    "is_reviewer",
    "is_signer",
    "upload_version_path",
    "visible_q",
]
