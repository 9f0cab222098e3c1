"""documents.outgoing.services.issuance: the whole path to issue, recall, a reply closing what it answers."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from documents.models import IncomingDocument
from documents.outgoing import services
from documents.outgoing.models import DeliveryStatus, OutgoingVersion
from documents.registers import numbering
from signing.models import SignatureRequest
from signing.verification import verify_pdf
from tests.documents.outgoing.helpers import (
    PIN,
    _fields,
    _text,
    _to_signing,
)
from tests.signing.conftest import _signing_settings, authority, pki_dir  # noqa: F401
from workflow.models import HistoryEntry, WorkflowState


def test_full_flow_numbers_at_signature_and_every_signature_is_valid(office, agency_a, agency_b):
    officer, head, leader, clerk = office["officer"], office["head"], office["leader"], office["clerk"]
    doc = services.draft_create(by=officer, fields=_fields(office, agency_b))
    assert doc.state == WorkflowState.NEW and doc.current_version.number == 1
    assert doc.current_version.kind == OutgoingVersion.Kind.RENDERED
    draft_text = _text(doc.current_version.file.read())
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in draft_text and "V/v" in draft_text

    with pytest.raises(PermissionDenied):
        services.draft_approve(document=doc, by=head)  # the head cannot approve before it is submitted
    doc = services.draft_submit(document=doc, by=officer, reviewer=head, comment="Kính trình anh xem")
    services.draft_comment(document=doc, by=head, text="Sửa lại đoạn 2 cho rõ thời hạn.")
    doc = services.draft_return(document=doc, by=head, comment="Bổ sung thời hạn báo cáo.")
    assert doc.state == WorkflowState.RETURNED
    doc = services.draft_update(
        document=doc,
        by=officer,
        fields=_fields(office, agency_b, body="<p>Đề nghị gửi báo cáo trước ngày 30/11/2026.</p>"),
        note="Đã bổ sung thời hạn",
    )
    assert doc.current_version.number == 2 and doc.versions.count() == 2
    doc = services.draft_submit(document=doc, by=officer, reviewer=head)
    doc = services.draft_approve(document=doc, by=head, comment="Đồng ý")
    assert doc.state == WorkflowState.SIGNING
    request = doc.sign_request
    assert request.signer == leader and request.status == SignatureRequest.Status.PENDING
    assert request.source_url == doc.get_absolute_url()

    register = numbering.outgoing_register(agency=agency_a, doc_type=doc.doc_type, secret=False)
    before = numbering.peek(register=register)
    doc = services.document_sign(document=doc, by=leader, pin=PIN)
    assert doc.state == WorkflowState.SIGNED
    assert doc.number == before
    assert doc.number_symbol == f"{before:02d}/{agency_a.abbreviation}-KT"
    assert doc.issued_at is not None and doc.register == register
    signed = doc.current_version
    assert signed.kind == OutgoingVersion.Kind.SIGNED
    signed_pdf = signed.file.read()
    assert doc.number_symbol in _text(signed_pdf)
    report = verify_pdf(signed_pdf)
    assert len(report.signatures) == 1 and report.all_ok

    with pytest.raises(PermissionDenied):
        services.document_issue(document=doc, by=officer, pin=PIN)
    doc = services.document_issue(document=doc, by=clerk, pin=PIN)
    assert doc.state == WorkflowState.ISSUED and doc.issued_by == clerk and doc.public_code
    final = doc.current_version.file.read()
    assert doc.current_version.kind == OutgoingVersion.Kind.SEALED
    report = verify_pdf(final)
    assert len(report.signatures) == 2 and report.all_ok
    text = _text(final)
    day = timezone.localtime(doc.issued_at).date()
    assert doc.number_symbol in text
    assert f"ngày {day.day:02d} tháng" in text

    # Delivered at once to the recipient agency, its signatures verified.
    internal = doc.recipients.get(agency=agency_b)
    assert internal.status == DeliveryStatus.ARRIVED
    incoming = IncomingDocument.objects.get(agency=agency_b, number_symbol=doc.number_symbol)
    assert incoming.state == WorkflowState.NEW and incoming.signature_status == "valid"
    assert internal.incoming == incoming
    actions = list(HistoryEntry.objects.for_record(doc).values_list("action", flat=True))
    for action in ("submit", "send_back", "approve", "sign", "issue"):
        assert action in actions


def test_issue_verifies_the_sealed_pdf_once(office, agency_b, monkeypatch):
    """The public verification page and the internal delivery share one verification of the sealed file."""
    from documents.outgoing.services import issuance
    from signing import verification
    from signing.models import PublicVerification

    doc = services.document_sign(document=_to_signing(office, agency_b), by=office["leader"], pin=PIN)
    calls = []

    def counting(data):
        calls.append(data)
        return verify_pdf(data)

    monkeypatch.setattr(issuance, "verify_pdf", counting)
    monkeypatch.setattr(verification, "verify_pdf", counting)  # the incoming module's verify_signatures
    doc = services.document_issue(document=doc, by=office["clerk"], pin=PIN)
    sealed = doc.current_version.file.read()
    assert [c == sealed for c in calls] == [True]
    public = PublicVerification.objects.get(code=doc.public_code).report
    incoming = IncomingDocument.objects.get(agency=agency_b, number_symbol=doc.number_symbol)
    assert incoming.signature_status == "valid" and incoming.signature_report["sha256"] == public["sha256"]
    assert incoming.signature_report["signatures"] == public["signatures"]
    assert len(public["signatures"]) == 2 and all(s["trusted"] and s["intact"] for s in public["signatures"])


def test_recall_freezes_and_reaches_the_recipient(office, agency_b):
    doc = services.document_sign(document=_to_signing(office, agency_b), by=office["leader"], pin=PIN)
    doc = services.document_issue(document=doc, by=office["clerk"], pin=PIN)
    doc = services.document_recall(document=doc, by=office["clerk"], reason="Sai thời hạn báo cáo")
    assert doc.state == WorkflowState.RECALLED and doc.recalled_at
    incoming = doc.recipients.get(agency=agency_b).incoming
    incoming.refresh_from_db()
    assert incoming.recalled_at is not None
    assert doc.recipients.get(agency=agency_b).status == DeliveryStatus.RECALL_REQUESTED
    with pytest.raises(PermissionDenied):
        services.draft_update(document=doc, by=office["officer"], fields=_fields(office, agency_b))


def test_reply_closes_the_incoming_document(office, agency_a, agency_b):
    from tests.documents.conftest import receive

    incoming = receive(office["clerk"], n=7)
    doc = services.draft_create(by=office["officer"], fields=_fields(office, agency_b), reply_to=incoming)
    doc = services.draft_submit(document=doc, by=office["officer"], reviewer=office["head"])
    doc = services.draft_approve(document=doc, by=office["head"])
    doc = services.document_sign(document=doc, by=office["leader"], pin=PIN)
    doc = services.document_issue(document=doc, by=office["clerk"], pin=PIN)
    incoming.refresh_from_db()
    assert incoming.reply_number_symbol == doc.number_symbol
    assert incoming.state == WorkflowState.ARCHIVED
