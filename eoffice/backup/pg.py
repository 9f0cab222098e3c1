"""PostgreSQL client programs for backup and restore: the connection of a database, the pg_dump / pg_restore
that matches its server, and messages cleaned of secrets.

The password never reaches a command line nor a message: the programs read it from ``PGPASSWORD`` in their
environment, and every text that leaves this package goes through ``redact``.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings


@dataclass(frozen=True)
class Target:
    """Where a database is: host (a name, an address or a Unix socket directory), port, user, name."""

    dbname: str
    host: str = ""
    port: str = ""
    user: str = ""
    password: str = ""

    @classmethod
    def from_django(cls, db: dict) -> Target:
        return cls(
            dbname=str(db.get("NAME") or ""),
            host=str(db.get("HOST") or ""),
            port=str(db.get("PORT") or ""),
            user=str(db.get("USER") or ""),
            password=str(db.get("PASSWORD") or ""),
        )

    @classmethod
    def from_url(cls, url: str) -> Target:
        import dj_database_url

        return cls.from_django(dj_database_url.parse(url))

    @classmethod
    def default(cls) -> Target:
        from django.db import connection

        return cls.from_django(connection.settings_dict)

    def connect_kwargs(self, **override) -> dict:
        values = {
            "dbname": self.dbname,
            "host": self.host,
            "port": self.port,
            "user": self.user,
            "password": self.password,
        }
        values.update(override)
        return {key: value for key, value in values.items() if value}

    def connect(self, **kwargs):
        """A psycopg connection; ``dbname=…`` etc. override this target's, the rest go to psycopg."""
        import psycopg

        names = {"dbname", "host", "port", "user", "password"}
        params = self.connect_kwargs(**{k: v for k, v in kwargs.items() if k in names})
        return psycopg.connect(**params, **{k: v for k, v in kwargs.items() if k not in names})

    def cli_args(self) -> list[str]:
        """``-h -p -U -d`` for pg_dump / pg_restore (no password: see ``env``)."""
        args = []
        if self.host:
            args += ["-h", self.host]
        if self.port:
            args += ["-p", self.port]
        if self.user:
            args += ["-U", self.user]
        return [*args, "-d", self.dbname]

    def env(self) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        env.pop("PGPASSWORD", None)
        if self.password:
            env["PGPASSWORD"] = self.password
        env["PGCONNECT_TIMEOUT"] = env.get("PGCONNECT_TIMEOUT", "15")
        return env

    def secrets(self) -> list[str]:
        return [self.password] if self.password else []


_URL_PASSWORD = re.compile(r"(\w+://[^:/@\s]*):[^@\s]+@")
_PASSWORD_WORDS = re.compile(r"(password\s*[=:]\s*)\S+", re.IGNORECASE)


def redact(text: str, *, secrets: list[str] | None = None) -> str:
    """``text`` without any password: the given secrets, the database's, URL credentials, ``password=…``."""
    known = [*(secrets or [])]
    for db in settings.DATABASES.values():
        if db.get("PASSWORD"):
            known.append(str(db["PASSWORD"]))
    for secret in sorted({s for s in known if s}, key=len, reverse=True):
        text = text.replace(secret, "***")
    text = _URL_PASSWORD.sub(r"\1:***@", text)
    return _PASSWORD_WORDS.sub(r"\1***", text)


def server_major(target: Target) -> int:
    with target.connect(autocommit=True) as conn:
        return conn.info.server_version // 10000


@functools.cache
def program_major(path: str) -> int | None:
    """The major version of a PostgreSQL client program ("pg_dump (PostgreSQL) 16.2" → 16)."""
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=20).stdout
    except OSError:
        return None
    found = re.search(r"\)\s*(\d+)", out)
    return int(found.group(1)) if found else None


def _candidates(name: str) -> list[str]:
    paths: list[Path] = []
    if getattr(settings, "EOFFICE_PG_BIN_DIR", ""):
        paths.append(Path(settings.EOFFICE_PG_BIN_DIR) / name)
    try:  # the embedded server's own binaries (eoffice.embedded)
        import pgserver

        paths.append(Path(pgserver.__file__).parent / "pginstall" / "bin" / name)
    except ImportError:
        pass
    paths += sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    found = shutil.which(name)
    if found:
        paths.append(Path(found))
    seen, result = set(), []
    for path in paths:
        if path.is_file() and os.access(path, os.X_OK) and str(path) not in seen:
            seen.add(str(path))
            result.append(str(path))
    return result


def program(name: str, *, major: int, at_least: int = 0) -> str:
    """The client program ``name`` of the server's ``major`` version; else the oldest newer one (pg_dump
    reads older servers; pg_restore reads older dumps). ``at_least``: the oldest acceptable version."""
    versions = [(program_major(path), path) for path in _candidates(name)]
    versions = [(v, p) for v, p in versions if v is not None and v >= max(major, at_least)]
    if not versions:
        raise FileNotFoundError(
            f"{name} {major} không tìm thấy "
            f"(đặt EOFFICE_PG_BIN_DIR là thư mục chứa {name} của PostgreSQL {major})"
        )
    exact = [p for v, p in versions if v == max(major, at_least)]
    return exact[0] if exact else min(versions)[1]


def run(args: list[str], *, target: Target, timeout: int | None = None) -> subprocess.CompletedProcess:
    """Run a client program against ``target``; a failure raises RuntimeError with its (redacted) stderr."""
    result = subprocess.run(args, env=target.env(), capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        name = Path(args[0]).name
        detail = (result.stderr or result.stdout).strip()[-2000:]
        raise RuntimeError(redact(f"{name} lỗi (mã {result.returncode}): {detail}", secrets=target.secrets()))
    return result
