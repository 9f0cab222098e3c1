"""The actions people wait for (issue 22), end to end through HTTP, each split into its parts.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<a province from bench/province.py> \\
    REDIS_URL=redis://127.0.0.1:6379/2 .venv/bin/python bench/actions.py [--n 30] [--warmup 3]

Starts gunicorn as ``bench/throughput.py`` does (its ``start_gunicorn``: 2 sync workers, loopback) with the
settings ``bench.settings_actions`` (the timing middleware of ``bench.timing`` first; the test TSA in-process)
and plays, one person at a time, the five actions interleaved round by round (same machine load for each):

- **login**: the login page's form (CSRF token) posted with the officer persona's password (Argon2);
- **sign**: the leader persona opens an outgoing document waiting for their signature and posts the PIN form
  (the number is taken, the final PDF rendered from the template, signed PAdES B-T with the test credential);
- **issue**: the persona clerk opens the signed document and posts the seal PIN form (the agency's test seal
  over the leader's signature, delivered to two agencies of the installation);
- **incoming**: the clerk posts the incoming form with a 2-page PDF (registered at once, a number given);
- **reception**: a one-stop counter clerk posts the reception form (procedure's papers ticked, decision
  "valid": a dossier code) and prints form 01 (the receipt, a WeasyPrint PDF).

An action's time is what the person waits for after pressing the button: the POST, the page its redirect
shows, and for the reception the form 01 PDF; the POST alone is reported beside it. The parts come from the
server (``Server-Timing``): render (WeasyPrint), sign (pyHanko, key load, in-process TSA), db (every SQL
statement), hash (password hashing); other = the client's total − those (Python, templates, gunicorn, the
loopback). Documents to sign are prepared through the product's services before gunicorn starts (marked
``[actions]``). Results: ``bench/results/actions.json`` and ``actions.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings_actions")

from bench.timing import PARTS  # noqa: E402
from bench.timing_client import Browser, Sample, fill, form  # noqa: E402

RESULTS = ROOT / "bench" / "results"
MARK = "[actions]"
SETTINGS = "bench.settings_actions"
ACTIONS = {  # name: (what, target p95 ms)
    "login": ("Đăng nhập (login form, Argon2)", 150),
    "sign": ("Leader signs with PIN (number, final PDF, PAdES)", 500),
    "issue": ("Clerk seals and issues", 500),
    "incoming": ("Clerk registers an incoming document (2-page PDF)", 300),
    "reception": ("Counter: valid reception + form 01", 500),
}
COLUMNS = ("total", "render", "sign", "verify", "db", "hash", "tpl", "other")


# --------------------------------------------------------------------------------------------------
# The cast (in this process, through the product's services, before gunicorn starts)
# --------------------------------------------------------------------------------------------------


def two_page_pdf() -> bytes:
    from weasyprint import HTML

    para = "<p>Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh về kiểm tra tiến độ giải ngân vốn đầu tư.</p>"
    html = f"<h1>Công văn</h1>{para * 12}<div style='page-break-before: always'>{para * 10}</div>"
    document = HTML(string=html).render()
    if len(document.pages) != 2:
        raise RuntimeError(f"the incoming PDF has {len(document.pages)} pages, not 2")
    return document.write_pdf()


def ensure_credential(*, agency, owner, authority, pin: str):
    from signing.models import Credential, CredentialKind
    from signing.services import credentials

    found = Credential.objects.filter(agency=agency, owner=owner, is_test=True, is_active=True)
    found = found.filter(kind=CredentialKind.PERSON if owner else CredentialKind.SEAL).first()
    return found or credentials.demo_credential_create(
        authority=authority,
        agency=agency,
        owner=owner,
        common_name=owner.full_name if owner else agency.name,
        organisation=agency.name,
        pin=pin,
    )


def outgoing_to_sign(*, leader, n: int, recipients) -> list[int]:
    """``n`` outgoing documents of the leader's agency waiting for the leader's signature (drafted from the
    type's template by an officer, submitted to the unit's head, approved)."""
    from documents.models import DocumentType
    from documents.outgoing import services as out
    from documents.outgoing.services import DraftFields
    from eoffice.models import Role, User

    doc_type = DocumentType.objects.get(name="Công văn")
    staff = list(User.objects.filter(agency_id=leader.agency_id, is_active=True).select_related("department"))
    heads = {u.department_id: u for u in staff if u.has_role(Role.DEPARTMENT_HEAD)}
    drafters = [u for u in staff if u.has_role(Role.OFFICER) and u.department_id in heads][:5]
    made = []
    for i in range(n):
        drafter = drafters[i % len(drafters)]
        doc = out.draft_create(
            by=drafter,
            fields=DraftFields(
                doc_type=doc_type,
                summary=f"{MARK} Báo cáo tình hình thực hiện nhiệm vụ, số {i + 1}",
                body="Thực hiện chỉ đạo của lãnh đạo, đơn vị báo cáo tình hình thực hiện nhiệm vụ.\n" * 6,
                addressees="Ủy ban nhân dân tỉnh",
                distribution="Như trên",
                signer=leader,
                signer_title=leader.position or "Giám đốc",
                recipient_agencies=recipients,
            ),
        )
        doc = out.draft_submit(document=doc, by=drafter, reviewer=heads[drafter.department_id])
        doc = out.draft_approve(document=doc, by=heads[drafter.department_id])
        if doc.state != "signing":
            raise RuntimeError(f"outgoing document {doc.pk} is {doc.state}, not waiting for the signature")
        made.append(doc.pk)
    return made


def setup_cast(*, n: int) -> dict:
    from django.conf import settings
    from django.test import Client

    from bench.pages import load_personas
    from bench.province import PASSWORD
    from bench.scaleout import onestop_counter
    from documents.models import DocumentType
    from eoffice.models import Agency, User
    from signing import pki

    personas = load_personas()
    people = {k: User.objects.get(pk=personas[k]["id"]) for k in ("officer", "leader", "clerk")}
    if any(u.is_superuser for u in people.values()):
        sys.exit("a persona is a superuser: refusing")
    agency = people["leader"].agency
    authority = pki.ensure_test_authority(Path(settings.SIGNING_PKI_DIR))
    pin = settings.SIGNING_DEMO_PIN
    ensure_credential(agency=agency, owner=people["leader"], authority=authority, pin=pin)
    ensure_credential(agency=agency, owner=None, authority=authority, pin=pin)  # the agency's seal
    recipients = list(Agency.objects.exclude(pk=agency.pk).order_by("pk")[:2])
    to_sign = outgoing_to_sign(leader=people["leader"], n=n, recipients=recipients)
    procedure, (counter,) = onestop_counter(agency.pk, 1)
    sessions = {}
    for key, user in {**people, "counter": counter}.items():
        client = Client()
        client.force_login(user)  # a real session in the product's engine, as throughput.py makes
        sessions[key] = {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}
    return {
        "login": {"username": people["officer"].username, "password": PASSWORD},
        "sessions": sessions,
        "to_sign": to_sign,
        "pin": pin,
        "procedure": procedure.pk,
        "papers": list(procedure.papers.values_list("pk", "kind")),
        "pdf": two_page_pdf(),
        "agency": agency.name,
        "doc_type": DocumentType.objects.get(name="Công văn").pk,
    }


# --------------------------------------------------------------------------------------------------
# The actions, as a person does them
# --------------------------------------------------------------------------------------------------


def expect(step, status: int, what: str) -> None:
    if step.status != status:
        html = step.body.decode(errors="replace")
        # the form's errors when there are some, else the start of the page
        found = re.findall(
            r'<ul class="errorlist[^"]*"[^>]*>.*?</ul>|<div class="alert alert-error.*?</div>', html, re.S
        )
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", " | ".join(found) or html))[:400]
        raise RuntimeError(f"{what}: {step.name} answered {step.status}, expected {status}: {text}")


def submit_and_follow(
    browser: Browser, name: str, path: str, fields, files=None, *, then: str = ""
) -> Sample:
    """POST, expect the redirect, follow it (the page the person sees): one sample."""
    sample = Sample()
    post = browser.post(f"{name} POST", path, fields, files)
    expect(post, 302, name)
    if then and not re.search(then, post.location):
        raise RuntimeError(f"{name}: redirected to {post.location}, expected {then}")
    sample.steps.append(post)
    page = browser.get(f"{name} page", post.location)
    expect(page, 200, name)
    sample.steps.append(page)
    return sample


def do_login(port: int, cast: dict, _i: int) -> Sample:
    browser = Browser(port)
    page = browser.get("login form", "/account/login/")
    expect(page, 200, "login form")
    url, fields = form(page.body, "/account/login/", "/account/login/")
    return submit_and_follow(browser, "login", url, fill(fields, cast["login"]))


def pin_action(port: int, cast: dict, i: int, *, who: str, action: str, done: str) -> Sample:
    """The PIN form of an outgoing document's page (``/<action>/``), posted by ``who``; the page after it
    must say it succeeded."""
    pk = cast["to_sign"][i]
    browser = Browser(port, cast["sessions"][who])
    page = browser.get("outgoing document", f"/documents/outgoing/{pk}/")
    expect(page, 200, action)
    url, fields = form(page.body, f"/documents/outgoing/{pk}/", f"/documents/outgoing/{pk}/{action}/")
    sample = submit_and_follow(browser, action, url, fill(fields, {"pin": cast["pin"]}))
    if "alert-success" not in sample.steps[-1].body.decode(errors="replace"):
        raise RuntimeError(f"{action}: document {pk} not {done}")
    return sample


def do_sign(port: int, cast: dict, i: int) -> Sample:
    return pin_action(port, cast, i, who="leader", action="sign", done="signed")


def do_issue(port: int, cast: dict, i: int) -> Sample:
    return pin_action(port, cast, i, who="clerk", action="issue", done="issued")


def do_incoming(port: int, cast: dict, i: int) -> Sample:
    browser = Browser(port, cast["sessions"]["clerk"])
    page = browser.get("incoming form", "/documents/incoming/new/")
    expect(page, 200, "incoming")
    marker = f"{int(time.time() * 1000) % 10**10}{i}"
    url, fields = form(page.body, "/documents/incoming/new/", "/documents/incoming/new/")
    fields = fill(
        fields,
        {
            "issuer_name": "Bộ Kế hoạch và Đầu tư",
            "number_symbol": f"{marker}/BKHĐT-TH",
            "issued_date": date.today().isoformat(),
            "summary": f"{MARK} V/v kiểm tra tiến độ giải ngân vốn đầu tư công ({marker})",
            "signer_name": "Nguyễn Văn Bình",
            "doc_type": cast["doc_type"],
            "register_now": "on",
        },
    )
    # A file of its own (a comment after %%EOF): the same file twice is a duplicate to the product.
    pdf = cast["pdf"] + f"\n% {marker}\n".encode()
    files = [("main_files", f"cv-{marker}.pdf", pdf, "application/pdf")]
    return submit_and_follow(browser, "incoming", url, fields, files, then=r"^/documents/incoming/\d+/$")


def do_reception(port: int, cast: dict, i: int) -> Sample:
    browser = Browser(port, cast["sessions"]["counter"])
    path = f"/onestop/receive/?procedure={cast['procedure']}"
    page = browser.get("reception form", path)
    expect(page, 200, "reception")
    values = {
        "procedure": cast["procedure"],
        "channel": "counter",
        "applicant_kind": "person",
        "applicant_name": "Trần Thị Bích",
        "applicant_id_number": f"00108{6000000 + i:07d}",
        "applicant_phone": "0912345678",
        "applicant_address": "Số 12 Trần Phú",
        "summary": f"{MARK} Đăng ký thành lập doanh nghiệp tư nhân",
        "outcome": "valid",
    }
    for pk, kind in cast["papers"]:
        values |= {f"paper-{pk}-received": "on", f"paper-{pk}-kind": kind, f"paper-{pk}-quantity": "1"}
    url, fields = form(page.body, path, "/onestop/receive/")
    sample = submit_and_follow(
        browser, "reception", url, fill(fields, values), then=r"^/onestop/\d+/\?new=1$"
    )
    link = re.search(rb'href="(/onestop/\d+/forms/1/)"', sample.steps[-1].body)
    if not link:
        raise RuntimeError("reception: no form 01 link on the dossier page")
    pdf = browser.get("form 01", link.group(1).decode())
    expect(pdf, 200, "form 01")
    if not pdf.body.startswith(b"%PDF"):
        raise RuntimeError("form 01 is not a PDF")
    sample.steps.append(pdf)
    return sample


FLOWS = {
    "login": do_login,
    "sign": do_sign,
    "issue": do_issue,
    "incoming": do_incoming,
    "reception": do_reception,
}


# --------------------------------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------------------------------


def summarise(samples: list[Sample]) -> dict:
    from bench.pages import percentile

    splits = [s.split() for s in samples]
    totals = [x["total"] for x in splits]
    posts = [s.steps[0].ms for s in samples]
    out = {
        "n": len(samples),
        "p50_ms": round(percentile(totals, 50), 1),
        "p95_ms": round(percentile(totals, 95), 1),
        "post_p50_ms": round(percentile(posts, 50), 1),
        "post_p95_ms": round(percentile(posts, 95), 1),
        "parts_p50_ms": {k: round(statistics.median(x[k] for x in splits), 1) for k in COLUMNS},
        "server_p50_ms": round(statistics.median(x["server"] for x in splits), 1),
        "queries_p50": statistics.median(x["queries"] for x in splits),
        "steps_p50_ms": {
            step.name: {
                "ms": round(statistics.median(s.steps[k].ms for s in samples), 1),
                **{
                    p: round(statistics.median(s.steps[k].parts.get(p, 0.0) for s in samples), 1)
                    for p in PARTS
                },
                "queries": statistics.median(s.steps[k].parts.get("queries", 0) for s in samples),
            }
            for k, step in enumerate(samples[0].steps if samples else [])
        },
    }
    return out


def run(*, port: int, cast: dict, n: int, warmup: int, only: list[str], log=print) -> tuple[dict, dict]:
    """The actions' summaries, and the bare view's (``/bench/bare/``, 5 requests a round: the floor of the
    machine as it was during the run)."""
    from bench.pages import percentile

    samples: dict[str, list[Sample]] = {name: [] for name in only}
    bare: list[float] = []
    for i in range(warmup + n):  # round by round: every action under the same load
        for _k in range(5):
            step = Browser(port).get("bare", "/bench/bare/")
            expect(step, 200, "bare view")
            if i >= warmup:
                bare.append(step.ms)
        for name in only:
            sample = FLOWS[name](port, cast, i)
            if i >= warmup:
                samples[name].append(sample)
        if i + 1 == warmup or (i >= warmup and (i - warmup + 1) % 10 == 0):
            log(f"round {i + 1 - warmup}/{n} done" if i >= warmup else "warm-up done")
    floor = {
        "n": len(bare),
        "p50_ms": round(percentile(bare, 50), 2),
        "p95_ms": round(percentile(bare, 95), 2),
    }
    return {name: summarise(s) for name, s in samples.items()}, floor


TABLE_HEAD = [
    "| action | n | p50 ms | p95 ms | target p95 | met? | POST p50 / p95 | render | sign | verify | db "
    "| hash | templates | other | queries |",
    "|---|--:|--:|--:|--:|:-:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
]
PARTS_TEXT = (
    "Parts measured in the server (`bench/timing.py`, `Server-Timing`), medians over the samples: render = "
    "WeasyPrint (PDF), sign = pyHanko signing + key load + in-process test TSA, verify = checking a PDF's "
    "signatures (pyHanko), db = SQL, hash = password hashing, templates = Django's HTML templates (the "
    "queries they run lazily count as db), other = the client's total − those (Python of the views, "
    "middleware and services, pypdf, gunicorn, the loopback)."
)


def table_row(name: str, r: dict) -> str:
    p = r["parts_p50_ms"]
    cells = [
        ACTIONS[name][0],
        r["n"],
        r["p50_ms"],
        f"**{r['p95_ms']}**",
        r["target_ms"],
        "yes" if r["met"] else "no",
        f"{r['post_p50_ms']} / {r['post_p95_ms']}",
        *(p[k] for k in COLUMNS[1:]),
        f"{r['queries_p50']:g}",
    ]
    return "| " + " | ".join(str(c) for c in cells) + " |"


def markdown(report: dict) -> str:
    m = report["machine"]
    lines = [
        "# The actions people wait for (bench/actions.py)",
        "",
        f"End to end through HTTP: gunicorn ({report['gunicorn']}) on loopback, one person at a time, the "
        f"five actions interleaved round by round; {report['n']} samples each after {report['warmup']} "
        f"warm-up rounds; database `{report['database']}` ({report['documents']:,} documents). An action is "
        "what the person waits for after pressing the button: the POST, the page its redirect shows (and "
        "form 01 for the reception); the POST alone beside it. " + PARTS_TEXT,
        "",
        f"**Machine**: {m['cpus']} cores ({m['cpu_model']}); what else ran: the note below; load average "
        f"(1, 5, 15 min) before {report['load_before']}, after {report['load_after']}"
        + (
            f"; a bare Django view (`/bench/bare/`, 5 requests each round, same run) answered in "
            f"p50 {report['bare_view']['p50_ms']} / p95 {report['bare_view']['p95_ms']} ms"
            if report.get("bare_view")
            else ""
        )
        + ".",
        "",
        *TABLE_HEAD,
        *(table_row(name, r) for name, r in report["actions"].items()),
        "",
        "Parts are medians of each part, so they need not add up to the p50 total. Each request of an action "
        "(medians, ms: client total / PDF render / sign + verify / db / templates):",
        "",
        *[
            f"- {ACTIONS[name][0]}: "
            + "; ".join(
                f"{step} {x['ms']} / {x['render']} / {x['sign'] + x['verify']:.1f} / {x['db']} / {x['tpl']}"
                for step, x in r["steps_p50_ms"].items()
            )
            for name, r in report["actions"].items()
        ],
        "",
        f"Measured {report['when']} on {m['cpus']} × {m['cpu_model']}, {m['ram']}, {m['postgres']}, "
        f"Python {m['python']}.",
        *([f"Note: {report['note']}"] if report.get("note") else []),
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=30, help="samples per action")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", default=",".join(ACTIONS), help="comma-separated actions")
    parser.add_argument("--note", default="", help="what else ran on the machine (written in the results)")
    parser.add_argument("--report", action="store_true", help="only write actions.md again from actions.json")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # progress lines as they come, also into a file
    if args.report:
        (RESULTS / "actions.md").write_text(markdown(json.loads((RESULTS / "actions.json").read_text())))
        return
    only = [a for a in args.only.split(",") if a]
    if "issue" in only and "sign" not in only:
        sys.exit("issue needs sign (the clerk issues the documents the leader just signed)")

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from bench.pages import ensure_static, scale_of_database
    from bench.province import machine_info
    from bench.throughput import free_port, start_gunicorn, stop

    if settings.SETTINGS_MODULE != SETTINGS:
        sys.exit(f"run with DJANGO_SETTINGS_MODULE={SETTINGS}")
    ensure_static()
    _label, n_docs = scale_of_database()
    started = time.perf_counter()
    cast = setup_cast(n=(args.n + args.warmup) if "sign" in only else 0)
    print(f"cast ready ({time.perf_counter() - started:.1f} s): {len(cast['to_sign'])} documents to sign")
    connection.close()
    # throughput.start_gunicorn sets DJANGO_SETTINGS_MODULE=bench.settings; gunicorn's own --env (read from
    # GUNICORN_CMD_ARGS) sets it again in the master before the workers load the application.
    os.environ["GUNICORN_CMD_ARGS"] = f"--env DJANGO_SETTINGS_MODULE={SETTINGS}"
    port = free_port()
    log_path = Path(settings.BENCH_DIR) / "gunicorn-actions.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    load_before = [round(x, 2) for x in os.getloadavg()]
    process = start_gunicorn(port, args.workers, log_path)
    try:
        probe = Browser(port).get("probe", "/account/login/")
        if "app" not in probe.parts:
            raise RuntimeError("no Server-Timing header: gunicorn did not load bench.settings_actions")
        actions, bare = run(port=port, cast=cast, n=args.n, warmup=args.warmup, only=only)
    finally:
        stop(process)
        os.environ.pop("GUNICORN_CMD_ARGS", None)
    load_after = [round(x, 2) for x in os.getloadavg()]
    for name, r in actions.items():
        r["target_ms"] = ACTIONS[name][1]
        r["met"] = r["p95_ms"] <= r["target_ms"]
    report = {
        "benchmark": "the actions people wait for, end to end through HTTP (issue 22)",
        "database": settings.DATABASES["default"]["NAME"],
        "documents": n_docs,
        "gunicorn": f"{args.workers} sync workers",
        "settings": SETTINGS,
        "n": args.n,
        "warmup": args.warmup,
        "actions": actions,
        "bare_view": bare,
        "load_before": load_before,
        "load_after": load_after,
        "machine": machine_info(),
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "note": args.note,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "actions.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    (RESULTS / "actions.md").write_text(markdown(report))
    print(markdown(report))


if __name__ == "__main__":
    main()
