"""Reports, statistics and search read from a streaming replica when ``DATABASE_REPLICA_URL`` is set.

Nothing reads from the replica by default: only code running inside ``reading_from_replica()`` does, and
that context is entered by the ``@replica_reads`` view decorator on the report, statistics and search views.
Within it the ORM's reads (and raw SQL that asks ``read_alias()``) go to the alias ``replica``; writes
always go to ``default``, and so do reads inside a ``transaction.atomic`` block on ``default`` (a read that
belongs to a write must see the primary). Migrations run on ``default`` only. Without a replica configured the
decorator and the context do nothing.

Before a view reads from the replica, the decorator asks the replica how far behind it is (one query,
``pg_last_xact_replay_timestamp()``): unreachable, or more than ``DATABASE_REPLICA_MAX_LAG`` seconds
behind (default 30), the page reads from the primary. If a replica query fails during the view (the
replica went away, or a long report was cancelled by a conflict with recovery), the view runs once more,
on the primary. A page read from the replica can therefore miss at most the last ``MAX_LAG`` seconds of
writes by others; the person's own writes are always seen (after a successful form, a cookie sends their
report pages to the primary for ``MAX_LAG`` seconds, ``ReplicaPinMiddleware``). ``request.replica_lag``
holds the measured lag in seconds (``None`` when read from the primary).
"""

from __future__ import annotations

import contextlib
import functools
import logging
import math
import os
from contextvars import ContextVar

from django.conf import settings
from django.db import OperationalError, connections

logger = logging.getLogger(__name__)

DEFAULT = "default"
REPLICA = "replica"

# Set for ``max_lag()`` seconds on the answer to any successful form (POST, PUT, DELETE): while it is
# there, the sender's reports read the primary, so a person always sees what they have just written.
PIN_COOKIE = "eo_primary"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")

_active: ContextVar[bool] = ContextVar("eoffice_replica_reads", default=False)

# Seconds of the primary's writes the replica has not replayed: 0 when it has replayed all it received and
# is streaming; else the age of the last replayed transaction (which also grows while the primary is idle).
LAG_SQL = """
SELECT CASE
  WHEN NOT pg_is_in_recovery() THEN 0
  WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn()
       AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver) THEN 0
  ELSE COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()), 'Infinity')
END
"""


def max_lag() -> float:
    """Seconds behind the primary the replica may be and still answer a page."""
    try:
        return float(os.environ.get("DATABASE_REPLICA_MAX_LAG", "30"))
    except ValueError:
        return 30.0


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextlib.contextmanager
def reading_from_replica():
    """Reads inside go to the replica (when one is configured and no atomic block is open on default)."""
    token = _active.set(True)
    try:
        yield
    finally:
        _active.reset(token)


def read_alias() -> str:
    """The alias a read should use here: for raw SQL (``connections[read_alias()].cursor()``)."""
    if _active.get() and replica_configured() and not connections[DEFAULT].in_atomic_block:
        return REPLICA
    return DEFAULT


class ReplicaRouter:
    """``DATABASE_ROUTERS`` entry: reads go where ``read_alias()`` says, everything else to default."""

    def db_for_read(self, model, **hints):
        return read_alias()

    def db_for_write(self, model, **hints):
        return DEFAULT

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT


def replica_lag() -> float | None:
    """How many seconds of the primary's writes the replica has not replayed yet (0 when it has replayed
    all it received and is still streaming); ``None`` when the replica cannot be reached."""
    conn = connections[REPLICA]
    try:
        conn.close_if_health_check_failed()
        with conn.cursor() as cursor:
            cursor.execute(LAG_SQL)
            return float(cursor.fetchone()[0])
    except OperationalError as exc:
        logger.warning("replica unreachable, reading from the primary: %s", type(exc).__name__)
        with contextlib.suppress(Exception):
            conn.close()
        return None


def replica_reads(view):
    """Run a read-only view's reads on the replica; fall back to the primary when the replica is
    unreachable, too far behind, or fails during the view (the view then runs once more, on the
    primary). No replica configured: the view runs unchanged."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        request.replica_lag = None
        if not replica_configured():
            return view(request, *args, **kwargs)
        user = getattr(request, "user", None)
        if user is not None:
            user.is_authenticated  # noqa: B018 — the session and the person load from the primary
        if request.COOKIES.get(PIN_COOKIE):
            return view(request, *args, **kwargs)
        lag = replica_lag()
        if lag is None or lag > max_lag():
            if lag is not None:
                logger.warning("replica %.1f s behind, reading from the primary", lag)
            return view(request, *args, **kwargs)
        request.replica_lag = lag
        failed: list[str] = []

        def note_failure(execute, sql, params, many, context):
            try:
                return execute(sql, params, many, context)
            except OperationalError:
                failed.append(REPLICA)
                raise

        try:
            with reading_from_replica(), connections[REPLICA].execute_wrapper(note_failure):
                return view(request, *args, **kwargs)
        except OperationalError as exc:
            if not failed:
                raise
            logger.warning("replica query failed, page read again from the primary: %s", type(exc).__name__)
            with contextlib.suppress(Exception):
                connections[REPLICA].close()
        request.replica_lag = None
        return view(request, *args, **kwargs)

    return wrapped


class ReplicaPinMiddleware:
    """Sets ``PIN_COOKIE`` on the answer to a successful unsafe request (added to MIDDLEWARE only when a
    replica is configured): the person's next report pages read from the primary for ``max_lag()`` s."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in SAFE_METHODS and response.status_code < 400:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=max(math.ceil(max_lag()), 1),
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response
