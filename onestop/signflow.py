"""The leader's signature on a dossier's result: the ``on_signed`` hook of its ``SignatureRequest``.

It runs inside the signing transaction: the signed PDF replaces the draft result and the dossier goes
back to the counter. If anything fails, the signing module rolls back both the signature and this.
"""

from __future__ import annotations

import secrets

from django.core.files.base import ContentFile
from django.utils import timezone

from signing.models import SignatureRequest
from workflow import services as wf

from . import services
from .models import Dossier, DossierState, Outcome


def finish(request: SignatureRequest, signed: bytes) -> None:
    dossier = wf.lock_record(Dossier, Dossier.objects.get(sign_request=request).pk)
    if dossier.state != DossierState.SIGNING:
        raise wf.RecordChanged
    signer = request.signer
    services.transition_locked(dossier, "approve", signer, comment="")
    dossier.result_file.save(f"{secrets.token_hex(8)}-signed.pdf", ContentFile(signed), save=False)
    dossier.result_sha256 = request.result_sha256
    dossier.result_signed = True
    services.resolve_locked(dossier, outcome=Outcome.APPROVED, by=signer, now=timezone.now())
