"""Throughput of the officer's queue under gunicorn, beside a bare Django view, in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/eo_bench_1m REDIS_URL=redis://127.0.0.1:6379/14 \
        .venv/bin/python bench/throughput.py [--duration 30] [--connections 16] [--workers 2]

Starts gunicorn (``eoffice.wsgi``, ``DJANGO_SETTINGS_MODULE=bench.settings``, 2 sync workers, loopback, a
free port, no access log), logs the officer persona in (a real session in the product's session engine),
checks that the queue answers 200 with the officer's own page (a redirect to the login page would
otherwise count as a success for wrk), then loads ``/bench/bare/`` and the officer's "to process" queue
with ``wrk -t2 -c16 -d30s`` (a short warm-up first; a Lua script counts every non-200 answer), stops
gunicorn and writes ``results/throughput-<scale>.json`` (and refreshes ``results/pages.md``).
Only loopback is ever targeted; every run is bounded by ``--duration``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

RESULTS = ROOT / "bench" / "results"
LUA = ROOT / "bench" / "wrk_status.lua"
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def get(port: int, path: str, cookie: str = "") -> tuple[int, bytes, dict]:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        conn.close()


def start_gunicorn(port: int, workers: int, log_path: Path) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    log = log_path.open("w")
    process = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "eoffice.wsgi:application",
            "--chdir",
            str(ROOT),
            "--workers",
            str(workers),
            "--bind",
            f"{HOST}:{port}",
            "--error-logfile",
            "-",
            "--log-level",
            "warning",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({process.returncode}); see {log_path}")
        try:
            status, _body, _h = get(port, "/bench/bare/")
            if status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.3)
    stop(process)
    raise RuntimeError("gunicorn did not answer within 60 s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _ms(value: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s|m)", value)
    if not m:
        return float("nan")
    n, unit = float(m.group(1)), m.group(2)
    return round({"us": n / 1000, "ms": n, "s": n * 1000, "m": n * 60000}[unit], 2)


def parse_wrk(output: str) -> dict:
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in ([\d.]+\w+)", output)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    non200 = re.search(r"NON200 (\d+)", output)
    lat = dict(re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+\w+)", output, re.M))
    socket_errors = sum(int(x) for x in sock.groups()) if sock else 0
    return {
        "requests": int(total.group(1)) if total else 0,
        "requests_per_s": float(rps.group(1)) if rps else 0.0,
        "latency_p50_ms": _ms(lat.get("50", "")),
        "latency_p90_ms": _ms(lat.get("90", "")),
        "latency_p99_ms": _ms(lat.get("99", "")),
        "socket_errors": socket_errors,
        "socket_errors_detail": dict(
            zip(("connect", "read", "write", "timeout"), map(int, sock.groups()), strict=True)
        )
        if sock
        else {},
        "non_2xx_3xx": int(non2xx.group(1)) if non2xx else 0,
        "non_200": int(non200.group(1)) if non200 else 0,
    }


def wrk(
    port: int, path: str, *, cookie: str, duration: int, connections: int, threads: int = 2
) -> tuple[dict, str]:
    command = [
        shutil.which("wrk") or "/usr/bin/wrk",
        f"-t{min(threads, connections)}",
        f"-c{connections}",
        f"-d{duration}s",
        "--latency",
        "--timeout",
        "10s",
        "-s",
        str(LUA),
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(f"http://{HOST}:{port}{path}")
    out = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60, check=False)
    text = out.stdout + out.stderr
    if out.returncode != 0 or "Requests/sec" not in text:
        raise RuntimeError(f"wrk failed ({out.returncode}):\n{text}")
    return parse_wrk(text), text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--scale", default=None)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from bench.pages import ensure_static, load_personas, scale_of_database
    from bench.province import machine_info
    from eoffice.models import User

    ensure_static()
    personas = load_personas()
    officer = User.objects.get(pk=personas["officer"]["id"])
    if officer.is_superuser:
        sys.exit("the officer persona is a superuser: refusing")
    label, n_docs = scale_of_database()
    scale = args.scale or label
    client = Client()
    client.force_login(officer)  # a real session in the product's engine (cached_db: database + Redis)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    queue = reverse("documents:incoming_queue", kwargs={"queue": "todo"})
    port = free_port()
    log_path = Path(settings.BENCH_DIR) / f"gunicorn-{scale}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    process = start_gunicorn(port, args.workers, log_path)
    runs = []
    try:
        status, body, headers = get(port, queue, cookie)
        if status != 200:
            raise RuntimeError(f"the queue answered {status} (location {headers.get('Location')}), not 200")
        if officer.full_name.encode() not in body:
            raise RuntimeError(
                "the queue page does not show the officer's name: not logged in as the officer?"
            )
        status, body, _h = get(port, "/bench/bare/")
        assert status == 200 and body == b"ok", (status, body)
        for name, path, use_cookie in (("bare", "/bench/bare/", False), ("officer_todo", queue, True)):
            if args.warmup:
                wrk(
                    port,
                    path,
                    cookie=cookie if use_cookie else "",
                    duration=args.warmup,
                    connections=args.connections,
                )
            result, text = wrk(
                port,
                path,
                cookie=cookie if use_cookie else "",
                duration=args.duration,
                connections=args.connections,
            )
            result.update({"name": name, "path": path, "errors": result["non_200"] + result["socket_errors"]})
            runs.append(result)
            print(
                f"{name:14} {result['requests_per_s']:8.1f} req/s  p50 {result['latency_p50_ms']} ms  "
                f"p99 {result['latency_p99_ms']} ms  non-200 {result['non_200']}  "
                f"socket errors {result['socket_errors']}"
            )
            (RESULTS / f"wrk-{scale}-{name}.txt").write_text(text)
        status, _body, _h = get(port, queue, cookie)
        if status != 200:
            raise RuntimeError(f"after the run the queue answered {status}")
    finally:
        stop(process)
    out = {
        "scale": scale,
        "documents": n_docs,
        "database": settings.DATABASES["default"]["NAME"],
        "officer": officer.username,
        "gunicorn": {"workers": args.workers, "worker_class": "sync", "bind": f"{HOST}:<free port>"},
        "wrk": {
            "threads": 2,
            "connections": args.connections,
            "duration_s": args.duration,
            "warmup_s": args.warmup,
        },
        "runs": runs,
        "machine": machine_info(),
        "measured_at": timezone.now().isoformat(timespec="seconds"),
    }
    path = RESULTS / f"throughput-{scale}.json"
    path.write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    from bench.report import write_markdown

    write_markdown()
    print(f"written {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
