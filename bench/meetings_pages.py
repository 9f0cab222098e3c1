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

# (name, persona, URL name, query string, title)
PAGES = [
    ("week", "officer", "meetings:week", "", "Weekly schedule of the agency with the most meetings, officer"),
    ("my_week", "officer", "meetings:my_week", "", "“My week” of the officer with the most meetings"),
    (
        "my_week_leader",
        "leader",
        "meetings:my_week",
        "",
        "“My week” of the agency's head (Chủ tịch, Giám đốc)",
    ),
    ("approvals", "manager", "meetings:approvals", "", "Approvals queue (Chờ duyệt), schedule manager"),
    ("rooms", "officer", "meetings:rooms", "", "Room occupancy, officer"),
    ("bare", "officer", "bench_bare", "", "Bare view /bench/bare/ (the stack's floor)"),
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
    from django.test import Client

    from bench.module_pages import count_rows, measure_module_pages, module_result
    from eoffice.models import User

    load_before = [round(x, 2) for x in os.getloadavg()]
    personas = choose_personas()
    clients = {}
    for key in ("officer", "manager", "leader"):
        client = Client()
        client.force_login(User.objects.get(pk=personas[key]["id"]))
        clients[key] = client
    counts = count_rows(("meetings_meeting", "meetings_participant", "meetings_room"))
    results = measure_module_pages(PAGES, clients=clients, personas=personas, reps=reps, log=log)
    return module_result(
        personas=personas, counts=counts, reps=reps, target=TARGET_MS, pages=results, load_before=load_before
    )


def write_markdown(result: dict) -> Path:
    from bench.module_pages import pages_table, slowest_statements

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
        *pages_table(result),
    ]
    lines += slowest_statements(result)
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
