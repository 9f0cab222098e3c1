"""Delivery of issued outgoing documents: incoming documents in the recipient agencies, e-mail and paper
recipients, statuses flowing back from the recipients' real services, recall, reply, agency isolation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from documents.incoming import registry, selectors, services
from documents.registers import numbering
from documents.files import sha256_bytes
from documents.models import (
    Channel,
    Confidentiality,
    DeliveryStatus,
    DocumentType,
    IncomingDocument,
    OutgoingDocument,
    OutgoingRecipient,
    OutgoingVersion,
    Register,
    SignatureStatus,
    Urgency,
)
from documents.outgoing import delivery
from eoffice.models import Notification, Role
from signing import pki
from signing import services as signing
from tests.browser.fixtures import DESKTOP, PHONE
from tests.documents.conftest import pdf_bytes, receive
from tests.factories import make_agency, make_department, make_user
from tests.signing import samples
from tests.signing.conftest import _signing_settings, pki_dir  # noqa: F401 - the signing tests' settings
from tests.signing.factories import PIN, make_credential
from workflow import selectors as work_selectors
from workflow.models import Assignment, HistoryEntry, WorkflowState

pytestmark = pytest.mark.django_db

Kind = OutgoingRecipient.Channel


# --- fixtures -----------------------------------------------------------------------------------------------


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


def _agency_people(name: str, abbreviation: str) -> dict:
    agency = make_agency(name=name, abbreviation=abbreviation)
    unit = make_department(agency=agency, name="Văn phòng", abbreviation="VP")
    return {
        "agency": agency,
        "clerk": make_user(agency=agency, department=unit, roles=[Role.CLERK]),
        "leader": make_user(agency=agency, roles=[Role.LEADER]),
        "officer": make_user(agency=agency, department=unit, roles=[Role.OFFICER]),
    }


@pytest.fixture
def b(agency_b, people_b):
    return {"agency": agency_b, **people_b}


@pytest.fixture
def c(db):
    return _agency_people("Sở Tài chính", "STC")


@pytest.fixture
def d(db):
    return _agency_people("Sở Y tế", "SYT")


_numbers = iter(range(1, 10_000))


def make_issued(
    people, *, pdf: bytes, recipients, confidentiality=0, urgency=0, public_code=""
) -> OutgoingDocument:
    """An issued outgoing document of agency A built with the ORM (no outgoing services), its sealed version
    and its recipients: ("internal", agency) / ("email", name, address) / ("paper", name)."""
    agency = people["clerk"].agency
    n = next(_numbers)
    now = timezone.now()
    doc = OutgoingDocument(
        state=WorkflowState.ISSUED,
        agency=agency,
        doc_type=DocumentType.objects.get_or_create(name="Công văn")[0],
        register=numbering.default_register(agency=agency, kind=Register.Kind.OUTGOING),
        year=now.year,
        number=n,
        number_symbol=f"{n:02d}/SKHĐT-VP",
        issued_at=now - timedelta(hours=1),
        summary=f"V/v triển khai chuyển đổi số năm {now.year}, đợt {n}",
        signer=people["leader"],
        drafted_by=people["officer"],
        issued_by=people["clerk"],
        urgency=urgency,
        confidentiality=confidentiality,
        public_code=public_code,
        released_at=now,
    )
    doc.save()
    version = OutgoingVersion(
        document=doc,
        number=1,
        kind=OutgoingVersion.Kind.SEALED,
        sha256=sha256_bytes(pdf),
        size=len(pdf),
        pages=1,
        created_by=people["clerk"],
    )
    version.file.save("final.pdf", ContentFile(pdf), save=False)
    version.save()
    OutgoingDocument.objects.filter(pk=doc.pk).update(current_version=version)
    doc.refresh_from_db()
    rows = []
    for spec in recipients:
        if spec[0] == "internal":
            rows.append(
                OutgoingRecipient(document=doc, agency=spec[1], name=spec[1].name, channel=Kind.INTERNAL)
            )
        elif spec[0] == "email":
            rows.append(OutgoingRecipient(document=doc, name=spec[1], email=spec[2], channel=Kind.EMAIL))
        else:
            rows.append(OutgoingRecipient(document=doc, name=spec[1], channel=Kind.PAPER))
    OutgoingRecipient.objects.bulk_create(rows)
    return doc


def deliver(doc, people, pdf, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        delivery.deliver(document=doc, pdf=pdf, by=people["clerk"])


def recall(doc, people, reason, django_capture_on_commit_callbacks):
    """What the lead's recall service does around recall_propagate: state RECALLED, reason, then propagate."""
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        OutgoingDocument.objects.filter(pk=doc.pk).update(
            state=WorkflowState.RECALLED, recall_reason=reason, recalled_at=timezone.now()
        )
        doc.refresh_from_db()
        delivery.recall_propagate(document=doc, reason=reason, by=people["clerk"])


