"""The meetings part of the province benchmark at a tiny scale: the year the generator adds keeps its
invariants (no room double-booked by approved meetings, every state, published past weeks, a leader on duty
every day), and the page runner measures the meetings pages on it, so ``bench/`` cannot rot."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from bench import meetings_data, meetings_pages, province
from documents.models import DocumentType
from meetings import rules
from meetings.models import (
    DutyShift,
    Meeting,
    Participant,
    PublishedWeek,
    ReceptionDay,
    Room,
    ScheduleSettings,
)

pytestmark = pytest.mark.django_db


def _sql(query: str) -> list[tuple]:
    with connection.cursor() as cur:
        cur.execute(query)
        return cur.fetchall()


@pytest.mark.slow  # loads a three-agency province with a year of meetings, then requests each page
def test_generated_year_and_page_runner(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    types = importlib.import_module("documents.migrations.0002_document_types").TYPES
    for order, (name, abbreviation) in enumerate(types, start=1):
        DocumentType.objects.get_or_create(name=name, defaults={"abbreviation": abbreviation, "order": order})
    report = province.load(
        n_docs=30, n_agencies=3, n_users=60, seed=7, shared_connection=True, log=lambda *args: None
    )
    year = report["meetings"]
    assert year["weeks"] == meetings_data.WEEKS_BACK + meetings_data.WEEKS_AHEAD + 1
    assert Meeting.objects.count() == year["rows"]["meeting"] > 100
    assert Participant.objects.count() == year["rows"]["participant"]
    assert Room.objects.count() == year["rows"]["room"] >= 3
    assert ScheduleSettings.objects.count() == 3

    # Every state; nothing approved overlaps in one room; 2–15 participants (+ another agency, a guest).
    assert set(Meeting.objects.values_list("state", flat=True)) == {
        "approved",
        "submitted",
        "rejected",
        "cancelled",
    }
    assert not _sql(
        "SELECT a.id FROM meetings_meeting a JOIN meetings_meeting b ON a.room_id = b.room_id "
        "AND a.id < b.id AND a.state = 'approved' AND b.state = 'approved' "
        "AND a.start_at < b.end_at AND b.start_at < a.end_at"
    )
    sizes = [n for (n,) in _sql("SELECT count(*) FROM meetings_participant GROUP BY meeting_id")]
    assert min(sizes) >= 1 and max(sizes) <= 17
    now = timezone.now()
    assert not Meeting.objects.filter(state="submitted", approved_at__isnull=False).exists()
    assert Meeting.objects.filter(state="approved", end_at__lte=now, approved_by__isnull=False).exists()
    assert Meeting.objects.filter(state="submitted", start_at__gt=now).exists()

    # Published past weeks (not the coming ones), a duty every day, reception days.
    monday = rules.week_start(timezone.localdate())
    assert PublishedWeek.objects.filter(week_start=monday).count() == 3
    assert not PublishedWeek.objects.filter(week_start__gt=monday).exists()
    days = {d for (d,) in DutyShift.objects.values_list("date")}
    assert len(days) == 7 * year["weeks"]
    assert ReceptionDay.objects.filter(date__gte=monday - timedelta(days=31)).exists()

    # The page runner on it: every meetings page answers 200 with its personas (none a superuser).
    result = meetings_pages.run(reps=2, log=lambda *args: None)
    assert result["rows"]["meetings_meeting"] == year["rows"]["meeting"]
    for name in ("week", "my_week", "my_week_leader", "approvals", "rooms"):
        page = result["pages"][name]
        assert page["available"] and page["ok"], (name, page.get("errors"))
        assert page["queries"] > 0 and page["p95_ms"] > 0
