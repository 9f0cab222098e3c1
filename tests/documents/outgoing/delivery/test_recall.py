"""documents.outgoing.delivery.recall: a recalled document leaves every list (services and browser)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from documents.incoming import registry, selectors, services
from documents.models import (
    DeliveryStatus,
    DocumentType,
)
from documents.outgoing import delivery
from eoffice.models import Notification
from tests.browser.fixtures import DESKTOP, PHONE
from tests.documents.conftest import pdf_bytes
from tests.documents.outgoing.delivery.helpers import (
    Kind,
    _events,
    _login,
    _recipient,
    deliver,
    make_issued,
    recall,
)
from tests.signing.conftest import _signing_settings, pki_dir  # noqa: F401 - the signing tests' settings
from workflow import selectors as work_selectors
from workflow.models import Assignment, HistoryEntry, WorkflowState

pytestmark = pytest.mark.django_db


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
