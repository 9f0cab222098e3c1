"""The mixed workload of the scale-out run (``bench/scaleout.py`` starts Locust with this file).

Runs in its own virtualenv (``bench/.venv-locust``): it imports nothing of the product. What it needs comes
from the cast file the run wrote (``SCALEOUT_CAST``): the people, their passwords, the documents waiting
for a signature, the dossier codes. Every write carries a unique marker and is appended to
``SCALEOUT_WRITES`` (one JSON line per write: marker, kind, what the server answered), so that the run can
match "answered OK" with "in the database" afterwards.

Users (weights): clerks registering incoming documents (a real multipart form post with its CSRF token and
a small PDF), leaders directing documents of their "awaiting direction" queue and signing the outgoing
documents waiting for their signature (PIN form), officers browsing their queue, a document and searching,
one-stop counter clerks receiving dossiers with the reception form (the procedure's papers ticked, decision
"valid": a dossier code at once), citizens tracking dossiers on the public page (each citizen with its own
address, sent as X-Forwarded-For through nginx).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading
import time
import uuid
from datetime import date

from locust import HttpUser, between, events, task

CAST = json.loads(open(os.environ["SCALEOUT_CAST"], encoding="utf-8").read())  # noqa: SIM115
WRITES_PATH = os.environ["SCALEOUT_WRITES"]
_writes_lock = threading.Lock()
_writes = open(WRITES_PATH, "a", encoding="utf-8")  # noqa: SIM115
_counter = itertools.count()
_requests = open(os.environ["SCALEOUT_REQUESTS"], "a", encoding="utf-8")  # noqa: SIM115


@events.request.add_listener
def _one_request(request_type, name, response_time, response_length, response=None, exception=None, **kw):
    """Every request, one line: when it ended, its endpoint, status, time, failure (the run's figures and
    its per-second view of the kill come from these lines, not from Locust's own aggregates)."""
    line = {
        "t": round(time.time(), 3),
        "name": name,
        "status": getattr(response, "status_code", 0) or 0,
        "ms": round(response_time or 0, 1),
        "ok": exception is None,
        "error": None if exception is None else str(exception)[:300],
    }
    with _writes_lock:
        _requests.write(json.dumps(line, ensure_ascii=False) + "\n")
        _requests.flush()


CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
INCOMING_RE = re.compile(r'href="/documents/incoming/(\d+)/"')
ALERT_RE = re.compile(
    r'<div class="alert alert-(success|error|warning|info)">.*?<div class="alert-body">(.*?)</div>', re.S
)
ERRORLIST_RE = re.compile(
    r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>|<div class="alert alert-error" role="alert">(.*?)</div>',
    re.S,
)
SEARCH_WORDS = [
    "ke hoach",
    "dau tu",
    "chuyen doi so",
    "ngan sach",
    "quy hoach",
    "bao cao",
    "123/QĐ",
    "giai ngan",
]
PDF = CAST["pdf_bytes"].encode("latin-1")
TO_SIGN: dict[int, list[int]] = {}


def record(kind: str, marker: str, response, **extra) -> None:
    line = {
        "t": round(time.time(), 3),
        "kind": kind,
        "marker": marker,
        "status": getattr(response, "status_code", None),
        "url": getattr(response, "url", None),
        "ok": extra.pop("ok", None),
        **extra,
    }
    with _writes_lock:
        _writes.write(json.dumps(line, ensure_ascii=False) + "\n")
        _writes.flush()


def errors(html: str) -> list[tuple[str, str]]:
    found = ["".join(groups) for groups in ERRORLIST_RE.findall(html)]
    return [("field", re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", e)).strip()) for e in found]


def alerts(html: str) -> list[tuple[str, str]]:
    return [(level, re.sub(r"\s+", " ", body).strip()) for level, body in ALERT_RE.findall(html)]


def judge_redirect(response, kind: str, marker: str, landing: str, failure: str) -> None:
    """A form that, once accepted, redirects to the new record's page (``landing``, a regular expression
    over the final URL): record the write with the page's alerts and field errors when it was refused."""
    ok = response.status_code == 200 and re.search(landing, response.url or "") is not None
    problems = None if ok else (alerts(response.text) + errors(response.text))[:3]
    record(kind, marker, response, ok=ok, alerts=problems)
    if response.status_code == 200 and not ok:
        response.failure(failure)


class Staff(HttpUser):
    abstract = True
    role = ""

    def on_start(self) -> None:
        self.n = next(_counter)
        people = CAST[self.role]
        self.me = people[self.n % len(people)]
        self.client.headers["X-Forwarded-For"] = f"10.{self.n // 250}.{self.n % 250}.{random.randint(1, 250)}"
        if self.me.get("session"):
            self.client.cookies.set(CAST["session_cookie"], self.me["session"])
        else:
            self.login()

    def login(self) -> None:
        page = self.client.get("/account/login/", name="login (form)")
        credentials = {"username": self.me["username"], "password": CAST["password"]}
        with self.post_form("/account/login/", page.text, credentials, name="login (post)") as response:
            if "/account/login/" in response.url:
                response.failure("login refused")

    def csrf(self, html: str) -> str:
        found = CSRF_RE.search(html)
        return found.group(1) if found else ""

    def post_form(self, url: str, page_html: str, data: dict, *, name: str, referer: str = "", files=None):
        """POST a form as the browser does: the CSRF token of the page it came from, that page as Referer;
        a ``catch_response`` context for the caller to judge the answer."""
        return self.client.post(
            url,
            data={"csrfmiddlewaretoken": self.csrf(page_html), **data},
            files=files,
            headers={"Referer": self.host + (referer or url)},
            name=name,
            catch_response=True,
        )

    def get_ok(self, url: str, name: str):
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code == 200 and "/account/login/" in response.url:
                response.failure("logged out")
                self.login()
            return response


class Clerk(Staff):
    role = "clerks"
    weight = 20
    wait_time = between(3, 8)

    @task
    def register_incoming(self) -> None:
        form = self.get_ok("/documents/incoming/new/", "clerk: incoming form")
        if form.status_code != 200:
            return
        marker = f"SO{uuid.uuid4().hex[:12].upper()}"
        data = {
            "issuer_name": "Bộ Kế hoạch và Đầu tư",
            "number_symbol": f"{marker}/BKHĐT-TH",
            "issued_date": date.today().isoformat(),
            "doc_type": str(CAST["doc_type"]),
            "summary": f"V/v kiểm tra tải đồng thời ({marker})",
            "signer_name": "Nguyễn Văn Bình",
            "urgency": "0",
            "confidentiality": "0",
            "received_at": time.strftime("%Y-%m-%dT%H:%M"),
            "channel": CAST["channel"],
            "register_now": "on",
        }
        # A PDF of its own (a comment after %%EOF): the same file twice is a duplicate to the product.
        pdf = {"main_files": (f"{marker}.pdf", PDF + f"\n% {marker}\n".encode(), "application/pdf")}
        with self.post_form(
            "/documents/incoming/new/", form.text, data, files=pdf, name="clerk: register incoming (POST)"
        ) as response:
            judge_redirect(response, "incoming", marker, r"/documents/incoming/\d+/$", "form not accepted")


class Leader(Staff):
    role = "leaders"
    weight = 10
    wait_time = between(3, 8)

    def on_start(self) -> None:
        super().on_start()
        # The documents waiting for this leader's signature, shared by the users logged in as them (one
        # Locust process, gevent: a pop is never split).
        self.to_sign = TO_SIGN.setdefault(self.me["id"], list(CAST["signing"].get(str(self.me["id"]), [])))

    @task(5)
    def direct(self) -> None:
        queue = self.get_ok("/documents/incoming/q/direction/", "leader: awaiting direction queue")
        pks = INCOMING_RE.findall(queue.text)
        if not pks:
            return
        pk = random.choice(pks)
        detail = self.get_ok(f"/documents/incoming/{pk}/", "leader: document")
        if detail.status_code != 200 or "direct-instruction" not in detail.text:
            return
        marker = f"CD{uuid.uuid4().hex[:12].upper()}"
        dept = random.choice(self.me["departments"])
        direction = {
            "direct-instruction": f"Giao đơn vị chủ trì xử lý ({marker})",
            "direct-lead": f"d:{dept}",
        }
        with self.post_form(
            f"/documents/incoming/{pk}/direct/",
            detail.text,
            direction,
            referer=f"/documents/incoming/{pk}/",
            name="leader: direct (POST)",
        ) as response:
            found = alerts(response.text)
            ok = response.status_code == 200 and any(level == "success" for level, _ in found)
            record("direct", marker, response, ok=ok, pk=int(pk), alerts=found[:2])
            if response.status_code == 200 and not ok:
                response.success()  # another leader directed it first: a clear message, not a failure

    @task(1)
    def sign(self) -> None:
        if not self.to_sign:
            return
        pk = self.to_sign.pop()
        page = self.get_ok(f"/documents/outgoing/{pk}/", "leader: outgoing document")
        if page.status_code != 200:
            return
        marker = f"KY{pk}"
        with self.post_form(
            f"/documents/outgoing/{pk}/sign/",
            page.text,
            {"pin": CAST["pin"]},
            referer=f"/documents/outgoing/{pk}/",
            name="leader: sign (POST)",
        ) as response:
            found = alerts(response.text)
            ok = response.status_code == 200 and any(level == "success" for level, _ in found)
            record("sign", marker, response, ok=ok, pk=int(pk), alerts=found[:2])
            if response.status_code == 200 and not ok:
                response.failure("not signed: " + "; ".join(body for _, body in found)[:200])


class CounterClerk(Staff):
    """A one-stop officer at the counter: the reception form of the agency's procedure, posted with the
    applicant, the procedure's papers ticked as received and the decision "valid" (the dossier gets its
    code in the same transaction). The marker is in the request's summary."""

    role = "onestop_clerks"
    weight = 10
    wait_time = between(3, 8)

    @task
    def receive(self) -> None:
        form = self.get_ok("/onestop/receive/", "counter: reception form")
        if form.status_code != 200:
            return
        marker = f"MC{uuid.uuid4().hex[:12].upper()}"
        data = {
            "procedure": str(self.me["procedure"]),
            "channel": "counter",
            "applicant_kind": "person",
            "applicant_name": "Trần Thị Bích",
            "applicant_id_number": f"0010860{random.randint(10000, 99999)}",
            "applicant_phone": "0912345678",
            "applicant_address": "Số 12 Trần Phú",
            "summary": f"Đăng ký thành lập doanh nghiệp tư nhân ({marker})",
            "note": "",
            "outcome": "valid",
        }
        for pk, kind in self.me["papers"]:
            data |= {f"paper-{pk}-received": "on", f"paper-{pk}-kind": kind, f"paper-{pk}-quantity": "1"}
        with self.post_form(
            "/onestop/receive/", form.text, data, name="counter: receive dossier (POST)"
        ) as response:
            judge_redirect(response, "dossier", marker, r"/onestop/\d+/\?new=1$", "reception not accepted")


class Officer(Staff):
    role = "officers"
    weight = 50
    wait_time = between(2, 6)

    @task(3)
    def queue(self) -> None:
        page = self.get_ok("/documents/incoming/q/todo/", "officer: to-process queue")
        pks = INCOMING_RE.findall(page.text)
        if pks:
            self.get_ok(f"/documents/incoming/{random.choice(pks)}/", "officer: document")

    @task(2)
    def search(self) -> None:
        word = random.choice(SEARCH_WORDS)
        if "/" in word:
            self.get_ok(f"/documents/search/?number={word}", "officer: search (number)")
        else:
            self.get_ok(f"/documents/search/?q={word}", "officer: search (text)")

    @task(1)
    def dashboard(self) -> None:
        self.get_ok("/", "officer: dashboard")


class Citizen(HttpUser):
    weight = 20
    wait_time = between(3, 10)

    def on_start(self) -> None:
        n = next(_counter)
        self.client.headers["X-Forwarded-For"] = f"172.16.{n % 250}.{random.randint(1, 250)}"

    @task
    def track(self) -> None:
        codes = CAST["dossier_codes"]
        code = random.choice(codes) if codes else "000.00.00.H99-000000-0000"
        self.client.headers["X-Forwarded-For"] = f"172.17.{random.randint(0, 250)}.{random.randint(1, 250)}"
        with self.client.get(
            f"/mot-cua/tra-cuu/?code={code}", name="citizen: track dossier", catch_response=True
        ) as response:
            if response.status_code == 200 and codes and code not in response.text:
                response.failure("dossier not shown")
