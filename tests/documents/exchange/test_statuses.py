"""The statuses of a document sent by exchange, end to end in one database (the ``loop`` transport plays
the axis): the recipient's real incoming services produce 01, 03, 04, 05, 06 (or 02 with the reason), in
order, on the sender's recipient row, with the recipient's officer; a recall arrives as a type-1 package,
takes the document out of the recipient's active lists, and the clerk's answer comes back as 15 or 16."""

# ruff: noqa: F811 (fixtures imported by name)

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from documents.exchange.models import InboxMessage, OutboxMessage
from documents.exchange.services import change_answer, inbox, outbox, pending_change
from documents.incoming import selectors as incoming_selectors
from documents.incoming import services as incoming_services
from documents.models import IncomingDocument
from documents.outgoing import services
from documents.outgoing.models import DeliveryStatus
from tests.documents.conftest import people_b  # noqa: F401
from tests.documents.exchange.test_build import exchange_keys_fixture  # noqa: F401
from tests.documents.exchange.test_outbox import exchange_document, issue, loop, outside_b  # noqa: F401
from tests.documents.outgoing.helpers import office  # noqa: F401
from tests.signing.conftest import _signing_settings, authority, pki_dir  # noqa: F401
from workflow.models import WorkflowState


def pump(transport: str = "loop") -> None:
    """Run the worker and the poller until nothing moves (what the beat and the queue do)."""
    for _ in range(10):
        moved = 0
        for message in OutboxMessage.objects.filter(state="pending").order_by("pk"):
            OutboxMessage.objects.filter(pk=message.pk).update(
                next_attempt_at=timezone.now() - dt.timedelta(minutes=1)
            )
            moved += outbox.outbox_send(message_id=message.pk) == "sent"
        moved += inbox.inbox_poll(transport=transport)
        for pk in InboxMessage.objects.filter(state="received").values_list("pk", flat=True):
            moved += inbox.inbox_import(message_id=pk) != "skipped"
        if not moved:
            return


def sent_to_b(office, agency_b, outside_b):
    doc = issue(office, exchange_document(office, agency_b, outside_b))
    pump()
    recipient = doc.recipients.get()
    incoming = IncomingDocument.objects.get(agency=agency_b)
    return doc, recipient, incoming


def statuses(recipient) -> list[str]:
    return list(recipient.events.order_by("at", "pk").values_list("status", flat=True))


def test_statuses_come_back_in_order(office, agency_a, agency_b, outside_b, people_b, exchange_keys, loop):
    doc, recipient, incoming = sent_to_b(office, agency_b, outside_b)
    # the package landed in "chờ vào sổ", prefilled, both signatures checked
    assert (incoming.state, incoming.channel, incoming.received_by) == (WorkflowState.NEW, "electronic", None)
    assert (incoming.number_symbol, incoming.summary) == (doc.number_symbol, doc.summary)
    assert incoming.issuer_name == agency_a.name and incoming.signer_name == office["leader"].full_name
    assert incoming.signature_status == "valid"
    received = InboxMessage.objects.get(incoming=incoming)
    assert received.xml_signature["valid"] and received.xml_signature["algorithm"] == "rsa-sha256"
    assert [p["valid"] for p in received.pdf_signatures] == [True]
    assert incoming in incoming_selectors.incoming_list(user=people_b["clerk"], queue="register")
    recipient.refresh_from_db()
    assert recipient.status == DeliveryStatus.ARRIVED

    b = people_b
    incoming = incoming_services.incoming_register(document=incoming, by=b["clerk"])
    pump()
    incoming = incoming_services.incoming_direct(
        document=incoming, by=b["leader"], instruction="Đề nghị xử lý", lead_user=b["officer"]
    )
    pump()
    incoming = incoming_services.incoming_start(document=incoming, by=b["officer"])
    pump()
    incoming_services.incoming_finish(document=incoming, by=b["officer"], note="Đã hoàn thành rà soát")
    pump()

    recipient.refresh_from_db()
    assert recipient.status == DeliveryStatus.DONE
    assert statuses(recipient) == ["sent", "01", "03", "04", "05", "06"]
    sent_back = OutboxMessage.objects.filter(kind="status").order_by("pk")
    assert list(sent_back.values_list("status_code", "state")) == [
        ("01", "sent"),
        ("03", "sent"),
        ("04", "sent"),
        ("05", "sent"),
        ("06", "sent"),
    ]
    events = {e.status: e for e in recipient.events.all()}
    assert events["03"].actor_name == b["clerk"].full_name and events["03"].actor_id is None
    assert events["04"].actor_name == b["leader"].full_name
    assert events["06"].note == "Đã hoàn thành rà soát"
    # each status imported once, acknowledged on the transport
    assert InboxMessage.objects.filter(kind="status", state="imported").count() == 5
    assert loop.acknowledged == set(loop.messages)


