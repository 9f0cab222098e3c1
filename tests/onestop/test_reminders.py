"""The deadline scan: due-soon and overdue reminders once per dossier, level and appointment."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from eoffice.models import Notification
from onestop import reminders, services
from onestop.models import DossierReminder, DossierState
from tests.onestop.conftest import advance, receive

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=VN)


def titles(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user, kind="onestop.deadline")
        .order_by("id")
        .values_list("title", flat=True)
    )


def test_due_soon_then_overdue_once_each(procedure, people):
    dossier = advance(receive(procedure, people, now=at(2026, 12, 7, 9, 0)), DossierState.PROCESSING, people)
    assert reminders.scan(now=at(2026, 12, 8, 9, 0)) == {"due_soon": 0, "overdue": 0}
    assert reminders.scan(now=at(2026, 12, 10, 9, 0)) == {"due_soon": 1, "overdue": 0}  # due 10/12 17:00
    assert reminders.scan(now=at(2026, 12, 10, 10, 0)) == {"due_soon": 0, "overdue": 0}
    assert reminders.scan(now=at(2026, 12, 11, 8, 0)) == {"due_soon": 0, "overdue": 1}
    assert reminders.scan(now=at(2026, 12, 14, 8, 0)) == {"due_soon": 0, "overdue": 0}
    assert titles(people["officer"]) == [
        f"Hồ sơ {dossier.code} sắp đến hạn trả kết quả",
        f"Hồ sơ {dossier.code} đã quá hạn trả kết quả",
    ]


def test_overdue_without_a_due_soon_first(procedure, people):
    advance(receive(procedure, people, now=at(2026, 12, 7, 9, 0)), DossierState.UNIT, people)
    assert reminders.scan(now=at(2026, 12, 14, 9, 0)) == {"due_soon": 0, "overdue": 1}
    assert len(titles(people["head"])) == 1  # the unit's head holds it while unassigned
    assert DossierReminder.objects.count() == 1


def test_paused_and_finished_dossiers_are_left_alone(procedure, people):
    paused = advance(receive(procedure, people, now=at(2026, 12, 7, 9, 0)), DossierState.PROCESSING, people)
    services.dossier_request_supplement(
        dossier=paused, by=people["officer"], content="CCCD", now=at(2026, 12, 7, 10, 0)
    )
    advance(receive(procedure, people, now=at(2026, 12, 7, 9, 0)), DossierState.RETURNING, people)
    assert reminders.scan(now=at(2026, 12, 21, 9, 0)) == {"due_soon": 0, "overdue": 0}


def test_a_new_appointment_earns_new_reminders(procedure, people):
    dossier = advance(receive(procedure, people, now=at(2026, 12, 7, 9, 0)), DossierState.PROCESSING, people)
    assert reminders.scan(now=at(2026, 12, 11, 8, 0))["overdue"] == 1
    services.dossier_extend(
        dossier=dossier,
        by=people["leader"],
        reason="Chờ ý kiến",
        due_at=at(2026, 12, 16, 17, 0),
        now=at(2026, 12, 11, 9, 0),
    )
    assert reminders.scan(now=at(2026, 12, 14, 9, 0)) == {"due_soon": 0, "overdue": 0}
    assert reminders.scan(now=at(2026, 12, 17, 8, 0)) == {"due_soon": 0, "overdue": 1}
