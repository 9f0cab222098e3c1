"""The scale-out run on real parts: nginx in front of two gunicorn nodes, two Celery workers and a beat, one
PostgreSQL and one Redis, a Locust mixed workload, one web node and one worker killed in the middle.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/eo_bench_1m REDIS_URL=redis://127.0.0.1:6379/6 \\
        .venv/bin/python bench/scaleout.py [--users 100] [--duration 600] [--kill-at 300]

The database is a province made by ``bench/province.py``. The run:

1. installs what it needs and is not the product's: Locust in ``bench/.venv-locust`` (``python -m venv`` and
   ``pip install locust``: never in the product's lock file), nginx from Debian's package when
   ``/usr/sbin/nginx`` is missing (``apt-get install -y nginx-light``, else ``nginx``);
2. prepares the cast (``setup_cast``): the clerks, leaders and officers of the busiest agencies, a test
   signing credential per leader and outgoing documents waiting for each leader's signature (made through
   the product's services: drafted, submitted, approved), dossiers for the citizens to track, one-stop
   counter clerks with a procedure in the two busiest agencies; all marked
   ``[scaleout]`` so that a later run sees what an earlier one made;
3. starts gunicorn ×2 (gthread, ``--workers 2 --threads 4`` each: the machine has 2 cores), nginx (its own
   configuration in the run directory, ``daemon off``; upstream = the two nodes, ``proxy_next_upstream
   error timeout``: nginx retries a request on the other node only when it is idempotent — a POST in flight
   on a node that dies is answered 502 to its user, never sent twice), Celery worker ×2 (every queue,
   ``-c 1``) and beat, all on the same DATABASE_URL and REDIS_URL, each with its log in the run directory;
4. runs Locust headless (``bench/locustfile.py``: clerks registering incoming documents, leaders directing
   and signing, officers browsing and searching, counter clerks receiving dossiers with the one-stop
   reception form, citizens tracking dossiers) and at ``--kill-at`` seconds
   SIGKILLs the process group of node 1 (master and workers) and of worker 1;
5. waits for the queues to drain, stops everything, and verifies in SQL: incoming numbers per register and
   year consecutive and unique, outgoing numbers likewise, dossier codes per prefix and day continuing
   their counter (consecutive, unique, the counter ending at the last code), every write answered OK
   present exactly once (its marker), every write answered with an error present at most once (a POST cut
   by the kill may have committed: the user saw an error, the data is there once), every queued text
   extraction run (no document left PENDING) and no Celery task id run twice (the workers' logs), every
   PDF signed during the run valid (``signing.verification.verify_pdf``, pyHanko);
6. writes ``bench/results/scaleout-<scale>.json`` and ``.md``.

Only loopback is targeted; every process started is stopped at the end, also on failure.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

RESULTS = ROOT / "bench" / "results"
LOCUST_VENV = ROOT / "bench" / ".venv-locust"
HOST = "127.0.0.1"
MARK = "[scaleout]"
QUEUES = "celery,signing,pdf,notifications,email"


# --------------------------------------------------------------------------------------------------
# Tools that are not the product's
# --------------------------------------------------------------------------------------------------


def ensure_locust() -> Path:
    locust = LOCUST_VENV / "bin" / "locust"
    if not locust.exists():
        subprocess.run([sys.executable, "-m", "venv", str(LOCUST_VENV)], check=True)
        subprocess.run([str(LOCUST_VENV / "bin" / "pip"), "install", "-q", "locust"], check=True)
    return locust


def ensure_nginx() -> Path:
    nginx = Path("/usr/sbin/nginx")
    if not nginx.exists():
        apt = ["apt-get", "install", "-y"] if os.geteuid() == 0 else ["sudo", "apt-get", "install", "-y"]
        if subprocess.run([*apt, "nginx-light"], check=False).returncode != 0:
            subprocess.run([*apt, "nginx"], check=True)
    return nginx


NGINX_CONF = """worker_processes 1;
daemon off;
pid {run}/nginx.pid;
error_log {run}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log {run}/nginx-access.log;
    client_body_temp_path {run}/nginx-body;
    proxy_temp_path {run}/nginx-proxy;
    fastcgi_temp_path {run}/nginx-fastcgi;
    uwsgi_temp_path {run}/nginx-uwsgi;
    scgi_temp_path {run}/nginx-scgi;
    client_max_body_size 50m;
    upstream eoffice {{
        # max_fails=1 took the surviving node out too (its slow answers counted as failures): "no live
        # upstreams", 502 to everybody for 30 s in the first run. Three failures in 5 s take a node out.
        server {host}:{web1} max_fails=3 fail_timeout=5s;
        server {host}:{web2} max_fails=3 fail_timeout=5s;
        keepalive 16;
    }}
    server {{
        listen {host}:{port};
        location / {{
            proxy_pass http://eoffice;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            # Retried on the other node: a failed connection or a timeout, for idempotent methods only
            # (nginx's default since 1.9.13: a POST already sent is never sent twice).
            proxy_next_upstream error timeout;
            proxy_connect_timeout 2s;
            proxy_read_timeout 120s;
        }}
    }}
}}
"""

SETTINGS = '''"""Settings of the scale-out run: the benchmark's, with nginx on loopback as the trusted
proxy (each Locust user has its own address in X-Forwarded-For, as citizens behind a proxy would)."""
from bench.settings import *  # noqa: F403

EOFFICE_TRUSTED_PROXIES = ["127.0.0.1/32"]
'''


def free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind((HOST, port))
        except OSError:
            return False
    return True


def http_status(url: str, timeout: float = 5) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:  # noqa: S310 - loopback only
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


class Processes:
    """Every process the run starts, each in its own process group with its output in a file."""

    def __init__(self, run: Path, env: dict):
        self.run, self.env, self.procs = run, env, {}

    def start(self, name: str, command: list[str]) -> subprocess.Popen:
        log = (self.run / f"{name}.log").open("w")
        proc = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.procs[name] = proc
        return proc

    def kill(self, name: str) -> float:
        proc = self.procs[name]
        os.killpg(proc.pid, signal.SIGKILL)
        at = time.time()
        proc.wait()
        return at

    def stop(self, name: str) -> None:
        proc = self.procs[name]
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=90)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    def stop_all(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        deadline = time.monotonic() + 30
        for proc in self.procs.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def wait_http(url: str, proc: subprocess.Popen, what: str, seconds: int = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited ({proc.returncode})")
        if http_status(url) in (200, 302):
            return
        time.sleep(0.5)
    raise RuntimeError(f"{what} did not answer within {seconds} s")


# --------------------------------------------------------------------------------------------------
# The cast: people, credentials, documents waiting for a signature, dossiers
# --------------------------------------------------------------------------------------------------


def tiny_pdf() -> bytes:
    from weasyprint import HTML

    return HTML(
        string="<html><body><h1>Công văn</h1><p>V/v kiểm tra tải đồng thời của hệ thống.</p></body></html>"
    ).write_pdf()


def setup_cast(*, agencies: int, to_sign: int, dossiers: int, users: int) -> dict:
    from django.conf import settings
    from django.db.models import Count

    from bench.pages import load_personas
    from bench.province import PASSWORD
    from documents.common import Channel
    from documents.models import DocumentType
    from documents.outgoing import services as out
    from documents.outgoing.models import OutgoingDocument
    from documents.outgoing.services import DraftFields
    from eoffice.models import Agency, Department, Role, User
    from signing import pki
    from signing.models import Credential
    from signing.services import credentials as cred_services

    personas = load_personas()
    persona_agency = User.objects.get(pk=personas["leader"]["id"]).agency_id
    ranked = list(
        Agency.objects.annotate(n=Count("staff")).order_by("-n").values_list("pk", flat=True)[: agencies * 2]
    )
    chosen = [persona_agency, *[a for a in ranked if a != persona_agency]][:agencies]
    authority = pki.ensure_test_authority(Path(settings.SIGNING_PKI_DIR))
    doc_type = DocumentType.objects.get(name="Công văn")
    cast = {"clerks": [], "leaders": [], "officers": [], "signing": {}, "dossier_codes": []}
    per_leader = max(1, to_sign // max(1, agencies))
    for agency_id in chosen:
        agency = Agency.objects.get(pk=agency_id)
        people = list(User.objects.filter(agency=agency, is_active=True).select_related("department"))
        by_role = collections.defaultdict(list)
        for u in people:
            for role in (Role.CLERK, Role.LEADER, Role.OFFICER, Role.DEPARTMENT_HEAD):
                if u.has_role(role):
                    by_role[role].append(u)
        departments = list(
            Department.objects.filter(agency=agency, is_active=True).values_list("pk", flat=True)
        )
        cast["clerks"] += [{"username": u.username, "id": u.pk} for u in by_role[Role.CLERK]]
        head_leader = by_role[Role.LEADER][0]
        cast["leaders"] += [
            {"username": u.username, "id": u.pk, "departments": departments} for u in by_role[Role.LEADER][:2]
        ]
        cast["officers"] += [{"username": u.username, "id": u.pk} for u in by_role[Role.OFFICER][:30]]
        # A test credential per leader, and outgoing documents waiting for the head leader's signature.
        for leader in by_role[Role.LEADER][:2]:
            if not Credential.objects.filter(owner=leader, is_test=True).exists():
                cred_services.demo_credential_create(
                    authority=authority,
                    agency=agency,
                    owner=leader,
                    common_name=leader.full_name,
                    organisation=agency.name,
                    pin=settings.SIGNING_DEMO_PIN,
                )
        waiting = list(
            OutgoingDocument.objects.filter(
                agency=agency, signer=head_leader, state="signing", summary__startswith=MARK
            ).values_list("pk", flat=True)
        )
        heads = {u.department_id: u for u in by_role[Role.DEPARTMENT_HEAD]}
        drafters = [u for u in by_role[Role.OFFICER] if u.department_id in heads][:5]
        i = 0
        while len(waiting) < per_leader and drafters:
            drafter = drafters[i % len(drafters)]
            i += 1
            doc = out.draft_create(
                by=drafter,
                fields=DraftFields(
                    doc_type=doc_type,
                    summary=f"{MARK} Báo cáo tình hình thực hiện nhiệm vụ, số {i}",
                    body="Thực hiện chỉ đạo của lãnh đạo, đơn vị báo cáo tình hình thực hiện nhiệm vụ.",
                    addressees="Ủy ban nhân dân tỉnh",
                    distribution="Như trên",
                    signer=head_leader,
                    signer_title=head_leader.position or "Giám đốc",
                ),
            )
            doc = out.draft_submit(document=doc, by=drafter, reviewer=heads[drafter.department_id])
            doc = out.draft_approve(document=doc, by=heads[drafter.department_id])
            if doc.state == "signing":
                waiting.append(doc.pk)
        cast["signing"][str(head_leader.pk)] = waiting
    # A session per person, made as throughput.py makes its own (``force_login``: a real session in the
    # product's engine): the load is the work, not a storm of password hashes at the start. A user whose
    # session is refused logs in with the password form.
    from django.test import Client

    # Counter clerks of one-stop in the two busiest agencies: two series of dossier codes.
    cast["onestop_clerks"] = setup_onestop_clerks(chosen[:2])
    for person in [*cast["clerks"], *cast["leaders"], *cast["officers"], *cast["onestop_clerks"]]:
        client = Client()
        client.force_login(User.objects.get(pk=person["id"]))
        person["session"] = client.cookies[settings.SESSION_COOKIE_NAME].value
    cast["session_cookie"] = settings.SESSION_COOKIE_NAME
    cast["dossier_codes"] = setup_dossiers(persona_agency, dossiers)
    cast["password"] = PASSWORD
    cast["pin"] = settings.SIGNING_DEMO_PIN
    cast["doc_type"] = doc_type.pk
    cast["channel"] = Channel.values[0]
    cast["users"] = users
    cast["pdf_bytes"] = tiny_pdf().decode("latin-1")
    return cast


def onestop_counter(agency_id: int, clerks: int = 1):
    """A one-stop procedure of the agency (one mandatory paper) and its counter clerks (one-stop officers
    of the bench, ``scaleout.motcua.*``): made once, found again by a later run."""
    from decimal import Decimal

    from eoffice.models import AgencyRole, Department, Role, User
    from onestop.models import Procedure, ProcedureField, ProcedureStep, RequiredPaper

    unit = Department.objects.filter(agency_id=agency_id, is_active=True).first()
    procedure = Procedure.objects.filter(agency_id=agency_id, code="9.999001").first()
    if procedure is None:
        field, _c = ProcedureField.objects.get_or_create(code="DN", defaults={"name": "Doanh nghiệp"})
        procedure = Procedure.objects.create(
            agency_id=agency_id,
            code="9.999001",
            name="Đăng ký thành lập doanh nghiệp tư nhân",
            field=field,
            time_value=Decimal(3),
            fee_amount=50000,
            result_name="Giấy chứng nhận đăng ký doanh nghiệp",
            handling_department=unit,
            online_level="offline",
        )
        RequiredPaper.objects.create(procedure=procedure, order=1, name="Giấy đề nghị đăng ký doanh nghiệp")
        for kind, hours in {"receive": 2, "assign": 2, "process": 12, "approve": 2, "return": 6}.items():
            ProcedureStep.objects.create(
                procedure=procedure, kind=kind, hours=Decimal(hours), department=unit
            )
    officers = list(
        User.objects.filter(agency_id=agency_id, username__startswith="scaleout.motcua").order_by("pk")
    )
    while len(officers) < clerks:
        suffix = "" if not officers else f".{len(officers) + 1}"
        officer = User.objects.create_user(
            username=f"scaleout.motcua.{agency_id}{suffix}", password=None, full_name="Cán bộ một cửa (bench)"
        )
        officer.agency_id, officer.department = agency_id, unit
        officer.save()
        officer.groups.add(AgencyRole.objects.group_for(officer.agency, Role.ONESTOP_OFFICER))
        officers.append(User.objects.get(pk=officer.pk))
    return procedure, officers[:clerks]


def setup_onestop_clerks(agency_ids: list[int], per_agency: int = 3) -> list[dict]:
    """The counter clerks of the run: each posts the reception form of its agency's bench procedure (the
    procedure's catalogue papers ticked as received)."""
    people = []
    for agency_id in agency_ids:
        procedure, officers = onestop_counter(agency_id, per_agency)
        papers = list(procedure.papers.values_list("pk", "kind"))
        people += [
            {"username": u.username, "id": u.pk, "procedure": procedure.pk, "papers": papers}
            for u in officers
        ]
    return people


