"""Benchmark of the reminder scan over a million open assignments.

    psql -h 127.0.0.1 -U postgres -c 'create database eo_bench'
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/eo_bench REDIS_URL=redis://127.0.0.1:6379/7 \
        .venv/bin/python bench/reminder_scan.py [--rows 1000000] [--due 1000]

Seeds (with generate_series, in the database given — use a separate one) N open assignments whose
deadlines are spread over the next 60 days, plus ``--due`` that are newly due soon / overdue and 5 % that
were already reminded; then runs the scan twice (first with new work, then steady state), delivers the
reminders of the first run, and writes bench/results/reminder_scan.json and .md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eoffice.settings")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

SEED_SQL = """
TRUNCATE workflow_remindermark, workflow_assignment RESTART IDENTITY CASCADE;
INSERT INTO workflow_assignment (
    content_type_id, object_id, agency_id, role, department_id, assignee_id, assigned_by_id, instruction,
    status, progress, progress_note, assigned_at, due_at, due_soon_at, escalate_at, paused_seconds,
    extension_count, reminder_level, superseded)
SELECT %(ct)s, g, %(agency)s, CASE WHEN g %% 3 = 0 THEN 'coordinate' ELSE 'lead' END, %(dept)s,
       %(first_user)s + (g %% %(users)s), %(first_user)s, '', 'open', 0, '', %(now)s - interval '1 day',
       d.due, d.due - interval '1 day', d.due + interval '3 days', 0, 0,
       CASE WHEN g <= %(reminded)s THEN 2 ELSE 0 END, false
FROM generate_series(1, %(rows)s) AS g,
LATERAL (SELECT CASE
    WHEN g <= %(reminded)s THEN %(now)s - interval '2 hours'                       -- already reminded overdue
    WHEN g <= %(reminded)s + %(due)s / 2 THEN %(now)s - interval '30 minutes'      -- newly overdue
    WHEN g <= %(reminded)s + %(due)s THEN %(now)s + interval '3 hours'             -- newly due soon
    ELSE %(now)s + interval '2 days' + (g %% 86400) * interval '1 minute'          -- on time, 2–62 days
  END AS due) AS d;
