"""A small fixed-window rate limit in the shared cache (Redis): one counter per key and window."""

from __future__ import annotations

import hashlib

from django.core.cache import cache


def client_address(request) -> str:
    """The client address the login lockout uses (``axes``: ``REMOTE_ADDR`` unless a reverse proxy is
    configured for it)."""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or request.META.get("REMOTE_ADDR") or "unknown"


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
