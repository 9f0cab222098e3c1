"""The province benchmark at a tiny scale: the generator's rows, their invariants, one page of the runner.

Keeps ``bench/`` from rotting when the schema or the pages change (the real runs are in bench/README.md).
"""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from bench import pages, province
from documents.models import DocumentType, IncomingDocument, OutgoingDocument, RegisterCounter
from eoffice.models import Agency, User
from eoffice.search import fold
from workflow.models import Assignment, HistoryEntry

pytestmark = pytest.mark.django_db

N_DOCS = 300


def _sql(query: str, params=None) -> list[tuple]:
    with connection.cursor() as cur:
        cur.execute(query, params or [])
        return cur.fetchall()


@pytest.fixture
def loaded():
    # An earlier transactional test may have flushed the types the data migration made.
    types = importlib.import_module("documents.migrations.0002_document_types").TYPES
    for order, (name, abbreviation) in enumerate(types, start=1):
        DocumentType.objects.get_or_create(name=name, defaults={"abbreviation": abbreviation, "order": order})
    report = province.load(
        n_docs=N_DOCS, n_agencies=3, n_users=60, seed=7, shared_connection=True, log=lambda *args: None
    )
    report["personas"] = province.choose_personas(report)
    return report


def test_rows_per_table(loaded):
    assert Agency.objects.count() == 3
    assert User.objects.count() == loaded["org"]["staff"] >= 60
    assert not User.objects.filter(is_superuser=True).exists()
    assert IncomingDocument.objects.count() == round(N_DOCS * 0.7)
    assert OutgoingDocument.objects.count() == N_DOCS - round(N_DOCS * 0.7)
    for table, rows in loaded["rows"].items():
        assert _sql(f'SELECT count(*) FROM "{table}"')[0][0] >= rows, table  # noqa: S608
    history = HistoryEntry.objects.count()
    assert 3 * N_DOCS <= history <= 10 * N_DOCS
    # every document starts its history with "created"
    assert HistoryEntry.objects.filter(event="created").count() == N_DOCS


def test_numbers_unique_and_counted(loaded):
    for table in ("documents_incomingdocument", "documents_outgoingdocument"):
        assert not _sql(
            f"SELECT register_id, year, number FROM {table} WHERE number IS NOT NULL "  # noqa: S608
            "GROUP BY 1, 2, 3 HAVING count(*) > 1"
        )
        # numbers run 1..n in each register and year, and the counter holds n
        for register, year, n, top in _sql(
            f"SELECT register_id, year, count(*), max(number) FROM {table} "  # noqa: S608 - fixed table names
            "WHERE number IS NOT NULL GROUP BY 1, 2"
        ):
            assert n == top
            assert RegisterCounter.objects.get(register_id=register, year=year).last_number == top
    assert not IncomingDocument.objects.filter(number__isnull=True).exclude(state="new").exists()


def test_states_deadlines_and_parts_consistent(loaded):
    now = timezone.now()
    docs = list(IncomingDocument.objects.all())
    assert {d.state for d in docs} >= {"archived", "processing"}
    for d in docs:
        assert d.received_at <= now
        assert d.due_at > d.received_at and d.due_soon_at <= d.due_at
        assert d.search_text == fold(
            " ".join(filter(None, [d.number_symbol, d.issuer_name, d.summary, d.signer_name, d.note]))
        )
        if d.state != "new":
            assert d.received_at <= d.registered_at <= now
        if d.state in ("new", "received", "returned"):
            assert d.directed_at is None
        else:
            assert d.registered_at <= d.directed_at <= now and d.directed_by_id
        if d.state == "archived":
            assert d.directed_at <= d.completed_at <= now
        else:
            assert d.completed_at is None
        parts = Assignment.objects.for_record(d)
        if d.state in ("assigned", "processing") and d.recalled_at is None:
            # an open root lead part, and someone holds it (the unit's head, or the person handed it)
            assert parts.filter(role="lead", parent__isnull=True, status="open").count() == 1
        if d.state == "processing" and d.recalled_at is None:
            assert parts.filter(role="lead", status="open", assignee__isnull=False).exists()
        if d.state == "archived":
            assert not parts.filter(status="open").exclude(role="inform").exists()
    assert IncomingDocument.objects.filter(search_vector__isnull=True).count() == 0
    for a in Assignment.objects.exclude(role="inform"):
        assert (a.status == "open") == (a.completed_at is None)
        if a.status == "open" and a.due_at < now - timedelta(days=1):
            assert a.reminder_level >= 2  # already reminded: the steady-state scan finds nothing old
        if a.status == "open" and a.due_soon_at > now:
            assert a.reminder_level == 0


def test_personas_and_one_page_of_the_runner(loaded, settings):
    personas = pages.load_personas()
    assert personas == loaded["personas"]
    officer = User.objects.get(pk=personas["officer"]["id"])
    assert not officer.is_superuser and officer.has_role("officer")
    assert personas["officer"]["open_items"] >= 1  # the persona's document, being processed
    detail = IncomingDocument.objects.get(pk=personas["detail_document"]["id"])
    assert detail.state == "processing"
    assert Assignment.objects.for_record(detail).filter(assignee=officer, status="open").exists()
    assert 5 <= personas["detail_document"]["history_rows"] <= 9

    plan = {p["name"]: p for p in pages.page_plan(personas, today=timezone.localdate())}
    client = Client()
    client.force_login(officer)
    result = pages.measure(client, plan["officer_todo"]["url"], reps=2, warmup=1)
    assert result["ok"], result
    assert result["queries"] > 0 and result["p95_ms"] > 0
    # the persona's document is in the officer's "in progress" queue
    assert (
        detail.number_symbol.encode()
        in client.get(plan["officer_todo"]["url"].replace("todo", "progress")).content
    )
    result = pages.measure(client, plan["detail"]["url"], reps=2, warmup=1)
    assert result["ok"], result
    assert result["slowest_sql"]["ms"] >= 0
