"""documents.outgoing.delivery.tracking: statuses flowing back from the recipients' real services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from documents.incoming import services
from documents.models import (
    Channel,
    DeliveryStatus,
)
from documents.outgoing import delivery
from eoffice.models import Notification
from tests.documents.conftest import pdf_bytes, receive
from tests.documents.outgoing.delivery.helpers import (
    _events,
    _login,
    _recipient,
    deliver,
    make_issued,
)
from tests.signing.conftest import _signing_settings, pki_dir  # noqa: F401 - the signing tests' settings

pytestmark = pytest.mark.django_db


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
