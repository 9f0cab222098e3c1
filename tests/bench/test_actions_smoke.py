"""The actions benchmark's timing split (``bench/timing.py``, ``bench/timing_client.py``) on a few requests
in-process, so that it cannot rot: the entry points it wraps still exist, the middleware's header carries
every part, the browser side reads the page's form and splits a sample. No timing is asserted."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings

from bench import timing
from bench.actions import ACTIONS, FLOWS, markdown, summarise
from bench.timing_client import Sample, Step, fill, form
from tests.factories import PASSWORD, make_agency, make_user

pytestmark = pytest.mark.django_db

MIDDLEWARE = ["bench.timing.ServerTimingMiddleware", *settings.MIDDLEWARE]


@pytest.fixture(autouse=True)
def _unwrapped_after():
    yield
    timing.uninstall()


def test_every_entry_point_is_wrapped():
    timing.install()
    for owner, name, _part in timing.targets():
        assert getattr(getattr(owner, name), "__bench_timed__", False), (owner, name)
    timing.uninstall()
    for owner, name, _part in timing.targets():
        assert not hasattr(getattr(owner, name), "__bench_timed__"), (owner, name)
    assert set(FLOWS) == set(ACTIONS)


def test_parts_are_exclusive_and_add_up():
    from weasyprint import HTML

    with timing.recording() as account:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
        HTML(string="<p>Công văn</p>").write_pdf()  # write_pdf calls render inside: counted once
    assert account.queries == 1
    assert account.ms["db"] > 0 and account.ms["render"] > 0
    parsed = timing.parse(account.header(total_ms=sum(account.ms.values()) + 1))
    assert set(timing.PARTS) <= set(parsed) and parsed["queries"] == 1
    assert sum(parsed[p] for p in timing.PARTS) <= parsed["app"]


@override_settings(MIDDLEWARE=MIDDLEWARE)
def test_login_through_the_timing_middleware():
    user = make_user(agency=make_agency())
    client = Client()
    page = client.get("/account/login/")
    url, fields = form(page.content, "/account/login/", "/account/login/")
    assert any(name == "csrfmiddlewaretoken" for name, _v in fields)
    post = client.post(url, dict(fill(fields, {"username": user.username, "password": PASSWORD})))
    assert post.status_code == 302, post.status_code
    landing = client.get(post["Location"])
    assert landing.status_code == 200
    steps = []
    for name, response in (("login POST", post), ("login page", landing)):
        parts = timing.parse(response[timing.HEADER])
        assert set(timing.PARTS) <= set(parts) and parts["queries"] > 0
        steps.append(Step(name=name, status=response.status_code, ms=parts["app"] + 1, parts=parts))
    assert steps[0].parts["hash"] > 0  # the password was checked
    assert steps[1].parts["tpl"] > 0  # the landing page's HTML
    sample = Sample(steps=steps)
    split = sample.split()
    assert split["other"] > 0 and split["total"] == pytest.approx(sum(s.ms for s in steps))
    summary = summarise([sample, sample])
    assert summary["n"] == 2 and set(summary["steps_p50_ms"]) == {"login POST", "login page"}
    report = {
        "gunicorn": "test",
        "n": 2,
        "warmup": 0,
        "database": "test",
        "documents": 0,
        "load_before": [0, 0, 0],
        "load_after": [0, 0, 0],
        "actions": {"login": {**summary, "target_ms": 150, "met": False}},
        "machine": {"cpus": 2, "cpu_model": "x", "ram": "", "postgres": "", "python": ""},
        "when": "now",
    }
    assert "| Đăng nhập" in markdown(report)
