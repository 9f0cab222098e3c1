"""The cost of the access log (issue 19 §3: every view and download logged, fast at province scale).

    createdb -h 127.0.0.1 -U postgres eo_h6_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/eo_h6_bench REDIS_URL=redis://127.0.0.1:6379/6 \
        .venv/bin/python bench/province.py --docs 10000        # the 300 agencies and 20,000 staff
    DATABASE_URL=... REDIS_URL=... .venv/bin/python bench/audit_cost.py [--events 10000000] [--reps 30]

The people come from the province generator (their number does not depend on ``--docs``). The access
events are generated straight into ``eoffice_accessevent`` with ``generate_series`` (not through the
generator's 1M documents, which take 7 minutes and 6.7 GB to load): over the past 365 days in time order
(as the log grows), each by a random member of staff (so a big agency has many), on a random record id
among 1,000,000 (the 1M-document province), kinds and actions in plausible shares (70 % views).

Measured, first with ``--small`` events (100,000) and then with ``--events`` (10,000,000) in the table:

1. ``record_access``: the µs of one call (one INSERT), autocommit as in a request (its own commit), and
   inside a transaction (the commit shared with the request's other writes); p50 / p95 of ``--calls``.
2. The roll-up: every past day summed into ``AccessDaily``; seconds per day of events.
3. The statistics page (``audit:stats``) through Django's whole stack for the leader of the agency with the
   most events: the last 30 days and the last 365 days, p50 / p95 of ``--reps`` requests, and its queries.

Results: ``bench/results/audit-1m.json`` and ``bench/results/audit-1m.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

RESULTS = ROOT / "bench" / "results"
DOCUMENTS = 1_000_000
KINDS = (
    "array['incoming','incoming','incoming','incoming','outgoing','outgoing','dossier','meeting','complaint',"
    "'casefile']"
)
ACTIONS = "array['view','view','view','view','view','view','view','download','download','print']"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def sql(statement: str, params=None):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else cursor.rowcount


def reset_events() -> None:
    sql(
        "TRUNCATE eoffice_accessevent, eoffice_accessdaily, eoffice_accessmonthly, "
        "eoffice_accessmonthlyrecord, eoffice_loginevent"
    )


def generate_events(total: int, *, chunk: int = 2_500_000) -> float:
    """``total`` events over the past 365 days in time order (appended as a live log would be)."""
    sql("DROP TABLE IF EXISTS bench_people")
    sql(
        "CREATE UNLOGGED TABLE bench_people AS SELECT row_number() OVER (ORDER BY id) AS rn, id, agency_id "
        "FROM eoffice_user WHERE agency_id IS NOT NULL AND is_active"
    )
    sql("CREATE UNIQUE INDEX ON bench_people (rn)")
    people = sql("SELECT count(*) FROM bench_people")[0][0]
    now = dt.datetime.now(dt.UTC)
    start = now - dt.timedelta(days=365)
    started = time.perf_counter()
    indexes = drop_indexes() if total > 1_000_000 else []
    done = 0
    while done < total:
        n = min(chunk, total - done)
        sql(
            f"""INSERT INTO eoffice_accessevent (at, user_id, agency_id, kind, object_id, action)
            SELECT %(start)s + (g::float8 / %(total)s) * interval '365 days', p.id, p.agency_id,
                   ({KINDS})[1 + floor(random() * 10)::int], 1 + floor(random() * {DOCUMENTS})::bigint,
                   ({ACTIONS})[1 + floor(random() * 10)::int]
              FROM (SELECT g, 1 + floor(random() * %(people)s)::int AS r
                      FROM generate_series(%(first)s, %(last)s) AS g) s
              JOIN bench_people p ON p.rn = s.r
             ORDER BY g""",
            {"start": start, "total": total, "people": people, "first": done, "last": done + n - 1},
        )
        done += n
        print(f"  {done:,} events", flush=True)
    # sign-ins: about one per person per working day, 3 % failed
    sql(
        """INSERT INTO eoffice_loginevent (at, user_id, agency_id, username, success)
        SELECT %(start)s + (g::float8 / 200000) * interval '365 days', p.id, p.agency_id, 'u' || p.id,
               random() > 0.03
          FROM (SELECT g, 1 + floor(random() * %(people)s)::int AS r FROM generate_series(1, 200000) g) s
          JOIN bench_people p ON p.rn = s.r ORDER BY g""",
        {"start": start, "people": people},
    )
    restore_indexes(indexes)
    sql("VACUUM ANALYZE eoffice_accessevent")
    sql("VACUUM ANALYZE eoffice_loginevent")
    return time.perf_counter() - started


def drop_indexes() -> list:
    """The event table's secondary indexes, dropped for a big load (re-built after it, as the model
    declares them: the same definitions as the migration's)."""
    from django.db import connection

    from eoffice.models import AccessEvent

    indexes = list(AccessEvent._meta.indexes)
    with connection.schema_editor() as editor:
        for index in indexes:
            editor.remove_index(AccessEvent, index)
    return indexes


