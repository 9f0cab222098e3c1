"""What the meetings module does when an outgoing document it made is issued (``document_issued`` of
``documents.outgoing.signals``, sent inside the issuing transaction): a Giấy mời tells the meeting's
participants inside the agency; a Thông báo kết luận turns its tasks into work items."""

from __future__ import annotations


def on_document_issued(sender, *, document, by, **kwargs) -> None:
    from meetings import services

    services.invitation_issued(document=document, by=by)
    services.conclusion_issued(document=document, by=by)


def connect() -> None:
    from documents.outgoing.signals import document_issued

    document_issued.connect(on_document_issued, dispatch_uid="meetings.on_document_issued")
