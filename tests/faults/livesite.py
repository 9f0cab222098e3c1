"""A real site for the fault tests of helper 3 (PostgreSQL restart, media disk full/unwritable): a private
PostgreSQL from the pgserver package's binaries, gunicorn serving the project, and a small browser
(cookies, CSRF, multipart) on the standard library. Every process is started here and stopped by its pid."""

from __future__ import annotations

import atexit
import contextlib
import http.client
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PG_BIN = BIN.parent / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
PG_BIN = PG_BIN / "pgserver" / "pginstall" / "bin"
WAIT_SECONDS = 180  # how long a wait may last before the test gives up (never asserted as a duration)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def wait_until(check, what: str, timeout: float = WAIT_SECONDS, logs: tuple[Path, ...] = ()):
    """``check()``'s first true value; after ``timeout`` the test fails with the tails of ``logs``."""
    give_up = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > give_up:
            tails = "\n".join(
                f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in logs if p.exists()
            )
            raise AssertionError(f"gave up waiting for {what}\n{tails}")
        time.sleep(0.3)


def stop_group(proc: subprocess.Popen | None, sig: int = signal.SIGTERM) -> None:
    """Stop a process started here (its own session) and its children by its process group: ``sig``
    (TERM by default), then KILL after 30 s."""
    if proc is None or proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


class PrivatePostgres:
    """initdb + pg_ctl in ``root`` on a free port. As root, the server runs as the ``pgserver`` system user
    (PostgreSQL refuses root), created with useradd like the pgserver package does."""

    def __init__(self, root: Path):
        self.root = root
        self.data = root / "pgdata"
        self.port = free_port()
        self.log = root / "postgres.log"
        self.sockets = root / "sockets"
        self.user = None
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("pgserver")
            except KeyError:
                subprocess.run(["useradd", "-s", "/bin/sh", "pgserver"], check=True, capture_output=True)
            self.user = "pgserver"
            os.chmod(root, 0o755)  # noqa: S103 (a test's temporary directory)
            for parent in root.parents:  # the server's user must traverse to its directory
                if parent == Path("/"):
                    break
                os.chmod(parent, os.stat(parent).st_mode | 0o055)  # noqa: S103 (traverse only)

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(PG_BIN / args[0]), *args[1:]],
            user=self.user,
            cwd=self.root,
            capture_output=True,
            text=True,
            check=check,
            env={**os.environ, "LC_ALL": "C.UTF-8"},
        )

    def init(self) -> None:
        self.data.mkdir()
        self.sockets.mkdir()
        self.log.touch()
        if self.user:
            for path in (self.data, self.sockets, self.log):
                shutil.chown(path, self.user, self.user)
        self._run(
            "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C"
        )
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "eoffice")

    def _options(self) -> str:
        return f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.sockets}"

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", self._options(), "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def restart(self, mode: str) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", self._options(), "-m", mode,
                  "-w", "restart")  # fmt: skip

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/eoffice"

    def query(self, sql: str, params=()) -> list[tuple]:
        import psycopg

        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{self.port}/eoffice") as conn:
            return conn.execute(sql, params).fetchall()


def site_env(*, database_url: str, var_dir: Path, redis_url: str, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "EOFFICE_", "DJANGO_"))}
    env.pop("MEDIA_ROOT", None)
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    env.update(
        DJANGO_SETTINGS_MODULE="eoffice.settings",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        EOFFICE_VAR_DIR=str(var_dir),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        PYTHONUNBUFFERED="1",
        **extra,
    )
    return env


def manage(env: dict, *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        input=stdin,
    )
    assert done.returncode == 0, f"manage.py {args}: {done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


SEED = """
import json
from documents.registers.models import DocumentType
from eoffice.models import Role
from tests.factories import PASSWORD, make_agency, make_department, make_user
agency = make_agency(name="Sở Thử nghiệm Sự cố")
dept = make_department(agency=agency)
clerk = make_user(agency=agency, department=dept, roles=[Role.CLERK], username="vanthu_suco")
doc_type, _ = DocumentType.objects.get_or_create(name="Công văn")
print("SEED=" + json.dumps({"username": clerk.username, "password": PASSWORD, "doc_type": doc_type.pk}))
"""


def seed(env: dict) -> dict:
    out = manage(env, "shell", stdin=SEED)
    line = next(line for line in out.splitlines() if line.startswith("SEED="))
    return json.loads(line[5:])


