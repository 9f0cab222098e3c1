"""The cost of two-factor sign-in on every page (the middlewares run on each request): nothing for a
person the policy leaves free, one read of the device for a verified session (django-otp)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from eoffice.models import Role

pytestmark = pytest.mark.django_db

OTP_MIDDLEWARE = ("django_otp.middleware.OTPMiddleware", "eoffice.twofactor.middleware.TwoFactorMiddleware")


def _queries(user, *, device=None) -> list[str]:
    client = Client()
    client.force_login(user, backend="eoffice.auth.Backend")
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    assert client.get(reverse("dashboard")).status_code == 200  # the menu's caches filled
    with CaptureQueriesContext(connection) as seen:
        assert client.get(reverse("dashboard")).status_code == 200
    return [q["sql"] for q in seen]


def _without_otp(settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m not in OTP_MIDDLEWARE]


@pytest.mark.parametrize("policy", ["optional", "leaders"])
def test_a_person_left_free_costs_no_query(staff_a, agency_a, settings, policy):
    agency_a.two_factor = policy
    agency_a.save(update_fields=["two_factor"])
    officer = staff_a[Role.OFFICER]
    with_otp = _queries(officer)
    _without_otp(settings)
    assert len(with_otp) == len(_queries(officer)), with_otp


def test_a_verified_session_costs_one_read_of_its_device(staff_a, agency_a, settings, enrolled):
    agency_a.two_factor = "leaders"
    agency_a.save(update_fields=["two_factor"])
    leader = staff_a[Role.LEADER]
    device, _codes = enrolled(leader)
    with_otp = _queries(leader, device=device)
    _without_otp(settings)
    without = _queries(leader)
    assert len(with_otp) == len(without) + 1, with_otp
    assert [q for q in with_otp if "otp_totp" in q] and not [q for q in without if "otp_" in q]
