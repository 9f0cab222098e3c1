"""The agency admin sets the level from which secret documents are held as metadata only."""

from __future__ import annotations

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from documents.registers import secret_settings
from eoffice.models import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_a(agency_a):
    return make_user(agency=agency_a, roles=[Role.AGENCY_ADMIN], full_name="Quản Trị Viên")


def test_admin_sets_the_level_through_the_page(admin_a, client):
    client.force_login(admin_a)
    url = reverse("documents:registers_secret_settings")
    page = client.get(url).content.decode()
    assert "Văn bản mật chỉ lưu thông tin" in page
    checked = re.findall(r'<input[^>]*name="level"[^>]*>', page)
    assert [i for i in checked if "checked" in i and 'value="2"' in i], checked
    response = client.post(url, {"level": "3"})
    assert response.status_code == 302
    admin_a.agency.refresh_from_db()
    assert admin_a.agency.secret_metadata_only_from == 3
    assert LogEntry.objects.filter(object_id=str(admin_a.agency_id)).exists()
    response = client.post(url, {"level": "9"})
    assert response.status_code == 200
    admin_a.agency.refresh_from_db()
    assert admin_a.agency.secret_metadata_only_from == 3


def test_others_may_not(people, client):
    for who in ("clerk", "leader"):
        client.force_login(people[who])
        assert client.get(reverse("documents:registers_secret_settings")).status_code == 403
        with pytest.raises(PermissionDenied):
            secret_settings.level_set(by=people[who], value=1)
