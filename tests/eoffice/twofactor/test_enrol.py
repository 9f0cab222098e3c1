"""The "Bảo mật tài khoản" page: enrolment with the QR code, backup codes, turning it off."""

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.eoffice.twofactor.conftest import code_of

pytestmark = pytest.mark.django_db


def test_user_menu_links_to_the_page(officer_a, login):
    page = login(officer_a).get(reverse("dashboard")).content.decode()
    assert reverse("twofactor_security") in page
    assert "Bảo mật tài khoản" in page


def test_enrol_with_a_code_of_the_app(officer_a, login):
    client = login(officer_a)
    assert 'data-testid="twofactor-off"' in client.get(reverse("twofactor_security")).content.decode()
    client.post(reverse("twofactor_enrol"))
    device = TOTPDevice.objects.get(user=officer_a)
    assert not device.confirmed and device.name == "Ứng dụng xác thực"
    page = client.get(reverse("twofactor_security")).content.decode()
    assert "<svg" in page and 'data-testid="twofactor-qr"' in page  # inline, no external image
    secret = re.search(r'data-testid="twofactor-secret">([A-Z2-7 ]+)<', page).group(1)
    from base64 import b32decode

    secret = secret.replace(" ", "")
    assert b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key

    response = client.post(reverse("twofactor_confirm"), {"code": "123"})
    assert "Mã không đúng" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed

    response = client.post(reverse("twofactor_confirm"), {"code": code_of(device)})
    assert response["Location"] == reverse("twofactor_security")
    device.refresh_from_db()
    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id  # this session is verified
    page = client.get(reverse("twofactor_security")).content.decode()
    shown = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page)
    assert len(shown) == 10
    assert sorted(shown) == sorted(
        StaticToken.objects.filter(device__user=officer_a).values_list("token", flat=True)
    )
    # shown once
    again = client.get(reverse("twofactor_security")).content.decode()
    assert "<li><code>" not in again and 'data-testid="twofactor-codes-left">10<' in again
    assert LogEntry.objects.filter(object_id=str(officer_a.pk), change_message__contains="bật").exists()


def test_new_backup_codes_replace_the_old(officer_a, login, enrolled):
    device, codes = enrolled(officer_a)
    client = login(officer_a)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    client.post(reverse("twofactor_codes"))
    tokens = set(StaticToken.objects.filter(device__user=officer_a).values_list("token", flat=True))
    assert len(tokens) == 10 and not tokens & set(codes)


def test_new_backup_codes_need_a_verified_session(officer_a, login, enrolled):
    _device, codes = enrolled(officer_a)
    response = login(officer_a).post(reverse("twofactor_codes"))
    assert response.status_code == 403
    assert set(StaticToken.objects.filter(device__user=officer_a).values_list("token", flat=True)) == set(
        codes
    )


def test_turning_off_needs_a_current_code(officer_a, login, enrolled):
    device, _codes = enrolled(officer_a)
    client = login(officer_a)
    response = client.post(
        reverse("twofactor_disable"),
        {"code": "000000" if code_of(device) != "000000" else "111111"},
        follow=True,
    )
    assert "Mã xác thực không đúng hoặc đã hết hạn." in response.content.decode()
    assert TOTPDevice.objects.filter(user=officer_a).exists()
    response = client.post(reverse("twofactor_disable"), {"code": code_of(device)}, follow=True)
    assert "Đã tắt xác thực hai lớp." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=officer_a).exists()
    assert not StaticToken.objects.filter(device__user=officer_a).exists()


def test_pages_refuse_get_and_anonymous(client):
    assert client.get(reverse("twofactor_security"))["Location"].startswith(reverse("login"))
    assert client.post(reverse("twofactor_enrol"))["Location"].startswith(reverse("login"))
