"""Dossiers in the admin: read only, and the page's queries do not grow with its steps."""

from __future__ import annotations

import pytest
from django.urls import reverse

from onestop.models import Dossier
from tests.onestop.admin.conftest import count_queries

pytestmark = pytest.mark.django_db


def test_dossiers_are_read_only(login, admin_a, dossier):
    client = login(admin_a)
    assert client.get(reverse("admin:onestop_dossier_add")).status_code == 403
    assert client.get(reverse("admin:onestop_dossier_delete", args=[dossier.pk])).status_code == 403
    url = reverse("admin:onestop_dossier_change", args=[dossier.pk])
    body = client.get(url).content.decode()
    assert 'name="state"' not in body and 'name="applicant_name"' not in body
    assert "Đã tiếp nhận" in body
    assert client.post(url, {"state": "returned", "applicant_name": "X"}).status_code == 403
    dossier.refresh_from_db()
    assert dossier.state == "received" and dossier.applicant_name != "X"
    # The scan and result files are never linked from the admin (the media URL is not served).
    assert "/media/" not in body


def test_dossier_page_queries_do_not_grow_with_its_steps(login, admin_a, people, dossier):
    from tests.onestop.conftest import advance

    client = login(admin_a)
    url = reverse("admin:onestop_dossier_change", args=[dossier.pk])
    advance(dossier, "unit", people)
    few = count_queries(client, url)
    advance(Dossier.objects.get(pk=dossier.pk), "returned", people)
    assert count_queries(client, url) == few  # 2 steps, then 6 steps, a supplement-free dossier returned
