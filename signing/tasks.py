"""Celery tasks of the signing app (queue "signing"); each calls a service."""

from celery import shared_task

from signing import services
from signing.models import SignatureBatch, SignatureRequest


@shared_task(acks_late=False)
def sign_batch(batch_id: int, pin_token: str) -> None:
    # acks_late off: a redelivered message would find the one-time PIN gone and fail every item.
    batch = SignatureBatch.objects.select_related("signer").get(pk=batch_id)
    services.batch_run(batch=batch, pin_token=pin_token)


@shared_task
def poll_remote_signatures() -> int:
    """Finish remote (CSC) signatures approved on the phone since the last run (beat: every minute)."""
    done = 0
    for request in SignatureRequest.objects.filter(status=SignatureRequest.Status.AWAITING_REMOTE):
        if services.signature_request_poll_remote(request=request).status == SignatureRequest.Status.SIGNED:
            done += 1
    return done
