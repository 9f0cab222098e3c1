"""Page benchmark on a province database made by ``bench/province.py``.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/eo_bench_1m REDIS_URL=redis://127.0.0.1:6379/13 \
        .venv/bin/python bench/pages.py [--reps 50] [--pdf-reps 10] [--only officer_todo,detail]

Each page is requested through Django's whole stack (test ``Client``, logged in with ``force_login`` as
a benchmark persona — an officer, a department head, a leader or a clerk, never a superuser — so
middleware, URL resolution, view, selectors and templates all run; no network). Settings:
``bench.settings`` (DEBUG off, hashed static files). Per page: 3 warm-up requests, then ``--reps``
timed requests (``time.perf_counter`` around ``client.get``): p50 and p95 of the server time; every
response must be 200 (failures are recorded); then 3 more requests with every SQL statement timed
(``connection.execute_wrapper``): the number of queries, their total time and the slowest statement,
whose ``EXPLAIN (ANALYZE, BUFFERS)`` goes to ``results/plans-<scale>.md``. A page that does not exist
yet (its URL name does not resolve) is recorded as not available. The reminder scan (what the beat task
runs every few minutes) is measured with new work (the next day's reminders, rolled back) and in steady
state. Results: ``results/pages-<scale>.json`` and the comparison table ``results/pages.md``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
import traceback
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

RESULTS = ROOT / "bench" / "results"
TARGET_MS = 100.0
TARGET_PDF_MS = 1000.0
TARGET_SCAN_MS = 1000.0
TARGET_GROWTH = 1.5


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


class SqlTimer:
    """``connection.execute_wrapper`` that times every statement (sql, params, seconds)."""

    def __init__(self):
        self.queries: list[tuple[str, object, float]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append((sql, params, time.perf_counter() - started))


def measure(client, url: str, *, reps: int, warmup: int = 3, expect: str = "text/html") -> dict:
    """Warm up, time ``reps`` GETs, then time every SQL statement of 3 more."""
    from django.db import connection

    statuses: dict[int, int] = {}
    errors: list[str] = []

    def get():
        try:
            response = client.get(url)
        except Exception as exc:  # noqa: BLE001 - a failing page is a result, not a crash
            errors.append("".join(traceback.format_exception_only(type(exc), exc)).strip()[-500:])
            return None
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        if response.status_code == 200 and expect not in response.get("Content-Type", ""):
            errors.append(f"unexpected content type {response.get('Content-Type')}")
        return response

    for _ in range(warmup):
        get()
    times = []
    size = 0
    for _ in range(reps):
        started = time.perf_counter()
        response = get()
        times.append(time.perf_counter() - started)
        if response is not None:
            size = len(response.content)
    runs = []
    for _ in range(3):
        timer = SqlTimer()
        with connection.execute_wrapper(timer):
            get()
        runs.append(timer.queries)
    last = runs[-1]
    slowest = max((q for run in runs for q in run), key=lambda q: q[2], default=None)
    ok = not errors and set(statuses) == {200}
    return {
        "url": url,
        "ok": ok,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "errors": errors[:3],
        "reps": reps,
        "bytes": size,
        "p50_ms": round(percentile(times, 50) * 1000, 1),
        "p95_ms": round(percentile(times, 95) * 1000, 1),
        "mean_ms": round(statistics.fmean(times) * 1000, 1),
        "min_ms": round(min(times) * 1000, 1),
        "max_ms": round(max(times) * 1000, 1),
        "queries": len(last),
        "sql_ms": round(sum(q[2] for q in last) * 1000, 1),
        "slowest_sql": {
            "ms": round(slowest[2] * 1000, 2),
            "sql": slowest[0],
            "params": [str(p) for p in (slowest[1] or [])]
            if isinstance(slowest[1], (list, tuple))
            else str(slowest[1]),
        }
        if slowest
        else None,
        "_slowest": slowest,
    }


def explain(sql: str, params) -> list[str]:
    from django.db import connection, transaction

    head = sql.lstrip("( \n").split(None, 1)[0].upper()
    if head not in ("SELECT", "WITH") or "FOR UPDATE" in sql.upper():
        return [f"(not explained: {head} statement)"]
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        rows = [r[0] for r in cur.fetchall()]
        transaction.set_rollback(True)
    return rows


def describe_slowest(entry: dict, slowest) -> None:
    """The page's slowest statement composed with its parameters and explained (``entry["slowest_sql"]``)."""
    from django.db import connection

    if not slowest:
        return
    try:
        entry["slowest_sql"]["sql"] = connection.ops.compose_sql(slowest[0], slowest[1])
        entry["slowest_sql"].pop("params", None)
    except Exception:  # noqa: BLE001 - keep the placeholders
        pass
    try:
        entry["slowest_sql"]["plan"] = explain(slowest[0], slowest[1])
    except Exception as exc:  # noqa: BLE001
        entry["slowest_sql"]["plan"] = [f"(EXPLAIN failed: {exc})"]


