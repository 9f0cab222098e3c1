"""A small fixed-window rate limit in the shared cache (Redis): one counter per key and window."""

from __future__ import annotations

import hashlib

from django.core.cache import cache

from eoffice.client_ip import client_address  # noqa: F401  (the one client-address helper, re-exported)


def over_limit(key: str, *, limit: int, window: int) -> bool:
    """Count one hit of ``key``; True once more than ``limit`` hits fell in its ``window`` seconds."""
    full = f"ratelimit:{key}"
    cache.add(full, 0, timeout=window)
    try:
        count = cache.incr(full)
    except ValueError:  # expired between add and incr
        cache.set(full, 1, timeout=window)
        count = 1
    return count > limit


def digest(value: str) -> str:
    """A cache key part for personal data (an e-mail address is not written into the cache as it is)."""
    return hashlib.sha256(value.strip().casefold().encode()).hexdigest()[:32]
