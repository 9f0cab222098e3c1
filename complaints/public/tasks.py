"""Celery tasks of the public side. The e-mail holds a tracking code: it is not kept when it fails, and no
log line names the address."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(
    name="complaints.public.send_filed_email",
    acks_late=True,
    autoretry_for=(ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def send_filed_email(case_id: int, email: str) -> bool:
    from complaints.models import Case
    from complaints.services.online import filed_email

    case = Case.objects.select_related("agency", "letter").filter(pk=case_id).first()
    if case is None:
        return False
    try:
        filed_email(case, email).send(fail_silently=False)
    except (ConnectionError, TimeoutError):
        raise  # the mail server is away: retried (the exception names no address)
    except Exception as exc:  # a refused address, a bad header … (messages that may name the address)
        logger.warning(
            "complaints: filing confirmation not sent (case %s): %s", case_id, exc.__class__.__name__
        )
        return False
    return True
