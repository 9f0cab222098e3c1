import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice


@pytest.fixture(autouse=True)
def _no_otp_delay(settings):
    """django-otp's growing delay after a wrong code is its own (tested there); here a right code right
    after a wrong one must pass."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def code_of(device: TOTPDevice, *, drift: int = 0) -> str:
    """The 6-digit code the person's app shows now (from the device's key, RFC 6238)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    """A confirmed app and ten backup codes, as the enrolment leaves them."""
    device = TOTPDevice.objects.create(user=user, name="Ứng dụng xác thực", confirmed=True)
    backup = StaticDevice.objects.create(user=user, name="Mã dự phòng", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(10)]
    StaticToken.objects.bulk_create([StaticToken(device=backup, token=c) for c in codes])
    return device, codes


@pytest.fixture
def enrolled():
    return enrol
