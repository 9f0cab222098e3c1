"""Throughput of the hot pages under gunicorn, beside a bare Django view, in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/eo_bench_1m REDIS_URL=redis://127.0.0.1:6379/14 \
        .venv/bin/python bench/throughput.py [--duration 30] [--connections 16] [--workers 2] \
        [--only officer_todo,leader_dashboard,onestop_todo] [--make-onestop-clerk] [--no-markdown]

Starts gunicorn (``eoffice.wsgi``, ``DJANGO_SETTINGS_MODULE=bench.settings``, 2 sync workers, loopback, a
free port, no access log), logs each persona in (a real session in the product's session engine): the
officer (their "Cần xử lý" queue), the leader (their dashboard, ``/``) and the agency's one-stop counter
clerk (their "Hồ sơ cần xử lý" queue; a province made by ``bench/province.py`` has none: with
``--make-onestop-clerk`` the bench's own is made, ``bench.scaleout.onestop_counter``, with ``--dossiers``
dossiers received through the service — this writes to the database, so use a copy). Each page must answer
200 with the persona's own name (a redirect to the login page would otherwise count as a success for wrk).
Then ``/bench/bare/`` and each page in turn are loaded with ``wrk -t2 -c16 -d30s`` (a short warm-up first;
a Lua script counts every non-200 answer). Each run's requests/s is written beside its ratio to the bare
view's (issue 22's targets: the officer's queue ≥ 7 %, the dashboard and the one-stop queue ≥ 3.5 %, no
errors) and the load average after it (the machine may be shared). Writes ``results/throughput-<scale>.json``,
``results/wrk-<scale>-<page>.txt`` (and refreshes ``results/pages.md`` unless ``--no-markdown``).
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


PAGES = ("officer_todo", "leader_dashboard", "onestop_todo")
TARGETS = {"officer_todo": 0.07, "leader_dashboard": 0.035, "onestop_todo": 0.035}
"""Each page's target: its requests/s over the bare view's, in the same run (issue 22)."""


def onestop_clerk(agency_id: int, *, make: bool, dossiers: int):
    """The agency's one-stop counter clerk (an active one-stop officer, not a superuser); with ``make`` and
    none there, the bench's own (``bench.scaleout.onestop_counter``, marked ``scaleout.motcua``) with
    ``dossiers`` dossiers received through the service, so that the queue has rows."""
    from eoffice.models import Role, User

    clerk = (
        User.objects.filter(
            agency_id=agency_id,
            is_active=True,
            is_superuser=False,
            groups__agency_role__role=Role.ONESTOP_OFFICER,
            groups__agency_role__agency_id=agency_id,
        )
        .order_by("pk")
        .first()
    )
    if clerk is None and make:
        from bench.scaleout import onestop_counter, setup_dossiers

        _procedure, (clerk,) = onestop_counter(agency_id)
        setup_dossiers(agency_id, dossiers)
    return clerk


def login_cookie(user) -> str:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)  # a real session in the product's engine (cached_db: database + Redis)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--scale", default=None)
    parser.add_argument("--only", default="", help="comma-separated pages (the bare view always runs)")
    parser.add_argument(
        "--make-onestop-clerk",
        action="store_true",
        help="when the persona's agency has no one-stop officer, make the bench's (writes to the database)",
    )
    parser.add_argument("--dossiers", type=int, default=60)
    parser.add_argument("--no-markdown", action="store_true", help="do not refresh results/pages.md")
    parser.add_argument("--note", default="", help="what else used the machine during the run")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.urls import reverse
    from django.utils import timezone

    from bench.pages import ensure_static, load_personas, scale_of_database
    from bench.province import machine_info
    from eoffice.models import User

    ensure_static()
    personas = load_personas()
    officer = User.objects.get(pk=personas["officer"]["id"])
    leader = User.objects.get(pk=personas["leader"]["id"])
    clerk = onestop_clerk(officer.agency_id, make=args.make_onestop_clerk, dossiers=args.dossiers)
    for person in (officer, leader, clerk):
        if person is not None and person.is_superuser:
            sys.exit(f"the persona {person.username} is a superuser: refusing")
    label, n_docs = scale_of_database()
    scale = args.scale or label
    pages = {
        "officer_todo": (officer, reverse("documents:incoming_queue", kwargs={"queue": "todo"})),
        "leader_dashboard": (leader, reverse("dashboard")),
        "onestop_todo": (clerk, reverse("onestop:queue", kwargs={"queue": "todo"})),
    }
    only = {name for name in args.only.split(",") if name}
    plan = [("bare", "/bench/bare/", None)]
    for name in PAGES:
        person, path = pages[name]
        if only and name not in only:
            continue
        if person is None:
            print(f"{name}: no persona (no one-stop officer in the agency; --make-onestop-clerk): skipped")
            continue
        plan.append((name, path, person))
    cookies = {name: login_cookie(person) for name, _path, person in plan if person is not None}
    port = free_port()
    log_path = Path(settings.BENCH_DIR) / f"gunicorn-{scale}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    load_before = [round(x, 2) for x in os.getloadavg()]
    process = start_gunicorn(port, args.workers, log_path)
    runs = []
    try:
        for name, path, person in plan:
            cookie = cookies.get(name, "")
            status, body, headers = get(port, path, cookie)
            if status != 200:
                raise RuntimeError(f"{name} answered {status} (location {headers.get('Location')}), not 200")
            if person is not None and person.full_name.encode() not in body:
                raise RuntimeError(f"{name} does not show {person.username}'s name: not logged in?")
            if person is None:
                assert body == b"ok", (status, body)
        for name, path, person in plan:
            cookie = cookies.get(name, "")
            if args.warmup:
                wrk(port, path, cookie=cookie, duration=args.warmup, connections=args.connections)
            result, text = wrk(
                port, path, cookie=cookie, duration=args.duration, connections=args.connections
            )
            result.update(
                {
                    "name": name,
                    "path": path,
                    "persona": person.username if person is not None else "",
                    "errors": result["non_200"] + result["socket_errors"],
                    "load_average_after": [round(x, 2) for x in os.getloadavg()],
                }
            )
            runs.append(result)
            (RESULTS / f"wrk-{scale}-{name}.txt").write_text(text)
        for name, path, _person in plan:
            status, _body, _h = get(port, path, cookies.get(name, ""))
            if status != 200:
                raise RuntimeError(f"after the run {name} answered {status}")
    finally:
        stop(process)
    bare = runs[0]["requests_per_s"]
    for run in runs:
        run["ratio_to_bare"] = round(run["requests_per_s"] / bare, 4) if bare else None
        if run["name"] in TARGETS:
            run["target_ratio"] = TARGETS[run["name"]]
            run["target_met"] = bool(run["ratio_to_bare"] >= TARGETS[run["name"]] and not run["errors"])
        share = 100 * (run["ratio_to_bare"] or 0)
        print(
            f"{run['name']:16} {run['requests_per_s']:8.1f} req/s  {share:5.1f} % of bare  "
            f"p50 {run['latency_p50_ms']} ms  p99 {run['latency_p99_ms']} ms  non-200 {run['non_200']}  "
            f"socket errors {run['socket_errors']}  load {run['load_average_after']}"
        )
    out = {
        "scale": scale,
        "documents": n_docs,
        "database": settings.DATABASES["default"]["NAME"],
        "officer": officer.username,
        "personas": {name: person.username for name, _path, person in plan if person is not None},
        "gunicorn": {"workers": args.workers, "worker_class": "sync", "bind": f"{HOST}:<free port>"},
        "wrk": {
            "threads": 2,
            "connections": args.connections,
            "duration_s": args.duration,
            "warmup_s": args.warmup,
        },
        "runs": runs,
        "load_average_before": load_before,
        "note": args.note,
        "machine": machine_info(),
        "measured_at": timezone.now().isoformat(timespec="seconds"),
    }
    path = RESULTS / f"throughput-{scale}.json"
    path.write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    if not args.no_markdown:
        from bench.report import write_markdown

        write_markdown()
    print(f"written {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
