"""The request log (one line per request, JSON with LOG_FORMAT=json, nothing secret or personal in it) and
Argon2 password hashing (a PBKDF2 hash is rewritten at the next login)."""

from __future__ import annotations

import json
import logging

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.test import Client
from django.urls import reverse

from eoffice.request_log import JsonFormatter

pytestmark = pytest.mark.django_db

SECRET_PASSWORD = "Mk-bi-mat-7391!"


@pytest.fixture
def request_lines(caplog):
    """The ``eoffice.request`` records (the logger is quiet under tests: INFO for these)."""
    caplog.set_level(logging.DEBUG, logger="eoffice.request")

    def lines():
        return [r for r in caplog.records if r.name == "eoffice.request"]

    return lines


def _everything(caplog) -> str:
    """Every captured record as the plain and the JSON formatter write it."""
    plain = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    js = JsonFormatter()
    return "\n".join(plain.format(r) + "\n" + js.format(r) for r in caplog.records)


def test_one_line_per_request_with_status_duration_user_and_request_id(officer_a, login, request_lines):
    client = login(officer_a)
    response = client.get(reverse("dashboard"), {"q": "nguyen van a"})
    assert response.status_code == 200
    (line,) = request_lines()
    assert line.levelno == logging.INFO
    assert (line.method, line.path, line.status) == ("GET", reverse("dashboard"), 200)
    assert line.user_id == officer_a.pk
    assert isinstance(line.duration_ms, float) and line.duration_ms >= 0
    assert line.client == "127.0.0.1"
    assert response["X-Request-ID"] == line.request_id and len(line.request_id) == 32
    assert "nguyen" not in line.getMessage() and "q=" not in line.getMessage()  # no query string


def test_a_valid_proxy_request_id_is_kept_and_a_bad_one_replaced(client, request_lines):
    given = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
    assert client.get(reverse("login"), HTTP_X_REQUEST_ID=given)["X-Request-ID"] == given
    bad = client.get(reverse("login"), HTTP_X_REQUEST_ID="x\n<script>")["X-Request-ID"]
    assert bad != "x\n<script>" and len(bad) == 32
    assert [r.request_id for r in request_lines()] == [given, bad]
    assert [r.user_id for r in request_lines()] == [None, None]


def test_a_lost_database_is_logged_as_the_503_the_person_got(officer_a, login, request_lines, monkeypatch):
    """The database is lost while the middleware reads the session (before any view): the person gets the
    "thử lại" page, and the log line records that 503, not the 500 underneath."""
    from django.contrib.sessions.backends.cached_db import SessionStore
    from django.db import OperationalError

    client = login(officer_a)
    client.raise_request_exception = False

    def lost(self):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(SessionStore, "load", lost)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 503 and "thử lại" in response.content.decode()
    (line,) = request_lines()
    assert (line.path, line.status) == (reverse("dashboard"), 503)
    assert response["X-Request-ID"] == line.request_id


def test_static_files_and_probes_are_debug_only(client, request_lines, settings):
    client.get("/healthz")
    client.get(settings.STATIC_URL + "complaints/public.css")
    assert [r.levelno for r in request_lines()] == [logging.DEBUG, logging.DEBUG]


