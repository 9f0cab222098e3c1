"""In Chromium, at 1280 and 390 px: the sender's status page (each recipient's statuses and officers, the
resend of a failed package) and the exchange log; the recipient clerk's "chờ vào sổ" with the package's
signature checks and the change put to them, refused with a reason (16). Console errors, failed requests
and duplicate ids fail the test (``tests.browser.fixtures.Page``)."""

# ruff: noqa: F811

from __future__ import annotations

import pytest
from django.urls import reverse

from documents.exchange.models import MessageKind, OutboxMessage
from tests.browser.fixtures import DESKTOP, PHONE
from tests.documents.exchange.test_pages_incoming import PDF_SIGNATURES, XML_SIGNATURE, by_exchange, change
from tests.documents.exchange.test_pages_outgoing import issued  # noqa: F401
from tests.documents.exchange.test_pages_support import URLCONF, message_in, other, sender  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.urls(URLCONF)]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_sender_sees_statuses_resends_and_reads_the_log(open_page, sender, issued, viewport):
    page = open_page(viewport, "sender")
    page.login(sender["clerk"])
    page.goto(issued["doc"].get_absolute_url())
    recipients = page.page.locator('[data-testid="recipients"]')
    assert "Trần Thị Văn Thư" in recipients.inner_text()
    assert recipients.locator('[data-testid="recipient-trail"]').count() == 2
    assert page.no_horizontal_overflow()
    with page.page.expect_navigation():
        recipients.locator('[data-testid="exchange-resend"]').click()
    assert "Đã đưa gói tin vào hàng gửi lại" in page.page.inner_text("body")
    assert page.page.url.endswith(issued["doc"].get_absolute_url())
    page.goto(reverse("documents:exchange_log"))
    rows = page.page.locator('[data-testid="log-row"]')
    assert rows.count() == 1  # the package to Bộ Nội vụ, resent (the worker ran it again: no axis here)
    assert "Bộ Nội vụ" in rows.first.inner_text()
    assert page.no_horizontal_overflow()
    assert not page.errors, page.errors


def test_recipient_clerk_reads_the_package_and_refuses_the_update(open_page, people, password):
    doc = by_exchange(people["clerk"])
    inbox = message_in(doc.agency, incoming=doc, xml_signature=XML_SIGNATURE, pdf_signatures=PDF_SIGNATURES)
    change(inbox, business_type=2)
    page = open_page(PHONE, "clerk")
    page.page.on("dialog", lambda dialog: dialog.accept())
    page.login(people["clerk"], password)
    page.goto(reverse("documents:incoming_queue", kwargs={"queue": "register"}))
    with page.page.expect_navigation():
        page.page.locator(f'a[href="{doc.get_absolute_url()}"]').first.click()
    page.page.wait_for_load_state("networkidle")
    panel = page.page.locator('[data-testid="exchange-package"]')
    assert "Nguyễn Văn Ký" in panel.inner_text() and "rsa-sha256" in panel.inner_text()
    box = page.page.locator('[data-testid="exchange-change"]')
    box.wait_for()
    assert "Nơi gửi đề nghị cập nhật văn bản" in box.inner_text()
    assert page.no_horizontal_overflow()
    box.locator("summary", has_text="Từ chối (16)").click()
    page.page.fill("#id_change_reason", "Văn bản đã được xử lý xong, không cập nhật.")
    with page.page.expect_navigation():
        box.locator('[data-testid="change-refuse-form"] button[type="submit"]').click()
    assert "Đã từ chối đề nghị của nơi gửi (16)." in page.page.inner_text("body")
    assert OutboxMessage.objects.get(incoming=doc, kind=MessageKind.STATUS).status_code == "16"
    assert not page.errors, page.errors