def _recipient(doc, **filters) -> OutgoingRecipient:
    return doc.recipients.get(**filters)


def _events(recipient) -> list[str]:
    return list(recipient.events.order_by("at", "id").values_list("status", flat=True))


def _login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise OSError("Máy chủ thư không phản hồi")


# --- delivery -----------------------------------------------------------------------------------------------


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
    assert signing.verification_url("MaTraCuu123") in message.body
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


def test_email_failure_is_recorded_and_can_be_resent(
    people, settings, mailoutbox, django_capture_on_commit_callbacks
):
    doc = make_issued(people, pdf=pdf_bytes(), recipients=[("email", "Báo Nhân Dân", "toasoan@nhandan.vn")])
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    deliver(doc, people, pdf_bytes(), django_capture_on_commit_callbacks)
    r = _recipient(doc)
    assert r.status == DeliveryStatus.FAILED and "không phản hồi" in r.error
    assert _events(r) == [DeliveryStatus.FAILED]

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with pytest.raises(PermissionDenied):
        delivery.email_resend(recipient=r, by=people["officer"])
    with django_capture_on_commit_callbacks(execute=True):
        delivery.email_resend(recipient=r, by=people["clerk"])
    r.refresh_from_db()
    assert r.status == DeliveryStatus.SENT and r.error == ""
    assert _events(r) == [DeliveryStatus.FAILED, DeliveryStatus.PENDING, DeliveryStatus.SENT]
    assert len(mailoutbox) == 1 and mailoutbox[0].attachments[0][2] == "application/pdf"


def test_statuses_flow_back_from_the_recipient(people, b, c, client, django_capture_on_commit_callbacks):
    doc = make_issued(
        people, pdf=pdf_bytes(), recipients=[("internal", b["agency"]), ("internal", c["agency"])]
    )
    deliver(doc, people, pdf_bytes(), django_capture_on_commit_callbacks)
    rb = _recipient(doc, agency=b["agency"])
    incoming = rb.incoming

    services.incoming_register(document=incoming, by=b["clerk"])
    rb.refresh_from_db()
    assert rb.status == DeliveryStatus.REGISTERED
    incoming = services.incoming_direct(
        document=incoming,
        by=b["leader"],
        instruction="Giao Văn phòng tham mưu trả lời",
        lead_user=b["officer"],
        due_at=timezone.now() + timedelta(days=5),
    )
    rb.refresh_from_db()
    assert rb.status == DeliveryStatus.ASSIGNED
    services.incoming_progress(document=incoming, by=b["officer"], note="Đang tổng hợp số liệu", percent=30)
    rb.refresh_from_db()
    assert rb.status == DeliveryStatus.PROCESSING
    services.incoming_finish(document=incoming, by=b["officer"], note="Đã báo cáo")
    rb.refresh_from_db()
    assert rb.status == DeliveryStatus.DONE
    # Never backwards: a late "registered" changes nothing.
    with transaction.atomic():
        delivery.sync_from_incoming(incoming=incoming, status=DeliveryStatus.REGISTERED, by=b["clerk"])
    rb.refresh_from_db()
    assert rb.status == DeliveryStatus.DONE
    # …except a reopen.
    services.incoming_reopen(document=incoming, by=b["leader"], reason="Bổ sung số liệu quý IV")
    rb.refresh_from_db()
    assert rb.status == DeliveryStatus.PROCESSING
    assert _events(rb) == ["01", "03", "04", "05", "06", "05"]
    assert rb.events.filter(status="04").get().actor == b["leader"]

    # The other recipient sends it back (through the page's button): 02 and the drafter is told.
    rc = _recipient(doc, agency=c["agency"])
    response = _login(client, c["clerk"]).post(
        reverse("documents:incoming_action", args=[rc.incoming_id]),
        {"action": "send_back", "comment": "Không thuộc thẩm quyền giải quyết", "expected_state": "new"},
    )
    assert response.status_code == 302
    rc.refresh_from_db()
    assert rc.status == DeliveryStatus.REFUSED and _events(rc) == ["01", "02"]
    assert rc.events.get(status="02").note == "Không thuộc thẩm quyền giải quyết"
    note = Notification.objects.get(recipient=people["officer"], kind="documents.returned")
    assert doc.number_symbol in note.title and c["agency"].name in note.title


