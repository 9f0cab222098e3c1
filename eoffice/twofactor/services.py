"""Every write of the two-factor sign-in. Each change is a line of Django's admin log (``LogEntry``): on the
person for their own enrolment, turning off and a reset by the agency admin; on the agency for its policy.
Their messages start with ``LOG_PREFIX`` (stored in Vietnamese, as the history is read)."""

from __future__ import annotations

import re
from base64 import b32encode
from urllib.parse import quote, urlencode

from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from eoffice.models import Agency, Role, User
from eoffice.twofactor import policy

LOG_PREFIX = "Xác thực hai lớp"
APP_NAME = "Ứng dụng xác thực"  # device names, in Vietnamese
BACKUP_NAME = "Mã dự phòng"
BACKUP_COUNT = 10
TOTP_RE = re.compile(r"^\d{6}$")
BACKUP_RE = re.compile(r"^[a-z2-7]{8}$")


def _log(*, by, obj, message: str) -> None:
    LogEntry.objects.log_actions(
        user_id=by.pk,
        queryset=obj._meta.model._default_manager.filter(pk=obj.pk),
        action_flag=CHANGE,
        change_message=f"{LOG_PREFIX}: {message}",
        single_object=True,
    )


def normalise(code: str) -> str:
    """A code as typed: spaces and dashes dropped, lower case (backup codes are base32)."""
    return re.sub(r"[\s-]+", "", code or "").lower()


def secret_b32(device: TOTPDevice) -> str:
    """The key as authenticator apps take it by hand (base32, groups of four)."""
    raw = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def config_url(device: TOTPDevice, *, issuer: str) -> str:
    """The ``otpauth://`` address of the QR code (RFC 6238 parameters of the device)."""
    label = quote(f"{issuer}:{device.user.get_username()}")
    query = urlencode(
        {
            "secret": b32encode(device.bin_key).decode().rstrip("="),
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": device.digits,
            "period": device.step,
        }
    )
    return f"otpauth://totp/{label}?{query}"


def check_code(*, user, code: str):
    """The confirmed device that accepts ``code`` (a 6-digit code of the app, or a backup code, used up),
    or None. Each device's own throttling (django-otp) applies; a code is tried on one device only, by its
    shape, so a backup code does not count as a failure of the app."""
    code = normalise(code)
    if TOTP_RE.match(code):
        device = policy.totp_device(user)
    elif BACKUP_RE.match(code):
        device = policy.backup_device(user)
    else:
        return None
    if device is None:
        return None
    return verify_token(user, device.persistent_id, code)


def throttled(*, user) -> bool:
    """Whether django-otp's own delay after failures is running on the person's app."""
    device = policy.totp_device(user)
    return bool(device) and not device.verify_is_allowed()[0]


# ---- the person's own devices ---------------------------------------------------------------------


def enrol_start(*, user) -> TOTPDevice:
    """A new unconfirmed authenticator app for ``user`` (the one not yet confirmed is replaced)."""
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        if policy.has_device(user):
            raise ValidationError(_("Tài khoản đã bật xác thực hai lớp."))
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)


def _new_backup_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _i in range(BACKUP_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def enrol_confirm(*, user, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the app with a code it shows; returns the device and the ten new backup codes."""
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        device = policy.totp_device(user, confirmed=False)
        if device is None:
            raise ValidationError(_("Chưa có thiết bị đang đăng ký; hãy bấm “Bật xác thực hai lớp” lại."))
        code = normalise(code)
        if not TOTP_RE.match(code) or not device.verify_token(code):
            raise ValidationError(
                _(
                    "Mã không đúng. Hãy nhập mã 6 chữ số đang hiện trong ứng dụng xác thực "
                    "(mã đổi sau 30 giây)."
                )
            )
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        codes = _new_backup_codes(user)
        _log(by=user, obj=user, message="bật ứng dụng xác thực")
    return device, codes


def backup_codes_renew(*, user) -> list[str]:
    """Ten new backup codes; the old ones stop working."""
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        if not policy.has_device(user):
            raise ValidationError(_("Hãy bật xác thực hai lớp trước khi tạo mã dự phòng."))
        codes = _new_backup_codes(user)
        _log(by=user, obj=user, message="tạo mã dự phòng mới")
    return codes


def disable(*, user, code: str) -> None:
    """Turn the second factor off; needs a current code (of the app, or a backup code)."""
    # checked first, in its own transaction: a wrong code's throttling stays counted
    if check_code(user=user, code=code) is None:
        raise ValidationError(_("Mã xác thực không đúng hoặc đã hết hạn."))
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        _remove_devices(user)
        _log(by=user, obj=user, message="tắt")


def _remove_devices(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


# ---- the agency admin -----------------------------------------------------------------------------


def may_manage(user) -> bool:
    return bool(getattr(user, "agency_id", None)) and user.has_role(Role.AGENCY_ADMIN)


def person_access(*, user, pk: int, lock: bool = False) -> User:
    """A person of the admin's own agency (the same 404 for "missing" and "another agency")."""
    if not may_manage(user):
        raise PermissionDenied
    queryset = User.objects.filter(agency_id=user.agency_id)
    if lock:
        queryset = queryset.select_for_update()
    try:
        return queryset.get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def policy_set(*, by, value: str) -> Agency:
    """Set the two-factor policy of the admin's agency."""
    if not may_manage(by):
        raise PermissionDenied
    choices = dict(Agency._meta.get_field("two_factor").choices)
    if value not in choices:
        raise ValidationError(_("Chính sách xác thực hai lớp không hợp lệ."))
    with transaction.atomic():
        agency = Agency.objects.select_for_update().get(pk=by.agency_id)
        if agency.two_factor != value:
            agency.two_factor = value
            agency.save(update_fields=["two_factor"])
            _log(by=by, obj=agency, message=f"chính sách “{choices[value]}”")
    return agency


def devices_reset(*, by, pk: int) -> User:
    """Remove every device of a person of the admin's agency (a lost phone): they sign in with the
    password again, and enrol anew where the policy requires it. The person is notified."""
    from eoffice.services import notify

    with transaction.atomic():
        person = person_access(user=by, pk=pk, lock=True)
        if not TOTPDevice.objects.filter(user=person).exists():
            raise ValidationError(_("Người này chưa bật xác thực hai lớp."))
        _remove_devices(person)
        _log(by=by, obj=person, message=f"đặt lại thiết bị (bởi {by.get_full_name()})")
        notify(
            recipients=[person],
            kind="twofactor_reset",
            title=_("Quản trị cơ quan đã đặt lại xác thực hai lớp của bạn"),
            body=_("Hãy đăng ký lại ứng dụng xác thực ở trang Bảo mật tài khoản."),
            url=reverse("twofactor_security"),
        )
    return person
