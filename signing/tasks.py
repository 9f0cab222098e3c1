"""Celery tasks of the signing app (queue "signing"); each imports its service in its body and calls it."""

from celery import shared_task


@shared_task(acks_late=False)
def sign_batch(batch_id: int, pin_token: str) -> None:
    # acks_late off: a redelivered message would find the one-time PIN gone and fail every item.
    from signing.services import batch_run_queued

    batch_run_queued(batch_id=batch_id, pin_token=pin_token)


@shared_task
def poll_remote_signatures() -> int:
    """Finish remote (CSC) signatures approved on the phone since the last run (beat: every minute)."""
    from signing.services import remote_signatures_poll

    return remote_signatures_poll()
