"""Fixtures of the delivery tests: a signed sample PDF and the people of agencies B, C and D."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from signing import pki
from signing import services as signing
from tests.documents.outgoing.delivery.helpers import _agency_people
from tests.signing import samples
from tests.signing.conftest import _signing_settings, pki_dir  # noqa: F401 - the signing tests' settings
from tests.signing.factories import PIN, make_credential


@pytest.fixture
def signed_pdf(people, pki_dir):  # noqa: F811 - the imported fixture
    """The sample document signed by agency A's leader with a test credential (PAdES B-T)."""
    leader = people["leader"]
    leader.signature_image.save("signature.png", ContentFile(samples.signature_png()), save=True)
    credential = make_credential(
        authority=pki.ensure_test_authority(pki_dir), agency=leader.agency, owner=leader
    )
    result = signing.sign_pdf_bytes(
        data=samples.sample_pdf(),
        credential=credential,
        pin=PIN,
        by=leader,
        kind="leader",
        box=samples.SIGNER_BOX,
        title="Công văn thử",
    )
    return result.data


@pytest.fixture
def b(agency_b, people_b):
    return {"agency": agency_b, **people_b}


@pytest.fixture
def c(db):
    return _agency_people("Sở Tài chính", "STC")


@pytest.fixture
def d(db):
    return _agency_people("Sở Y tế", "SYT")
