"""Fixtures of the metadata tests: the agency admin, a case file, the signing office (identifier)."""

from __future__ import annotations

import pytest

from documents.records.models import CaseFile, Retention
from eoffice.models import Role
from tests.documents.outgoing.helpers import office  # noqa: F401
from tests.factories import make_user
from tests.signing.conftest import _signing_settings, authority, pki_dir  # noqa: F401


@pytest.fixture
def admin_a(agency_a):
    return make_user(agency=agency_a, roles=[Role.AGENCY_ADMIN], full_name="Trần Quản Trị")


def make_case_file(owner, *, code="01.KT", title="Hồ sơ đầu tư công năm 2026", rights="restricted", **extra):
    return CaseFile.objects.create(
        agency_id=owner.agency_id,
        department=owner.department,
        year=2026,
        code=code,
        title=title,
        retention=Retention.Y10,
        rights=rights,
        owner=owner,
        **extra,
    )