def setup_dossiers(agency_id: int, n: int) -> list[str]:
    """Dossiers received at the counter (through the service), for the citizens to track."""
    from onestop import services
    from onestop.models import Dossier

    codes = list(
        Dossier.objects.filter(agency_id=agency_id, summary__startswith=MARK)
        .exclude(code__isnull=True)
        .exclude(code="")
        .values_list("code", flat=True)
    )
    if len(codes) >= n:
        return codes[:n]
    procedure, (officer,) = onestop_counter(agency_id)
    while len(codes) < n:
        dossier = services.dossier_receive(
            by=officer,
            procedure=procedure,
            applicant=services.Applicant(
                name="Nguyễn Văn An", id_number="001086012345", address="Số 5 Lê Lợi", phone="0912345678"
            ),
            channel="counter",
            papers=[
                services.PaperInput(name=p.name, required=p, kind=p.kind) for p in procedure.papers.all()
            ],
            outcome=services.OUTCOME_VALID,
            summary=f"{MARK} hồ sơ {len(codes) + 1}",
        )
        codes.append(dossier.code)
    return codes


def baseline() -> dict:
    from django.db import connection

    with connection.cursor() as cur:
        out = {}
        for key, table in (
            ("incoming", "documents_incomingdocument"),
            ("outgoing_version", "documents_outgoingversion"),
            ("history", "workflow_historyentry"),
            ("notification", "eoffice_notification"),
            ("dossier", "onestop_dossier"),
        ):
            cur.execute(f"SELECT coalesce(max(id), 0) FROM {table}")  # noqa: S608 - fixed names
            out[key] = cur.fetchone()[0]
        # The daily dossier-code counters as they stand: the run's codes continue them.
        cur.execute("SELECT prefix || '-' || to_char(day, 'YYMMDD'), last FROM onestop_dossiercounter")
        out["dossier_counters"] = dict(cur.fetchall())
        cur.execute("SELECT now()")
        out["at"] = cur.fetchone()[0].isoformat()
    return out


