"""The complaints part of the province benchmark at a tiny scale: the year the generator adds keeps the
product's invariants (register numbers and counters, identities stored as the product stores them, the
clock as ``deadlines.recompute`` gives it, the lead assignment of every open case), and the page runner
measures the complaints pages on it, so ``bench/`` cannot rot."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.models import Count, Max
from django.utils import timezone

from bench import complaints_data, complaints_pages, province
from complaints import crypto, deadlines
from complaints.models import (
    OPEN_CASE_STATES,
    Case,
    CaseMember,
    ComplaintSettings,
    Identity,
    Letter,
    ReceptionSession,
    RegisterCounter,
    Visit,
)
from documents.models import DocumentType
from workflow.models import Assignment

pytestmark = pytest.mark.django_db


def _sql(query: str) -> list[tuple]:
    with connection.cursor() as cur:
        cur.execute(query)
        return cur.fetchall()


@pytest.mark.slow  # loads a three-agency province with a year of complaints, then requests each page
def test_generated_year_and_page_runner(settings, monkeypatch):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    types = importlib.import_module("documents.migrations.0002_document_types").TYPES
    for order, (name, abbreviation) in enumerate(types, start=1):
        DocumentType.objects.get_or_create(name=name, defaults={"abbreviation": abbreviation, "order": order})
    monkeypatch.setattr(complaints_data, "VOLUME", 0.25)  # UBND tỉnh and two Sở: ~700 letters, not 2,800
    # A fixed "now" with the fixed seed: the generated year is the same every day (the overdue cases the
    # assertions below look for come from random late resolutions, which a moving "now" can miss).
    report = province.load(
        n_docs=30,
        n_agencies=3,
        n_users=60,
        seed=7,
        shared_connection=True,
        now=datetime(2026, 12, 6, 6, 30, tzinfo=UTC),
        log=lambda *args: None,
    )
    year = report["complaints"]
    assert Letter.objects.count() == year["rows"]["letter"] > 400
    assert Case.objects.count() == year["rows"]["case"] >= Letter.objects.count()
    assert Visit.objects.count() == year["rows"]["visit"] > 50
    assert ComplaintSettings.objects.count() == 3
    assert ReceptionSession.objects.filter(kind="leader").count() >= 3 * 12

    # Every kind of state and intake outcome, overdue and suspended cases, duplicates, 2nd instance absent
    # (no child agency among three) but forwarded ones present.
    states = set(Case.objects.values_list("state", flat=True))
    assert {
        "registered",
        "accepted",
        "resolved",
        "closed",
        "refused",
        "forwarded",
        "guided",
        "kept",
    } <= states
    now = timezone.now()
    assert Case.objects.filter(state__in=OPEN_CASE_STATES, due_at__lt=now).exists()
    assert Case.objects.filter(duplicate_of__isnull=False, state__in=("kept", "closed")).exists()
    assert not Case.objects.filter(duplicate_of__isnull=False).exclude(outcome="keep").exists()

    # Register numbers: 1..n per agency and year, and the counter holds n.
    for model, register in ((Letter, "letters"), (Visit, "visits")):
        for row in model.objects.values("agency_id", "year").annotate(n=Count("id"), top=Max("number")):
            assert row["n"] == row["top"]
            assert (
                RegisterCounter.objects.get(
                    agency_id=row["agency_id"], register=register, year=row["year"]
                ).last
                == row["n"]
            )

    # Identities as the product stores them: encrypted, no plain name for a protected person.
    protected = Identity.objects.filter(protected=True).first()
    assert protected is not None and protected.display_name == ""
    assert crypto.decrypt(protected.name_enc) and protected.match_key
    plain = Identity.objects.filter(protected=False).first()
    assert crypto.decrypt(plain.name_enc) == plain.display_name
    assert not Identity.objects.filter(letter__protected=True, protected=False).exists()

    # The clock: what deadlines.recompute gives for the stored state (a sample of open cases); closed
    # cases have none; every open case with a clock has its open lead assignment with the same due date.
    sample = Case.objects.filter(state__in=OPEN_CASE_STATES).select_related("letter")[:40]
    for case in sample:
        stored, rule = case.due_at, case.due_rule_id
        deadlines.recompute(case)
        assert (case.due_at, case.due_rule_id) == (stored, rule), case.code
    assert not Case.objects.exclude(state__in=OPEN_CASE_STATES).filter(due_at__isnull=False).exists()
    running = Case.objects.filter(state__in=OPEN_CASE_STATES, due_at__isnull=False)
    leads = Assignment.objects.filter(content_type__model="case", role="lead", status="open")
    assert leads.count() == running.count() == year["rows"]["assignment"]
    assert not _sql(
        "SELECT c.id FROM complaints_case c JOIN workflow_assignment a ON a.object_id = c.id "
        "AND a.content_type_id = (SELECT id FROM django_content_type WHERE app_label = 'complaints' "
        "AND model = 'case') WHERE a.due_at IS DISTINCT FROM c.due_at"
    )
    assert CaseMember.objects.filter(role="lead").exists()
    assert year["seconds_encrypt"] > 0 and year["encrypted_fields"] > 0

    # The page runner on it: every page answers 200 with its personas (none a superuser).
    result = complaints_pages.run(reps=2, log=lambda *args: None)
    assert result["rows"]["complaints_case"] == year["rows"]["case"]
    for name, page in result["pages"].items():
        if page.get("available"):
            assert page["ok"], (name, page.get("statuses"))
            assert page["queries"] > 0 and page["p95_ms"] > 0
    assert result["pages"]["cases"]["available"]