def test_sync_costs_one_query_for_a_document_from_elsewhere(people, django_assert_max_num_queries):
    doc = receive(people["clerk"], channel=Channel.ELECTRONIC, register_now=False)
    with transaction.atomic(), django_assert_max_num_queries(1):
        delivery.sync_from_incoming(incoming=doc, status=DeliveryStatus.REGISTERED, by=people["clerk"])


def test_recall_takes_the_document_out_of_every_list(
    people, b, c, client, mailoutbox, django_capture_on_commit_callbacks
):
    doc = make_issued(
        people,
        pdf=pdf_bytes(),
        recipients=[
            ("internal", b["agency"]),
            ("internal", c["agency"]),
            ("email", "Báo Hà Nội Mới", "bt@hnm.vn"),
        ],
    )
    deliver(doc, people, pdf_bytes(), django_capture_on_commit_callbacks)
    rb, rc = _recipient(doc, agency=b["agency"]), _recipient(doc, agency=c["agency"])
    incoming = services.incoming_register(document=rb.incoming, by=b["clerk"])
    incoming = services.incoming_direct(
        document=incoming,
        by=b["leader"],
        instruction="Xử lý",
        lead_user=b["officer"],
        informed=[b["clerk"]],
        due_at=timezone.now() + timedelta(days=2),
    )
    officer, clerk = b["officer"], b["clerk"]
    assert selectors.queue_count(officer, "todo") == 1
    assert work_selectors.my_work_open_count(officer) == 1
    assert selectors.queue_count(c["clerk"], "register") == 1

    recall(doc, people, "Văn bản ban hành sai thẩm quyền", django_capture_on_commit_callbacks)

    incoming.refresh_from_db()
    assert incoming.recalled_at is not None and incoming.state == WorkflowState.ASSIGNED
    for user in (officer, clerk, b["leader"]):
        assert not selectors.incoming_list(user=user).filter(pk=incoming.pk).exists()
        for queue in ("register", "direction", "todo", "progress", "done", "overdue", "info"):
            assert selectors.queue_count(user, queue) == 0, (user, queue)
        assert work_selectors.my_work_open_count(user) == 0
    assert registry._widget_context(officer) is None
    assert selectors.queue_count(c["clerk"], "register") == 0
    assert incoming in selectors.incoming_list(user=clerk, queue="recalled")
    assert not Assignment.objects.for_record(incoming).filter(status=Assignment.Status.OPEN).exists()

    for r in (rb, rc):
        r.refresh_from_db()
        assert r.status == DeliveryStatus.RECALL_REQUESTED and r.events.filter(status="13").count() == 1
    assert Notification.objects.filter(kind="documents.incoming_recalled", recipient=officer).exists()
    assert Notification.objects.filter(kind="documents.incoming_recalled", recipient=c["clerk"]).exists()
    entry = HistoryEntry.objects.for_record(incoming).filter(action="recall").get()
    assert "Văn bản ban hành sai thẩm quyền" in entry.comment

    # The e-mail recipient is told, once.
    email = _recipient(doc, channel=Kind.EMAIL)
    assert email.status == DeliveryStatus.RECALL_REQUESTED
    mails = [m for m in mailoutbox if m.to == ["bt@hnm.vn"]]
    assert len(mails) == 2 and mails[0].attachments and not mails[1].attachments
    assert "Thu hồi văn bản" in mails[1].subject and "sai thẩm quyền" in mails[1].body

    # No further step on it.
    with pytest.raises(ValidationError):
        services.incoming_progress(document=incoming, by=officer, note="Tiếp tục")

    # Still viewable by URL, with the banner and its history; the clerk confirms the recall.
    _login(client, officer)
    html = client.get(incoming.get_absolute_url()).content.decode()
    assert "Văn bản đã bị nơi gửi thu hồi ngày" in html and "Văn bản ban hành sai thẩm quyền" in html
    assert 'data-testid="progress-form"' not in html and 'data-testid="confirm-recall-form"' not in html
    assert client.post(reverse("documents:incoming_confirm_recall", args=[incoming.pk])).status_code == 302
    incoming.refresh_from_db()
    assert incoming.recall_confirmed_at is None  # not a clerk

    _login(client, clerk)
    html = client.get(reverse("documents:incoming_queue", args=["recalled"])).content.decode()
    assert doc.number_symbol in html and "Đã bị thu hồi" in html
    html = client.get(incoming.get_absolute_url()).content.decode()
    assert 'data-testid="confirm-recall-form"' in html and "Xác nhận thu hồi" in html
    response = client.post(reverse("documents:incoming_confirm_recall", args=[incoming.pk]), follow=True)
    assert "Đã xác nhận thu hồi văn bản." in response.content.decode()
    incoming.refresh_from_db()
    rb.refresh_from_db()
    assert incoming.recall_confirmed_at is not None
    assert rb.status == DeliveryStatus.RECALL_ACCEPTED and _events(rb)[-2:] == ["13", "15"]
    with pytest.raises(ValidationError):
        services.incoming_confirm_recall(document=incoming, by=clerk)
    assert 'data-testid="confirm-recall-form"' not in client.get(incoming.get_absolute_url()).content.decode()

    # A recall again changes nothing (idempotent).
    with transaction.atomic():
        delivery.recall_propagate(document=doc, reason="x", by=people["clerk"])
    assert HistoryEntry.objects.for_record(incoming).filter(action="recall", event="comment").count() == 2


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