# --------------------------------------------------------------------------------------------------
# Verification
# --------------------------------------------------------------------------------------------------


def consecutive(rows: list[tuple], label: str) -> dict:
    """rows: (series, number, max number before the run); the new numbers of each series must be exactly
    before+1 … before+k, each once."""
    series = collections.defaultdict(list)
    before = {}
    for key, number, prior in rows:
        series[key].append(number)
        before[key] = prior or 0
    problems = []
    for key, numbers in series.items():
        expected = list(range(before[key] + 1, before[key] + len(numbers) + 1))
        if sorted(numbers) != expected:
            dup = [n for n, c in collections.Counter(numbers).items() if c > 1]
            problems.append({"series": str(key), "duplicates": dup[:10], "numbers": sorted(numbers)[:20]})
    return {
        "what": label,
        "series": len(series),
        "numbers": sum(len(v) for v in series.values()),
        "problems": problems,
        "ok": not problems,
    }


def verify(base: dict, writes: list[dict], run: Path) -> dict:
    from django.db import connection

    from documents.outgoing.models import OutgoingVersion
    from signing.verification import verify_pdf

    result = {}
    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT d.register_id || '/' || d.year, d.number,
                   (SELECT max(p.number) FROM documents_incomingdocument p
                     WHERE p.register_id = d.register_id AND p.year = d.year AND p.id <= %s)
              FROM documents_incomingdocument d
             WHERE d.id > %s AND d.number IS NOT NULL
            """,
            [base["incoming"], base["incoming"]],
        )
        result["incoming_numbers"] = consecutive(cur.fetchall(), "incoming numbers per register and year")
        cur.execute(
            """
            SELECT d.register_id || '/' || d.year, d.number,
                   (SELECT max(p.number) FROM documents_outgoingdocument p
                     WHERE p.register_id = d.register_id AND p.year = d.year
                       AND NOT EXISTS (SELECT 1 FROM documents_outgoingversion v
                                        WHERE v.document_id = p.id AND v.kind = 'signed' AND v.id > %s))
              FROM documents_outgoingdocument d
             WHERE d.number IS NOT NULL
               AND EXISTS (SELECT 1 FROM documents_outgoingversion v
                            WHERE v.document_id = d.id AND v.kind = 'signed' AND v.id > %s)
            """,
            [base["outgoing_version"], base["outgoing_version"]],
        )
        result["outgoing_numbers"] = consecutive(cur.fetchall(), "outgoing numbers per register and year")
        # Dossier codes ``prefix-YYMMDD-NNNN``: per prefix and day, the run's numbers continue the counter
        # as it stood before the run (before+1 … before+k, none twice), and the counter ends at the last.
        cur.execute("SELECT code FROM onestop_dossier WHERE id > %s AND code IS NOT NULL", [base["dossier"]])
        codes = [c for (c,) in cur.fetchall()]
        rows = []
        for code in codes:
            series, _sep, number = code.rpartition("-")
            rows.append((series, int(number), base["dossier_counters"].get(series, 0)))
        result["dossier_codes"] = consecutive(rows, "dossier codes per prefix and day")
        cur.execute("SELECT prefix || '-' || to_char(day, 'YYMMDD'), last FROM onestop_dossiercounter")
        counters = dict(cur.fetchall())
        per_series = collections.Counter(series for series, _n, _b in rows)
        behind = {
            s: {"counter": counters.get(s), "last_code": base["dossier_counters"].get(s, 0) + k}
            for s, k in per_series.items()
            if counters.get(s) != base["dossier_counters"].get(s, 0) + k
        }
        result["dossier_codes"].update(
            codes_unique=len(codes) == len(set(codes)),
            counters_match=not behind,
            counter_problems=behind,
        )
        result["dossier_codes"]["ok"] = (
            result["dossier_codes"]["ok"] and not behind and len(codes) == len(set(codes))
        )

        # Every write: answered OK → exactly once; answered otherwise → at most once.
        by_kind = collections.defaultdict(list)
        for w in writes:
            by_kind[w["kind"]].append(w)
        checks = {}
        for kind, items in by_kind.items():
            counts = collections.Counter()
            for w in items:
                if kind == "incoming":
                    cur.execute(
                        "SELECT count(*) FROM documents_incomingdocument"
                        " WHERE id > %s AND number_symbol = %s",
                        [base["incoming"], f"{w['marker']}/BKHĐT-TH"],
                    )
                elif kind == "dossier":
                    cur.execute(
                        "SELECT count(*) FROM onestop_dossier WHERE id > %s AND summary LIKE %s",
                        [base["dossier"], f"%({w['marker']})%"],
                    )
                elif kind == "direct":
                    cur.execute(
                        "SELECT count(*) FROM workflow_historyentry WHERE id > %s AND comment LIKE %s",
                        [base["history"], f"%({w['marker']})%"],
                    )
                else:  # sign: the leader's signed version of that document
                    cur.execute(
                        "SELECT count(*) FROM documents_outgoingversion"
                        " WHERE document_id = %s AND kind = 'signed'",
                        [w["pk"]],
                    )
                n = cur.fetchone()[0]
                answered = "ok" if w["ok"] else ("refused" if w["status"] == 200 else "error")
                counts[(answered, min(n, 2))] += 1
            lost = counts[("ok", 0)]
            doubled = sum(v for (a, n), v in counts.items() if n >= 2)
            checks[kind] = {
                "writes": len(items),
                "answered_ok": sum(v for (a, _n), v in counts.items() if a == "ok"),
                "answered_refused": sum(v for (a, _n), v in counts.items() if a == "refused"),
                "answered_error": sum(v for (a, _n), v in counts.items() if a == "error"),
                "error_but_written_once": counts[("error", 1)],
                "lost": lost,
                "doubled": doubled,
                "ok": lost == 0 and doubled == 0,
            }
        result["writes"] = checks

        cur.execute(
            "SELECT text_status, count(*) FROM documents_incomingdocument WHERE id > %s GROUP BY 1",
            [base["incoming"]],
        )
        statuses = dict(cur.fetchall())
        cur.execute("SELECT to_regclass('eoffice_taskoutbox')")
        if cur.fetchone()[0]:
            cur.execute(
                "SELECT count(*), count(sent_at) FROM eoffice_taskoutbox WHERE created_at >= %s", [base["at"]]
            )
            rows, sent = cur.fetchone()
            result["task_outbox"] = {"rows": rows, "sent": sent, "ok": rows == sent}
        result["text_extraction"] = {
            "statuses": statuses,
            "pending": statuses.get("pending", 0),
            "ok": statuses.get("pending", 0) == 0,
        }
    result["celery_task_ids"] = task_runs(run)
    pdfs = []
    for version in OutgoingVersion.objects.filter(pk__gt=base["outgoing_version"], kind="signed"):
        with version.file.open("rb") as fh:
            report = verify_pdf(fh.read())
        pdfs.append({"document": version.document_id, "ok": report.all_ok, "error": report.error})
    result["signed_pdfs"] = {
        "checked": len(pdfs),
        "valid": sum(1 for p in pdfs if p["ok"]),
        "invalid": [p for p in pdfs if not p["ok"]][:10],
        "ok": all(p["ok"] for p in pdfs),
    }
    return result


TASK_LINE = re.compile(r"Task ([\w.]+)\[([^\]\s]+)\] (received|succeeded|raised|retry)")


def task_runs(run: Path) -> dict:
    """The workers' logs: each task id received and succeeded how many times, over both workers."""
    seen = collections.defaultdict(collections.Counter)
    names = {}
    for name in ("worker1", "worker2"):
        path = run / f"{name}.log"
        if not path.exists():
            continue
        for m in TASK_LINE.finditer(path.read_text(errors="replace")):
            # An outbox row's task id is "outbox-<row>-<attempt>": a row sent twice is one task.
            key = re.sub(r"^(outbox-\d+)-\d+$", r"\1", m.group(2))
            seen[key][m.group(3)] += 1
            names[key] = m.group(1)
    twice = [t for t, c in seen.items() if c["succeeded"] > 1]
    unfinished = [t for t, c in seen.items() if c["received"] and not c["succeeded"] and not c["raised"]]
    per_task = collections.Counter(names[t] for t, c in seen.items() if c["succeeded"])
    return {
        "task_ids": len(seen),
        "succeeded_once": sum(1 for c in seen.values() if c["succeeded"] == 1),
        "succeeded_twice_or_more": len(twice),
        "raised": sum(1 for c in seen.values() if c["raised"]),
        "received_not_finished": [{"task": names[t], "id": t} for t in unfinished][:20],
        "succeeded_per_task": dict(per_task.most_common()),
        "ok": not twice,
    }


