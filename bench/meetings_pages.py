"""Page benchmark of the meetings module on a province database made by ``bench/province.py`` (whose
generator adds a year of schedules through ``bench/meetings_data.py``).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/eo_bench_10k REDIS_URL=redis://127.0.0.1:6379/13 \
        .venv/bin/python bench/meetings_pages.py [--reps 50]

The same method as ``bench/pages.py`` (its ``measure``: Django's whole stack through the test ``Client``
logged in with ``force_login``, 3 warm-ups, ``--reps`` timed requests, p50/p95, then 3 requests with every
SQL statement timed and the slowest one explained), on these pages:

- ``week``: the weekly schedule (``meetings:week``, this week) of the agency with the most meetings this
  week, seen by an ordinary officer of that agency;
- ``my_week``: that officer's own week (``meetings:my_week``): the officer of the agency who takes part
  in the most meetings this week;
- ``my_week_leader``: the agency head's own week (the busiest person: most meetings are chaired by leaders);
- ``approvals``: the approvals queue (``meetings:approvals``) of the agency's schedule manager (a clerk of
  the managing unit, not a superuser);
- ``rooms``: the room occupancy page (``meetings:rooms``), officer;
- ``bare``: ``/bench/bare/`` (a view returning "ok"): the floor of the stack, so each page is also given
  as a ratio to it.

Results: ``results/meetings-<scale>.json`` and ``.md`` (the plan of each page's slowest statement in the
Markdown). A page whose URL name does not resolve is recorded as not available.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime, time, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

RESULTS = ROOT / "bench" / "results"
TARGET_MS = 100.0

PAGES = [
    ("week", "officer", "meetings:week", "Weekly schedule of the agency with the most meetings, officer"),
    ("my_week", "officer", "meetings:my_week", "“My week” of the officer with the most meetings"),
    ("my_week_leader", "leader", "meetings:my_week", "“My week” of the agency's head (Chủ tịch, Giám đốc)"),
    ("approvals", "manager", "meetings:approvals", "Approvals queue (Chờ duyệt), schedule manager"),
    ("rooms", "officer", "meetings:rooms", "Room occupancy, officer"),
    ("bare", "officer", "bench_bare", "Bare view /bench/bare/ (the stack's floor)"),
]


def choose_personas() -> dict:
    """The agency with the most meetings this week, its busiest ordinary officer, its schedule manager."""
    from django.db.models import Count, Q
    from django.utils import timezone

    from eoffice.models import Agency, Role, User
    from meetings import rules
    from meetings.models import Meeting, Participant

    today = timezone.localdate()
    monday = rules.week_start(today)
    tz = timezone.get_current_timezone()
    start = datetime.combine(monday, time(0), tz)
    end = start + timedelta(days=7)
    week = Q(start_at__gte=start, start_at__lt=end)
    top = (
        Meeting.objects.filter(week)
        .values("agency_id")
        .annotate(n=Count("id"))
        .order_by("-n", "agency_id")
        .first()
    )
    if top is None:
        sys.exit("no meetings this week: load the database with bench/province.py first")
    agency_id = top["agency_id"]
    busiest = (
        Participant.objects.filter(
            meeting__agency_id=agency_id,
            meeting__start_at__gte=start,
            meeting__start_at__lt=end,
            user__groups__agency_role__role=Role.OFFICER,
        )
        .values("user_id")
        .annotate(n=Count("id"))
        .order_by("-n", "user_id")
    )
    officer = None
    for row in busiest[:20]:
        user = User.objects.get(pk=row["user_id"])
        if not rules.is_manager(user, agency_id):
            officer, officer_meetings = user, row["n"]
            break
    if officer is None:
        sys.exit("no ordinary officer takes part in this week's meetings")
    office = rules.manager_department_id(agency_id)
    manager = (
        User.objects.filter(
            agency_id=agency_id, department_id=office, groups__agency_role__role=Role.CLERK, is_active=True
        )
        .order_by("pk")
        .first()
    )
    if manager is None or not rules.is_manager(manager, agency_id):
        sys.exit("the agency has no clerk in its managing unit")
    leader = rules.agency_head(agency_id)
    if leader is None:
        sys.exit("the agency has no head leader")
    leader_meetings = (
        Meeting.objects.filter(week, state__in=("approved", "submitted"))
        .filter(rules.involved_q(leader))
        .count()
    )
    for user in (officer, manager, leader):
        if user.is_superuser:
            sys.exit(f"persona {user.username} is a superuser: refusing")
    pending = Meeting.objects.filter(
        agency_id=agency_id, state="submitted", end_at__gt=timezone.now()
    ).count()
    return {
        "week_start": monday.isoformat(),
        "agency": {
            "id": agency_id,
            "name": Agency.objects.get(pk=agency_id).name,
            "meetings_this_week": top["n"],
            "pending_open": pending,
        },
        "officer": {"id": officer.pk, "username": officer.username, "meetings_this_week": officer_meetings},
        "manager": {"id": manager.pk, "username": manager.username},
        "leader": {"id": leader.pk, "username": leader.username, "meetings_this_week": leader_meetings},
    }


def run(*, reps: int, log=print) -> dict:
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from bench.pages import explain, measure, scale_of_database, url_or_none
    from bench.province import machine_info
    from eoffice.models import User

    load_before = [round(x, 2) for x in os.getloadavg()]
    personas = choose_personas()
    label, n_docs = scale_of_database()
    clients = {}
    for key in ("officer", "manager", "leader"):
        client = Client()
        client.force_login(User.objects.get(pk=personas[key]["id"]))
        clients[key] = client
    with connection.cursor() as cur:
        counts = {}
        for table in ("meetings_meeting", "meetings_participant", "meetings_room"):
            cur.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - fixed names
            counts[table] = cur.fetchone()[0]
    results: dict = {}
    for name, persona, url_name, title in PAGES:
        url = url_or_none(url_name)
        entry = {
            "title": title,
            "persona": persona,
            "user": personas[persona]["username"],
            "url_name": url_name,
        }
        if url is None:
            entry.update({"available": False, "note": "not available: the URL name does not resolve"})
            results[name] = entry
            log(f"{name:10} not available")
            continue
        measured = measure(
            clients[persona], url, reps=reps, expect="text/plain" if name == "bare" else "text/html"
        )
        slowest = measured.pop("_slowest")
        entry.update({"available": True, **measured})
        if slowest:
            try:
                entry["slowest_sql"]["sql"] = connection.ops.compose_sql(slowest[0], slowest[1])
                entry["slowest_sql"].pop("params", None)
            except Exception:  # noqa: BLE001 - keep the placeholders
                pass
            try:
                entry["slowest_sql"]["plan"] = explain(slowest[0], slowest[1])
            except Exception as exc:  # noqa: BLE001
                entry["slowest_sql"]["plan"] = [f"(EXPLAIN failed: {exc})"]
        results[name] = entry
        log(
            f"{name:10} p50 {entry['p50_ms']:7.1f} ms  p95 {entry['p95_ms']:7.1f} ms  "
            f"{entry['queries']:3d} queries  {'ok' if entry['ok'] else 'FAILED ' + str(entry['statuses'])}"
        )
    bare = results.get("bare", {})
    for name, entry in results.items():
        if name != "bare" and entry.get("available") and bare.get("p50_ms"):
            entry["ratio_p50_to_bare"] = round(entry["p50_ms"] / bare["p50_ms"], 1)
            entry["ratio_p95_to_bare"] = round(entry["p95_ms"] / bare["p95_ms"], 1)
    return {
        "scale": label,
        "documents": n_docs,
        "database": connection.settings_dict["NAME"],
        "rows": counts,
        "personas": personas,
        "reps": reps,
        "target_p95_ms": TARGET_MS,
        "pages": results,
        "machine": {
            **machine_info(),
            "load_average_before": load_before,
            "nice": os.nice(0),
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
        },
        "measured_at": timezone.now().isoformat(timespec="seconds"),
    }


def write_markdown(result: dict) -> Path:
    p = result["personas"]
    m = result["machine"]
    lines = [
        f"# Meetings pages, province at {result['scale']} documents",
        "",
        f"Measured {result['measured_at']} on `{result['database']}` by `bench/meetings_pages.py` "
        f"({result['reps']} timed requests per page after 3 warm-ups, Django test client, `bench.settings`). "
        f"Rows: {result['rows']['meetings_meeting']:,} meetings, {result['rows']['meetings_participant']:,} "
        f"participants, {result['rows']['meetings_room']:,} rooms (a year of schedules of 300 agencies; the "
        "same at every document scale).",
        "",
        f"Week of {p['week_start']}: {p['agency']['name']} "
        f"({p['agency']['meetings_this_week']} meetings this "
        f"week, {p['agency']['pending_open']} awaiting approval), officer `{p['officer']['username']}` "
        f"({p['officer']['meetings_this_week']} meetings this week), head `{p['leader']['username']}` "
        f"({p['leader']['meetings_this_week']}), manager `{p['manager']['username']}`. "
        f"Load average before {m.get('load_average_before')}, after {m.get('load_average_after')} "
        f"(2 shared cores; this process at nice {m.get('nice', 0)}).",
        "",
        f"Target: p95 < {result['target_p95_ms']:.0f} ms.",
        "",
        "| Page | p50 ms | p95 ms | × bare (p50) | queries | SQL ms | slowest SQL ms | status |",
        "|---|--:|--:|--:|--:|--:|--:|---|",
    ]
    for name, page in result["pages"].items():
        if not page.get("available"):
            lines.append(f"| {name}: {page['title']} | – | – | – | – | – | – | not available |")
            continue
        slowest = page.get("slowest_sql") or {}
        verdict = "ok" if page["ok"] else f"FAILED {page['statuses']}"
        if name != "bare" and page["ok"]:
            verdict = "within target" if page["p95_ms"] < result["target_p95_ms"] else "OVER TARGET"
        lines.append(
            f"| {name}: {page['title']} | {page['p50_ms']} | {page['p95_ms']} | "
            f"{page.get('ratio_p50_to_bare', '–')} | {page['queries']} | {page['sql_ms']} | "
            f"{slowest.get('ms', '–')} | {verdict} |"
        )
    lines += ["", "## Slowest statement of each page", ""]
    for name, page in result["pages"].items():
        slowest = page.get("slowest_sql")
        if not slowest or name == "bare":
            continue
        lines += [
            f"### {name} — {slowest['ms']} ms ({page['queries']} queries, {page['sql_ms']} ms of SQL)",
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
    path = RESULTS / f"meetings-{result['scale']}.md"
    path.write_text("\n".join(lines))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=50)
    args = parser.parse_args()
    if args.reps < 30:
        sys.exit("--reps: at least 30 requests per page")
    os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")
    import django

    django.setup()
    from django.core.management import call_command

    # Always: the meetings templates bring new static files (a stale manifest would fail the pages).
    call_command("collectstatic", interactive=False, verbosity=0)
    result = run(reps=args.reps)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"meetings-{result['scale']}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    md = write_markdown(result)
    print(f"written {path.relative_to(ROOT)}, {md.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
