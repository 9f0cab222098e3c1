"""The fail-soft cache (eoffice.cache): with Redis unreachable, reads miss, writes are dropped, counters
are open, and a person still logs in and keeps the session (cached_db falls back to the database)."""

from __future__ import annotations

import socket
import uuid

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.urls import reverse

from eoffice import ratelimit
from eoffice.cache import FailSoftRedisCache
from tests.factories import PASSWORD


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cache_at(url: str, **options) -> FailSoftRedisCache:
    return FailSoftRedisCache(url, {"KEY_PREFIX": f"t-{uuid.uuid4().hex}", "OPTIONS": options})


@pytest.fixture
def down_url():
    return f"redis://127.0.0.1:{closed_port()}/0"


def test_reads_miss_and_writes_are_dropped_when_redis_is_away(down_url, caplog):
    cache = cache_at(down_url)
    assert cache.get("k", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.has_key("k") is False
    cache.set("k", 1)
    assert cache.add("k", 1) is False
    assert cache.delete("k") is False
    cache.set_many({"a": 1})
    cache.delete_many(["a"])
    assert cache.get_or_set("k", lambda: 42) == 42  # computed, not cached
    with pytest.raises(ValueError):
        cache.incr("k")
    assert not cache.available  # the circuit is open: the next calls skip Redis
    warnings = [r for r in caplog.records if r.name == "eoffice.cache"]
    assert len(warnings) == 1  # one line per outage, not one per call
    assert down_url not in warnings[0].getMessage()


def test_circuit_closes_once_redis_answers():
    cache = cache_at(django_settings.REDIS_URL, FAILSOFT_SECONDS=0)
    cache.circuit.trip(0, ConnectionError())
    cache.set("k", "v")
    assert cache.get("k") == "v"
    assert cache.add("n", 0)
    assert cache.incr("n") == 1
    assert cache.available and not cache.circuit.down


def test_rate_limit_is_open_while_the_cache_is_away(settings, down_url):
    settings.CACHES = {
        "default": {"BACKEND": "eoffice.cache.FailSoftRedisCache", "LOCATION": down_url, "KEY_PREFIX": "x"}
    }
    # Fail-open by design: the login lockout (axes) lives in the database, the public forms' one-time
    # codes have their own per-address limit in the database.
    assert not any(ratelimit.over_limit("k", limit=1, window=60) for _ in range(5))


def test_rate_limit_counts_with_redis():
    key = f"k-{uuid.uuid4().hex}"
    assert [ratelimit.over_limit(key, limit=2, window=60) for _ in range(3)] == [False, False, True]


@pytest.mark.django_db
def test_login_and_session_survive_without_redis(settings, client, officer_a, down_url):
    settings.CACHES = {
        "default": {"BACKEND": "eoffice.cache.FailSoftRedisCache", "LOCATION": down_url, "KEY_PREFIX": "x"}
    }
    assert isinstance(caches["default"], FailSoftRedisCache)
    response = client.post(reverse("login"), {"username": officer_a.username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    page = client.get(reverse("dashboard"))
    assert page.status_code == 200
    assert page.wsgi_request.user == officer_a