# --------------------------------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return round(values[min(len(values) - 1, int(round(q * (len(values) - 1))))], 1)


def figures(requests: list[dict], t0: float, kill_at: float | None) -> dict:
    per = collections.defaultdict(list)
    for r in requests:
        per[r["name"]].append(r)
    endpoints = []
    for name, rows in sorted(per.items()):
        ms = [r["ms"] for r in rows if r["ok"]]
        endpoints.append(
            {
                "endpoint": name,
                "requests": len(rows),
                "failures": sum(1 for r in rows if not r["ok"]),
                "p50_ms": pct(ms, 0.50),
                "p95_ms": pct(ms, 0.95),
            }
        )
    all_ms = [r["ms"] for r in requests if r["ok"]]
    per_second = collections.defaultdict(lambda: [0, 0])
    for r in requests:
        s = int(r["t"] - t0)
        per_second[s][0] += 1
        per_second[s][1] += 0 if r["ok"] else 1
    timeline = []
    failures_around = []
    if kill_at is not None:
        k = int(kill_at - t0)
        for s in range(k - 5, k + 31):
            n, f = per_second.get(s, [0, 0])
            timeline.append({"second": s, "requests": n, "failures": f})
        failures_around = [
            {
                "t": round(r["t"] - t0, 2),
                "endpoint": r["name"],
                "status": r["status"],
                "error": (r["error"] or "")[:160],
            }
            for r in requests
            if not r["ok"] and kill_at - 2 <= r["t"] <= kill_at + 60
        ]
    total_failures = sum(1 for r in requests if not r["ok"])
    return {
        "requests": len(requests),
        "failures": total_failures,
        "p50_ms": pct(all_ms, 0.5),
        "p95_ms": pct(all_ms, 0.95),
        "requests_per_s": round(
            len(requests) / max(1.0, max((r["t"] for r in requests), default=t0) - t0), 1
        ),
        "endpoints": endpoints,
        "around_kill_per_second": timeline,
        "failures_around_kill": failures_around[:60],
        "failures_outside_kill_window": [
            {
                "t": round(r["t"] - t0, 2),
                "endpoint": r["name"],
                "status": r["status"],
                "error": (r["error"] or "")[:160],
            }
            for r in requests
            if not r["ok"] and (kill_at is None or not (kill_at - 2 <= r["t"] <= kill_at + 60))
        ][:30],
    }