def test_no_password_csrf_token_session_id_or_email_reaches_the_log(officer_a, caplog):
    """A login with a password, a failed one, and a form with an e-mail address: the captured log (all
    loggers, DEBUG) holds none of the secrets nor the address."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="eoffice.request")
    officer_a.set_password(SECRET_PASSWORD)
    officer_a.save()
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("login"))
    csrf = client.cookies["csrftoken"].value
    form_token = str(page.context["csrf_token"])
    client.post(
        reverse("login"),
        {"username": officer_a.username, "password": "Sai-mat-khau-55!", "csrfmiddlewaretoken": form_token},
    )
    response = client.post(
        reverse("login"),
        {"username": officer_a.username, "password": SECRET_PASSWORD, "csrfmiddlewaretoken": form_token},
    )
    assert response.status_code == 302
    session_id = client.cookies["sessionid"].value
    email = "nguoi.dan.bi.mat@example.vn"
    other = Client(enforce_csrf_checks=True)
    reset_token = str(other.get(reverse("password_reset")).context["csrf_token"])
    sent = other.post(reverse("password_reset"), {"email": email, "csrfmiddlewaretoken": reset_token})
    assert sent.status_code == 302
    log = _everything(caplog)
    assert f"POST {reverse('login')} 302" in log and f"POST {reverse('password_reset')} 302" in log
    for secret in [
        SECRET_PASSWORD,
        "Sai-mat-khau-55!",
        csrf,
        form_token,
        reset_token,
        session_id,
        email,
        officer_a.email,
    ]:
        assert secret and secret not in log, secret


def test_the_json_formatter_writes_one_object_per_line():
    formatter = JsonFormatter()
    record = logging.LogRecord("eoffice.x", logging.WARNING, __file__, 1, "hỏng %s", ("ổ đĩa",), None)
    record.request_id = "abc12345"
    record.request = object()  # Django's django.request passes the request itself: never written
    out = json.loads(formatter.format(record))
    assert out["level"] == "WARNING" and out["logger"] == "eoffice.x" and out["msg"] == "hỏng ổ đĩa"
    assert out["request_id"] == "abc12345" and "request" not in out
    assert out["ts"].endswith("+00:00")
    try:
        raise RuntimeError("dòng 1\ndòng 2")
    except RuntimeError:
        import sys

        record = logging.LogRecord("eoffice.x", logging.ERROR, __file__, 1, "lỗi", (), sys.exc_info())
    text = formatter.format(record)
    assert "\n" not in text and "RuntimeError" in json.loads(text)["exc"]


# ---- Argon2 ----------------------------------------------------------------------------------------------

ARGON2_FIRST = [
    "eoffice.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]


def test_the_production_hashers_put_argon2_first():
    """Outside the tests (no pytest in the process): Argon2 first, the older hashers after it."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "eoffice.settings"}
    env.pop("EOFFICE_TESTING", None)
    code = (
        "import django; django.setup(); from django.conf import settings; print(*settings.PASSWORD_HASHERS)"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.stdout.split()[:2] == [
        "eoffice.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ], done.stderr[-2000:]


def test_a_pbkdf2_hash_becomes_argon2_at_the_next_login(officer_a, settings):
    settings.PASSWORD_HASHERS = ARGON2_FIRST
    officer_a.password = make_password(SECRET_PASSWORD, hasher="pbkdf2_sha256")
    officer_a.save(update_fields=["password"])
    assert officer_a.password.startswith("pbkdf2_sha256$")
    client = Client()
    response = client.post(reverse("login"), {"username": officer_a.username, "password": SECRET_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    officer_a.refresh_from_db()
    assert officer_a.password.startswith("argon2$argon2id$")
    assert check_password(SECRET_PASSWORD, officer_a.password)
    # and the next login works with the new hash
    assert (
        Client()
        .post(reverse("login"), {"username": officer_a.username, "password": SECRET_PASSWORD})
        .status_code
        == 302
    )


def test_a_hash_with_djangos_argon2_parameters_is_rewritten_with_owasps(officer_a, settings):
    """A hash made with Django's Argon2 defaults (m=100 MiB, p=8) still logs in, and is rewritten with the
    product's parameters (m=19 MiB, t=2, p=1) at that login."""
    from django.contrib.auth.hashers import Argon2PasswordHasher as DjangoArgon2

    settings.PASSWORD_HASHERS = ARGON2_FIRST
    officer_a.password = DjangoArgon2().encode(SECRET_PASSWORD, DjangoArgon2().salt())
    officer_a.save(update_fields=["password"])
    assert "$m=102400,t=2,p=8$" in officer_a.password
    response = Client().post(reverse("login"), {"username": officer_a.username, "password": SECRET_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    officer_a.refresh_from_db()
    assert officer_a.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert check_password(SECRET_PASSWORD, officer_a.password)
