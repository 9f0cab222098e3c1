"""Health checks for a load balancer or an orchestrator (issue 21).

- ``/healthz`` (liveness): the web process answers. 200 "ok", touches neither the database nor Redis.
- ``/readyz`` (readiness): the database (``SELECT 1`` under a short ``statement_timeout``), Redis (``PING``
  on a fresh client with a 0.5 s socket timeout: the cache is fail-soft, so it cannot tell), the last
  heartbeat of a Celery worker (within ``EOFFICE_WORKER_HEARTBEAT_MAX_AGE`` seconds, 60 by default) and of
  beat (``EOFFICE_BEAT_HEARTBEAT_MAX_AGE``, 120). JSON ``{"status": "ok"|"fail", "db": {"status": ...},
  "redis": {...}, "worker": {"status": ..., "age": seconds}, "beat": {...}}``; 200 when every part is ok,
  503 otherwise. It names no host, version or error text: a load balancer needs the status only, the
  installation's administrator reads the details on the "Tình trạng hệ thống" page.

Both are GET/HEAD only, need no session (a load balancer sends no cookie, so the session and the user are
never read), are never cached, and a 503 is not written to the error log at every probe.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

DB_TIMEOUT_MS = 2000
REDIS_TIMEOUT = 0.5


def setting(name: str, default: int) -> int:
    """An integer setting, else the environment variable of the same name, else ``default``."""
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, default)
    return int(value)


def worker_max_age() -> int:
    return setting("EOFFICE_WORKER_HEARTBEAT_MAX_AGE", 60)


def beat_max_age() -> int:
    return setting("EOFFICE_BEAT_HEARTBEAT_MAX_AGE", 120)


def check_db(conn=None) -> bool:
    """``SELECT 1`` under a statement timeout; the connection itself is bounded by the ``connect_timeout`` of
    the database settings (``DATABASE_CONNECT_TIMEOUT``, 5 s), so a database that does not answer is "fail"
    within seconds, not a probe hanging."""
    conn = conn or connection
    try:
        with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
            cursor.execute(f"SET LOCAL statement_timeout = {DB_TIMEOUT_MS}")
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 — any failure means "not ready"
        conn.close_if_unusable_or_obsolete()
        return False


def redis_client(url: str | None = None):
    import redis

    return redis.Redis.from_url(
        url or settings.REDIS_URL, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT
    )


def check_redis(url: str | None = None) -> bool:
    try:
        client = redis_client(url)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:  # noqa: BLE001
        return False


def heartbeat_ages() -> dict[str, int | None]:
    """Seconds since the freshest heartbeat of each kind (None: never seen), one query."""
    from django.db.models import Max

    from eoffice.models import ServiceHeartbeat

    now = timezone.now()
    rows = ServiceHeartbeat.objects.values("kind").annotate(last=Max("seen_at")).order_by()
    ages: dict[str, int | None] = dict.fromkeys(ServiceHeartbeat.Kind.values)
    for row in rows:
        ages[row["kind"]] = max(0, int((now - row["last"]).total_seconds()))
    return ages


def readiness() -> dict:
    db_ok = check_db()
    result: dict = {"db": {"status": "ok" if db_ok else "fail"}}
    result["redis"] = {"status": "ok" if check_redis() else "fail"}
    ages: dict[str, int | None] = {"worker": None, "beat": None}
    if db_ok:
        try:
            ages = heartbeat_ages()
        except Exception:  # noqa: BLE001
            connection.close_if_unusable_or_obsolete()
    for kind, max_age in (("worker", worker_max_age()), ("beat", beat_max_age())):
        age = ages.get(kind)
        part = {"status": "ok" if age is not None and age <= max_age else "fail"}
        if age is not None:
            part["age"] = age
        result[kind] = part
    ok = all(part["status"] == "ok" for part in result.values())
    return {"status": "ok" if ok else "fail", **result}


def _quiet(response: HttpResponse) -> HttpResponse:
    # django.request logs every 4xx/5xx answer; a load balancer probing a node that is down would fill the log
    response._has_been_logged = True
    return response


@never_cache
@require_safe
def healthz(request):
    return _quiet(HttpResponse("ok", content_type="text/plain; charset=utf-8"))


@never_cache
@require_safe
def readyz(request):
    result = readiness()
    status = 200 if result["status"] == "ok" else 503
    return _quiet(JsonResponse(result, status=status))
