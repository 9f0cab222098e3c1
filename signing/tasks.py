"""Celery tasks of the signing app (queue "signing"); each imports its service in its body and calls it."""

from celery import shared_task


# acks_late + reject_on_worker_lost: a prefork child killed in the middle (the OOM killer picks the biggest
# process) puts the message back at once and the batch goes on within seconds. A whole worker killed leaves
# the message unacknowledged in Redis until the broker's visibility timeout (an hour); the beat scan
# (resume_batches) runs the rest long before, and the late copy finds the batch finished. Running a batch
# again never signs an item twice (services.batches): both paths are safe. ``pin_token`` is accepted for the
# messages queued before the token was kept on the batch (a PIN token: not stored with a failure).
@shared_task(acks_late=True, reject_on_worker_lost=True, eoffice_secret_args=True)
def sign_batch(batch_id: int, pin_token: str = "") -> None:
    from signing.services import batch_run_queued

    batch_run_queued(batch_id=batch_id, pin_token=pin_token)


@shared_task
def resume_batches() -> list[int]:
    """Queue again the batches whose worker stopped in the middle (beat: every minute)."""
    from signing.services import batches_resume

    return batches_resume()


@shared_task
def poll_remote_signatures() -> int:
    """Finish remote (CSC) signatures approved on the phone since the last run (beat: every minute)."""
    from signing.services import remote_signatures_poll

    return remote_signatures_poll()