def url_or_none(name: str, **kwargs) -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def load_personas() -> dict:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT to_regclass('bench_meta')")
        if cur.fetchone()[0] is None:
            sys.exit("no bench_meta table: load the database with bench/province.py first")
        cur.execute("SELECT value FROM bench_meta WHERE key = 'personas'")
        value = cur.fetchone()[0]
    return value if isinstance(value, dict) else json.loads(value)


def page_plan(personas: dict, *, today: date) -> list[dict]:
    """The pages measured: name, persona, URL (None: the page does not exist yet), what it stands for."""
    from urllib.parse import urlencode

    from documents.models import DocumentType

    qd = DocumentType.objects.filter(abbreviation="QĐ").values_list("pk", flat=True).first()
    first_this_month = today.replace(day=1)
    last_month_end = first_this_month - timedelta(days=1)
    last_month_start = last_month_end.replace(day=1)
    search = url_or_none("documents:search")
    stats = url_or_none("documents:stats")
    queue = lambda q: url_or_none("documents:incoming_queue", queue=q)  # noqa: E731
    detail = url_or_none("documents:incoming_detail", pk=personas["detail_document"]["id"])
    registers = url_or_none("documents:registers")

    def with_query(url, params):
        return f"{url}?{urlencode(params)}" if url else None

    return [
        {
            "name": "officer_todo",
            "persona": "officer",
            "title": "Officer: “to process” queue (Cần xử lý)",
            "url": queue("todo"),
        },
        {
            "name": "head_todo",
            "persona": "head",
            "title": "Department head: “to process” queue",
            "url": queue("todo"),
        },
        {
            "name": "leader_direction",
            "persona": "leader",
            "title": "Leader: “awaiting direction” queue (Chờ chỉ đạo)",
            "url": queue("direction"),
        },
        {
            "name": "search_text",
            "persona": "officer",
            "title": "Search: “ke hoach dau tu” (no diacritics), officer",
            "url": with_query(search, {"q": "ke hoach dau tu"}),
        },
        {
            "name": "search_number",
            "persona": "clerk",
            "title": "Search: number/symbol prefix “123/QĐ”, clerk",
            "url": with_query(search, {"number": "123/QĐ"}),
        },
        {
            "name": "search_advanced",
            "persona": "leader",
            "title": "Search: type Quyết định + last 12 months + “chuyen doi so”, leader",
            "url": with_query(
                search,
                {
                    "kind": "incoming",
                    "doc_type": qd or "",
                    "q": "chuyen doi so",
                    "date_from": (today - timedelta(days=365)).isoformat(),
                    "date_to": today.isoformat(),
                },
            ),
        },
        {
            "name": "list_filter",
            "persona": "officer",
            "title": "Incoming list filtered by “ke hoach dau tu” (existing list filter), officer",
            "url": with_query(url_or_none("documents:incoming_list"), {"q": "ke hoach dau tu"}),
        },
        {
            "name": "detail",
            "persona": "officer",
            "title": "Document detail (officer's document in processing)",
            "url": detail,
        },
        {
            "name": "dashboard",
            "persona": "leader",
            "title": "Dashboard / (leader)",
            "url": url_or_none("dashboard"),
        },
        {"name": "stats", "persona": "leader", "title": "Statistics page (leader)", "url": stats},
        {
            "name": "register_pdf",
            "persona": "clerk",
            "pdf": True,
            "title": f"Incoming register PDF, {last_month_start:%m/%Y} (clerk)",
            "url": with_query(
                registers,
                {
                    "register": personas["incoming_register"],
                    "kind": "incoming",
                    "date_from": last_month_start.isoformat(),
                    "date_to": last_month_end.isoformat(),
                    "format": "pdf",
                },
            ),
        },
    ]


