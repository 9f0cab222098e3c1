"""Page benchmark of the complaints module on a province database made by ``bench/province.py`` (whose
generator adds a year of citizen reception, letters and cases through ``bench/complaints_data.py``).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/eo_bench_10k REDIS_URL=redis://127.0.0.1:6379/13 \
        .venv/bin/python bench/complaints_pages.py [--reps 50]

The same method as ``bench/meetings_pages.py`` (``bench/pages.py``'s ``measure``: Django's whole stack
through the test ``Client`` logged in with ``force_login``, 3 warm-ups, ``--reps`` timed requests, p50/p95,
then 3 requests with every SQL statement timed — the query count — and the slowest one explained). The
personas are chosen from the data, in the agency with the most cases (UBND tỉnh), none a superuser:

- ``officer``: an ordinary officer (role officer, not the unit's head) of the agency's handling unit (Ban
  Tiếp công dân / the inspectorate): sees every case, letter and visit of the agency;
- ``verifier``: the person outside the handling unit who verifies the most cases (``CaseMember``): sees
  only his cases (``visible_q`` with its ``EXISTS``);
- ``decider``: the agency's head (the default decider: every case of the agency);
- ``unit_head``: the head of the specialist unit that resolves the most cases (sees his unit's cases).

Pages: the case queue (``complaints:cases``: first page for each persona, a filtered page — open cases
overdue —, a search by a word of the content), the sổ xử lý đơn (``complaints:letters``), the sổ tiếp
công dân (``complaints:visits``), the statistics page (``complaints:stats``, this year grouped by kind),
and ``/bench/bare/`` (a view that returns "ok": the floor of the stack), so each page is also given as a
multiple of the bare view measured in the same run. A page whose URL name does not resolve is recorded as
not available.

Results: ``results/complaints-<scale>.json`` and ``.md`` (the plan of each page's slowest statement in the
Markdown).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

RESULTS = ROOT / "bench" / "results"
TARGET_MS = 100.0

# (name, persona, URL name, query string, title)
PAGES = [
    ("cases", "officer", "complaints:cases", "", "Case queue, first page, inspectorate officer"),
    (
        "cases_overdue",
        "officer",
        "complaints:cases",
        "deadline=overdue",
        "Case queue filtered: overdue, officer",
    ),
    (
        "cases_search",
        "officer",
        "complaints:cases",
        "q={word}",
        "Case queue search by a word of the content, officer",
    ),
    ("cases_verifier", "verifier", "complaints:cases", "", "Case queue of a verifier (only his cases)"),
    ("cases_decider", "decider", "complaints:cases", "", "Case queue of the decider (agency head)"),
    ("cases_unit_head", "unit_head", "complaints:cases", "", "Case queue of a unit head (his unit's cases)"),
    ("letters", "officer", "complaints:letters", "", "Sổ xử lý đơn, first page, officer"),
    ("letters_decider", "decider", "complaints:letters", "", "Sổ xử lý đơn, first page, decider"),
    ("visits", "officer", "complaints:visits", "", "Sổ tiếp công dân, first page, officer"),
    (
        "stats",
        "officer",
        "complaints:stats",
        "period=year&group=kind",
        "Statistics report, this year by kind, officer",
    ),
    ("bare", "officer", "bench_bare", "", "Bare view /bench/bare/ (the stack's floor)"),
]
SEARCH_WORD = "bồi thường"


def choose_personas() -> dict:
    """The agency with the most cases; its officer, busiest outside verifier, head and busiest unit head."""
    from django.db.models import Count

    from complaints import rules
    from complaints.models import Case, CaseMember
    from eoffice.models import Agency, Department, Role, User

    top = Case.objects.values("agency_id").annotate(n=Count("id")).order_by("-n", "agency_id").first()
    if top is None:
        sys.exit("no cases: load the database with bench/province.py first")
    agency_id = top["agency_id"]
    unit_id = rules.department_id(agency_id)
    officer = (
        User.objects.filter(
            agency_id=agency_id, department_id=unit_id, is_active=True, groups__agency_role__role=Role.OFFICER
        )
        .exclude(groups__agency_role__role=Role.DEPARTMENT_HEAD)
        .order_by("pk")
        .first()
    )
    verifier_row = (
        CaseMember.objects.filter(case__agency_id=agency_id, removed_at__isnull=True)
        .exclude(user__department_id=unit_id)
        .exclude(user__groups__agency_role__role=Role.DEPARTMENT_HEAD)
        .values("user_id")
        .annotate(n=Count("id"))
        .order_by("-n", "user_id")
        .first()
    )
    decider = rules.default_decider(agency_id)
    unit_row = (
        Case.objects.filter(agency_id=agency_id)
        .exclude(department_id=unit_id)
        .exclude(department_id__isnull=True)
        .values("department_id")
        .annotate(n=Count("id"))
        .order_by("-n", "department_id")
        .first()
    )
    head = None
    if unit_row:
        head = (
            User.objects.filter(
                department_id=unit_row["department_id"],
                is_active=True,
                groups__agency_role__role=Role.DEPARTMENT_HEAD,
            )
            .order_by("pk")
            .first()
        )
    people = {"officer": officer, "decider": decider, "unit_head": head}
    if verifier_row:
        people["verifier"] = User.objects.get(pk=verifier_row["user_id"])
    out = {
        "agency": {
            "id": agency_id,
            "name": Agency.objects.get(pk=agency_id).name,
            "cases": top["n"],
            "open_cases": Case.objects.filter(
                agency_id=agency_id, state__in=("registered", "accepted", "suspended", "resolved")
            ).count(),
            "handling_unit": Department.objects.get(pk=unit_id).name if unit_id else "",
        }
    }
    for key, user in people.items():
        if user is None:
            sys.exit(f"no {key} persona in the agency with the most cases")
        if user.is_superuser:
            sys.exit(f"persona {user.username} is a superuser: refusing")
        out[key] = {
            "id": user.pk,
            "username": user.username,
            "visible_cases": Case.objects.filter(rules.visible_q(user)).count(),
        }
    out["verifier"]["member_of"] = verifier_row["n"]
    out["unit_head"]["department_id"] = unit_row["department_id"]
    out["staff"] = {k: rules.is_staff_of(people[k]) for k in people}
    return out


def run(*, reps: int, log=print) -> dict:
    from django.test import Client

    from bench.module_pages import count_rows, measure_module_pages, module_result
    from eoffice.models import User

    load_before = [round(x, 2) for x in os.getloadavg()]
    personas = choose_personas()
    clients = {}
    for key in ("officer", "verifier", "decider", "unit_head"):
        client = Client()
        client.force_login(User.objects.get(pk=personas[key]["id"]))
        clients[key] = client
    counts = count_rows(
        (
            "complaints_case",
            "complaints_letter",
            "complaints_visit",
            "complaints_identity",
            "complaints_receptionsession",
            "complaints_casemember",
        )
    )
    pages = [
        (name, persona, url_name, query.format(word=quote(SEARCH_WORD)), title)
        for name, persona, url_name, query, title in PAGES
    ]
    results = measure_module_pages(pages, clients=clients, personas=personas, reps=reps, log=log)
    return module_result(
        personas=personas, counts=counts, reps=reps, target=TARGET_MS, pages=results, load_before=load_before
    )


def write_markdown(result: dict) -> Path:
    from bench.module_pages import pages_table, slowest_statements

    p = result["personas"]
    m = result["machine"]
    r = result["rows"]
    lines = [
        f"# Complaints pages, province at {result['scale']} documents",
        "",
        f"Measured {result['measured_at']} on `{result['database']}` by `bench/complaints_pages.py` "
        f"({result['reps']} timed requests per page after 3 warm-ups, Django test client, `bench.settings`). "
        f"Rows: {r['complaints_case']:,} cases, {r['complaints_letter']:,} letters, "
        f"{r['complaints_visit']:,} visits, {r['complaints_identity']:,} identities, "
        f"{r['complaints_receptionsession']:,} reception sessions, {r['complaints_casemember']:,} verifiers "
        "(a year of 300 agencies; the same at every document scale).",
        "",
        f"{p['agency']['name']}: {p['agency']['cases']:,} cases ({p['agency']['open_cases']:,} open), "
        f"handling unit {p['agency']['handling_unit']}. Officer `{p['officer']['username']}` "
        f"({p['officer']['visible_cases']:,} cases visible), verifier `{p['verifier']['username']}` "
        f"({p['verifier']['visible_cases']} visible, member of {p['verifier']['member_of']}), decider "
        f"`{p['decider']['username']}` ({p['decider']['visible_cases']:,}), unit head "
        f"`{p['unit_head']['username']}` ({p['unit_head']['visible_cases']:,}). "
        f"Load average before {m.get('load_average_before')}, after {m.get('load_average_after')} "
        f"(2 shared cores; this process at nice {m.get('nice', 0)}).",
        "",
        f"Target: p95 < {result['target_p95_ms']:.0f} ms.",
        "",
        *pages_table(result),
    ]
    gen = result.get("generator")
    if gen:
        lines += [
            "",
            "## The generator (`bench/complaints_data.py`, called by `bench/province.py`)",
            "",
            f"Load of the complaints year: {gen.get('seconds_complaints')} s in all, of which "
            f"{gen.get('seconds_encrypt')} s Fernet encryption of {gen.get('encrypted_fields'):,} identity "
            "fields (`complaints.crypto.encrypt`, as `identities_add` stores them); database "
            f"{gen.get('database_size')}.",
            "",
            "| Table | rows |",
            "|---|--:|",
            *[f"| {key} | {n:,} |" for key, n in gen.get("rows", {}).items()],
            "",
            f"Cases by state: {gen.get('cases_by_state')}.",
            "",
            f"Cases by kind: {gen.get('cases_by_kind')}; letters by source: {gen.get('letters_by_source')}; "
            f"visits by outcome: {gen.get('visits_by_outcome')}.",
        ]
    lines += slowest_statements(result)
    path = RESULTS / f"complaints-{result['scale']}.md"
    path.write_text("\n".join(lines))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=50)
    parser.add_argument(
        "--load-report",
        type=Path,
        help="the province.py report (results/province-<scale>.json) whose complaints figures to include",
    )
    args = parser.parse_args()
    if args.reps < 30:
        sys.exit("--reps: at least 30 requests per page")
    os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")
    import django

    django.setup()
    from django.core.management import call_command

    # Always: the complaints templates bring new static files (a stale manifest would fail the pages).
    call_command("collectstatic", interactive=False, verbosity=0)
    result = run(reps=args.reps)
    if args.load_report:
        report = json.loads(args.load_report.read_text())
        result["generator"] = {
            **report.get("complaints", {}),
            "seconds_complaints": report.get("seconds", {}).get("complaints"),
            "seconds_tables": {
                k: v
                for k, v in report.get("seconds", {}).items()
                if k.startswith(("complaints_", "workflow_"))
            },
            "database_size": report.get("database_size"),
        }
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"complaints-{result['scale']}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    md = write_markdown(result)
    print(f"written {path.relative_to(ROOT)}, {md.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
