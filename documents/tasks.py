"""Celery tasks of the documents app; each calls a service (queued on "notifications" or "pdf")."""

from __future__ import annotations

from celery import shared_task

from documents.exchange import tasks as exchange_tasks  # noqa: F401 - registers the exchange tasks with the worker
from documents.records.archive import tasks as archive_tasks  # noqa: F401 - the archive's scans


@shared_task(acks_late=True)
def send_outgoing_email(recipient_id: int) -> str:
    """E-mail an issued document to one recipient (SENT or FAILED with the error; idempotent)."""
    from documents.outgoing import delivery

    return delivery.email_deliver(recipient_id=recipient_id)


@shared_task(acks_late=True)
def send_recall_email(recipient_id: int) -> str:
    """Tell one e-mail recipient that the document sent to them is recalled (idempotent)."""
    from documents.outgoing import delivery

    return delivery.email_recall_deliver(recipient_id=recipient_id)


@shared_task(acks_late=True)
def extract_text(model_label: str, pk: int) -> str:
    """Extract the full text of a document's PDFs for search (queued on "pdf" by the services)."""
    from documents.search import extract

    return extract.extract_document(model_label=model_label, pk=pk)
