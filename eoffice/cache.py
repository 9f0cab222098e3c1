"""The cache backend that keeps pages working while Redis is away (issue 21).

Django's ``RedisCache`` raises on every call when Redis cannot be reached; every page then fails, since
badges, fragments, sessions (``cached_db``) and rate limits all use the cache. ``FailSoftRedisCache``
turns a connection error into a miss:

- reads (``get``, ``get_many``, ``has_key``) answer "not cached", so the caller computes from the database;
- writes (``set``, ``add``, ``delete``, ``touch``…) are dropped; ``incr`` raises ``ValueError`` as for a
  missing key (``eoffice.ratelimit`` then counts 1: rate limits are open during an outage);
- the first failure opens a circuit (one per process, shared by its threads) for ``FAILSOFT_SECONDS``
  (default 5 s): no call tries Redis in that time, so a page makes at most one slow attempt (bounded by
  the short socket timeouts in OPTIONS) per process and period, not one per cache call;
- one warning per outage and one line when Redis answers again, with the error's class only (no URL: it
  may hold a password).

Sessions survive: ``cached_db`` reads the session row from the database on a miss and writes it there at
every change."""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis import exceptions as redis_errors

logger = logging.getLogger(__name__)

ERRORS = (redis_errors.ConnectionError, redis_errors.TimeoutError, OSError)
"""What "Redis is away" looks like (``BusyLoadingError``, Redis reading its file after a restart, is a
``ConnectionError``)."""


class _Circuit:
    """Per process: open (skip Redis) until ``until``; ``down`` says whether the outage was logged."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.until = 0.0
        self.down = False

    def is_open(self) -> bool:
        return time.monotonic() < self.until

    def trip(self, seconds: float, error: BaseException) -> None:
        with self.lock:
            self.until = time.monotonic() + seconds
            first = not self.down
            self.down = True
        if first:
            logger.warning(
                "cache: Redis unreachable (%s); serving without the cache, retrying every %ss",
                type(error).__name__,
                seconds,
            )

    def ok(self) -> None:
        if self.down:
            with self.lock:
                was, self.down = self.down, False
            if was:
                logger.warning("cache: Redis reachable again")


_circuits: dict[str, _Circuit] = {}
_circuits_lock = threading.Lock()


def _circuit_for(location: str) -> _Circuit:
    """One circuit per Redis location and process (Django makes a backend per thread)."""
    with _circuits_lock:
        return _circuits.setdefault(location, _Circuit())


class FailSoftRedisCache(RedisCache):
    """``RedisCache`` whose connection errors are misses and dropped writes (see the module)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        options = dict(params.get("OPTIONS") or {})
        self.failsoft_seconds = float(options.pop("FAILSOFT_SECONDS", 5))
        options.setdefault("socket_connect_timeout", 0.3)
        options.setdefault("socket_timeout", 0.5)
        self._options = options
        self.circuit = _circuit_for(str(server))

    def _call(self, method, fallback, *args, **kwargs):
        if self.circuit.is_open():
            return fallback()
        try:
            result = method(*args, **kwargs)
        except ERRORS as error:
            self.circuit.trip(self.failsoft_seconds, error)
            return fallback()
        self.circuit.ok()
        return result

    @property
    def available(self) -> bool:
        """False while the circuit is open (Redis failed in the last few seconds)."""
        return not self.circuit.is_open()

    def get(self, key, default=None, version=None):
        return self._call(super().get, lambda: default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call(super().get_many, dict, keys, version)

    def has_key(self, key, version=None):
        return self._call(super().has_key, lambda: False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().add, lambda: False, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().set, lambda: None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().set_many, lambda: list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().touch, lambda: False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call(super().delete, lambda: False, key, version)

    def delete_many(self, keys, version=None):
        return self._call(super().delete_many, lambda: None, keys, version)

    def incr(self, key, delta=1, version=None):
        def missing():
            raise ValueError(f"Key '{key}' not found (cache unavailable).")

        return self._call(super().incr, missing, key, delta, version)

    def clear(self):
        return self._call(super().clear, lambda: False)