# --------------------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------------------


def main() -> None:  # noqa: PLR0915 - one straight script
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--duration", type=int, default=600, help="seconds of load")
    parser.add_argument("--kill-at", type=int, default=300, help="seconds after the start; 0: no kill")
    parser.add_argument("--agencies", type=int, default=6)
    parser.add_argument("--to-sign", type=int, default=120, help="outgoing documents waiting for signature")
    parser.add_argument("--dossiers", type=int, default=50)
    parser.add_argument("--base-port", type=int, default=8160)
    parser.add_argument("--scale", default=None)
    parser.add_argument("--note", default="", help="what else ran on the machine (written in the results)")
    args = parser.parse_args()

    import django

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop what was started (``finally``)
    django.setup()
    from django.conf import settings
    from django.db import connection

    from bench.pages import ensure_static, scale_of_database
    from bench.province import machine_info

    locust = ensure_locust()
    nginx = ensure_nginx()
    ensure_static()
    from bench.province import scale_label

    _label, n_docs = scale_of_database()
    # The province's size (two significant digits): the run's own documents do not change the label.
    scale = args.scale or scale_label(round(n_docs, 2 - len(str(n_docs))))
    run = Path(tempfile.mkdtemp(prefix=f"scaleout-{scale}-", dir=settings.BENCH_DIR))
    print(f"run directory {run}", flush=True)
    started = time.time()
    cast = setup_cast(agencies=args.agencies, to_sign=args.to_sign, dossiers=args.dossiers, users=args.users)
    setup_seconds = round(time.time() - started, 1)
    (run / "cast.json").write_text(json.dumps(cast, ensure_ascii=False))
    (run / "scaleout_settings.py").write_text(SETTINGS)
    print(
        f"cast: {len(cast['clerks'])} clerks, {len(cast['leaders'])} leaders, "
        f"{len(cast['officers'])} officers, {len(cast['onestop_clerks'])} one-stop counter clerks, "
        f"{sum(map(len, cast['signing'].values()))} to sign, {len(cast['dossier_codes'])} dossiers "
        f"({setup_seconds} s)",
        flush=True,
    )
    base = baseline()
    connection.close()

    port, web1, web2 = args.base_port, args.base_port + 1, args.base_port + 2
    for p in (port, web1, web2):
        if not free(p):
            sys.exit(f"port {p} is taken")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "scaleout_settings",
        "PYTHONPATH": f"{run}{os.pathsep}{ROOT}",
        "SIGNING_TSA_IN_PROCESS": "1",
        "SCALEOUT_CAST": str(run / "cast.json"),
        "SCALEOUT_WRITES": str(run / "writes.jsonl"),
        "SCALEOUT_REQUESTS": str(run / "requests.jsonl"),
    }
    env.pop("EOFFICE_TESTING", None)
    procs = Processes(run, env)
    (run / "nginx.conf").write_text(NGINX_CONF.format(run=run, host=HOST, web1=web1, web2=web2, port=port))
    kill = {}
    loads: list[float] = []
    t0 = None
    try:
        bin_ = ROOT / ".venv" / "bin"
        for name, p in (("web1", web1), ("web2", web2)):
            procs.start(
                name,
                [
                    str(bin_ / "gunicorn"),
                    "eoffice.wsgi:application",
                    "--chdir",
                    str(ROOT),
                    "--bind",
                    f"{HOST}:{p}",
                    "--workers",
                    "2",
                    "--worker-class",
                    "gthread",
                    "--threads",
                    "4",
                    "--timeout",
                    "60",
                    # Longer than nginx's upstream keepalive_timeout (60 s): nginx closes an idle connection
                    # first. With gunicorn's 2 s, nginx reused connections gunicorn had closed ("connection
                    # reset"), counted them as failures and took the surviving node out ("no live
                    # upstreams": 15 answers 502 after the kill in the 1M run).
                    "--keep-alive",
                    "75",
                    "--access-logfile",
                    "-",
                    "--error-logfile",
                    "-",
                    "--log-level",
                    "warning",
                ],
            )
        for name in ("worker1", "worker2"):
            procs.start(
                name,
                [
                    str(bin_ / "celery"),
                    "-A",
                    "eoffice",
                    "worker",
                    "-Q",
                    QUEUES,
                    "-c",
                    "1",
                    "-n",
                    f"{name}@%h",
                    "-l",
                    "INFO",
                    "--without-gossip",
                    "--without-mingle",
                ],
            )
        procs.start("beat", [str(bin_ / "celery"), "-A", "eoffice", "beat", "-l", "INFO"])
        procs.start("nginx", [str(nginx), "-c", str(run / "nginx.conf"), "-p", str(run)])
        wait_http(f"http://{HOST}:{web1}/bench/bare/", procs.procs["web1"], "web node 1")
        wait_http(f"http://{HOST}:{web2}/bench/bare/", procs.procs["web2"], "web node 2")
        wait_http(f"http://{HOST}:{port}/bench/bare/", procs.procs["nginx"], "nginx")
        print("web nodes, workers, beat and nginx up; load starts", flush=True)

        def killer() -> None:
            time.sleep(args.kill_at)
            if locust_proc.poll() is None:
                kill["web1"] = procs.kill("web1")
                kill["worker1"] = procs.kill("worker1")
                print(f"killed web node 1 and worker 1 at +{kill['web1'] - t0:.1f} s", flush=True)

        def sampler() -> None:  # the machine's load while the run lasts (other work shares the cores)
            while locust_proc.poll() is None:
                loads.append(os.getloadavg()[0])
                time.sleep(10)

        t0 = time.time()
        locust_proc = procs.start(
            "locust",
            [
                str(locust),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "-u",
                str(args.users),
                "-r",
                str(args.spawn_rate),
                "-t",
                f"{args.duration}s",
                "--host",
                f"http://{HOST}:{port}",
                "--csv",
                str(run / "locust"),
                "--only-summary",
                "--stop-timeout",
                "30",
            ],
        )
        if args.kill_at:
            threading.Thread(target=killer, daemon=True).start()
        threading.Thread(target=sampler, daemon=True).start()
        locust_proc.wait()
        load_end = time.time()
        # The web side first (gunicorn finishes the requests it holds), then the queues drain with the
        # workers still up: a request still queued in a node when Locust stops queues its task too.
        for name in ("nginx", "web1", "web2"):
            procs.stop(name)
        print(f"load done ({locust_proc.returncode}); waiting for the queues to drain", flush=True)
        drained = drain(base, timeout=180)
    finally:
        procs.stop_all()
    django.db.connections.close_all()

    requests = [json.loads(x) for x in (run / "requests.jsonl").read_text().splitlines() if x.strip()]
    writes = [json.loads(x) for x in (run / "writes.jsonl").read_text().splitlines() if x.strip()]
    figs = figures(requests, t0, kill.get("web1"))
    checks = verify(base, writes, run)
    ok = all(
        c.get("ok", True)
        for c in [
            checks["incoming_numbers"],
            checks["outgoing_numbers"],
            checks["dossier_codes"],
            checks["text_extraction"],
            checks["celery_task_ids"],
            checks["signed_pdfs"],
            checks.get("task_outbox", {}),
            *checks["writes"].values(),
        ]
    )
    report = {
        "benchmark": "scale-out: nginx + 2 gunicorn nodes + 2 Celery workers + beat, Locust mixed workload",
        "scale": scale,
        "documents": n_docs,
        "users": args.users,
        "duration_s": args.duration,
        "load_seconds": round(load_end - t0, 1),
        "setup_seconds": setup_seconds,
        "drained_after_s": drained,
        "kill": {k: round(v - t0, 1) for k, v in kill.items()},
        "figures": figs,
        "verification": checks,
        "all_verified": ok,
        "run_directory": str(run),
        "machine": {
            **machine_info(),
            "load_average_1min_during_run": {
                "min": min(loads, default=0),
                "mean": round(statistics.mean(loads), 1) if loads else 0,
                "max": max(loads, default=0),
            },
        },
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "note": args.note,
        "python": platform.python_version(),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"scaleout-{scale}.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n")
    (RESULTS / f"scaleout-{scale}.md").write_text(markdown(report))
    print(markdown(report))
    print(f"written {out}")


