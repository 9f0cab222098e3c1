"""The demo's signing authorisations: made through the service, idempotent, visible in the rules."""

from __future__ import annotations

import io

import pytest

from documents.outgoing.authorizations.demo import seed_authorizations
from documents.outgoing.models import SigningAuthorization
from documents.outgoing.signers import allowed_signers
from eoffice.models import Role
from tests.documents.outgoing.signers.conftest import doc_type
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_demo_records(agency_a, monkeypatch):
    monkeypatch.setattr("eoffice.demo.SKHDT", agency_a.code)
    make_user(agency=agency_a, username="quantri.skhdt", roles=[Role.AGENCY_ADMIN])
    make_user(agency=agency_a, username="giamdoc.skhdt", roles=[Role.LEADER], position="Giám đốc")
    make_user(agency=agency_a, username="phogiamdoc.skhdt", roles=[Role.LEADER], position="Phó Giám đốc")
    head = make_user(agency=agency_a, username="truongphong.skhdt", roles=[Role.DEPARTMENT_HEAD])
    letter = doc_type("Công văn")
    seed_authorizations(io.StringIO())
    seed_authorizations(io.StringIO())
    records = SigningAuthorization.objects.filter(agency=agency_a)
    assert records.count() == 2 and records.filter(revoked_at__isnull=False).count() == 1
    assert list(allowed_signers(document_or_agency=agency_a, authority="TUQ.", doc_type=letter)) == [head]
    assert not allowed_signers(document_or_agency=agency_a, authority="Q.").exists()