def restore_indexes(indexes: list) -> None:
    from django.db import connection

    from eoffice.models import AccessEvent

    started = time.perf_counter()
    with connection.schema_editor() as editor:
        for index in indexes:
            editor.add_index(AccessEvent, index)
    if indexes:
        print(f"  indexes re-built in {time.perf_counter() - started:.0f} s", flush=True)


def time_record_access(calls: int) -> dict:
    from django.db import transaction

    from eoffice.audit import record_access
    from eoffice.models import User

    user = User.objects.filter(agency__isnull=False, is_active=True).order_by("pk").first()
    out = {}
    base = []
    for _ in range(calls):
        t = time.perf_counter()
        sql("SELECT 1")
        base.append((time.perf_counter() - t) * 1e6)
    out["select_1"] = {"p50_us": round(percentile(base, 50), 1), "p95_us": round(percentile(base, 95), 1)}
    for label, atomic in (("autocommit", False), ("in_transaction", True)):
        times = []
        for i in range(calls):
            if atomic:
                with transaction.atomic():
                    sql("SELECT 1")  # the request's own work in the same transaction
                    t = time.perf_counter()
                    record_access(user=user, kind="incoming", object_id=1 + i, action="view")
                    times.append((time.perf_counter() - t) * 1e6)
            else:
                t = time.perf_counter()
                record_access(user=user, kind="incoming", object_id=1 + i, action="view")
                times.append((time.perf_counter() - t) * 1e6)
        out[label] = {"p50_us": round(percentile(times, 50), 1), "p95_us": round(percentile(times, 95), 1)}
    # remove the rows added (they are today's: they would count in the statistics)
    sql("DELETE FROM eoffice_accessevent WHERE user_id = %s AND at > now() - interval '1 hour'", [user.pk])
    return out


def time_rollup() -> dict:
    from eoffice import audit

    started = time.perf_counter()
    result = audit.access_rollup()
    seconds = time.perf_counter() - started
    days = result["days"] or 1
    rows = sql("SELECT count(*) FROM eoffice_accessdaily")[0][0]
    return {
        "days": result["days"],
        "seconds": round(seconds, 2),
        "ms_per_day": round(seconds * 1000 / days, 1),
        "daily_rows": rows,
    }


def persona():
    from eoffice.models import Role, User

    agency_id = sql(
        "SELECT agency_id FROM eoffice_accessevent WHERE at > now() - interval '30 days' "
        "GROUP BY agency_id ORDER BY count(*) DESC LIMIT 1"
    )[0][0]
    for user in User.objects.filter(agency_id=agency_id, is_active=True).select_related("agency"):
        if user.has_role(Role.LEADER):
            return user
    raise SystemExit("no leader in the busiest agency")


def time_page(user, reps: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    client = Client()
    client.force_login(user)
    today = timezone.localdate()
    out = {"agency": user.agency.name}
    for label, days in (("30_days", 29), ("365_days", 364)):
        params = {"date_from": (today - dt.timedelta(days=days)).isoformat(), "date_to": today.isoformat()}
        for _ in range(3):
            assert client.get(reverse("audit:stats"), params).status_code == 200
        times = []
        for _ in range(reps):
            t = time.perf_counter()
            response = client.get(reverse("audit:stats"), params)
            times.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("audit:stats"), params)
        out[label] = {
            "p50_ms": round(percentile(times, 50), 1),
            "p95_ms": round(percentile(times, 95), 1),
            "mean_ms": round(statistics.mean(times), 1),
            "queries": len(queries),
        }
    return out


