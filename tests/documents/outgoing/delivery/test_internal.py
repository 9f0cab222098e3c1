"""documents.outgoing.delivery.internal: incoming documents created in the recipient agencies (and e-mail,
paper), agency isolation, secret documents, a bounded query count, a reply closing what it answers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from documents.files import sha256_bytes
from documents.incoming import selectors, services
from documents.models import (
    Channel,
    Confidentiality,
    DeliveryStatus,
    IncomingDocument,
    OutgoingDocument,
    SignatureStatus,
    Urgency,
)
from documents.outgoing import delivery
from documents.registers import numbering
from eoffice.models import Notification, Role
from signing import rules as signing_rules
from tests.documents.conftest import pdf_bytes
from tests.documents.outgoing.delivery.helpers import (
    Kind,
    _events,
    _login,
    _recipient,
    deliver,
    make_issued,
)
from tests.factories import make_agency, make_department, make_user
from tests.signing.conftest import _signing_settings, pki_dir  # noqa: F401 - the signing tests' settings
from workflow.models import Assignment, HistoryEntry, WorkflowState

pytestmark = pytest.mark.django_db


def test_deliver_to_two_agencies_email_and_paper(
    people, b, c, signed_pdf, client, mailoutbox, django_capture_on_commit_callbacks
):
    doc = make_issued(
        people,
        pdf=signed_pdf,
        urgency=Urgency.URGENT,
        public_code="MaTraCuu123",
        recipients=[
            ("internal", b["agency"]),
            ("internal", c["agency"]),
            ("email", "Công ty TNHH An Phát", "vanthu@anphat.vn"),
            ("paper", "Ủy ban nhân dân huyện Đông Anh"),
        ],
    )
    deliver(doc, people, signed_pdf, django_capture_on_commit_callbacks)

    for who in (b, c):
        r = _recipient(doc, agency=who["agency"])
        incoming = r.incoming
        assert incoming.agency_id == who["agency"].pk
        assert incoming.state == WorkflowState.NEW and incoming.channel == Channel.ELECTRONIC
        assert incoming.issuer_agency_id == people["clerk"].agency_id
        assert incoming.issuer_name == people["clerk"].agency.name
        assert incoming.number_symbol == doc.number_symbol and incoming.summary == doc.summary
        assert incoming.issued_date == timezone.localtime(doc.issued_at).date()
        assert incoming.signer_name == people["leader"].full_name
        assert incoming.urgency == Urgency.URGENT and incoming.received_by is None
        assert incoming.register == numbering.default_register(agency=who["agency"])
        assert incoming.due_at is not None and incoming.due_at > incoming.received_at
        assert incoming.signature_status == SignatureStatus.VALID
        assert incoming.signature_report["signatures"][0]["signer"] == people["leader"].full_name
        assert incoming.file_sha256 == sha256_bytes(signed_pdf) and incoming.file_size == len(signed_pdf)
        with incoming.file.open("rb") as fh:
            assert fh.read() == signed_pdf
        assert incoming.file.name.startswith("documents/incoming/")
        # In the clerk's "chờ vào sổ" queue and its counter; not yet for the leader (NEW).
        assert incoming in selectors.incoming_list(user=who["clerk"], queue="register")
        assert selectors.queue_count(who["clerk"], "register") == 1
        assert not selectors.visible_incoming(who["leader"]).filter(pk=incoming.pk).exists()
        created = HistoryEntry.objects.for_record(incoming).get(event=HistoryEntry.Event.CREATED)
        assert created.actor is None and people["clerk"].agency.name in created.comment
        note = Notification.objects.get(recipient=who["clerk"], kind="documents.incoming_arrived")
        assert doc.number_symbol in note.title and note.url == incoming.get_absolute_url()
        assert r.status == DeliveryStatus.ARRIVED and _events(r) == [DeliveryStatus.ARRIVED]
    assert (
        _recipient(doc, agency=b["agency"]).incoming.file.name
        != _recipient(doc, agency=c["agency"]).incoming.file.name
    )

    email = _recipient(doc, channel=Kind.EMAIL)
    assert email.status == DeliveryStatus.SENT and _events(email) == [DeliveryStatus.SENT]
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["vanthu@anphat.vn"]
    assert doc.number_symbol in message.subject and "chuyển đổi số" in message.subject
    assert "Kính gửi: Công ty TNHH An Phát" in message.body
    assert signing_rules.verification_url("MaTraCuu123") in message.body
    (name, content, mimetype) = message.attachments[0]
    assert name.endswith(".pdf") and mimetype == "application/pdf" and content == signed_pdf

    paper = _recipient(doc, channel=Kind.PAPER)
    assert paper.status == DeliveryStatus.PENDING and paper.incoming is None
    with pytest.raises(PermissionDenied):
        delivery.recipient_mark_sent(recipient=paper, by=people["officer"])
    delivery.recipient_mark_sent(recipient=paper, by=people["clerk"], note="Gửi qua bưu điện")
    paper.refresh_from_db()
    assert paper.status == DeliveryStatus.SENT and _events(paper) == [DeliveryStatus.SENT]
    with pytest.raises(ValidationError):
        delivery.recipient_mark_sent(recipient=paper, by=people["clerk"])

    # A second call delivers nothing twice.
    deliver(doc, people, signed_pdf, django_capture_on_commit_callbacks)
    assert IncomingDocument.objects.filter(number_symbol=doc.number_symbol).count() == 2
    assert len(mailoutbox) == 1

    # The recipient's page: no receiving person, electronic origin, valid signature, no sender link.
    incoming = _recipient(doc, agency=b["agency"]).incoming
    html = _login(client, b["clerk"]).get(incoming.get_absolute_url()).content.decode()
    assert "Nhận liên thông từ " + people["clerk"].agency.name in html
    assert "Văn bản điện tử liên thông, chữ ký số:" in html and "hợp lệ" in html
    assert doc.get_absolute_url() not in html
    assert 'data-testid="signature-status">Chữ ký số hợp lệ' in html


def test_a_reply_closes_the_incoming_document_and_reports_done(
    people, b, c, django_capture_on_commit_callbacks
):
    # B sends A a document electronically; A registers and directs it.
    sent = make_issued(b, pdf=pdf_bytes(), recipients=[("internal", people["clerk"].agency)])
    deliver(sent, b, pdf_bytes(), django_capture_on_commit_callbacks)
    r = _recipient(sent)
    incoming = services.incoming_register(document=r.incoming, by=people["clerk"])
    incoming = services.incoming_direct(
        document=incoming,
        by=people["leader"],
        instruction="Phòng ĐKKD dự thảo văn bản trả lời",
        lead_department=people["unit"],
        coordinators=[people["other_officer"]],
        due_at=timezone.now() + timedelta(days=5),
    )
    # A's reply is issued: close_reply in the issuance transaction, by A's clerk.
    reply = make_issued(people, pdf=pdf_bytes(), recipients=[])
    OutgoingDocument.objects.filter(pk=reply.pk).update(reply_to=incoming)
    reply.refresh_from_db()
    with transaction.atomic():
        delivery.close_reply(document=reply, by=people["clerk"])
    incoming.refresh_from_db()
    assert incoming.state == WorkflowState.ARCHIVED and incoming.completed_at is not None
    assert incoming.reply_number_symbol == reply.number_symbol
    assert not Assignment.objects.for_record(incoming).filter(status=Assignment.Status.OPEN).exists()
    finish = HistoryEntry.objects.for_record(incoming).get(action="finish")
    assert finish.actor == people["clerk"] and reply.number_symbol in finish.comment
    assert finish.from_state == WorkflowState.ASSIGNED and finish.to_state == WorkflowState.ARCHIVED
    assert incoming in selectors.incoming_list(user=people["leader"], queue="done")
    r.refresh_from_db()
    assert r.status == DeliveryStatus.DONE

    # A closed document only gets the reply's number.
    second = make_issued(people, pdf=pdf_bytes(), recipients=[])
    OutgoingDocument.objects.filter(pk=second.pk).update(reply_to=incoming)
    second.refresh_from_db()
    with transaction.atomic():
        delivery.close_reply(document=second, by=people["clerk"])
    incoming.refresh_from_db()
    assert incoming.reply_number_symbol == second.number_symbol
    assert HistoryEntry.objects.for_record(incoming).filter(action="finish").count() == 1


def test_agency_isolation(people, b, c, d, client, django_capture_on_commit_callbacks):
    doc = make_issued(
        people, pdf=pdf_bytes(), recipients=[("internal", b["agency"]), ("internal", c["agency"])]
    )
    deliver(doc, people, pdf_bytes(), django_capture_on_commit_callbacks)
    in_b = _recipient(doc, agency=b["agency"]).incoming
    in_c = _recipient(doc, agency=c["agency"]).incoming
    for user in d["clerk"], d["leader"], d["officer"]:
        assert not selectors.visible_incoming(user).exists()
        assert selectors.queue_count(user, "register") == 0
        assert not Notification.objects.filter(recipient=user).exists()
    assert _login(client, d["clerk"]).get(in_b.get_absolute_url()).status_code == 404
    assert _login(client, b["clerk"]).get(in_c.get_absolute_url()).status_code == 404
    assert _login(client, people["clerk"]).get(in_b.get_absolute_url()).status_code == 404
    assert list(selectors.visible_incoming(b["clerk"])) == [in_b]
    with pytest.raises(PermissionDenied):
        services.incoming_register(document=in_b, by=d["clerk"])


def test_secret_document_reaches_only_the_clerks(people, b, client, django_capture_on_commit_callbacks):
    doc = make_issued(
        people,
        pdf=pdf_bytes(),
        confidentiality=Confidentiality.SECRET,
        recipients=[("internal", b["agency"])],
    )
    deliver(doc, people, pdf_bytes(), django_capture_on_commit_callbacks)
    r = _recipient(doc)
    incoming = r.incoming
    assert incoming.is_secret
    assert selectors.visible_incoming(b["clerk"]).filter(pk=incoming.pk).exists()
    assert selectors.queue_count(b["clerk"], "register") == 1
    for user in (b["leader"], b["officer"]):
        assert not selectors.visible_incoming(user).filter(pk=incoming.pk).exists()
    # A secret document is registered with its named leader, who then sees it.
    with pytest.raises(ValidationError):
        services.incoming_register(document=incoming, by=b["clerk"])
    _login(client, b["clerk"])
    html = client.get(incoming.get_absolute_url()).content.decode()
    assert 'data-testid="register-secret-form"' in html
    client.post(reverse("documents:incoming_register", args=[incoming.pk]), {"directing_leader": "abc"})
    incoming.refresh_from_db()
    assert incoming.state == WorkflowState.NEW
    response = client.post(
        reverse("documents:incoming_register", args=[incoming.pk]), {"directing_leader": b["leader"].pk}
    )
    assert response.status_code == 302
    incoming.refresh_from_db()
    r.refresh_from_db()
    assert incoming.state == WorkflowState.RECEIVED and incoming.directing_leader == b["leader"]
    assert r.status == DeliveryStatus.REGISTERED
    assert incoming in selectors.incoming_list(user=b["leader"], queue="direction")
    assert not selectors.visible_incoming(b["officer"]).filter(pk=incoming.pk).exists()


def test_deliver_query_count_is_bounded(
    people, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    agencies = []
    for n in range(20):
        agency = make_agency(name=f"Ủy ban nhân dân xã thử nghiệm {n}")
        unit = make_department(agency=agency)
        make_user(agency=agency, department=unit, roles=[Role.CLERK])
        make_user(agency=agency, department=unit, roles=[Role.CLERK])
        numbering.default_register(agency=agency)
        agencies.append(agency)

    def run(targets) -> int:
        doc = make_issued(people, pdf=pdf_bytes(), recipients=[("internal", a) for a in targets])
        with CaptureQueriesContext(connection) as ctx, transaction.atomic():
            delivery.deliver(document=doc, pdf=pdf_bytes(), by=people["clerk"])
        assert doc.recipients.filter(status=DeliveryStatus.ARRIVED).count() == len(targets)
        return len(ctx.captured_queries)

    two = run(agencies[:2])
    doc = make_issued(people, pdf=pdf_bytes(), recipients=[("internal", a) for a in agencies])
    with django_assert_max_num_queries(120), transaction.atomic():
        delivery.deliver(document=doc, pdf=pdf_bytes(), by=people["clerk"])
    assert IncomingDocument.objects.filter(number_symbol=doc.number_symbol).count() == 20
    twenty = run(agencies)
    assert twenty - two <= 18 * 5, (two, twenty)  # at most five queries per further recipient
