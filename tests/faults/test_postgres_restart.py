"""PostgreSQL restarted while pages are being served (issue 21 §1).

A private PostgreSQL (pgserver's binaries) with the project migrated into it, a real gunicorn (2 workers,
4 threads) serving it, and two clerks at their browsers: each reads the incoming list and receives
documents through the real form (a PDF upload, each with a unique number as marker), in a loop, while the
test stops the server for a while, then restarts it with ``pg_ctl restart -m fast`` and ``-m immediate``
(a crash: recovery at start).

Asserted: every answer is 200/302, or 503 with the Vietnamese "thử lại" page (a short fragment for htmx);
never a 500, never a traceback; afterwards requests succeed again from the same gunicorn processes (same
pids); every write answered with success is in the database, each marker at most once, and each document
has its "created" history row and its file on disk (nothing half-applied).
"""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import pytest

from tests.faults.livesite import (
    Browser,
    Gunicorn,
    PrivatePostgres,
    incoming_fields,
    manage,
    pdf_file,
    prepare_var,
    seed,
    site_env,
    temp_root,
    wait_until,
)

pytestmark = [pytest.mark.faults, pytest.mark.slow]

LIST = "/documents/incoming/"
NEW = "/documents/incoming/new/"
MESSAGE = "Hệ thống đang tạm gián đoạn, vui lòng thử lại sau ít phút"


@pytest.fixture(scope="module")
def site():
    root = temp_root("eo-faults-pg-")
    pg = PrivatePostgres(root)
    web = None
    try:
        pg.init()
        env = site_env(database_url=pg.url, var_dir=root / "var", redis_url=_redis_url())
        manage(env, "migrate", "--noinput")
        prepare_var(env, root / "var")
        people = seed(env)
        web = Gunicorn(env=env, root=root)
        web.start()
        yield {"pg": pg, "web": web, "people": people, "root": root}
    finally:
        if web is not None:
            web.stop()
        pg.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)


def _redis_url() -> str:
    from django.conf import settings

    return settings.REDIS_URL


class Clerk(threading.Thread):
    """Reads the list and receives a document, again and again, recording every answer."""

    def __init__(self, name: str, port: int, people: dict, stop: threading.Event):
        super().__init__(daemon=True)
        self.tag, self.port, self.people, self.stop = name, port, people, stop
        self.answers: list[tuple[str, int, str]] = []  # (what, status, problem or "")
        self.written: list[str] = []  # markers answered with success
        self.tried: list[str] = []
        self.browser = Browser(port)
        self.browser.login(people["username"], people["password"])

    def run(self) -> None:
        n = 0
        while not self.stop.is_set():
            n += 1
            self._check("list", self.browser.get(LIST))
            marker = f"{self.tag}-{n}/SC"
            self.tried.append(marker)
            answer = self.browser.post(
                NEW,
                fields=incoming_fields(marker=marker, doc_type=self.people["doc_type"]),
                files={"main_files": pdf_file(marker)},
            )
            if self._check("write", answer) and answer.status == 302:
                self.written.append(marker)

    def _check(self, what: str, answer) -> bool:
        problem = _problem(answer, ok=(200, 302))
        self.answers.append((what, answer.status, problem))
        return not problem

    def successes(self) -> int:
        return len(self.written)


def _problem(answer, *, ok) -> str:
    if "Traceback" in answer.body:
        return "traceback in the page"
    if answer.status in ok:
        return ""
    if answer.status == 503:
        if MESSAGE not in answer.body or "Thử lại" not in answer.body:
            return "503 without the Vietnamese page"
        if not answer.headers.get("retry-after"):
            return "503 without Retry-After"
        return ""
    return f"status {answer.status}"


def test_requests_survive_a_postgres_restart(site):
    pg, web, people = site["pg"], site["web"], site["people"]
    pids = web.pids()
    stop = threading.Event()
    clerks = [Clerk(name, web.port, people, stop) for name in ("A", "B")]
    for clerk in clerks:
        clerk.start()

    def progress(more: int):
        start = sum(c.successes() for c in clerks)
        return lambda: sum(c.successes() for c in clerks) >= start + more

    try:
        wait_until(progress(4), "writes before the fault")

        # 1. The server is away for a while: pages in flight and new ones get the 503 page.
        pg.stop("fast")
        probe = Browser(web.port)
        probe.cookies = dict(clerks[0].browser.cookies)
        down = [probe.get(LIST), probe.post(NEW, fields=incoming_fields(marker="DOWN/SC", doc_type=1))]
        htmx = probe.get(LIST, headers={"HX-Request": "true"})
        pg.start()
        wait_until(progress(4), "writes after the server came back")

        # 2. A fast restart (sessions ended by the server) and a crash (immediate) under load.
        pg.restart("fast")
        wait_until(progress(4), "writes after pg_ctl restart -m fast")
        pg.restart("immediate")
        wait_until(progress(4), "writes after pg_ctl restart -m immediate")
    finally:
        stop.set()
        for clerk in clerks:
            clerk.join(timeout=180)

    log = web.log()
    for answer in down:
        assert answer.status == 503, answer
        assert _problem(answer, ok=()) == "", answer
    assert htmx.status == 503
    assert MESSAGE in htmx.body and "<html" not in htmx.body
    assert htmx.headers.get("hx-trigger") == "eoffice:unavailable"

    answers = [a for clerk in clerks for a in clerk.answers]
    problems = [a for a in answers if a[2]]
    assert not problems, problems
    assert {status for _what, status, _p in answers} <= {200, 302, 503}
    assert "Traceback" not in log

    # The same processes serve again: no worker was restarted.
    assert web.pids() == pids
    after = Browser(web.port)
    after.login(people["username"], people["password"])
    assert after.get(LIST).status == 200

    # Every write answered with success is there, once; nothing is half-applied.
    rows = pg.query(
        """
        SELECT d.number_symbol, d.file, count(h.id)
        FROM documents_incomingdocument d
        LEFT JOIN workflow_historyentry h
          ON h.object_id = d.id AND h.event = 'created'
         AND h.content_type_id = (SELECT id FROM django_content_type
                                  WHERE app_label = 'documents' AND model = 'incomingdocument')
        GROUP BY d.id
        """
    )
    markers = [row[0] for row in rows]
    assert len(markers) == len(set(markers)), "a write applied twice"
    written = {m for clerk in clerks for m in clerk.written}
    assert written <= set(markers), sorted(written - set(markers))
    tried = {m for clerk in clerks for m in clerk.tried}
    assert set(markers) <= tried  # nothing from nowhere
    assert "DOWN/SC" not in markers
    media = Path(site["root"]) / "var" / "media"
    for marker, name, created in rows:
        assert created == 1, f"{marker}: its history row is missing"
        assert name and (media / name).is_file(), f"{marker}: its file is missing"
    summary = {
        "answers": len(answers),
        "503": sum(1 for a in answers if a[1] == 503),
        "written": len(written),
    }
    print(json.dumps(summary))
