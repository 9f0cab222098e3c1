"""Approval: the leader approves the result, signed on paper or digitally (the bridge to ``signing``: the
result PDF goes to the leader's signing queue, ``onestop.signflow.finish`` completes it), or takes back a
signature request."""

from __future__ import annotations

import io
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice.models import User
from onestop.models import Dossier, DossierState, Outcome
from onestop.services.core import lock_dossier, resolve_locked, transition_locked


def _result_box(pdf: bytes):
    """Bottom right of the last page of the result (where the competent person signs)."""
    from pypdf import PdfReader

    from signing.appearance import StampBox

    reader = PdfReader(io.BytesIO(pdf))
    page = len(reader.pages) - 1
    box = reader.pages[page].mediabox
    right = float(box.right) - 50
    return StampBox(
        page=page, x1=right - 200, y1=float(box.bottom) + 70, x2=right, y2=float(box.bottom) + 160
    )


def dossier_approve(
    *, dossier: Dossier, by: User, sign: bool, note: str = "", now: datetime | None = None
) -> Dossier:
    """The leader approves. With ``sign`` the result PDF goes to the leader's signing queue and the dossier
    waits for the signature (``signflow.finish`` completes it); without, the result (signed on paper) goes
    back to the counter now."""
    from signing import services as signing
    from signing.models import SignatureRequest

    with transaction.atomic():
        locked = lock_dossier(dossier, by=by, state=DossierState.APPROVAL)
        if sign:
            if not locked.result_file:
                raise ValidationError(_("Chưa có tệp kết quả để ký số."))
            with locked.result_file.open("rb") as handle:
                data = handle.read()
            if not data.startswith(b"%PDF"):
                raise ValidationError(_("Chỉ ký số được kết quả ở định dạng PDF."))
            transition_locked(locked, "to_signing", by, comment=note, at=now)
            request = signing.signature_request_create(
                pdf=data,
                title=f"{locked.code} — {locked.procedure.result_name}",
                requested_by=by,
                kind=SignatureRequest.Kind.LEADER,
                signer=by,
                box=_result_box(data),
                stamp_text=locked.result_number,
                on_signed="onestop.signflow.finish",
                source_url=locked.get_absolute_url(),
            )
            locked.sign_request = request
            locked.save()
        else:
            transition_locked(locked, "approve", by, comment=note, at=now)
            resolve_locked(locked, outcome=Outcome.APPROVED, by=by, now=now or timezone.now(), note=note)
    return locked


def dossier_cancel_signing(
    *, dossier: Dossier, by: User, note: str = "", now: datetime | None = None
) -> Dossier:
    """The leader takes back a result sent to signing (e.g. to send it back): the request is cancelled and
    the dossier waits for approval again."""
    from signing.models import SignatureRequest

    with transaction.atomic():
        locked = lock_dossier(dossier, by=by, state=DossierState.SIGNING)
        if locked.leader_id != by.pk:
            raise PermissionDenied(_("Chỉ người ký được rút lại yêu cầu ký."))
        cancelled = SignatureRequest.objects.filter(
            pk=locked.sign_request_id,
            status__in=[
                SignatureRequest.Status.PENDING,
                SignatureRequest.Status.FAILED,
                SignatureRequest.Status.QUEUED,
            ],
        ).update(status=SignatureRequest.Status.CANCELLED)
        if locked.sign_request_id and not cancelled:
            raise ValidationError(_("Yêu cầu ký đang được xử lý hoặc đã ký xong; không thể rút lại."))
        transition_locked(locked, "cancel_signing", by, comment=note.strip(), at=now)
        locked.sign_request = None
        locked.save()
    return locked
