"""Sign-in with a second factor: the password, then the code; wrong codes counted with the passwords."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from eoffice.models import LoginEvent
from tests.eoffice.twofactor.conftest import code_of

pytestmark = pytest.mark.django_db


def _password(client, user, password, next_url=""):
    data = {"username": user.username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data)


def test_without_a_device_the_password_is_enough(officer_a, password, client):
    response = _password(client, officer_a, password)
    assert response["Location"] == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200


def test_with_a_device_the_session_is_logged_in_only_after_the_code(officer_a, password, client, enrolled):
    device, _codes = enrolled(officer_a)
    response = _password(client, officer_a, password, next_url="/directory/")
    assert response["Location"] == reverse("twofactor_verify")
    assert "_auth_user_id" not in client.session
    assert not LoginEvent.objects.filter(user=officer_a, success=True).exists()
    # the pages stay closed meanwhile
    assert client.get(reverse("dashboard"))["Location"].startswith(reverse("login"))
    page = client.get(reverse("twofactor_verify")).content.decode()
    assert officer_a.full_name in page and 'name="code"' in page

    response = client.post(reverse("twofactor_verify"), {"code": code_of(device)})
    assert response["Location"] == "/directory/"
    assert client.session["_auth_user_id"] == str(officer_a.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(reverse("dashboard")).status_code == 200
    assert LoginEvent.objects.filter(user=officer_a, success=True).count() == 1


def test_wrong_code_is_refused_counted_and_locks_with_the_passwords(
    officer_a, password, client, enrolled, settings
):
    settings.AXES_FAILURE_LIMIT = 3
    device, _codes = enrolled(officer_a)
    _password(client, officer_a, "sai-mat-khau")  # one wrong password
    _password(client, officer_a, password)
    wrong = "000000" if code_of(device) != "000000" else "111111"
    response = client.post(reverse("twofactor_verify"), {"code": wrong})
    assert response.status_code == 200
    assert "Mã xác thực không đúng hoặc đã hết hạn." in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get(username=officer_a.username).failures_since_start == 2
    assert LoginEvent.objects.filter(user=officer_a, success=False).count() == 2
    # the third failure locks: the lockout page, and the right code no longer helps
    response = client.post(reverse("twofactor_verify"), {"code": wrong})
    assert response.status_code == 429
    assert "khóa" in response.content.decode()
    response = client.post(reverse("twofactor_verify"), {"code": code_of(device)})
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_codes_are_rate_limited_per_person(officer_a, password, client, enrolled, settings):
    settings.AXES_FAILURE_LIMIT = 100
    device, _codes = enrolled(officer_a)
    _password(client, officer_a, password)
    for _ in range(10):
        client.post(reverse("twofactor_verify"), {"code": "abc"})
    response = client.post(reverse("twofactor_verify"), {"code": code_of(device)})
    assert "quá nhiều lần" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_backup_code_works_once(officer_a, password, client, enrolled):
    _device, codes = enrolled(officer_a)
    _password(client, officer_a, password)
    response = client.post(reverse("twofactor_verify"), {"code": codes[0].upper()})
    assert response["Location"] == reverse("dashboard")
    assert client.session["_auth_user_id"] == str(officer_a.pk)
    client.post(reverse("logout"))

    _password(client, officer_a, password)
    response = client.post(reverse("twofactor_verify"), {"code": codes[0]})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    page = client.get(reverse("twofactor_verify")).content.decode()
    assert "còn 9 mã" in page


def test_the_pending_step_expires(officer_a, password, client, enrolled, monkeypatch):
    import time

    device, _codes = enrolled(officer_a)
    _password(client, officer_a, password)
    later = time.time() + 301
    monkeypatch.setattr(time, "time", lambda: later)
    response = client.post(reverse("twofactor_verify"), {"code": code_of(device)})
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_code_page_without_a_password_step_goes_to_login(client):
    assert client.get(reverse("twofactor_verify"))["Location"] == reverse("login")


def test_admin_login_page_sends_to_the_two_step_sign_in(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response["Location"] == reverse("login") + "?next=%2Fadmin%2F"
