"""A one-time code sent by e-mail to confirm an address on a public page (``OneTimeCode``), generic over the
pages that use it: ``purpose`` keeps one page's codes apart from another's ("complaints", …).

    otp.send(purpose="complaints", email=email)        # raises ValidationError past the hourly cap
    otp.verify(purpose="complaints", email=email, code=code)   # True once for the latest live code

Nothing readable is stored: the code is an HMAC keyed with ``SECRET_KEY``, and so is the address (a
person who files a denunciation under protection confirms their address here first; the table must not
name them). A wrong code counts against the code (``ATTEMPTS``), a code expires (``MINUTES``), an address
gets at most ``PER_HOUR`` codes an hour. The e-mail leaves from a Celery task queued on commit; it is not
kept when it fails (it holds a secret, and the person can ask again), and no log line names the address.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from eoffice.models import OneTimeCode
from eoffice.notifications import subject_line

__all__ = ["ATTEMPTS", "MINUTES", "PER_HOUR", "address_key", "send", "code_email_send", "verify"]

logger = logging.getLogger(__name__)

MINUTES = 10
ATTEMPTS = 5
PER_HOUR = 5


def _normal(email: str) -> str:
    return (email or "").strip().lower()


def address_key(purpose: str, email: str) -> str:
    """What the ``email`` column holds: a keyed hash of the purpose and the address (64 hex digits)."""
    text = f"otp-address:{purpose}:{_normal(email)}"
    return hmac.new(settings.SECRET_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()


def _code_hash(purpose: str, email: str, code: str) -> str:
    text = f"otp-code:{purpose}:{_normal(email)}:{code}"
    return hmac.new(settings.SECRET_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()


def send(*, purpose: str, email: str) -> None:
    """Create a 6-digit code for ``email`` and e-mail it once the transaction commits; ValidationError when
    the address already got ``PER_HOUR`` codes in the last hour."""
    email = _normal(email)
    if not email or not purpose:
        raise ValidationError(_("Vui lòng nhập địa chỉ thư điện tử."))
    key = address_key(purpose, email)
    now = timezone.now()
    with transaction.atomic():
        recent = OneTimeCode.objects.filter(
            purpose=purpose, email=key, created_at__gte=now - timedelta(hours=1)
        ).count()
        if recent >= PER_HOUR:
            raise ValidationError(_("Đã gửi quá nhiều mã tới địa chỉ này. Vui lòng thử lại sau một giờ."))
        code = f"{secrets.randbelow(10**6):06d}"
        OneTimeCode.objects.create(
            purpose=purpose,
            email=key,
            code_hash=_code_hash(purpose, email, code),
            expires_at=now + timedelta(minutes=MINUTES),
        )
        _queue(email, code)  # in the outbox with the code's row (eoffice.outbox)


def verify(*, purpose: str, email: str, code: str) -> bool:
    """True once for the latest unexpired, unused code of ``email``; a wrong code counts against it, and
    after ``ATTEMPTS`` wrong ones it no longer works."""
    email = _normal(email)
    code = "".join((code or "").split())
    if not email or not code:
        return False
    now = timezone.now()
    with transaction.atomic():
        row = (
            OneTimeCode.objects.select_for_update()
            .filter(
                purpose=purpose, email=address_key(purpose, email), used_at__isnull=True, expires_at__gt=now
            )
            .order_by("-created_at", "-pk")
            .first()
        )
        if row is None or row.attempts >= ATTEMPTS:
            return False
        if not hmac.compare_digest(row.code_hash, _code_hash(purpose, email, code)):
            row.attempts += 1
            row.save(update_fields=["attempts"])
            return False
        row.used_at = now
        row.save(update_fields=["used_at"])
        return True


def code_email(email: str, code: str) -> EmailMessage:
    with translation.override(settings.LANGUAGE_CODE):
        return EmailMessage(
            subject=subject_line(_("Mã xác thực thư điện tử: %(code)s") % {"code": code}),
            body=_(
                "Mã xác thực của bạn là %(code)s. Mã có hiệu lực trong %(minutes)d phút.\n"
                "Nếu bạn không yêu cầu mã này, vui lòng bỏ qua thư.\n\n"
                "Thư này được gửi tự động, vui lòng không trả lời."
            )
            % {"code": code, "minutes": MINUTES},
            to=[email],
        )


def code_email_send(*, email: str, code: str) -> bool:
    """Send a code (run by the task ``eoffice.tasks.send_code_email``). Not kept on failure; the log line
    names neither the address nor the code; a mail server away raises (the task retries)."""
    try:
        code_email(email, code).send(fail_silently=False)
    except (ConnectionError, TimeoutError):
        raise  # the mail server is away: retried (the exception names no address)
    except Exception as exc:  # refused address, bad header … (messages that may name the address)
        logger.warning("one-time code email not sent: %s", exc.__class__.__name__)
        return False
    return True


def _queue(email: str, code: str) -> None:
    from eoffice.outbox import enqueue
    from eoffice.tasks import send_code_email

    # Logs, events and monitors show a redacted ``argsrepr``, not the address and the code; the outbox row
    # drops them once sent.
    enqueue(send_code_email, args=(email, code))
