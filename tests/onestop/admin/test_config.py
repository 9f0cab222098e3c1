"""The counter settings in the admin: one per agency."""

from __future__ import annotations

import pytest
from django.urls import reverse

from onestop import selectors

pytestmark = pytest.mark.django_db


def test_one_config_per_agency(login, admin_a, agency_a):
    client = login(admin_a)
    assert client.get(reverse("admin:onestop_onestopconfig_add")).status_code == 200
    selectors.config_for(agency_a)
    assert client.get(reverse("admin:onestop_onestopconfig_add")).status_code == 403