def test_refusal_sends_02_with_its_reason(office, agency_b, outside_b, people_b, exchange_keys, loop):
    doc, recipient, incoming = sent_to_b(office, agency_b, outside_b)
    with pytest.raises(ValidationError):
        incoming_services.incoming_return(document=incoming, by=people_b["clerk"], reason="  ")
    incoming_services.incoming_return(document=incoming, by=people_b["clerk"], reason="Gửi nhầm cơ quan")
    pump()
    recipient.refresh_from_db()
    assert recipient.status == DeliveryStatus.REFUSED and recipient.error == "Gửi nhầm cơ quan"
    assert statuses(recipient) == ["sent", "01", "02"]
    assert recipient.events.get(status="02").note == "Gửi nhầm cơ quan"


def test_recall_13_answered_15_leaves_the_active_lists(
    office, agency_b, outside_b, people_b, exchange_keys, loop
):
    doc, recipient, incoming = sent_to_b(office, agency_b, outside_b)
    b = people_b
    incoming = incoming_services.incoming_register(document=incoming, by=b["clerk"])
    incoming_services.incoming_direct(
        document=incoming, by=b["leader"], instruction="Xử lý", lead_user=b["officer"]
    )
    pump()
    assert incoming_selectors.queue_count(b["officer"], "todo") == 1

    services.document_recall(document=doc, by=office["clerk"], reason="Ban hành nhầm phụ lục")
    recipient.refresh_from_db()
    assert recipient.status == DeliveryStatus.RECALL_REQUESTED
    recall_row = OutboxMessage.objects.get(kind="package", business_type=1)
    assert recall_row.description == "Ban hành nhầm phụ lục"
    pump()

    incoming.refresh_from_db()
    assert incoming.recalled_at is not None  # applied as an internal recall: out of every active list
    for user in (b["clerk"], b["leader"], b["officer"]):
        assert not incoming_selectors.incoming_list(user=user).filter(pk=incoming.pk).exists()
        assert incoming_selectors.queue_count(user, "todo") == 0
    assert incoming in incoming_selectors.incoming_list(user=b["clerk"], queue="recalled")
    change = pending_change(incoming)
    assert change is not None and change.business_type == 1 and change.duplicate_of.incoming_id == incoming.pk
    with pytest.raises(ValidationError):
        incoming_services.incoming_start(document=incoming, by=b["officer"])

    change_answer(incoming=incoming, accept=True, by=b["clerk"])
    pump()
    assert pending_change(incoming) is None
    with pytest.raises(ValidationError):
        change_answer(incoming=incoming, accept=True, by=b["clerk"])  # answered already
    recipient.refresh_from_db()
    assert recipient.status == DeliveryStatus.RECALL_ACCEPTED
    assert statuses(recipient)[-2:] == ["13", "15"]
    incoming.refresh_from_db()
    assert incoming.recall_confirmed_at is not None


def test_recall_refused_16_puts_the_document_back(office, agency_b, outside_b, people_b, exchange_keys, loop):
    doc, recipient, incoming = sent_to_b(office, agency_b, outside_b)
    b = people_b
    incoming_services.incoming_register(document=incoming, by=b["clerk"])
    pump()
    services.document_recall(document=doc, by=office["clerk"], reason="Thu hồi để sửa")
    pump()
    incoming.refresh_from_db()
    assert incoming.recalled_at is not None
    with pytest.raises(ValidationError):
        change_answer(incoming=incoming, accept=False, by=b["clerk"], reason=" ")  # a reason is required
    change_answer(incoming=incoming, accept=False, by=b["clerk"], reason="Đã triển khai thực hiện")
    pump()
    incoming.refresh_from_db()
    assert incoming.recalled_at is None
    assert incoming_selectors.incoming_list(user=b["clerk"]).filter(pk=incoming.pk).exists()
    recipient.refresh_from_db()
    assert recipient.status == DeliveryStatus.RECALL_REFUSED
    assert recipient.events.get(status="16").note == "Đã triển khai thực hiện"