def time_detail_pages(user, reps: int) -> dict:
    """A document's page with its access logged (one INSERT in the request) and the same page with the
    INSERT skipped (``AccessEvent.save`` made a no-op in this process): what logging every view costs, on
    the real 1M-document province with the event table at its full size."""
    from unittest import mock

    from django.test import Client

    from documents.incoming import selectors as incoming_selectors
    from documents.outgoing.models import OutgoingDocument
    from eoffice.models import AccessEvent

    client = Client()
    client.force_login(user)
    pages = {}
    incoming = incoming_selectors.visible_incoming(user).order_by("-received_at").first()
    if incoming is not None:
        pages["incoming"] = incoming.get_absolute_url()
    outgoing = OutgoingDocument.visible_to(user).order_by("-created_at").first()
    if outgoing is not None:
        pages["outgoing"] = outgoing.get_absolute_url()
    out = {}
    for label, url in pages.items():
        for _ in range(3):
            assert client.get(url).status_code == 200
        runs = {}
        # interleaved so that the machine's load falls on both alike
        for _ in range(reps):
            for mode in ("logged", "not_logged"):
                patch = mock.patch.object(AccessEvent, "save", lambda self, *a, **k: None)
                if mode == "not_logged":
                    patch.start()
                try:
                    t = time.perf_counter()
                    assert client.get(url).status_code == 200
                    runs.setdefault(mode, []).append((time.perf_counter() - t) * 1000)
                finally:
                    if mode == "not_logged":
                        patch.stop()
        out[label] = {
            mode: {"p50_ms": round(percentile(v, 50), 1), "p95_ms": round(percentile(v, 95), 1)}
            for mode, v in runs.items()
        }
    return out


