"""Batch signing: the PIN checked once, the chosen requests queued, signed one by one in a Celery task."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice.models import User
from signing import selectors
from signing.models import SignatureBatch, SignatureRequest
from signing.services.pins import PinError, check_credential_pin, stash_pin, take_pin
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
        batch = SignatureBatch.objects.create(signer=signer)
        SignatureRequest.objects.filter(pk__in=[r.pk for r in requests]).update(
            batch=batch, status=SignatureRequest.Status.QUEUED, error=""
        )
        token = stash_pin(pin)
        from signing.tasks import sign_batch

        transaction.on_commit(lambda: sign_batch.apply_async(args=(batch.pk, token), queue="signing"))
    return batch


def batch_run(*, batch: SignatureBatch, pin_token: str) -> SignatureBatch:
    """Sign each queued item of ``batch``; one failure does not stop the others."""
    pin = take_pin(pin_token)
    items = list(batch.items.filter(status=SignatureRequest.Status.QUEUED).order_by("pk"))
    for item in items:
        if pin is None:
            SignatureRequest.objects.filter(pk=item.pk).update(
                status=SignatureRequest.Status.FAILED,
                error=_("Phiên ký đã hết hạn, vui lòng nhập lại mã PIN."),
            )
            continue
        try:
            signature_request_sign(request=item, pin=pin, by=batch.signer)
        except Exception as exc:  # one broken item must not stop the batch
            logger.exception("batch %s item %s failed", batch.pk, item.pk)
            SignatureRequest.objects.filter(pk=item.pk).update(
                status=SignatureRequest.Status.FAILED, error=str(exc)[:500] or _("Lỗi không xác định.")
            )
    with transaction.atomic():
        locked = selectors.batch_access(user=batch.signer, pk=batch.pk, lock=True)
        locked.finished_at = timezone.now()
        locked.save(update_fields=["finished_at"])
    batch.refresh_from_db()
    return batch


def batch_run_queued(*, batch_id: int, pin_token: str) -> SignatureBatch:
    """``batch_run`` for the batch queued by ``batch_start`` (run by ``signing.tasks.sign_batch``)."""
    batch = SignatureBatch.objects.select_related("signer").get(pk=batch_id)
    return batch_run(batch=batch, pin_token=pin_token)