def drain(base: dict, timeout: int) -> float:
    """Seconds until no incoming document of the run waits for its text extraction (or the timeout)."""
    from django.db import connection

    start = time.monotonic()
    while time.monotonic() - start < timeout:
        with connection.cursor() as cur:
            cur.execute(
                "SELECT count(*) FROM documents_incomingdocument WHERE id > %s AND text_status = 'pending'",
                [base["incoming"]],
            )
            if cur.fetchone()[0] == 0:
                break
        time.sleep(2)
    return round(time.monotonic() - start, 1)


def markdown(r: dict) -> str:
    f, v = r["figures"], r["verification"]
    killed = ", ".join(f"{k} at +{s} s" for k, s in r["kill"].items())
    lines = [
        f"# Scale-out run — {r['scale']} ({r['documents']:,} documents)",
        "",
        f"{r['users']} Locust users for {r['duration_s']} s through nginx → 2 gunicorn nodes "
        "(gthread, 2×4 each); "
        "2 Celery workers (-c 1, every queue) and beat; one PostgreSQL, one Redis. "
        f"Killed (SIGKILL, whole process group): {killed or 'nothing'}.",
        "",
        f"Machine: {r['machine'].get('cpu_model', '')} — {r['machine'].get('cpus', '?')} cores, "
        "shared with the other work running at the same time (other benchmarks and test runs; 1-minute "
        f"load average during the run {r['machine']['load_average_1min_during_run']}), Locust on the same "
        "cores. "
        f"When: {r['when']}.",
        *([f"Note: {r['note']}"] if r.get("note") else []),
        "",
        f"**{f['requests']:,} requests, {f['failures']} failures, {f['requests_per_s']} req/s; "
        f"p50 {f['p50_ms']} ms, p95 {f['p95_ms']} ms.**",
        "",
        "| endpoint | requests | failures | p50 ms | p95 ms |",
        "|---|--:|--:|--:|--:|",
        *[
            f"| {e['endpoint']} | {e['requests']} | {e['failures']} | {e['p50_ms']} | {e['p95_ms']} |"
            for e in f["endpoints"]
        ],
        "",
        "## What the users saw around the kill",
        "",
        "| second | requests | failures |",
        "|--:|--:|--:|",
        *[f"| {x['second']} | {x['requests']} | {x['failures']} |" for x in f["around_kill_per_second"]],
        "",
        *[
            f"- +{x['t']} s {x['endpoint']}: {x['status']} {x['error']}"
            for x in f["failures_around_kill"][:20]
        ],
        "",
        "## Verification",
        "",
        f"- {v['incoming_numbers']['what']}: {v['incoming_numbers']['numbers']} new numbers in "
        f"{v['incoming_numbers']['series']} series, consecutive and unique: {v['incoming_numbers']['ok']}",
        f"- {v['outgoing_numbers']['what']}: {v['outgoing_numbers']['numbers']} new numbers in "
        f"{v['outgoing_numbers']['series']} series, consecutive and unique: {v['outgoing_numbers']['ok']}",
        f"- {v['dossier_codes']['what']}: {v['dossier_codes']['numbers']} new codes in "
        f"{v['dossier_codes']['series']} series, consecutive and unique: {v['dossier_codes']['ok']} "
        f"(counters end at the last code: {v['dossier_codes']['counters_match']})",
        *[
            f"- writes `{k}`: {c['writes']} posted, {c['answered_ok']} answered OK, "
            f"{c['answered_refused']} refused with a message, {c['answered_error']} errors "
            f"({c['error_but_written_once']} of them written once); "
            f"lost {c['lost']}, doubled {c['doubled']}"
            for k, c in v["writes"].items()
        ],
        f"- text extraction tasks: {v['text_extraction']['statuses']} "
        f"(pending {v['text_extraction']['pending']})",
        f"- Celery task ids in the workers' logs: {v['celery_task_ids']['task_ids']}, succeeded once "
        f"{v['celery_task_ids']['succeeded_once']}, twice or more "
        f"{v['celery_task_ids']['succeeded_twice_or_more']}, "
        f"received but never finished {len(v['celery_task_ids']['received_not_finished'])}",
        *(
            [
                f"- task outbox rows written during the run: {v['task_outbox']['rows']}, "
                f"sent {v['task_outbox']['sent']}"
            ]
            if "task_outbox" in v
            else []
        ),
        f"- signed PDFs of the run: {v['signed_pdfs']['checked']} checked, {v['signed_pdfs']['valid']} valid",
        "",
        f"**All verified: {r['all_verified']}**",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
