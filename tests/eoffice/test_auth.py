"""Login, lockout, logout, password reset, security headers, CSRF."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from eoffice.models import Role

pytestmark = pytest.mark.django_db


def test_login_with_password_reaches_dashboard(officer_a, password, client):
    response = client.post(reverse("login"), {"username": officer_a.username, "password": password})
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    page = client.get(reverse("dashboard")).content.decode()
    assert officer_a.full_name in page
    assert officer_a.agency.name in page


def test_wrong_password_is_refused_in_vietnamese(officer_a, client):
    response = client.post(reverse("login"), {"username": officer_a.username, "password": "sai-mat-khau"})
    assert response.status_code == 200
    assert "mật khẩu" in response.content.decode().lower()


def test_repeated_failures_lock_the_account(officer_a, password, client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("login"), {"username": officer_a.username, "password": "sai"})
    response = client.post(reverse("login"), {"username": officer_a.username, "password": password})
    assert response.status_code == 429
    assert "khóa" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_needs_post(officer_a, login):
    client = login(officer_a)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 302


def test_password_reset_sends_a_working_link(officer_a, client):
    response = client.post(reverse("password_reset"), {"email": officer_a.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"/account/password/reset/[^/\s]+/[^/\s]+/", mail.outbox[0].body).group(0)
    form_url = client.get(link)["Location"]
    response = client.post(
        form_url, {"new_password1": "Mat-khau-moi-2026", "new_password2": "Mat-khau-moi-2026"}
    )
    assert response.status_code == 302
    officer_a.refresh_from_db()
    assert officer_a.check_password("Mat-khau-moi-2026")


def test_password_reset_is_limited_per_account(officer_a, client, settings):
    settings.EOFFICE_PASSWORD_RESET_LIMITS = {"address": (100, 3600), "account": (3, 3600)}
    done = reverse("password_reset_done")
    for n in range(12):
        # from 12 different addresses, with the address written differently
        email = officer_a.email.upper() if n % 2 else officer_a.email
        response = client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=f"10.0.0.{n + 1}")
        assert response.status_code == 302 and response["Location"] == done
    assert len(mail.outbox) == 3


def test_password_reset_is_limited_per_client_address(staff_a, client, settings):
    settings.EOFFICE_PASSWORD_RESET_LIMITS = {"address": (5, 3600), "account": (3, 3600)}
    for n in range(5):
        client.post(reverse("password_reset"), {"email": f"khong-co-{n}@example.gov.vn"})
    # past the limit, an existing account gets nothing, and the page says what it says to everyone
    refused = client.post(reverse("password_reset"), {"email": staff_a[Role.CLERK].email})
    unknown = Client().post(reverse("password_reset"), {"email": "khong-co@example.gov.vn"})
    assert refused.status_code == unknown.status_code == 302
    assert refused["Location"] == unknown["Location"] == reverse("password_reset_done")
    assert mail.outbox == []
    # another address is not concerned
    Client().post(reverse("password_reset"), {"email": staff_a[Role.CLERK].email}, REMOTE_ADDR="10.9.9.9")
    assert [m.to for m in mail.outbox] == [[staff_a[Role.CLERK].email]]


def test_signed_in_pages_are_not_kept_by_caches(officer_a, login):
    client = login(officer_a)
    for url in [reverse("dashboard"), reverse("directory"), reverse("notification_bell")]:
        cache_control = client.get(url)["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control, url


def test_cache_control_keeps_a_stricter_header_and_fixes_a_weaker_one(officer_a, rf):
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse
    from django.utils.cache import add_never_cache_headers

    from eoffice.middleware import PrivatePagesMiddleware

    def view_with(header):
        def view(request):
            response = HttpResponse("x")
            if header == "never":
                add_never_cache_headers(response)
            elif header:
                response["Cache-Control"] = header
            return response

        return view

    request = rf.get("/")
    request.user = officer_a
    never = PrivatePagesMiddleware(view_with("never"))(request)["Cache-Control"]
    assert never == "max-age=0, no-cache, no-store, must-revalidate, private"
    weaker = PrivatePagesMiddleware(view_with("public, max-age=600"))(request)["Cache-Control"]
    assert "public" not in weaker and "private" in weaker and "no-store" in weaker
    request.user = AnonymousUser()
    assert not PrivatePagesMiddleware(view_with(""))(request).has_header("Cache-Control")


def test_password_change(officer_a, password, login):
    client = login(officer_a)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": password,
            "new_password1": "Doi-mat-khau-2026",
            "new_password2": "Doi-mat-khau-2026",
        },
    )
    assert response.status_code == 302
    officer_a.refresh_from_db()
    assert officer_a.check_password("Doi-mat-khau-2026")


def test_security_headers(client):
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_csrf_is_enforced_on_forms(staff_a, password):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": staff_a[Role.CLERK].username, "password": password})
    assert response.status_code == 403
    page = client.get(reverse("login")).content.decode()
    assert "csrfmiddlewaretoken" in page


def test_pages_have_no_inline_script(officer_a, login):
    client = login(officer_a)
    for url in [reverse("login"), reverse("dashboard"), reverse("directory"), reverse("notifications")]:
        html = client.get(url).content.decode()
        for tag in re.findall(r"<script[^>]*>", html):
            assert "src=" in tag, f"inline script on {url}: {tag}"
        assert not re.search(r"\son[a-z]+=\"", html), url
        assert ' style="' not in html, url


def test_interface_is_vietnamese_whatever_the_browser_asks(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Đăng nhập" in page
    assert 'lang="vi"' in page


def test_language_switch_gives_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    page = client.get(reverse("login")).content.decode()
    assert 'lang="en"' in page
    assert "Log in" in page or "Sign in" in page
