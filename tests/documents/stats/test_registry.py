"""The menu entry of the statistics."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_menu_entry_for_every_staff_member(people, login):
    page = login(people["officer"]).get(reverse("dashboard")).content.decode()
    assert 'data-menu="documents.stats"' in page and "Báo cáo thống kê" in page
