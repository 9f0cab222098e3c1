"""A real Celery worker for the tests that need one (marker ``realworker``; run alone after the parallel
step, tests/run_suite.sh): a subprocess on the test database and Redis, its output in a file (never a pipe
nobody reads: a full pipe would block the worker), stopped at the end."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from urllib.parse import quote

from django.conf import settings as django_settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def database_url() -> str:
    """The test database as a DATABASE_URL for a subprocess."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}@{quote(db.get('HOST') or '', safe='')}{port}/{db['NAME']}"


@contextlib.contextmanager
def celery_worker(
    *, log_path: Path | None = None, queues: Sequence[str] = (), env: dict | None = None
) -> Iterator[subprocess.Popen]:
    """Start ``celery -A eoffice worker`` (solo pool, one process, no gossip) with the test database and
    Redis, ``env`` added; the process has ``.log`` (its output file, or None when ``log_path`` is None)."""
    full_env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": django_settings.REDIS_URL,
        "DJANGO_SETTINGS_MODULE": "eoffice.settings",
        **(env or {}),
    }
    full_env.pop("EOFFICE_TESTING", None)
    log = log_path.open("w+") if log_path is not None else None
    command = [sys.executable, "-m", "celery", "-A", "eoffice", "worker"]
    if queues:
        command += ["-Q", ",".join(queues)]
    command += ["-P", "solo", "-c", "1", "--without-heartbeat", "--without-gossip", "--without-mingle"]
    proc = subprocess.Popen(
        [*command, "-l", "INFO"],
        cwd=ROOT,
        env=full_env,
        stdout=log if log is not None else subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group: a stop or a kill reaches every process it started
    )
    proc.log = log
    try:
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        if log is not None:
            log.close()
