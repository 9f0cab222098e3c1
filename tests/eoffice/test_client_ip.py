"""The client address behind a reverse proxy (eoffice/client_ip.py): X-Forwarded-For is read only from a
proxy of EOFFICE_TRUSTED_PROXIES, and the login lockout counts the real client."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from eoffice.client_ip import client_address, client_ip


def _address(remote, forwarded=None) -> str:
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **meta))


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.EOFFICE_TRUSTED_PROXIES = []
    assert _address("198.51.100.7", "203.0.113.9") == "198.51.100.7"


def test_a_forwarded_header_from_an_untrusted_address_is_ignored(settings):
    settings.EOFFICE_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert _address("198.51.100.7", "203.0.113.9, 10.0.0.5") == "198.51.100.7"


def test_behind_trusted_proxies_the_first_untrusted_hop_from_the_right_is_the_client(settings):
    settings.EOFFICE_TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.1"]
    # the client put a made-up address first; the proxies appended the real one and their own
    assert _address("10.0.0.2", "1.2.3.4, 203.0.113.9, 192.0.2.1") == "203.0.113.9"
    assert _address("10.0.0.2", "203.0.113.9:51234") == "203.0.113.9"
    assert _address("10.0.0.2", "[2001:db8::5]:443") == "2001:db8::5"
    assert _address("10.0.0.2", "") == "10.0.0.2"  # nothing forwarded: the proxy itself
    assert _address("10.0.0.2", "not-an-ip") == "10.0.0.2"
    assert _address("10.0.0.2", "203.0.113.9, garbage") == "10.0.0.2"  # stop at what the proxy wrote
    assert _address("::ffff:10.0.0.2", "203.0.113.9") == "203.0.113.9"  # IPv4-mapped proxy address


def test_a_request_without_an_address_counts_as_unknown():
    request = RequestFactory().get("/")
    del request.META["REMOTE_ADDR"]
    assert client_ip(request) is None and client_address(request) == "unknown"


def test_settings_refuse_a_bad_proxy_entry():
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "EOFFICE_TRUSTED_PROXIES": "10.0.0.0/8,proxy.local",
        "DJANGO_SETTINGS_MODULE": "eoffice.settings",
    }
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0 and "proxy.local" in done.stderr


# ---- the login lockout ---------------------------------------------------------------------------------


def _fail(client, user, **meta):
    return client.post(reverse("login"), {"username": user.username, "password": "sai-mat-khau"}, **meta)


@pytest.mark.django_db
def test_a_spoofed_forwarded_header_does_not_escape_the_lockout(officer_a, password, settings):
    """No trusted proxy: each failure sends a new X-Forwarded-For, the lockout still counts REMOTE_ADDR."""
    settings.AXES_FAILURE_LIMIT = 3
    settings.EOFFICE_TRUSTED_PROXIES = []
    client = Client()
    for n in range(3):
        _fail(client, officer_a, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=f"203.0.113.{n + 1}")
    response = client.post(
        reverse("login"),
        {"username": officer_a.username, "password": password},
        REMOTE_ADDR="198.51.100.7",
        HTTP_X_FORWARDED_FOR="203.0.113.99",
    )
    assert response.status_code == 429


@pytest.mark.django_db
def test_two_clients_behind_one_trusted_proxy_are_locked_separately(officer_a, password, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.EOFFICE_TRUSTED_PROXIES = ["10.0.0.1"]
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _ in range(3):
        _fail(Client(), officer_a, HTTP_X_FORWARDED_FOR="203.0.113.1", **proxy)
    locked = Client().post(
        reverse("login"),
        {"username": officer_a.username, "password": password},
        HTTP_X_FORWARDED_FOR="203.0.113.1",
        **proxy,
    )
    assert locked.status_code == 429
    other = Client().post(
        reverse("login"),
        {"username": officer_a.username, "password": password},
        HTTP_X_FORWARDED_FOR="203.0.113.2",
        **proxy,
    )
    assert other.status_code == 302 and other["Location"] == reverse("dashboard")


@pytest.mark.django_db
def test_the_password_reset_limit_counts_the_forwarded_client(staff_a, settings):
    """The rate limits use the same helper: clients behind the proxy have their own counters."""
    from django.core import mail
    from django.core.cache import cache

    from eoffice.models import Role

    cache.clear()
    settings.EOFFICE_TRUSTED_PROXIES = ["10.0.0.1"]
    settings.EOFFICE_PASSWORD_RESET_LIMITS = {"address": (1, 3600), "account": (100, 3600)}
    email = staff_a[Role.CLERK].email
    for forwarded in ["203.0.113.1", "203.0.113.1", "203.0.113.2"]:
        Client().post(
            reverse("password_reset"),
            {"email": email},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=forwarded,
        )
    assert len(mail.outbox) == 2  # the second request of .1 was refused, .2 had its own limit
