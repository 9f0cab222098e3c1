"""Outgoing documents through their services: draft → review → sign (number given) → seal and issue."""

from __future__ import annotations

import io
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from documents.models import DocumentType, IncomingDocument, Register, RegisterCounter
from documents.outgoing import render, rules, services
from documents.outgoing.models import DeliveryStatus, OutgoingDocument, OutgoingVersion
from documents.outgoing.services import DraftFields
from documents.registers import numbering
from eoffice.models import Role
from signing import engine
from signing.models import SignatureRequest
from signing.verification import verify_pdf
from tests.factories import make_department, make_user
from tests.signing import samples
from tests.signing.conftest import _signing_settings, authority, pki_dir  # noqa: F401
from tests.signing.factories import make_credential
from workflow.models import HistoryEntry, WorkflowState

PIN = "123456"


def _text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def office(agency_a, agency_b, authority):  # noqa: F811
    """Agency A with a clerk (seal credential), a leader (credential), a unit head and an officer."""
    from django.core.files.base import ContentFile

    agency_a.seal_image.save("seal.png", ContentFile(samples.seal_png()), save=True)
    unit = make_department(agency=agency_a, name="Phòng Kinh tế", abbreviation="KT")
    leader = make_user(agency=agency_a, roles=[Role.LEADER], full_name="Vũ Đức Thắng", position="Giám đốc")
    leader.signature_image.save("sig.png", ContentFile(samples.signature_png()), save=True)
    people = {
        "clerk": make_user(agency=agency_a, roles=[Role.CLERK], full_name="Đặng Thị Hương"),
        "leader": leader,
        "head": make_user(
            agency=agency_a, department=unit, roles=[Role.DEPARTMENT_HEAD], full_name="Bùi Văn Hải"
        ),
        "officer": make_user(
            agency=agency_a, department=unit, roles=[Role.OFFICER], full_name="Phan Minh Đức"
        ),
        "outsider": make_user(agency=agency_a, roles=[Role.OFFICER], full_name="Trần Văn Ngoài"),
        "clerk_b": make_user(agency=agency_b, roles=[Role.CLERK], full_name="Lý Thị Nhận"),
        "unit": unit,
    }
    make_credential(authority=authority, agency=agency_a, owner=leader)
    make_credential(authority=authority, agency=agency_a, owner=None)
    return people


def _type(name: str, abbreviation: str = "") -> DocumentType:
    # get_or_create: a transactional test's flush removes the types the data migration made.
    return DocumentType.objects.get_or_create(name=name, defaults={"abbreviation": abbreviation})[0]


def _fields(office, agency_b, **extra) -> DraftFields:
    values = {
        "doc_type": _type("Công văn"),
        "summary": "Đề nghị phối hợp rà soát danh mục dự án đầu tư công năm 2027",
        "body": "<p>Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh, đề nghị Quý cơ quan phối hợp.</p>",
        "addressees": agency_b.name,
        "distribution": "Như trên",
        "signer": office["leader"],
        "recipient_agencies": [agency_b],
        "external_recipients": "Công ty Cổ phần Minh Phát <vanthu@minhphat.example>",
    }
    values.update(extra)
    return DraftFields(**values)


def _to_signing(office, agency_b, **extra) -> OutgoingDocument:
    doc = services.draft_create(by=office["officer"], fields=_fields(office, agency_b, **extra))
    doc = services.draft_submit(document=doc, by=office["officer"], reviewer=office["head"])
    return services.draft_approve(document=doc, by=office["head"])


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


def test_visibility_and_agency_isolation(office, agency_a, agency_b, client):
    doc = services.draft_create(by=office["officer"], fields=_fields(office, agency_b))
    from documents.outgoing.selectors import visible_outgoing

    assert visible_outgoing(office["officer"]).filter(pk=doc.pk).exists()
    assert visible_outgoing(office["head"]).filter(pk=doc.pk).exists()  # head of the drafting unit
    assert not visible_outgoing(office["outsider"]).filter(pk=doc.pk).exists()
    assert not visible_outgoing(office["clerk"]).filter(pk=doc.pk).exists()  # not until signed
    assert not visible_outgoing(office["clerk_b"]).filter(pk=doc.pk).exists()
    client.force_login(office["clerk_b"])
    for name in ("outgoing_detail", "outgoing_edit"):
        assert client.get(reverse(f"documents:{name}", args=[doc.pk])).status_code == 404
    assert client.get(reverse("documents:outgoing_version", args=[doc.pk, 1])).status_code == 404