ANALYZE workflow_assignment;
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=1_000)
    args = parser.parse_args()
    db = connection.settings_dict["NAME"]
    if db in {"eoffice", "eo_wf"} or db.startswith("test_"):
        sys.exit(f"refusing to seed the working database {db!r}: use a separate one (e.g. eo_bench)")
    call_command("migrate", verbosity=0, skip_checks=True)

    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType

    from eoffice.models import Agency, Department, User
    from workflow import services
    from workflow.models import Assignment, ReminderMark, WorkItem

    agency, _ = Agency.objects.get_or_create(
        code="000.00.99.B01",
        defaults={"name": "Cơ quan đo hiệu năng", "abbreviation": "BENCH", "place_name": "Hà Nội"},
    )
    dept, _ = Department.objects.get_or_create(
        agency=agency, abbreviation="BENCH", defaults={"name": "Phòng đo"}
    )
    users = 1000
    existing = User.objects.filter(agency=agency).count()
    User.objects.bulk_create(
        [
            User(username=f"bench{n}", full_name=f"Cán bộ {n}", agency=agency, department=dept, email="")
            for n in range(existing, users)
        ]
    )
    first_user = User.objects.filter(agency=agency).order_by("pk").values_list("pk", flat=True).first()
    ct = ContentType.objects.get_for_model(WorkItem)
    reminded = args.rows // 20
    # Real work items for the newly due rows, so delivery renders real titles and links.
    WorkItem.objects.filter(agency=agency).delete()
    now = timezone.now()
    started = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(
            SEED_SQL,
            {
                "ct": ct.pk,
                "agency": agency.pk,
                "dept": dept.pk,
                "first_user": first_user,
                "users": users,
                "now": now,
                "rows": args.rows,
                "due": args.due,
                "reminded": reminded,
            },
        )
        cur.execute(
            "INSERT INTO workflow_workitem (id, state, agency_id, department_id, title, description,"
            " priority, created_by_id, due_at, progress, created_at, updated_at) "
            "SELECT g, 'processing', %s, %s, 'Việc đo hiệu năng ' || g, '', 2, %s, %s, 0, %s, %s "
            "FROM generate_series(%s, %s) g ON CONFLICT (id) DO NOTHING",
            [agency.pk, dept.pk, first_user, now, now, now, reminded + 1, reminded + args.due],
        )
        cur.execute("SELECT setval(pg_get_serial_sequence('workflow_workitem', 'id'), %s)", [args.rows + 1])
    seed_seconds = time.perf_counter() - started
    open_rows = Assignment.objects.filter(status="open").count()

    timings = {}
    started = time.perf_counter()
    first = services.reminders_scan(now=now, deliver=False)
    timings["scan_with_new_work_s"] = time.perf_counter() - started
    started = time.perf_counter()
    steady = services.reminders_scan(now=now, deliver=False)
    timings["scan_steady_state_s"] = time.perf_counter() - started
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        services.reminders_scan(now=now, deliver=False)
        runs.append(time.perf_counter() - started)
    timings["scan_steady_state_median_of_5_s"] = sorted(runs)[2]
    mark_ids = list(ReminderMark.objects.filter(delivered_at__isnull=True).values_list("pk", flat=True))
    started = time.perf_counter()
    delivered = 0
    for i in range(0, len(mark_ids), 500):
        delivered += services.reminders_deliver(mark_ids=mark_ids[i : i + 500])
    timings["deliver_s"] = time.perf_counter() - started
    with connection.cursor() as cur:
        cur.execute(
            "EXPLAIN (ANALYZE, BUFFERS) SELECT id FROM workflow_assignment WHERE status = 'open' AND "
            "paused_at IS NULL AND reminder_level < 2 AND due_at <= %s ORDER BY due_at LIMIT 500 "
            "FOR UPDATE SKIP LOCKED",
            [now],
        )
        plan = [row[0] for row in cur.fetchall()]
        cur.execute("SELECT version()")
        pg_version = cur.fetchone()[0]

    result = {
        "open_assignments": open_rows,
        "already_reminded": reminded,
        "newly_due": args.due,
        "first_scan": {**first, "seconds": round(timings["scan_with_new_work_s"], 4)},
        "steady_scan": {**steady, "seconds": round(timings["scan_steady_state_s"], 4)},
        "steady_scan_median_of_5_seconds": round(timings["scan_steady_state_median_of_5_s"], 4),
        "delivery": {"reminders": delivered, "seconds": round(timings["deliver_s"], 3)},
        "seed_seconds": round(seed_seconds, 1),
        "batch": settings.WORKFLOW_REMINDER_BATCH,
        "plan_overdue_query": plan,
        "postgres": pg_version,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "measured_at": timezone.now().isoformat(timespec="seconds"),
    }
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "reminder_scan.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    md = [
        "# Reminder scan benchmark",
        "",
        f"- Open assignments: **{open_rows:,}** ({reminded:,} already reminded, {args.due:,} newly due)",
        f"- First scan (marks the newly due): **{timings['scan_with_new_work_s'] * 1000:.1f} ms**, "
        f"{first['marked']} reminders marked",
        f"- Steady-state scan (nothing new): **{timings['scan_steady_state_median_of_5_s'] * 1000:.1f} ms** "
        "(median of 5)",
        f"- Delivery of {delivered} reminders (in-app notifications): {timings['deliver_s']:.2f} s "
        "(done by a separate task per batch)",
        f"- Seeding with generate_series: {seed_seconds:.1f} s",
        f"- {pg_version.split(',')[0]}, Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"{result['measured_at']}",
        "",
        "Plan of the overdue query:",
        "",
        "```",
        *plan,
        "```",
        "",
    ]
    (out / "reminder_scan.md").write_text("\n".join(md))
    print(
        json.dumps(
            {k: v for k, v in result.items() if k != "plan_overdue_query"}, ensure_ascii=False, indent=2
        )
    )


if __name__ == "__main__":
    main()