def measure_reminder_scan(*, reps: int = 10) -> dict:
    """The beat task's scan, all in one transaction rolled back at the end (the database is left as it was).

    First a catch-up pass at "now" (what the beat, running every few minutes, would already have marked
    since the data was loaded); then the steady state (nothing new: what almost every run of the beat
    does); then the scan with new work: "now" one day later, i.e. a whole day of newly due-soon, overdue
    and long-overdue parts at once (each run rolled back to a savepoint so that every run finds them).
    """
    from django.db import connection, transaction
    from django.utils import timezone

    from workflow import services

    def run(now) -> tuple[float, dict, int]:
        timer = SqlTimer()
        with connection.execute_wrapper(timer):
            started = time.perf_counter()
            result = services.reminders_scan(now=now, deliver=False)
            seconds = time.perf_counter() - started
        return seconds, result, len(timer.queries)

    def rolled_back(now):
        with transaction.atomic():
            out = run(now)
            transaction.set_rollback(True)
        return out

    now = timezone.now()
    # The close of the next working day (+5 min): a whole working day of thresholds crossed at once.
    day = timezone.localdate() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    tomorrow = datetime.combine(day, dtime(17, 5), tzinfo=timezone.get_current_timezone())
    with transaction.atomic():
        catch_up = run(now)
        steady = [run(now) for _ in range(reps)]
        rolled_back(tomorrow)
        first = [rolled_back(tomorrow) for _ in range(max(3, reps // 2))]
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM workflow_assignment WHERE status = 'open'")
            open_rows = cur.fetchone()[0]
        transaction.set_rollback(True)
    return {
        "open_assignments": open_rows,
        "catch_up": {"marked": catch_up[1]["marked"], "ms": round(catch_up[0] * 1000, 1)},
        "with_new_work": {
            "now": tomorrow.isoformat(timespec="seconds"),
            "marked": first[-1][1]["marked"],
            "p50_ms": round(percentile([f[0] for f in first], 50) * 1000, 1),
            "p95_ms": round(percentile([f[0] for f in first], 95) * 1000, 1),
            "queries": first[-1][2],
        },
        "steady_state": {
            "marked": steady[-1][1]["marked"],
            "p50_ms": round(percentile([s[0] for s in steady], 50) * 1000, 1),
            "p95_ms": round(percentile([s[0] for s in steady], 95) * 1000, 1),
            "queries": steady[-1][2],
        },
    }


def ensure_static() -> None:
    """Hashed static files (production storage) for the templates' ``{% static %}``."""
    from django.conf import settings
    from django.core.management import call_command

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if "Manifest" in settings.STORAGES["staticfiles"]["BACKEND"] and not manifest.exists():
        call_command("collectstatic", interactive=False, verbosity=0)


def scale_of_database() -> tuple[str, int]:
    from django.db import connection

    from bench.province import scale_label

    with connection.cursor() as cur:
        cur.execute(
            "SELECT (SELECT count(*) FROM documents_incomingdocument)"
            " + (SELECT count(*) FROM documents_outgoingdocument)"
        )
        n = cur.fetchone()[0]
    return scale_label(n), n


def run(*, reps: int, pdf_reps: int, only: set[str] | None, scale: str | None, log=print) -> dict:
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from bench.province import machine_info
    from eoffice.models import User

    load_before = [round(x, 2) for x in os.getloadavg()]
    personas = load_personas()
    label, n_docs = scale_of_database()
    scale = scale or label
    users = {key: User.objects.get(pk=personas[key]["id"]) for key in ("officer", "head", "leader", "clerk")}
    for key, user in users.items():
        if user.is_superuser:
            sys.exit(f"persona {key} ({user.username}) is a superuser: refusing")
    clients = {}
    for key, user in users.items():
        client = Client()
        client.force_login(user)
        clients[key] = client
    results: dict = {}
    for page in page_plan(personas, today=timezone.localdate()):
        if only and page["name"] not in only:
            continue
        entry = {"title": page["title"], "persona": page["persona"], "user": users[page["persona"]].username}
        if page["url"] is None:
            entry.update({"available": False, "note": "not available: the URL name does not resolve yet"})
            results[page["name"]] = entry
            log(f"{page['name']:18} not available")
            continue
        measured = measure(
            clients[page["persona"]],
            page["url"],
            reps=pdf_reps if page.get("pdf") else reps,
            expect="application/pdf" if page.get("pdf") else "text/html",
        )
        slowest = measured.pop("_slowest")
        entry.update({"available": True, **measured})
        describe_slowest(entry, slowest)
        results[page["name"]] = entry
        log(
            f"{page['name']:18} p50 {entry['p50_ms']:8.1f} ms  p95 {entry['p95_ms']:8.1f} ms  "
            f"{entry['queries']:3d} queries  {'ok' if entry['ok'] else 'FAILED ' + str(entry['statuses'])}"
        )
    scan = None
    if not only or "reminder_scan" in only:
        scan = measure_reminder_scan()
        log(
            f"reminder_scan      new work p50 {scan['with_new_work']['p50_ms']} ms "
            f"({scan['with_new_work']['marked']} marked), steady p50 {scan['steady_state']['p50_ms']} ms"
        )
    out = {
        "scale": scale,
        "documents": n_docs,
        "database": connection.settings_dict["NAME"],
        "personas": personas,
        "reps": reps,
        "pdf_reps": pdf_reps,
        "pages": results,
        "reminder_scan": scan,
        "machine": {**machine_info(), "load_average_before": load_before},
        "measured_at": timezone.now().isoformat(timespec="seconds"),
    }
    return out


def write_plans(result: dict) -> Path:
    scale = result["scale"]
    lines = [
        f"# Slowest SQL statement of each page, {scale} documents",
        "",
        f"Measured {result['measured_at']} on {result['database']}. For each page: the slowest statement of "
        "three timed requests (parameters filled in) and its `EXPLAIN (ANALYZE, BUFFERS)`, run right after "
        "(so with a warm cache).",
        "",
    ]
    for name, page in result["pages"].items():
        slowest = page.get("slowest_sql")
        if not slowest:
            continue
        lines += [
            f"## {name} — {slowest['ms']} ms ({page['queries']} queries, {page['sql_ms']} ms of SQL)",
            "",
            "```sql",
            slowest["sql"],
            "```",
            "",
            "```",
            *slowest.get("plan", []),
            "```",
            "",
        ]
    path = RESULTS / f"plans-{scale}.md"
    path.write_text("\n".join(lines))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=50)
    parser.add_argument("--pdf-reps", type=int, default=10)
    parser.add_argument("--only", default="", help="comma-separated page names (and/or reminder_scan)")
    parser.add_argument("--scale", default=None, help="label of the results (default: from the row count)")
    args = parser.parse_args()
    os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")  # nothing is queued for a worker
    import django

    django.setup()
    ensure_static()
    only = {s.strip() for s in args.only.split(",") if s.strip()} or None
    result = run(reps=args.reps, pdf_reps=args.pdf_reps, only=only, scale=args.scale)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"pages-{result['scale']}.json"
    if only and path.exists():  # a partial run updates the pages it measured
        previous = json.loads(path.read_text())
        previous["pages"].update(result["pages"])
        if result["reminder_scan"]:
            previous["reminder_scan"] = result["reminder_scan"]
        previous["measured_at"] = result["measured_at"]
        result = previous
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    plans_path = write_plans(result)
    from bench.report import write_markdown

    md = write_markdown()
    print(f"written {path.relative_to(ROOT)}, {plans_path.relative_to(ROOT)}, {md.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
