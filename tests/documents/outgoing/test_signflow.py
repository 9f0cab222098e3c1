"""documents.outgoing.signflow: the number and date given inside the signature (no gap, no duplicate,
per register), written into an uploaded draft, batch signing."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.models import Register, RegisterCounter
from documents.outgoing import render, rules, services
from documents.outgoing.models import OutgoingDocument
from documents.registers import numbering
from signing import engine
from signing.models import SignatureRequest
from signing.verification import verify_pdf
from tests.documents.outgoing.helpers import (
    PIN,
    _fields,
    _text,
    _to_signing,
    _type,
)
from tests.signing.conftest import _signing_settings, authority, pki_dir  # noqa: F401
from workflow.models import WorkflowState


def test_wrong_pin_takes_no_number_and_is_counted(office, agency_a, agency_b):
    doc = _to_signing(office, agency_b)
    register = numbering.outgoing_register(agency=agency_a, doc_type=doc.doc_type, secret=False)
    before = numbering.peek(register=register)
    with pytest.raises(ValidationError, match="Mã PIN không đúng"):
        services.document_sign(document=doc, by=office["leader"], pin="000000")
    doc.refresh_from_db()
    assert doc.state == WorkflowState.SIGNING and doc.number is None
    assert numbering.peek(register=register) == before
    from signing.models import Credential

    assert Credential.objects.get(owner=office["leader"]).pin_failures == 1


def test_failure_after_taking_the_number_gives_it_back(office, agency_a, agency_b, monkeypatch):
    doc = _to_signing(office, agency_b)
    register = numbering.outgoing_register(agency=agency_a, doc_type=doc.doc_type, secret=False)
    before = numbering.peek(register=register)

    def broken(*args, **kwargs):
        raise engine.SigningError("HSM không phản hồi")

    monkeypatch.setattr(engine, "sign_pdf", broken)
    with pytest.raises(ValidationError):
        services.document_sign(document=doc, by=office["leader"], pin=PIN)
    doc.refresh_from_db()
    assert doc.state == WorkflowState.SIGNING and doc.number is None and doc.number_symbol == ""
    assert numbering.peek(register=register) == before
    doc.sign_request.refresh_from_db()
    assert doc.sign_request.status == SignatureRequest.Status.FAILED
    monkeypatch.undo()
    doc = services.document_sign(document=doc, by=office["leader"], pin=PIN)
    assert doc.number == before


def test_secret_documents_have_their_own_series(office, agency_a, agency_b):
    normal = services.document_sign(document=_to_signing(office, agency_b), by=office["leader"], pin=PIN)
    secret = services.document_sign(
        document=_to_signing(office, agency_b, confidentiality=1), by=office["leader"], pin=PIN
    )
    assert secret.register.is_secret and secret.register != normal.register
    assert secret.number == 1 and normal.number == 1


def test_registers_per_type_when_configured(office, agency_a, agency_b):
    decision = _type("Quyết định", "QĐ")
    own = Register.objects.create(
        agency=agency_a, kind=Register.Kind.OUTGOING, code="QD", name="Sổ quyết định"
    )
    own.doc_types.add(decision)
    letter = services.document_sign(document=_to_signing(office, agency_b), by=office["leader"], pin=PIN)
    qd = services.document_sign(
        document=_to_signing(office, agency_b, doc_type=decision, summary="Về việc thành lập Tổ công tác"),
        by=office["leader"],
        pin=PIN,
    )
    assert qd.register == own and letter.register != own
    assert qd.number_symbol == f"01/QĐ-{agency_a.abbreviation}"


def test_uploaded_pdf_draft_gets_number_and_date_written_in(office, agency_a, agency_b):
    layout = rules.layout_for(
        OutgoingDocument(
            agency=agency_a,
            department=office["unit"],
            doc_type=_type("Công văn"),
            summary="Báo cáo nhanh tình hình giải ngân",
            signer=office["leader"],
            signer_title="Giám đốc",
            place_name=agency_a.place_name,
        ),
        draft=False,
    )
    upload = SimpleUploadedFile("du-thao.pdf", render.render(layout).pdf, content_type="application/pdf")
    doc = services.draft_create(by=office["officer"], fields=_fields(office, agency_b), upload=upload)
    assert doc.source == OutgoingDocument.Source.UPLOAD and doc.current_version.signature_box
    doc = services.draft_submit(document=doc, by=office["officer"], reviewer=office["head"])
    doc = services.draft_approve(document=doc, by=office["head"])
    doc = services.document_sign(document=doc, by=office["leader"], pin=PIN)
    pdf = doc.current_version.file.read()
    assert doc.number_display in _text(pdf)
    assert verify_pdf(pdf).all_ok


@pytest.mark.django_db(transaction=True)
def test_concurrent_signatures_get_consecutive_numbers(office, agency_a, agency_b):
    """Six leaders' signatures at once on six connections: numbers 1..6, no duplicate, no gap; one that
    fails after taking its number gives it back."""
    docs = [_to_signing(office, agency_b, summary=f"Văn bản {i}") for i in range(7)]
    failing = docs.pop()
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(docs) + 1)

    def sign(doc, pin):
        from django.db import connections

        try:
            barrier.wait(timeout=30)
            services.document_sign(document=doc, by=office["leader"], pin=pin)
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    def sign_failing():
        from django.db import connections

        try:
            barrier.wait(timeout=30)
            with pytest.raises(ValidationError):
                services.document_sign(document=failing, by=office["leader"], pin=PIN)
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    # A failure inside the signing transaction, after the number is taken.
    SignatureRequest.objects.filter(pk=failing.sign_request_id).update(
        on_signed="tests.documents.outgoing.test_signflow.boom_on_signed"
    )
    threads = [threading.Thread(target=sign, args=(d, PIN)) for d in docs]
    threads.append(threading.Thread(target=sign_failing))
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    numbers = sorted(OutgoingDocument.objects.filter(number__isnull=False).values_list("number", flat=True))
    assert numbers == list(range(1, len(docs) + 1))
    failing.refresh_from_db()
    assert failing.number is None and failing.state == WorkflowState.SIGNING
    counter = RegisterCounter.objects.get(register__agency=agency_a, register__kind=Register.Kind.OUTGOING)
    assert counter.last_number == len(docs)


def boom_on_signed(request, signed):
    raise ValidationError("Lỗi giả lập sau khi cấp số")


def test_batch_signing_from_the_signing_queue(office, agency_b):
    """The leader ticks several documents in "Chờ ký" and types the PIN once (the Celery task's service)."""
    from signing import selectors as signing_selectors
    from signing import services as signing_services

    docs = [_to_signing(office, agency_b, summary=f"Văn bản ký hàng loạt {i}") for i in range(3)]
    pending = signing_selectors.pending_requests(office["leader"])
    assert {r.pk for r in pending} == {d.sign_request_id for d in docs}
    batch = signing_services.batch_start(
        signer=office["leader"], request_ids=[d.sign_request_id for d in docs], pin=PIN
    )
    token = signing_services.stash_pin(PIN)
    signing_services.batch_run(batch=batch, pin_token=token)
    numbers = []
    for doc in docs:
        doc.refresh_from_db()
        assert doc.state == WorkflowState.SIGNED, doc.sign_request.error
        assert verify_pdf(doc.current_version.file.read()).all_ok
        numbers.append(doc.number)
    assert sorted(numbers) == [1, 2, 3]
