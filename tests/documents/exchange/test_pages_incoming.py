"""The recipient clerk's view of a document that came by exchange: the package's metadata, both signature
checks and the notices on the incoming document's page; a recall, update or replacement put to the clerk,
answered 15 (accept) or 16 (refuse, with a reason) through ``change_answer``."""

# ruff: noqa: F811

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from documents.common import Channel
from documents.exchange.models import InboxMessage, MessageKind, OutboxMessage
from documents.incoming.models import IncomingDocument
from tests.documents.conftest import receive
from tests.documents.exchange.test_pages_support import URLCONF, message_in
from tests.factories import make_agency, make_user

pytestmark = pytest.mark.urls(URLCONF)

XML_SIGNATURE = {
    "present": True,
    "valid": True,
    "trusted": False,
    "algorithm": "rsa-sha256",
    "canonicalization": "exc-c14n",
    "signer": "Bộ Thông tin và Truyền thông",
    "code": "",
    "message": "",
}
PDF_SIGNATURES = [
    {
        "content_id": "cid:1",
        "present": True,
        "valid": True,
        "trusted": True,
        "signer": "Nguyễn Văn Ký",
        "message": "",
    }
]


def by_exchange(clerk) -> IncomingDocument:
    """An incoming document in "chờ vào sổ" as the import leaves it: electronic, received by nobody."""
    doc = receive(clerk, register_now=False, channel=Channel.ELECTRONIC, allow_duplicate=True)
    IncomingDocument.objects.filter(pk=doc.pk).update(received_by=None)
    doc.refresh_from_db()
    return doc


@pytest.fixture
def arrived(people):
    """A document received by exchange, waiting in "chờ vào sổ", and its inbox row."""
    doc = by_exchange(people["clerk"])
    inbox = message_in(
        doc.agency,
        incoming=doc,
        xml_signature=XML_SIGNATURE,
        pdf_signatures=PDF_SIGNATURES,
        notices=[{"code": "agency_code", "message": "Mã cơ quan gửi không đúng định dạng QĐ 20/2020."}],
    )
    return doc, inbox


def change(inbox, business_type: int) -> InboxMessage:
    return message_in(
        inbox.agency,
        business_type=business_type,
        duplicate_of=inbox,
        document_id=inbox.document_id,
        received_at=timezone.now(),
    )


def test_the_page_shows_the_package_and_both_signature_checks(client, people, arrived):
    doc, inbox = arrived
    client.force_login(people["clerk"])
    html = client.get(doc.get_absolute_url()).content.decode()
    assert 'data-testid="exchange-package"' in html
    assert "Bộ Thông tin và Truyền thông" in html and "000.00.00.G22" in html
    assert "000.00.00.G22,2026/12/01,123/BTTTT-VP" in html
    assert "Gói tin: chữ ký hợp lệ" in html
    assert "rsa-sha256" in html and "chứng thư chưa được tin cậy" in html
    assert "Nguyễn Văn Ký" in html
    assert "Mã cơ quan gửi không đúng định dạng QĐ 20/2020." in html
    assert reverse("documents:exchange_inbox_file", args=[inbox.pk]) in html
    assert reverse("documents:exchange_change", args=[doc.pk]) in html  # the change slot, loaded by htmx


def test_an_invalid_package_signature_is_said(client, people, arrived):
    doc, inbox = arrived
    inbox.xml_signature = {**XML_SIGNATURE, "valid": False, "message": "Chữ ký không khớp nội dung gói tin."}
    inbox.save()
    client.force_login(people["clerk"])
    html = client.get(doc.get_absolute_url()).content.decode()
    assert "Gói tin: chữ ký không hợp lệ" in html and "Chữ ký không khớp nội dung gói tin." in html


def test_a_document_not_received_by_exchange_has_no_panel(client, people):
    doc = receive(people["clerk"])
    client.force_login(people["clerk"])
    html = client.get(doc.get_absolute_url()).content.decode()
    assert "exchange-package" not in html and "exchange-change-slot" not in html


def test_no_pending_change_no_panel(client, people, arrived):
    doc, _inbox = arrived
    client.force_login(people["clerk"])
    response = client.get(reverse("documents:exchange_change", args=[doc.pk]))
    assert response.status_code == 200 and response.content == b""


def test_update_put_to_the_clerk_refused_with_a_reason(client, people, arrived):
    doc, inbox = arrived
    change(inbox, business_type=2)
    url = reverse("documents:exchange_change", args=[doc.pk])
    client.force_login(people["clerk"])
    html = client.get(url).content.decode()
    assert "Nơi gửi đề nghị cập nhật văn bản" in html
    assert 'data-testid="change-accept"' in html and 'data-testid="change-refuse-form"' in html

    response = client.post(url, {"answer": "refuse", "reason": "  "}, follow=True)
    assert "Vui lòng nêu lý do từ chối." in response.content.decode()
    assert not OutboxMessage.objects.filter(incoming=doc).exists()

    response = client.post(url, {"answer": "refuse", "reason": "Văn bản đã được xử lý xong."}, follow=True)
    assert "Đã từ chối đề nghị của nơi gửi (16)." in response.content.decode()
    status = OutboxMessage.objects.get(incoming=doc, kind=MessageKind.STATUS)
    assert status.status_code == "16"
    assert client.get(url).content == b""  # answered: nothing left to answer


def test_recall_accepted_sends_15(client, people, arrived):
    doc, inbox = arrived
    doc.recalled_at = timezone.now()
    doc.save(update_fields=["recalled_at"])
    change(inbox, business_type=1)
    client.force_login(people["clerk"])
    response = client.post(reverse("documents:exchange_change", args=[doc.pk]), {"answer": "accept"})
    assert response.status_code == 302 and response["Location"] == doc.get_absolute_url()
    assert OutboxMessage.objects.get(incoming=doc, kind=MessageKind.STATUS).status_code == "15"
    doc.refresh_from_db()
    assert doc.recall_confirmed_at is not None


def test_only_the_agencys_clerk_answers(client, people, arrived):
    doc, inbox = arrived
    change(inbox, business_type=3)
    url = reverse("documents:exchange_change", args=[doc.pk])
    stranger = make_user(agency=make_agency(), roles=["clerk"])
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    assert client.post(url, {"answer": "accept"}).status_code == 404
    client.force_login(people["leader"])
    html = client.get(url).content.decode()
    if html:  # a leader who may see the document sees the request, without the buttons
        assert "change-accept" not in html
    assert client.post(url, {"answer": "accept"}).status_code in (403, 404)
    assert not OutboxMessage.objects.filter(incoming=doc).exists()
