"""Celery tasks of the complaints module; each imports its service in its body and calls it."""

from __future__ import annotations

from celery import shared_task


@shared_task(
    name="complaints.public.send_filed_email",
    acks_late=True,
    autoretry_for=(ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def send_filed_email(case_id: int, email: str) -> bool:
    """The confirmation of a letter filed online (its tracking code)."""
    from complaints.services.online import filed_email_send

    return filed_email_send(case_id=case_id, email=email)
