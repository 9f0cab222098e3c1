"""The client address of a request: the one place that reads ``REMOTE_ADDR`` and ``X-Forwarded-For``.

Behind a reverse proxy every request comes from the proxy's address, so the login lockout (``axes``), the
rate limits of the public pages and of the password reset, the identity-read journal and the request log
would all see one client. ``EOFFICE_TRUSTED_PROXIES`` lists the proxies' addresses or networks (CIDR); when
the connection comes from one of them, ``X-Forwarded-For`` is read from the right (the hop nearest to us),
skipping the trusted hops, and the first untrusted address is the client. ``X-Forwarded-For`` sent by
anyone else is ignored: a client cannot choose the address it is counted under. Empty (the default):
``REMOTE_ADDR`` only.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


def trusted_networks() -> tuple[Network, ...]:
    """``EOFFICE_TRUSTED_PROXIES`` parsed (settings.py refuses to start with an invalid entry)."""
    return _networks(tuple(getattr(settings, "EOFFICE_TRUSTED_PROXIES", ()) or ()))


def _ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.7:51234"
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _trusted(address, networks) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def client_ip(request) -> str | None:
    """The address the request is counted under (see the module text); None without a valid
    ``REMOTE_ADDR`` (a request made in code). The login lockout (``AXES_CLIENT_IP_CALLABLE``) uses it."""
    remote = _ip(request.META.get("REMOTE_ADDR") or "")
    if remote is None:
        return None
    networks = trusted_networks()
    if not networks or not _trusted(remote, networks):
        return str(remote)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR") or ""
    client = remote
    for hop in reversed(forwarded.split(",")[-32:]):  # the hops nearest to us; a long header is cut
        address = _ip(hop)
        if address is None:  # garbage in the header: stop at the last address we could trust
            break
        client = address
        if not _trusted(address, networks):
            break
    return str(client)


def client_address(request) -> str:
    """``client_ip``, or ``"unknown"`` (a rate-limit key, a log field)."""
    return client_ip(request) or "unknown"
