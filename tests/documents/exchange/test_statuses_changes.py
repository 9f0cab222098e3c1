"""An update (type 2) or replacement (type 3) received by exchange is put to the clerk, not just labelled:
accepted (15), an update rewrites the registered document, a replacement recalls it and brings the new
one into "chờ vào sổ"; refused (16) with a reason, nothing changes. The answer lands on the sender's
recipient row."""

# ruff: noqa: F811 (fixtures imported by name)

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from documents.exchange.models import InboxMessage
from documents.exchange.services import change_answer, outbox, pending_change
from documents.incoming import selectors as incoming_selectors
from documents.incoming import services as incoming_services
from documents.models import IncomingDocument
from documents.outgoing.models import DeliveryStatus
from tests.documents.conftest import people_b  # noqa: F401
from tests.documents.exchange.test_build import exchange_keys_fixture  # noqa: F401
from tests.documents.exchange.test_outbox import loop, outside_b  # noqa: F401
from tests.documents.exchange.test_statuses import pump, sent_to_b
from tests.documents.outgoing.helpers import office  # noqa: F401
from tests.signing.conftest import _signing_settings, authority, pki_dir  # noqa: F401
from workflow.models import HistoryEntry, WorkflowState


def test_update_then_replacement_put_to_the_clerk(office, agency_b, outside_b, people_b, exchange_keys, loop):
    doc, recipient, incoming = sent_to_b(office, agency_b, outside_b)
    b = people_b
    incoming = incoming_services.incoming_register(document=incoming, by=b["clerk"])
    pump()

    # the sender corrects the summary and sends an update
    type(doc).objects.filter(pk=doc.pk).update(
        summary="Đề nghị phối hợp rà soát danh mục dự án năm 2027 (sửa)"
    )
    doc.refresh_from_db()
    outbox.package_enqueue(
        document=doc, recipients=[recipient], by=office["clerk"], business_type=2, reason="Sửa trích yếu"
    )
    pump()
    incoming.refresh_from_db()
    assert incoming.summary != doc.summary  # put to the clerk, not applied behind their back
    assert incoming.recalled_at is None and incoming.state == WorkflowState.RECEIVED
    change = pending_change(incoming)
    assert change.business_type == 2 and change.state == "imported"
    assert HistoryEntry.objects.for_record(incoming).filter(action="exchange_change").exists()
    with pytest.raises(PermissionDenied):
        change_answer(incoming=incoming, accept=True, by=b["officer"])

    change_answer(incoming=incoming, accept=True, by=b["clerk"])
    pump()
    incoming.refresh_from_db()
    assert incoming.summary == doc.summary and incoming.number is not None  # updated, still registered
    recipient.refresh_from_db()
    assert recipient.status == DeliveryStatus.RECALL_ACCEPTED  # 15

    # then a replacement
    outbox.package_enqueue(
        document=doc, recipients=[recipient], by=office["clerk"], business_type=3, reason="Thay thế"
    )
    pump()
    assert pending_change(incoming).business_type == 3
    change_answer(incoming=incoming, accept=True, by=b["clerk"])
    pump()
    incoming.refresh_from_db()
    assert incoming.recalled_at is not None  # the replaced one leaves the active lists
    replacement = IncomingDocument.objects.exclude(pk=incoming.pk).get(agency=agency_b)
    assert replacement.state == WorkflowState.NEW and replacement.duplicate_of == incoming
    assert replacement in incoming_selectors.incoming_list(user=b["clerk"], queue="register")
    assert InboxMessage.objects.get(incoming=replacement).business_type == 3
    assert pending_change(incoming) is None


def test_update_refused_changes_nothing(office, agency_b, outside_b, people_b, exchange_keys, loop):
    doc, recipient, incoming = sent_to_b(office, agency_b, outside_b)
    before = incoming.summary
    type(doc).objects.filter(pk=doc.pk).update(summary="Trích yếu khác")
    doc.refresh_from_db()
    outbox.package_enqueue(
        document=doc, recipients=[recipient], by=office["clerk"], business_type=2, reason="Sửa"
    )
    pump()
    change_answer(incoming=incoming, accept=False, by=people_b["clerk"], reason="Văn bản đã được xử lý")
    pump()
    incoming.refresh_from_db()
    assert incoming.summary == before
    recipient.refresh_from_db()
    assert recipient.status == DeliveryStatus.RECALL_REFUSED
    assert recipient.events.get(status="16").note == "Văn bản đã được xử lý"
