"""What the complaints module does when an outgoing document it drafted is issued (``document_issued`` of
``documents.outgoing.signals``, sent inside the issuing transaction)."""

from __future__ import annotations


def on_document_issued(sender, *, document, by, **kwargs) -> None:
    from complaints import services

    services.case_document_issued(document=document, by=by)


def connect() -> None:
    from documents.outgoing.signals import document_issued

    document_issued.connect(on_document_issued, dispatch_uid="complaints.on_document_issued")
