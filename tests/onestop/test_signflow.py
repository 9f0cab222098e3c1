"""The leader signs a dossier's result with the signing module: PAdES on the result, back to the counter."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from onestop import services
from onestop.models import DossierState, Outcome
from signing import services as signing
from signing.models import SignatureRequest
from tests.onestop.conftest import advance, receive
from tests.signing.conftest import _signing_settings, authority, pki_dir  # noqa: F401
from tests.signing.factories import PIN, make_credential

pytestmark = pytest.mark.django_db


@pytest.fixture
def approval(procedure, people):
    return advance(receive(procedure, people), DossierState.APPROVAL, people)


def test_leader_signs_the_result(approval, people, authority):  # noqa: F811
    leader = people["leader"]
    make_credential(authority=authority, agency=leader.agency, owner=leader)
    dossier = services.dossier_approve(dossier=approval, by=leader, sign=True, note="Đồng ý")
    assert dossier.state == DossierState.SIGNING
    request = dossier.sign_request
    assert (request.signer, request.kind, request.status) == (
        leader,
        "leader",
        SignatureRequest.Status.PENDING,
    )
    signing.signature_request_sign(request=request, pin=PIN, by=leader)
    dossier.refresh_from_db()
    assert (dossier.state, dossier.outcome, dossier.result_signed) == (
        DossierState.RETURNING,
        Outcome.APPROVED,
        True,
    )
    with dossier.result_file.open("rb") as handle:
        signed = handle.read()
    assert PdfReader(io.BytesIO(signed)).trailer["/Root"]["/AcroForm"]["/Fields"]
    request.refresh_from_db()
    assert dossier.result_sha256 == request.result_sha256 != ""
    assert dossier.steps.get(finished_at__isnull=True).kind == "return"


def test_wrong_pin_leaves_the_dossier_waiting(approval, people, authority):  # noqa: F811
    leader = people["leader"]
    make_credential(authority=authority, agency=leader.agency, owner=leader)
    dossier = services.dossier_approve(dossier=approval, by=leader, sign=True)
    signing.signature_request_sign(request=dossier.sign_request, pin="000000", by=leader)
    dossier.refresh_from_db()
    assert (dossier.state, dossier.result_signed) == (DossierState.SIGNING, False)


def test_only_a_pdf_result_can_be_signed(approval, people):
    from django.core.exceptions import ValidationError
    from django.core.files.base import ContentFile

    approval.result_file.save("kq.docx", ContentFile(b"PK\x03\x04 not a pdf"), save=True)
    with pytest.raises(ValidationError):
        services.dossier_approve(dossier=approval, by=people["leader"], sign=True)
    approval.refresh_from_db()
    assert approval.state == DossierState.APPROVAL


def test_leader_takes_back_a_signature_request(approval, people):
    from django.core.exceptions import PermissionDenied

    dossier = services.dossier_approve(dossier=approval, by=people["leader"], sign=True)
    with pytest.raises(PermissionDenied):
        services.dossier_cancel_signing(dossier=dossier, by=people["head"])
    request = dossier.sign_request
    dossier = services.dossier_cancel_signing(dossier=dossier, by=people["leader"], note="Cần sửa lại")
    request.refresh_from_db()
    assert (dossier.state, dossier.sign_request, request.status) == (
        DossierState.APPROVAL,
        None,
        SignatureRequest.Status.CANCELLED,
    )
    dossier = services.dossier_send_back(dossier=dossier, by=people["leader"], note="Sửa ngành nghề")
    assert dossier.state == DossierState.PROCESSING