def test_consultation_round(office, agency_b):
    doc = services.draft_create(by=office["officer"], fields=_fields(office, agency_b))
    other = make_department(agency=office["officer"].agency, name="Phòng Tổng hợp", abbreviation="TH")
    other_head = make_user(agency=other.agency, department=other, roles=[Role.DEPARTMENT_HEAD])
    round_ = services.consultation_start(
        document=doc,
        by=office["officer"],
        question="Xin ý kiến về danh mục dự án kèm theo",
        people=[office["outsider"]],
        departments=[other],
        deadline=timezone.now() + timezone.timedelta(days=2),
    )
    answers = {a.respondent_id: a for a in round_.answers.all()}
    assert set(answers) == {office["outsider"].pk, other_head.pk}
    from documents.outgoing.selectors import visible_outgoing

    assert visible_outgoing(office["outsider"]).filter(pk=doc.pk).exists()  # asked → may read the draft
    with pytest.raises(ValidationError):
        services.consultation_answer(answer=answers[other_head.pk], by=other_head, value="disagree", note="")
    with pytest.raises(PermissionDenied):
        services.consultation_answer(answer=answers[other_head.pk], by=office["outsider"], value="agree")
    services.consultation_answer(
        answer=answers[other_head.pk], by=other_head, value="other", note="Bỏ dự án số 3"
    )
    services.consultation_answer(answer=answers[office["outsider"].pk], by=office["outsider"], value="agree")
    closed = services.consultation_close(
        consultation=round_, by=office["officer"], summary="Tiếp thu, bỏ dự án 3."
    )
    assert (
        "Đồng ý: 1" in closed.summary and "ý kiến khác: 1" in closed.summary and "Tiếp thu" in closed.summary
    )
    with pytest.raises(ValidationError):
        services.consultation_answer(
            answer=answers[office["outsider"].pk], by=office["outsider"], value="agree"
        )


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


def test_docx_refused_clearly_without_libreoffice(office, agency_b, monkeypatch):
    monkeypatch.setattr(render, "_soffice", lambda: None)
    upload = SimpleUploadedFile("du-thao.docx", b"PK\x03\x04" + b"word/document.xml" + b"\0" * 100)
    with pytest.raises(ValidationError) as info:
        services.draft_create(by=office["officer"], fields=_fields(office, agency_b), upload=upload)
    assert "LibreOffice" in str(info.value)
    assert not OutgoingDocument.objects.exists()


def test_bad_upload_refused_by_content(office, agency_b):
    upload = SimpleUploadedFile("du-thao.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.draft_create(by=office["officer"], fields=_fields(office, agency_b), upload=upload)
    assert not OutgoingDocument.objects.exists()


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


def test_list_page_queries_do_not_grow_with_rows(office, agency_b, client, django_assert_max_num_queries):
    for _ in range(3):
        services.draft_create(by=office["officer"], fields=_fields(office, agency_b))
    client.force_login(office["officer"])
    url = reverse("documents:outgoing_queue", args=["mine"])
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(6):
        services.draft_create(by=office["officer"], fields=_fields(office, agency_b))
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200 and response.content.count(b"doc-summary") >= 9
    assert len(many.captured_queries) == len(few.captured_queries)


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
        on_signed="tests.documents.test_outgoing_flow.boom_on_signed"
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


def test_uploaded_draft_signer_chosen_at_approval_gets_the_stamp_box(office, agency_a, agency_b):
    """The drafter uploads a PDF without naming the signer; the head names the signer when approving: the
    stamp box is found above that signer's printed name, and the signature goes there."""
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
    doc = services.draft_create(
        by=office["officer"], fields=_fields(office, agency_b, signer=None), upload=upload
    )
    assert doc.current_version.signature_box is None
    doc = services.draft_submit(document=doc, by=office["officer"], reviewer=office["head"])
    doc = services.draft_approve(document=doc, by=office["head"], signer=office["leader"])
    doc.current_version.refresh_from_db()
    assert doc.current_version.signature_box is not None
    doc = services.document_sign(document=doc, by=office["leader"], pin=PIN)
    assert verify_pdf(doc.current_version.file.read()).all_ok
    box = doc.sign_request.box  # where the stamp was placed, kept on the request
    assert doc.current_version.signature_box["rect"] == [box["x1"], box["y1"], box["x2"], box["y2"]]
