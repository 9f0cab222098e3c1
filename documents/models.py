"""The models of the ``documents`` app, each defined in its sub-package and imported here so that Django
loads them under the app label ``documents``:

- ``documents.registers.models``: document types, registers (sổ) and their yearly counters;
- ``documents.incoming.models``: incoming documents, their attachments and explicit grants;
- ``documents.outgoing.models``: outgoing documents, versions, comments, consultation, recipients;
- ``documents.exchange.models``: external agencies, the exchange outbox, its attempts and the inbox;
- ``documents.records.models``: case files (hồ sơ công việc) and their items;
- ``documents.search.models``: saved searches.

This module only imports; no model module imports it back (each names the others by their own module).
The shared choices (``documents.common``) are named here too, for the callers that read them from the app.
"""

from documents.common import (
    TEXT_COLUMNS,
    Channel,
    Confidentiality,
    FullTextManager,
    FullTextMixin,
    FullTextQuerySet,
    SignatureStatus,
    TextStatus,
    Urgency,
    search_vector_expression,
)
from documents.copies.models import CopyForm, CopyRecipient, DocumentCopy
from documents.exchange.models import (
    DirectorySync,
    ExternalAgency,
    InboxMessage,
    MessageKind,
    OutboxAttempt,
    OutboxMessage,
)
from documents.incoming.models import (
    INCOMING_OPEN_Q,
    INCOMING_OPEN_STATES,
    INCOMING_STATE_LABELS,
    IncomingAttachment,
    IncomingDocument,
    IncomingDocumentGroupObjectPermission,
    IncomingDocumentUserObjectPermission,
    can_direct,
    can_register,
    can_reopen,
    holds_lead,
    incoming_content_type,
    upload_attachment_path,
    upload_main_path,
)
from documents.outgoing.models import (
    Consultation,
    ConsultationAnswer,
    DeliveryEvent,
    DeliveryStatus,
    DraftComment,
    FormatCheck,
    FormatReviewRule,
    OutgoingAppendix,
    OutgoingAttachment,
    OutgoingDocument,
    OutgoingRecipient,
    OutgoingVersion,
    SigningAuthorization,
)
from documents.records.levels.models import InformationLevel
from documents.records.models import CaseFile, CaseFileItem
from documents.registers.models import DocumentType, Register, RegisterCounter
from documents.search.models import SavedSearch

# Migration 0001 names the upload paths of incoming files by their first home: the same functions.
_upload_main = upload_main_path
_upload_attachment = upload_attachment_path

__all__ = [
    "INCOMING_OPEN_Q",
    "INCOMING_OPEN_STATES",
    "INCOMING_STATE_LABELS",
    "TEXT_COLUMNS",
    "CaseFile",
    "CaseFileItem",
    "Channel",
    "Confidentiality",
    "Consultation",
    "CopyForm",
    "CopyRecipient",
    "DocumentCopy",
    "FormatCheck",
    "FormatReviewRule",
    "InformationLevel",
    "OutgoingAppendix",
    "OutgoingAttachment",
    "SigningAuthorization",
    "DirectorySync",
    "ExternalAgency",
    "InboxMessage",
    "MessageKind",
    "OutboxAttempt",
    "OutboxMessage",
    "ConsultationAnswer",
    "DeliveryEvent",
    "DeliveryStatus",
    "DocumentType",
    "DraftComment",
    "FullTextManager",
    "FullTextMixin",
    "FullTextQuerySet",
    "IncomingAttachment",
    "IncomingDocument",
    "IncomingDocumentGroupObjectPermission",
    "IncomingDocumentUserObjectPermission",
    "OutgoingDocument",
    "OutgoingRecipient",
    "OutgoingVersion",
    "Register",
    "RegisterCounter",
    "SavedSearch",
    "SignatureStatus",
    "TextStatus",
    "Urgency",
    "can_direct",
    "can_register",
    "can_reopen",
    "holds_lead",
    "incoming_content_type",
    "search_vector_expression",
]
