"""The exchange node built into eoffice: the national axis' REST contract (``sendEdoc``,
``getReceivedEdocList``, ``getEdoc``, ``updateStatus``, ``getSentEdocList``, ``getAgenciesList``) served
under ``/exchange/node/``, so that two eoffice installations exchange directly, without the axis.

- Who may call: the peers of ``EXCHANGE_NODE_PEERS`` ({system id: secret}), each request signed with HMAC
  (``documents.exchange.transport.auth``; replayed, stale, unsigned requests refused), or a client
  certificate verified by the TLS-terminating proxy when ``EXCHANGE_NODE_TLS_SUBJECT_HEADER`` is set.
  ``EXCHANGE_NODE_ENABLED=0`` turns the node off (every operation answers 404).
- The node is pushed to: a peer's outbox calls our ``sendEdoc``, which keeps the package or status in our
  inbox (``documents.exchange.services.inbox.inbox_store``, once per content: a resend after a lost answer
  is the same message) for our worker to import; our outbox pushes to the peer's node the same way. So
  nothing waits here for a peer: ``getReceivedEdocList`` is empty; ``getSentEdocList`` lists what the
  calling peer sent us and how far each went (received, imported, refused with its reason, duplicate);
  ``getEdoc`` gives back one of those, ``updateStatus`` acknowledges one (nothing to do); ``getAgenciesList``
  lists this installation's agencies (both codes) for the peer's directory.
- Every answer is JSON ``{"status": "OK"|"FAIL", "ErrorCode", "ErrorDesc", …}``, refusals included:
  401 unauthenticated/bad signature/stale/replayed, 403 unknown peer, 405 not a POST, 413 too large,
  400 a malformed request, 503 the nonce store (cache) down.

Mounted by ``routes.register("exchange/node/", "documents.exchange.node.urls")``.
"""
