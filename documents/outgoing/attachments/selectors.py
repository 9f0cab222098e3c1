"""Reads of appendices and attached files, through the document's access helper (same 404 as its page)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from documents.outgoing import selectors as outgoing_selectors
from documents.outgoing.models import OutgoingAppendix, OutgoingAttachment, OutgoingDocument
from eoffice.models import User


def appendices_of(document: OutgoingDocument) -> QuerySet[OutgoingAppendix]:
    return document.appendices.order_by("position", "id")


def attachments_of(document: OutgoingDocument) -> QuerySet[OutgoingAttachment]:
    return document.attachments.order_by("position", "id")


def appendix_of(*, document: OutgoingDocument, pk: int) -> OutgoingAppendix:
    return get_object_or_404(document.appendices, pk=pk)


def attachment_of(*, document: OutgoingDocument, pk: int) -> OutgoingAttachment:
    return get_object_or_404(document.attachments, pk=pk)


def attachment_get(*, user: User, document_pk: int, pk: int) -> OutgoingAttachment:
    """An attachment of a document ``user`` may see (404 for missing and for not visible alike)."""
    document = outgoing_selectors.outgoing_access(user=user, pk=document_pk)
    attachment = attachment_of(document=document, pk=pk)
    attachment.document = document
    return attachment


def delivered_file(attachment: OutgoingAttachment):
    """The copy that leaves the agency: the stamped and signed one once issued, else the drafter's file."""
    return attachment.issued_file if attachment.issued_file else attachment.file


def delivered_files(document: OutgoingDocument) -> list[tuple[OutgoingAttachment, bytes]]:
    """Each attached file of ``document`` as it leaves the agency (``delivered_file``), read, in order: what
    the internal delivery, the e-mail and the exchange package carry."""
    files = []
    for attachment in attachments_of(document):
        with delivered_file(attachment).open("rb") as handle:
            files.append((attachment, handle.read()))
    return files
