"""Batch signing: the PIN checked once, the chosen requests queued, signed one by one in a Celery task that
survives a killed worker (the beat scan runs the rest again; each item signed exactly once)."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError

from eoffice.models import User
from signing import selectors
from signing.models import SignatureBatch, SignatureRequest
from signing.services.pins import PinError, check_credential_pin, drop_pin, read_pin, stash_pin
from signing.services.requests import signature_request_sign

logger = logging.getLogger(__name__)


def batch_start(*, signer: User, request_ids: list[int], pin: str) -> SignatureBatch:
    """Check the PIN once, mark the chosen requests queued, and sign them in a Celery task.

    The PIN is checked before the transaction that queues the items, so that a wrong PIN is counted and
    logged even though nothing is queued."""
    chosen = list(selectors.pending_requests(signer).filter(pk__in=request_ids))
    if not chosen:
        raise ValidationError(_("Chưa chọn văn bản nào để ký."))
    for kind in sorted({r.kind for r in chosen}):
        credential = selectors.credential_for(user=signer, kind=kind)
        if credential is None:
            raise ValidationError(_("Chưa có chứng thư số phù hợp để ký."))
        try:
            check_credential_pin(
                credential=credential, pin=pin, by=signer, kind=kind, title=_("Ký hàng loạt")
            )
        except PinError as exc:
            raise ValidationError(str(exc)) from exc
    with transaction.atomic():
        requests = list(
            selectors.pending_requests(signer).filter(pk__in=[r.pk for r in chosen]).select_for_update()
        )
        if not requests:
            raise ValidationError(_("Chưa chọn văn bản nào để ký."))
        batch = SignatureBatch.objects.create(signer=signer, pin_token=stash_pin(pin))
        SignatureRequest.objects.filter(pk__in=[r.pk for r in requests]).update(
            batch=batch, status=SignatureRequest.Status.QUEUED, error=""
        )
        transaction.on_commit(lambda: _queue(batch.pk))
    return batch


# ---- running, and running again after a killed worker ---------------------------------------------------
# Exactly once per item: each item is signed under its row lock, and the signed file, its status and its
# "ok" log line commit together (signature_request_sign); a run signs only the items still queued in the
# batch. So a batch may be run again at any time, even twice at once: what was committed is never redone,
# what was not is done by the next run. The heartbeat tells a running batch from one whose worker died:
# ``batches_resume`` (beat, every minute) queues again a batch not finished whose heartbeat is older than
# STALE_AFTER. The encrypted PIN stays in the cache for the batch's runs until it finishes (or until
# SIGNING_PIN_TTL_SECONDS pass: then the rest fails with "Phiên ký đã hết hạn").

STALE_AFTER = dt.timedelta(minutes=2)
MAX_RUNS = 5  # a batch that stops its worker every time (a file that exhausts memory) is stopped here


def _queue(batch_id: int) -> None:
    from signing.tasks import sign_batch

    try:
        sign_batch.apply_async(args=(batch_id,), queue="signing")
    except (OperationalError, OSError):  # the broker is away: batches_resume queues it once it is stale
        logger.warning("batch %s not queued; the resume scan will queue it", batch_id, exc_info=True)


def _fail_queued(*, item: SignatureRequest, batch: SignatureBatch, error: str) -> None:
    """Mark ``item`` failed if it is still queued in ``batch`` (a run signing it meanwhile holds its row
    lock: this waits for it, then finds it signed and leaves it)."""
    SignatureRequest.objects.filter(
        pk=item.pk, batch_id=batch.pk, status=SignatureRequest.Status.QUEUED
    ).update(status=SignatureRequest.Status.FAILED, error=error)


def batch_run(*, batch: SignatureBatch, pin_token: str = "") -> SignatureBatch:
    """Sign each item of ``batch`` still queued; one failure does not stop the others. Safe to run again
    (and concurrently): see above."""
    with transaction.atomic():
        locked = SignatureBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.finished_at is not None:
            return locked
        locked.runs += 1
        locked.heartbeat_at = timezone.now()
        locked.save(update_fields=["runs", "heartbeat_at"])
    token = locked.pin_token or pin_token
    pin = read_pin(token) if locked.runs <= MAX_RUNS else None
    if pin is None:
        error = (
            _("Phiên ký đã hết hạn, vui lòng nhập lại mã PIN.")
            if locked.runs <= MAX_RUNS
            else _("Lượt ký bị gián đoạn nhiều lần do máy chủ gặp sự cố, vui lòng ký lại.")
        )
    items = list(batch.items.filter(status=SignatureRequest.Status.QUEUED).order_by("pk"))
    for item in items:
        if pin is None:
            _fail_queued(item=item, batch=batch, error=error)
            continue
        try:
            signature_request_sign(request=item, pin=pin, by=batch.signer, batch_id=batch.pk)
        except Exception as exc:  # one broken item must not stop the batch
            logger.exception("batch %s item %s failed", batch.pk, item.pk)
            _fail_queued(item=item, batch=batch, error=str(exc)[:500] or _("Lỗi không xác định."))
        else:
            # Still queued: no longer signable by this signer (a role or the request changed meanwhile).
            _fail_queued(item=item, batch=batch, error=_("Không còn quyền ký văn bản này."))
        SignatureBatch.objects.filter(pk=batch.pk, finished_at__isnull=True).update(
            heartbeat_at=timezone.now()
        )
    with transaction.atomic():
        locked = SignatureBatch.objects.select_for_update().get(pk=batch.pk)
        if (
            locked.finished_at is None
            and not locked.items.filter(status=SignatureRequest.Status.QUEUED).exists()
        ):
            locked.finished_at = timezone.now()
            locked.pin_token = ""
            locked.save(update_fields=["finished_at", "pin_token"])
            transaction.on_commit(lambda: drop_pin(token))
    batch.refresh_from_db()
    return batch


def batch_run_queued(*, batch_id: int, pin_token: str = "") -> SignatureBatch:
    """``batch_run`` for a batch queued by ``batch_start`` or ``batches_resume`` (run by
    ``signing.tasks.sign_batch``)."""
    batch = SignatureBatch.objects.select_related("signer").get(pk=batch_id)
    return batch_run(batch=batch, pin_token=pin_token)


def batches_resume(*, now: dt.datetime | None = None, limit: int = 100) -> list[int]:
    """Queue again the unfinished batches whose heartbeat is older than STALE_AFTER (their worker was killed,
    or their message lost); the heartbeat is moved so that the next scan waits for this run. Beat: every
    minute (``signing.tasks.resume_batches``)."""
    now = now or timezone.now()
    with transaction.atomic():
        stale = list(
            SignatureBatch.objects.select_for_update(skip_locked=True)
            .filter(finished_at__isnull=True, heartbeat_at__lt=now - STALE_AFTER)
            .order_by("heartbeat_at")
            .values_list("pk", flat=True)[:limit]
        )
        if stale:
            SignatureBatch.objects.filter(pk__in=stale).update(heartbeat_at=now)
            logger.warning("signing batches resumed after a stopped worker: %s", stale)
            transaction.on_commit(lambda: [_queue(pk) for pk in stale])
    return stale