def scenario(events: int, *, calls: int, reps: int) -> dict:
    print(f"scenario: {events:,} events", flush=True)
    reset_events()
    load = generate_events(events)
    size = sql("SELECT pg_total_relation_size('eoffice_accessevent')")[0][0]
    result = {"events": events, "load_s": round(load, 1), "table_mb": round(size / 2**20)}
    result["record_access"] = time_record_access(calls)
    result["rollup"] = time_rollup()
    today_rows = sql("SELECT count(*) FROM eoffice_accessevent WHERE at >= date_trunc('day', now())")[0][0]
    result["today_rows"] = today_rows
    result["page"] = time_page(persona(), reps)
    result["detail_pages"] = time_detail_pages(persona(), reps)
    # the same page if the roll-up had never run (every count read from the events)
    sql("TRUNCATE eoffice_accessdaily, eoffice_accessmonthly, eoffice_accessmonthlyrecord")
    result["page_without_rollup"] = time_page(persona(), max(3, reps // 5))
    print(json.dumps(result, indent=1), flush=True)
    return result


def markdown(small: dict, big: dict, meta: dict) -> str:
    def ratio(a, b):
        return f"{b / a:.2f}×" if a else "—"

    lines = [
        "# Cost of the access log (issue 19 §3)",
        "",
        f"Run {meta['when']} on this machine ({meta['postgres']}, {meta.get('cpus')} CPUs, load average "
        f"{meta.get('load_average')} at the end: other work shared the machine). People: the province "
        "generator's "
        f"{meta['people']:,} staff of {meta['agencies']} agencies. Events generated directly with "
        "`generate_series` "
        f"on record ids among {DOCUMENTS:,} (the 1M-document province), over the past 365 days in time "
        "order. "
        "Script: `bench/audit_cost.py`.",
        "",
        "| | 100k events | 10M events | ratio |",
        "|---|--:|--:|--:|",
    ]
    rows = [
        ("events table (MB, with its indexes)", small["table_mb"], big["table_mb"]),
        *(
            [
                (
                    "baseline: a `SELECT 1` round trip p50 (µs)",
                    *[s["record_access"]["select_1"]["p50_us"] for s in (small, big)],
                )
            ]
            if "select_1" in small["record_access"]
            else []
        ),
        (
            "record_access, autocommit p50 (µs)",
            *[s["record_access"]["autocommit"]["p50_us"] for s in (small, big)],
        ),
        (
            "record_access, autocommit p95 (µs)",
            *[s["record_access"]["autocommit"]["p95_us"] for s in (small, big)],
        ),
        (
            "record_access, in a transaction p50 (µs)",
            *[s["record_access"]["in_transaction"]["p50_us"] for s in (small, big)],
        ),
        (
            "record_access, in a transaction p95 (µs)",
            *[s["record_access"]["in_transaction"]["p95_us"] for s in (small, big)],
        ),
        ("roll-up, ms per day of events", small["rollup"]["ms_per_day"], big["rollup"]["ms_per_day"]),
        ("roll-up, whole year (s)", small["rollup"]["seconds"], big["rollup"]["seconds"]),
        ("events of today (read live)", small["today_rows"], big["today_rows"]),
        (
            "stats page, 30 days, p50 (ms)",
            small["page"]["30_days"]["p50_ms"],
            big["page"]["30_days"]["p50_ms"],
        ),
        (
            "stats page, 30 days, p95 (ms)",
            small["page"]["30_days"]["p95_ms"],
            big["page"]["30_days"]["p95_ms"],
        ),
        (
            "stats page, 365 days, p50 (ms)",
            small["page"]["365_days"]["p50_ms"],
            big["page"]["365_days"]["p50_ms"],
        ),
        (
            "stats page, 365 days, p95 (ms)",
            small["page"]["365_days"]["p95_ms"],
            big["page"]["365_days"]["p95_ms"],
        ),
        ("stats page queries", small["page"]["30_days"]["queries"], big["page"]["30_days"]["queries"]),
        *[
            (
                f"{kind} document page, {mode.replace('_', ' ')}, p50 (ms)",
                small["detail_pages"][kind][mode]["p50_ms"],
                big["detail_pages"][kind][mode]["p50_ms"],
            )
            for kind in big.get("detail_pages", {})
            for mode in ("logged", "not_logged")
            if kind in small.get("detail_pages", {})
        ],
        (
            "without the roll-up: 30 days p50 (ms)",
            small["page_without_rollup"]["30_days"]["p50_ms"],
            big["page_without_rollup"]["30_days"]["p50_ms"],
        ),
        (
            "without the roll-up: 365 days p50 (ms)",
            small["page_without_rollup"]["365_days"]["p50_ms"],
            big["page_without_rollup"]["365_days"]["p50_ms"],
        ),
    ]
    for label, a, b in rows:
        lines.append(f"| {label} | {a} | {b} | {ratio(a, b)} |")
    lines += [
        "",
        f"Stats page persona: a leader of {big['page']['agency']} (the agency with the most events), through "
        "Django's whole stack (test Client, `bench.settings`).",
        "",
        "Reading: `record_access` is one INSERT whatever the table's size (the BRIN index on the time and "
        "the "
        "two B-tree indexes take appends); in a request it shares the request's commit when the request "
        "writes, otherwise it pays its own commit. The statistics read `AccessDaily` for past days and only "
        "today's events live, so the page follows the agency's daily sums, not the log's size; the last rows "
        "show the same page with no roll-up at all (every count read from the events by the BRIN index), "
        "which is what the nightly roll-up saves.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--small", type=int, default=100_000)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--small-json", help="the small scenario's results from an earlier run (JSON file)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import override_settings

    # plain static files: no collectstatic into the shared var/bench/static for a page of tables
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    override_settings(STORAGES={**settings.STORAGES, "staticfiles": static}).enable()
    people = sql("SELECT count(*) FROM eoffice_user WHERE agency_id IS NOT NULL")[0][0]
    if people < 1000:
        raise SystemExit("generate the province first (bench/province.py --docs 10000)")
    if args.small_json:
        small = json.loads(Path(args.small_json).read_text())
    else:
        small = scenario(args.small, calls=args.calls, reps=args.reps)
        (RESULTS / "audit-small.json").write_text(json.dumps(small, indent=1))
    big = scenario(args.events, calls=args.calls, reps=args.reps)
    meta = {
        "when": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "postgres": "PostgreSQL " + sql("SHOW server_version")[0][0].split()[0],
        "people": people,
        "agencies": sql("SELECT count(*) FROM eoffice_agency")[0][0],
        "load_average": [round(v, 1) for v in os.getloadavg()],
        "cpus": os.cpu_count(),
        "documents": sql(
            "SELECT (SELECT count(*) FROM documents_incomingdocument) "
            "+ (SELECT count(*) FROM documents_outgoingdocument)"
        )[0][0],
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "audit-1m.json").write_text(json.dumps({"meta": meta, "small": small, "big": big}, indent=1))
    (RESULTS / "audit-1m.md").write_text(markdown(small, big, meta))
    print((RESULTS / "audit-1m.md").read_text())


if __name__ == "__main__":
    main()
