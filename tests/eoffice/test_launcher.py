"""`make run` on a machine with neither PostgreSQL nor Redis configured: everything starts on the
embedded services, the login page answers, and Ctrl-C leaves no process behind. What it prints is what a
person needs: what starts, the URL, the accounts and errors — no subsetting report, no e-mail dumps, no
"Exception ignored" tracebacks at the stop (tests/eoffice/test_logging.py: a refused request on one line)."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _processes_with_marker(marker: str, path: Path) -> list[str]:
    """Processes that inherited our marker, or that run on our private data directory."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            if marker.encode() in (entry / "environ").read_bytes() or str(path).encode() in cmdline:
                found.append(cmdline.replace(b"\0", b" ").decode(errors="replace"))
        except OSError:
            continue
    return found


@pytest.mark.slow
def test_make_run_starts_everything_and_ctrl_c_stops_it(tmp_path):
    port = _free_port()
    marker = f"EOFFICE_LAUNCH_MARK={uuid.uuid4().hex}"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        {
            "PORT": str(port),
            "HOST": "127.0.0.1",
            "EOFFICE_VAR_DIR": str(tmp_path / "var"),
            "EOFFICE_TESTING": "0",
            marker.split("=")[0]: marker.split("=")[1],
            "WEB_CONCURRENCY": "1",
        }
    )
    # The output goes to a file, not a pipe: the launcher's children inherit it, and a pipe would make the
    # test wait for the last of them rather than for the launcher.
    log = tmp_path / "launcher.log"
    launcher = subprocess.Popen(
        [sys.executable, "-m", "eoffice.launcher"],
        cwd=BASE_DIR,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # a process group of its own, as a shell's foreground job
    )
    try:
        deadline = time.monotonic() + 300  # a fresh start takes ~100 s, more on a machine under load
        body = ""
        while time.monotonic() < deadline:
            assert launcher.poll() is None, log.read_text(errors="replace")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/account/login/", timeout=2) as resp:  # noqa: S310
                    body = resp.read().decode()
                    break
            except OSError:
                time.sleep(0.5)
        assert "Đăng nhập" in body
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/vendor/htmx/htmx.min.js") as resp:  # noqa: S310
            assert resp.status == 200
        assert len(_processes_with_marker(marker, tmp_path)) >= 5  # postgres, redis, gunicorn, worker, beat
    finally:
        # Ctrl-C in a terminal: SIGINT to the whole foreground process group, not to one process.
        os.killpg(launcher.pid, signal.SIGINT)
        try:
            launcher.wait(timeout=120)
        except subprocess.TimeoutExpired:
            os.killpg(launcher.pid, signal.SIGKILL)
            output = log.read_text(errors="replace")
            raise AssertionError(f"Ctrl-C did not stop the launcher in 120 s:\n{output}") from None
        output = log.read_text(errors="replace")
    assert launcher.returncode == 0, output
    assert "demo" in output.lower()
    assert f"http://127.0.0.1:{port}/" in output
    assert "Exception ignored" not in output, output
    assert "Traceback" not in output, output
    assert "fontTools" not in output, output[:3000]
    assert "Content-Transfer-Encoding" not in output  # e-mails go to files, and it says where
    assert str(tmp_path / "var" / "mail") in output
    assert len(output.splitlines()) < 250, output
    time.sleep(1)
    assert _processes_with_marker(marker, tmp_path) == [], output
