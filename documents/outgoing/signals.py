"""Signals of outgoing documents, for the business apps built on them (documents imports none of them).

``document_issued(sender=OutgoingDocument, document, by)`` is sent inside the issuing transaction, after
the document is issued and delivered: a receiver's writes commit with the issue, and a receiver that raises
rolls the issue back (the clerk sees the refusal and can try again)."""

from django.dispatch import Signal

document_issued = Signal()
