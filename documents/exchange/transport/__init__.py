"""The transports an outbox row is sent by and the poller reads from, behind one interface.

A transport is a key of ``settings.EXCHANGE_TRANSPORTS``::

    {"axis": {"kind": "vxp", "url": "https://…/", "system_id": "…", "secret": "…"},
     "province2": {"kind": "node", "url": "http://127.0.0.1:8001/exchange/node/", "system_id": "…",
                   "secret": "…", "peer_id": "<the peer's own system id>"}}

- ``vxp``: the national axis' REST interface (``vxp.VxpTransport``): ``sendEdoc``, ``getReceivedEdocList``,
  ``getEdoc``, ``updateStatus``, ``getSentEdocList``, ``getAgenciesList``.
- ``node``: another eoffice installation's exchange node (``documents.exchange.node``), which serves the same
  REST contract. A node is *pushed to*: our outbox sends to the peer's node and the peer's outbox sends to
  ours, so nothing waits at a peer for pickup — ``received_list()`` is empty without a network call (the
  poller still requeues what our own node stored) and ``acknowledge()`` has nothing to tell (the push was
  acknowledged by ``sendEdoc``'s answer). ``system_id``/``secret`` are what we sign with when calling the
  peer (the peer lists them in its ``EXCHANGE_NODE_PEERS``); ``peer_id`` is the system id the peer signs
  with when calling us, which tells our node which transport a received message came by (without it, the
  transport named after the peer's system id). ``system_id`` defaults to ``EXCHANGE_SYSTEM_ID``.

Two installations connected directly (one shared secret per pair)::

    tinh1: EXCHANGE_SYSTEM_ID=tinh1  EXCHANGE_NODE_PEERS={"tinh2": "S"}
           EXCHANGE_TRANSPORTS={"tinh2": {"kind": "node", "url": "http://127.0.0.1:8002/exchange/node/",
                                          "secret": "S"}}
    tinh2: EXCHANGE_SYSTEM_ID=tinh2  EXCHANGE_NODE_PEERS={"tinh1": "S"}
           EXCHANGE_TRANSPORTS={"tinh1": {"kind": "node", "url": "http://127.0.0.1:8001/exchange/node/",
                                          "secret": "S"}}

Every method is called from a worker (outbox, poller, directory sync), never inside a user's request.
A failure is a ``TransportError`` with an English ``code`` for the log, a Vietnamese ``message`` for the
clerk (``str(error)``), ``retryable`` (a timeout, an unreachable server, a 5xx: try again later; a refusal:
do not) and the HTTP status when there was one.
"""

from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.utils.translation import gettext as _


class TransportError(Exception):
    def __init__(self, code: str, message: str, *, retryable: bool, http_status: int | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.retryable = retryable
        self.http_status = http_status

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"TransportError({self.code!r}, {self.message!r}, retryable={self.retryable})"


class Transport(Protocol):
    key: str
    kind: str

    def send(self, data: bytes, *, kind: str, from_code: str) -> str: ...

    def received_list(self) -> list[dict]: ...

    def fetch(self, remote_id: str) -> bytes: ...

    def acknowledge(self, remote_id: str) -> None: ...

    def sent_list(self) -> list[dict]: ...

    def agencies(self) -> list[dict]: ...


KINDS = ("vxp", "node")


def transport_for(key: str) -> Transport:
    """The transport ``key`` of ``settings.EXCHANGE_TRANSPORTS``; a missing or incomplete entry is a
    non-retryable ``TransportError`` (the clerk sees which key, the admin fixes the settings)."""
    from documents.exchange.transport.vxp import NodeTransport, VxpTransport

    config = (getattr(settings, "EXCHANGE_TRANSPORTS", None) or {}).get(key)
    if not isinstance(config, dict):
        raise TransportError(
            "unknown_transport",
            _("Kênh liên thông “%(key)s” chưa được cấu hình (EXCHANGE_TRANSPORTS).") % {"key": key},
            retryable=False,
        )
    kind = config.get("kind", "vxp")
    system_id = str(config.get("system_id") or getattr(settings, "EXCHANGE_SYSTEM_ID", "") or "")
    missing = [name for name in ("url", "secret") if not config.get(name)] + (
        [] if system_id else ["system_id"]
    )
    if kind not in KINDS or missing:
        raise TransportError(
            "bad_transport_config",
            _("Cấu hình kênh liên thông “%(key)s” chưa đủ: %(what)s.")
            % {"key": key, "what": ", ".join(missing) or f"kind={kind}"},
            retryable=False,
        )
    cls = NodeTransport if kind == "node" else VxpTransport
    return cls(
        key=key,
        url=config["url"],
        system_id=system_id,
        secret=str(config["secret"]),
        timeout=float(config.get("timeout") or settings.EXCHANGE_HTTP_TIMEOUT_SECONDS),
    )


def peer_transport_key(system_id: str) -> str:
    """The transport by which a peer that signs with ``system_id`` is reached back: the ``node`` entry
    whose ``peer_id`` is that id, else an entry named after it, else the id itself (then replies fail with
    "unknown transport" until the admin adds it)."""
    transports = getattr(settings, "EXCHANGE_TRANSPORTS", None) or {}
    for key, config in transports.items():
        if isinstance(config, dict) and str(config.get("peer_id", "")) == system_id:
            return key
    return system_id
