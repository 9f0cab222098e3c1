"""The signature log: every attempt, success or failure, one row."""

from __future__ import annotations

from eoffice.models import User
from signing.models import Credential, SignatureLog


def log_attempt(
    *,
    by: User,
    credential: Credential | None,
    kind: str,
    title: str,
    before: str,
    after: str = "",
    result: str,
    error: str = "",
) -> SignatureLog:
    return SignatureLog.objects.create(
        actor=by,
        credential=credential,
        kind=kind,
        backend=credential.backend if credential else "",
        title=title[:255],
        sha256_before=before,
        sha256_after=after,
        result=result,
        error=error[:2000],
    )
