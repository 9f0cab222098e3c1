"""Who may see which scope: the officer, the head, another agency, a superuser of no agency."""

from __future__ import annotations

import pytest

from tests.documents.stats.conftest import (
    LIST,
    STATS,
)
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_officer_sees_only_themselves(people, login):
    client = login(people["officer"])
    unit, colleague = people["unit"], people["officer2"]
    assert client.get(STATS).status_code == 200
    for key in ("agency", f"unit-{unit.pk}", f"person-{colleague.pk}", "unit-none"):
        assert client.get(STATS, {"scope": key}).status_code == 404, key
        assert client.get(LIST, {"scope": key, "bucket": "all"}).status_code == 404, key
    page = client.get(STATS).content.decode()
    assert f"person-{people['officer'].pk}" in page and 'data-testid="stats-rows"' not in page


def test_head_is_limited_to_their_unit(people, login):
    client = login(people["head"])
    unit, other = people["unit"], people["other_unit"]
    assert client.get(STATS).status_code == 200
    assert client.get(STATS, {"scope": f"unit-{unit.pk}"}).status_code == 200
    assert client.get(STATS, {"scope": f"person-{people['officer'].pk}"}).status_code == 200
    for key in ("agency", f"unit-{other.pk}", f"person-{people['other_officer'].pk}", "unit-none"):
        assert client.get(STATS, {"scope": key}).status_code == 404, key
    page = client.get(STATS).content.decode()
    assert 'data-testid="stats-rows"' in page and people["officer"].full_name in page
    assert other.name not in page


def test_no_one_sees_another_agency(people, people_b, login, agency_b):
    client = login(people_b["leader"])
    assert client.get(STATS, {"scope": "agency"}).status_code == 200
    for key in (f"unit-{people['unit'].pk}", f"person-{people['officer'].pk}"):
        assert client.get(STATS, {"scope": key}).status_code == 404
        assert client.get(LIST, {"scope": key, "bucket": "all"}).status_code == 404


def test_superuser_without_agency_sees_an_empty_page(login, db):
    admin = make_user(agency=None, roles=[], is_superuser=True, is_staff=True)
    client = login(admin)
    response = client.get(STATS)
    assert response.status_code == 200 and "không thuộc cơ quan nào" in response.content.decode()
    assert client.get(STATS, {"scope": "agency"}).status_code == 404
    assert client.get(LIST, {"bucket": "all"}).status_code == 404
