"""eoffice.otp: the generic one-time e-mail code (hashes only, attempts, expiry, hourly cap, purposes)."""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from smtplib import SMTPRecipientsRefused

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from eoffice import otp
from eoffice.models import OneTimeCode

pytestmark = pytest.mark.django_db

EMAIL = "Bi.Mat@Example.vn"


def sent_code(mailoutbox, email: str = EMAIL) -> str:
    (message,) = [m for m in mailoutbox if m.to == [email.lower()]][-1:]
    return re.search(r"\b(\d{6})\b", message.body).group(1)


def send(capture, email: str = EMAIL, purpose: str = "complaints") -> None:
    with capture(execute=True):
        otp.send(purpose=purpose, email=email)


def test_code_is_mailed_on_commit_and_only_hashes_are_stored(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        otp.send(purpose="complaints", email=EMAIL)
    assert mailoutbox == []  # nothing leaves before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    code = sent_code(mailoutbox)
    row = OneTimeCode.objects.get()
    assert row.purpose == "complaints"
    assert "example" not in row.email.lower() and "bi.mat" not in row.email.lower()
    assert row.email == otp.address_key("complaints", EMAIL)
    assert code not in row.code_hash
    assert abs(row.expires_at - row.created_at - timedelta(minutes=otp.MINUTES)) < timedelta(seconds=5)


def test_verify_is_true_once(mailoutbox, django_capture_on_commit_callbacks):
    send(django_capture_on_commit_callbacks)
    code = sent_code(mailoutbox)
    assert otp.verify(purpose="complaints", email="  bi.mat@example.VN ", code=f" {code[:3]} {code[3:]}")
    assert not otp.verify(purpose="complaints", email=EMAIL, code=code)
    assert OneTimeCode.objects.get().used_at is not None


def test_wrong_codes_count_and_lock_the_code(mailoutbox, django_capture_on_commit_callbacks):
    send(django_capture_on_commit_callbacks)
    code = sent_code(mailoutbox)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _n in range(otp.ATTEMPTS):
        assert not otp.verify(purpose="complaints", email=EMAIL, code=wrong)
    assert OneTimeCode.objects.get().attempts == otp.ATTEMPTS
    assert not otp.verify(purpose="complaints", email=EMAIL, code=code)


def test_expired_code_fails(mailoutbox, django_capture_on_commit_callbacks):
    send(django_capture_on_commit_callbacks)
    OneTimeCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert not otp.verify(purpose="complaints", email=EMAIL, code=sent_code(mailoutbox))


def test_only_the_latest_code_works(mailoutbox, django_capture_on_commit_callbacks):
    send(django_capture_on_commit_callbacks)
    first = sent_code(mailoutbox)
    send(django_capture_on_commit_callbacks)
    second = sent_code(mailoutbox)
    if first != second:
        assert not otp.verify(purpose="complaints", email=EMAIL, code=first)
    assert otp.verify(purpose="complaints", email=EMAIL, code=second)


def test_purposes_are_apart(mailoutbox, django_capture_on_commit_callbacks):
    send(django_capture_on_commit_callbacks, purpose="onestop-like")
    code = sent_code(mailoutbox)
    assert not otp.verify(purpose="complaints", email=EMAIL, code=code)
    assert otp.verify(purpose="onestop-like", email=EMAIL, code=code)


def test_hourly_cap(mailoutbox, django_capture_on_commit_callbacks):
    for _n in range(otp.PER_HOUR):
        send(django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match="quá nhiều mã"):
        send(django_capture_on_commit_callbacks)
    assert OneTimeCode.objects.count() == otp.PER_HOUR
    OneTimeCode.objects.update(created_at=timezone.now() - timedelta(hours=1, minutes=1))
    send(django_capture_on_commit_callbacks)  # an hour later it works again
    assert OneTimeCode.objects.count() == otp.PER_HOUR + 1


def test_refused_address_is_not_logged(monkeypatch, caplog):
    from eoffice.tasks import send_code_email

    def refuse(self, fail_silently=False):
        raise SMTPRecipientsRefused({"bi.mat@example.vn": (550, b"no such user bi.mat@example.vn")})

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    with caplog.at_level(logging.INFO):
        assert send_code_email.apply(args=["bi.mat@example.vn", "123456"]).get() is False
    assert "SMTPRecipientsRefused" in caplog.text
    assert "bi.mat" not in caplog.text and "123456" not in caplog.text