class Gunicorn:
    """gunicorn serving the project: 2 workers, 4 threads each (the production shape, smaller)."""

    def __init__(self, *, env: dict, root: Path):
        self.env = env
        self.port = free_port()
        self.log_path = root / f"gunicorn-{self.port}.log"
        self.proc: subprocess.Popen | None = None
        self.preexec = None  # run in the server's process before exec (a resource limit)

    def start(self) -> None:
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [str(BIN / "gunicorn"), "eoffice.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", "2", "--threads", "4", "--timeout", "120",
             "--control-socket", str(self.log_path.with_suffix(".ctl"))],
            cwd=BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            preexec_fn=self.preexec,
        )  # fmt: skip
        log.close()
        wait_until(lambda: port_open(self.port) or self.proc.poll() is not None, "gunicorn")
        assert self.proc.poll() is None, self.log()

    def pids(self) -> set[int]:
        import psutil

        master = psutil.Process(self.proc.pid)
        return {master.pid, *(child.pid for child in master.children())}

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        stop_group(self.proc)


class Response:
    def __init__(self, status: int, headers: dict[str, str], body: str):
        self.status, self.headers, self.body = status, headers, body

    def __repr__(self) -> str:
        return f"<{self.status} {self.body[:200]!r}>"


class Browser:
    """A person at a browser: cookies, CSRF token, forms (multipart with files); redirects not followed."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, *, fields=None, files=None, headers=None) -> Response:
        head = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        if self.cookies:
            head["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if method == "POST":
            head["Referer"] = f"http://127.0.0.1:{self.port}{path}"
            head["X-CSRFToken"] = self.cookies.get("csrftoken", "")
            boundary = uuid.uuid4().hex
            parts = []
            for name, value in (fields or {}).items():
                for item in value if isinstance(value, list) else [value]:
                    disposition = f'Content-Disposition: form-data; name="{name}"'
                    parts.append(f"--{boundary}\r\n{disposition}\r\n\r\n{item}\r\n".encode())
            for name, (filename, data, ctype) in (files or {}).items():
                disposition = f'Content-Disposition: form-data; name="{name}"; filename="{filename}"'
                parts.append(
                    f"--{boundary}\r\n{disposition}\r\nContent-Type: {ctype}\r\n\r\n".encode()
                    + data
                    + b"\r\n"
                )
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            head["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            conn.request(method, path, body=body, headers=head)
            resp = conn.getresponse()
            data = resp.read().decode("utf-8", errors="replace")
            headers_out = {k.lower(): v for k, v in resp.getheaders()}
            for raw in resp.headers.get_all("Set-Cookie") or []:
                cookie = SimpleCookie()
                cookie.load(raw)
                for key, morsel in cookie.items():
                    self.cookies[key] = morsel.value
            return Response(resp.status, headers_out, data)
        finally:
            conn.close()

    def get(self, path: str, **kw) -> Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, **kw) -> Response:
        return self.request("POST", path, **kw)

    def login(self, username: str, password: str) -> None:
        page = self.get("/account/login/")
        assert page.status == 200, page
        done = self.post("/account/login/", fields={"username": username, "password": password})
        assert done.status == 302, done
        assert "/login/" not in done.headers.get("location", ""), done.headers


def incoming_fields(*, marker: str, doc_type: int) -> dict:
    return {
        "issuer_name": "Ủy ban nhân dân tỉnh An Hòa",
        "number_symbol": marker,
        "issued_date": "2026-12-01",
        "doc_type": str(doc_type),
        "summary": f"V/v kiểm thử sự cố {marker}",
        "urgency": "0",
        "confidentiality": "0",
        "received_at": "2026-12-07 08:00",
        "channel": "paper",
        "due_date": "2026-12-31",
        "register_now": "on",
        "allow_duplicate": "on",
    }


def pdf_file(marker: str) -> tuple[str, bytes, str]:
    """A small valid one-page PDF whose bytes differ for each marker."""
    text = f"Van ban {marker} {secrets.token_hex(4)}"
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return f"{marker.replace('/', '-')}.pdf", bytes(out), "application/pdf"


def form_errors(html: str) -> str:
    """The text of the page's error messages (for the assertion messages)."""
    return " | ".join(
        re.sub(r"<[^>]+>", " ", m).strip() for m in re.findall(r'class="[^"]*error[^"]*"[^>]*>(.*?)<', html)
    )


_static: Path | None = None


def prepare_var(env: dict, var_dir: Path) -> None:
    """``var_dir`` with the collected static files (collected once per test session, then linked)."""
    global _static
    var_dir.mkdir(parents=True, exist_ok=True)
    if _static is None:
        shared = temp_root("eo-faults-static-")
        atexit.register(shutil.rmtree, shared, ignore_errors=True)
        manage({**env, "EOFFICE_VAR_DIR": str(shared)}, "collectstatic", "--noinput")
        _static = shared / "static"
    link = var_dir / "static"
    if link.is_symlink():
        link.unlink()
    elif link.exists():  # an earlier ``manage`` of this installation made an empty one
        shutil.rmtree(link)
    link.symlink_to(_static, target_is_directory=True)


def temp_root(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix))
