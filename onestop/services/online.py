"""Online submission from the public pages: the applicant's email confirmed by a one-time code, then the
dossier sent with its scans (checked later at the counter, ``reception.dossier_check``)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice.models import Role
from eoffice.services import notify
from onestop.models import Channel, Dossier, EmailCode, Procedure
from onestop.selectors import staff_with_role
from onestop.services.core import email_applicant
from onestop.services.reception import (
    Applicant,
    PaperInput,
    add_papers,
    apply_applicant,
    check_procedure,
    new_reference,
)
from workflow import services as wf
from workflow.models import HistoryEntry

OTP_MINUTES = 10


OTP_ATTEMPTS = 5


OTP_PER_HOUR = 5


def _otp_hash(email: str, code: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"{email.lower()}:{code}".encode(), hashlib.sha256
    ).hexdigest()


def email_code_send(*, email: str) -> None:
    """Send a 6-digit code to ``email`` (at most ``OTP_PER_HOUR`` an hour)."""
    email = email.strip().lower()
    now = timezone.now()
    with transaction.atomic():
        recent = EmailCode.objects.filter(email=email, created_at__gte=now - timedelta(hours=1)).count()
        if recent >= OTP_PER_HOUR:
            raise ValidationError(_("Đã gửi quá nhiều mã tới địa chỉ này. Vui lòng thử lại sau một giờ."))
        code = f"{secrets.randbelow(10**6):06d}"
        EmailCode.objects.create(
            email=email, code_hash=_otp_hash(email, code), expires_at=now + timedelta(minutes=OTP_MINUTES)
        )
        transaction.on_commit(lambda: _send_code(email, code))


def _send_code(email: str, code: str) -> None:
    from onestop.tasks import send_code_email

    send_code_email.delay(email, code)


def email_code_verify(*, email: str, code: str) -> bool:
    """True once for the latest unexpired code of ``email``; wrong codes count against it."""
    email = email.strip().lower()
    now = timezone.now()
    with transaction.atomic():
        row = (
            EmailCode.objects.select_for_update()
            .filter(email=email, used_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at")
            .first()
        )
        if row is None or row.attempts >= OTP_ATTEMPTS:
            return False
        if not hmac.compare_digest(row.code_hash, _otp_hash(email, code.strip())):
            row.attempts += 1
            row.save(update_fields=["attempts"])
            return False
        row.used_at = now
        row.save(update_fields=["used_at"])
        return True


def online_submit(
    *,
    procedure: Procedure,
    applicant: Applicant,
    papers: list[PaperInput],
    summary: str = "",
    note: str = "",
    now: datetime | None = None,
) -> Dossier:
    """A dossier sent from the public page (the applicant's email already confirmed by the caller)."""
    check_procedure(procedure)
    if not procedure.accepts_online:
        raise ValidationError(_("Thủ tục này không tiếp nhận hồ sơ trực tuyến."))
    if not applicant.email:
        raise ValidationError(_("Cần địa chỉ thư điện tử đã xác thực."))
    sent = {p.required.pk for p in papers if p.required is not None and p.file}
    lacking = [p.name for p in procedure.papers.filter(mandatory=True) if p.pk not in sent]
    if lacking:
        raise ValidationError(_("Vui lòng tải lên: %(names)s.") % {"names": "; ".join(lacking)})
    with transaction.atomic():
        dossier = Dossier(
            agency_id=procedure.agency_id,
            procedure=procedure,
            reference=new_reference(),
            channel=Channel.ONLINE,
            summary=summary.strip()[:500],
            note=note.strip(),
            submitted_at=now or timezone.now(),
        )
        apply_applicant(dossier, applicant)
        dossier.save()
        wf.history_add(
            record=dossier, event=HistoryEntry.Event.CREATED, actor=None, to_state=dossier.state, at=now
        )
        add_papers(dossier, [p for p in papers if p.file], now=now)
        notify(
            recipients=staff_with_role(procedure.agency_id, Role.ONESTOP_OFFICER),
            kind="onestop.submitted",
            title=_("Hồ sơ trực tuyến mới: %(name)s") % {"name": procedure.name[:200]},
            body=_("Người nộp: %(name)s") % {"name": dossier.applicant_name},
            url=dossier.get_absolute_url(),
        )
        email_applicant(dossier, "submitted")
    return dossier
