"""The reception sessions on the meetings module's weekly schedule, column "Người tiếp": a leader's
session names the leader; a regular session (no leader) names the reception unit's officers and says it is
the regular reception, never the bare kind label; an unscheduled session led by a leader says so in the
note."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints import schedule
from complaints.models import ReceptionSession
from eoffice import schedule_sources

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 12, 17)


def _session(org, *, kind, leader=None, agency=None, note="") -> ReceptionSession:
    return ReceptionSession.objects.create(
        agency=agency or org["agency"],
        kind=kind,
        date=DAY,
        start_time=dt.time(7, 30),
        end_time=dt.time(11, 30),
        leader=leader,
        place="Phòng tiếp công dân",
        note=note,
        created_by=org["reception"],
        published_at=timezone.now(),
    )


def _rows(agency):
    return [r for r in schedule_sources.reception_rows(agency.pk, DAY, DAY) if r.source == schedule.SOURCE]


def test_a_regular_session_names_the_reception_units_officers(org):
    _session(org, kind=ReceptionSession.Kind.REGULAR, note="Thanh tra Sở tiếp thường xuyên.")
    (row,) = _rows(org["agency"])
    assert row.leader_id is None
    assert row.leader_name == "Cán bộ Thanh tra Sở (tiếp thường xuyên)"
    assert row.note == "Thanh tra Sở tiếp thường xuyên."


def test_a_leaders_session_names_the_leader_and_keeps_its_note(org):
    _session(org, kind=ReceptionSession.Kind.LEADER, leader=org["leader"], note="Giám đốc tiếp định kỳ")
    (row,) = _rows(org["agency"])
    assert (row.leader_id, row.leader_name, row.note) == (
        org["leader"].pk,
        org["leader"].get_full_name(),
        "Giám đốc tiếp định kỳ",
    )


def test_an_unscheduled_session_says_so(org):
    _session(org, kind=ReceptionSession.Kind.UNSCHEDULED, leader=org["leader"], note="Vụ việc đông người")
    _session(org, kind=ReceptionSession.Kind.UNSCHEDULED)
    led, officers = sorted(_rows(org["agency"]), key=lambda r: r.leader_id is None)
    assert led.leader_name == org["leader"].get_full_name()
    assert led.note == "Tiếp đột xuất. Vụ việc đông người"
    assert officers.leader_name == "Cán bộ Thanh tra Sở (tiếp đột xuất)" and officers.note == ""


def test_without_a_reception_unit_the_officers_are_named_by_their_task(org):
    _session(org, kind=ReceptionSession.Kind.REGULAR, agency=org["agency_b"])
    (row,) = _rows(org["agency_b"])
    assert row.leader_name == "Cán bộ tiếp công dân (tiếp thường xuyên)"


def test_the_weekly_schedule_prints_who_receives(org, login):
    _session(org, kind=ReceptionSession.Kind.REGULAR)
    _session(org, kind=ReceptionSession.Kind.LEADER, leader=org["leader"])
    monday = DAY - dt.timedelta(days=DAY.weekday())
    html = login(org["leader"]).get(reverse("meetings:week"), {"week": monday.isoformat()}).content.decode()
    section = html[html.index('data-testid="reception-days"') :]
    assert "Cán bộ Thanh tra Sở (tiếp thường xuyên)" in section
    assert org["leader"].get_full_name() in section
    assert ">Tiếp thường xuyên<" not in section