# --- in the browser ----------------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_recalled_document_in_the_browser(
    people, b, signed_pdf, open_page, password, django_capture_on_commit_callbacks
):
    DocumentType.objects.get_or_create(name="Công văn")
    doc = make_issued(people, pdf=signed_pdf, recipients=[("internal", b["agency"])])
    deliver(doc, people, signed_pdf, django_capture_on_commit_callbacks)
    incoming = services.incoming_register(document=_recipient(doc).incoming, by=b["clerk"])
    recall(doc, people, "Văn bản ban hành sai thẩm quyền", django_capture_on_commit_callbacks)

    for viewport, name in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page = open_page(viewport, name)
        page.page.on("dialog", lambda dialog: dialog.accept())
        page.goto("/account/login/")
        page.page.fill("input[name=username]", b["clerk"].username)
        page.page.fill("input[name=password]", password)
        page.page.press("input[name=password]", "Enter")
        page.page.wait_for_url(lambda url: "/account/login/" not in url)
        page.goto(incoming.get_absolute_url())
        banner = page.page.locator("[data-testid=recall-banner]")
        assert "Văn bản đã bị nơi gửi thu hồi ngày" in banner.inner_text()
        assert "hợp lệ" in page.page.locator("[data-testid=electronic-source]").inner_text()
        assert page.no_horizontal_overflow()
        page.shot("delivery-recalled-detail")
        page.goto(reverse("documents:incoming_queue", args=["recalled"]))
        assert doc.number_symbol in page.page.inner_text("main")
        page.shot("delivery-recalled-list")
        assert not page.errors, page.errors
    page.goto(incoming.get_absolute_url())
    page.page.click("[data-testid=confirm-recall-form] button")
    page.page.wait_for_load_state()
    assert "Văn thư đã xác nhận thu hồi" in page.page.locator("[data-testid=recall-banner]").inner_text()
    page.shot("delivery-recall-confirmed")
    assert not page.errors, page.errors
