"""The counter screen outside working time: a warning, and the appointment from the next working day's
opening (a Sunday reception was accepted without a word)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from onestop.models import Dossier, DossierState
from tests.onestop.conftest import make_procedure
from tests.onestop.test_views import _counter_data, _login

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
WARNING = 'data-testid="off-hours-warning"'


def at(*args) -> datetime:
    return datetime(*args, tzinfo=VN)


@pytest.fixture
def one_day(agency_a, people):
    return make_procedure(agency_a, unit=people["unit"], days=1, code="2.500")


def _now(monkeypatch, instant: datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: instant)


def test_sunday_reception_warns_and_counts_from_monday(client, monkeypatch, people, one_day):
    _now(monkeypatch, at(2026, 12, 6, 10, 0))  # Sunday
    _login(client, people["onestop"])
    html = client.get(reverse("onestop:receive"), {"procedure": one_day.pk}).content.decode()
    assert WARNING in html and "hôm nay là ngày nghỉ" in html
    assert "ngày làm việc tiếp theo" in html
    # the preview: from Monday's opening, due at the close of Tuesday (as a reception at Monday 07:30)
    assert "Tính từ 07:30 07/12/2026 (nhận ngoài giờ làm việc)." in html
    assert "17:00 · Thứ 3, 08/12/2026" in html
    response = client.post(reverse("onestop:receive"), _counter_data(one_day))
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.state == DossierState.RECEIVED
    assert dossier.received_at == at(2026, 12, 6, 10, 0)
    assert dossier.clock_start == at(2026, 12, 7, 7, 30)
    assert dossier.due_at == at(2026, 12, 8, 17, 0)


@pytest.mark.parametrize(
    ("instant", "text"),
    [
        (at(2026, 12, 7, 6, 50), "ngoài giờ làm việc"),  # Monday before opening
        (at(2026, 12, 7, 17, 30), "ngoài giờ làm việc"),  # Monday after close
        (at(2027, 2, 8, 9, 0), "hôm nay là ngày nghỉ"),  # Tết
    ],
)
def test_outside_working_time_warns(client, monkeypatch, people, one_day, instant, text):
    _now(monkeypatch, instant)
    _login(client, people["onestop"])
    html = client.get(reverse("onestop:receive")).content.decode()
    assert WARNING in html and text in html


def test_no_warning_in_office_hours(client, monkeypatch, people, one_day):
    _now(monkeypatch, at(2026, 12, 7, 16, 0))  # Monday after the cut-off, still open
    _login(client, people["onestop"])
    html = client.get(reverse("onestop:receive"), {"procedure": one_day.pk}).content.decode()
    assert WARNING not in html
    assert "17:00 · Thứ 3, 08/12/2026" in html  # a days procedure: the cut-off does not move it
