"""Public verification: keep an issued signed file under a random code for the page /verify/<code>/."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.db import transaction

from signing.models import PublicVerification

if TYPE_CHECKING:
    from signing.verification import VerificationReport


def register_public_verification(
    pdf_bytes: bytes,
    title: str,
    *,
    allow_download: bool = False,
    report: VerificationReport | None = None,
) -> str:
    """Keep an issued signed file and return its random public code (page /verify/<code>/, no login).

    ``report``: the caller's own ``verify_pdf(pdf_bytes)`` when it has one (the issue verifies once for this
    page and the delivery); verified here otherwise."""
    from signing.verification import verify_pdf

    if report is None:
        report = verify_pdf(pdf_bytes)
    with transaction.atomic():
        code = secrets.token_urlsafe(12)
        record = PublicVerification(
            code=code,
            title=title[:255],
            sha256=report.sha256,
            allow_download=allow_download,
            report=report.as_dict(),
        )
        record.file.save(f"{code}.pdf", ContentFile(pdf_bytes), save=False)
        record.save()
    return code
