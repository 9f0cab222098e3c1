"""The format check in a real browser: the office's reviewer opens the draft the head approved, reads the
checklist beside the PDF (a past deadline flagged with its sentence), returns it once with a comment, then
approves the corrected version; at desktop and phone width. Screenshots in test-artifacts/."""

from __future__ import annotations

import pytest

from documents.outgoing import services
from tests.browser.fixtures import DESKTOP, PHONE
from tests.documents.outgoing.format.helpers import to_format_check
from tests.documents.outgoing.helpers import _fields
from workflow.models import WorkflowState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reviewer_returns_then_approves_on_the_checklist(office, agency_b, checker, open_page):
    doc = to_format_check(
        office,
        agency_b,
        body="<p>Đề nghị Quý cơ quan gửi số liệu về Sở trước ngày 30/11/2020 để tổng hợp.</p>",
    )
    page = open_page(DESKTOP, "desktop")
    page.login(checker)
    page.goto(doc.get_absolute_url())
    checklist = page.page.locator('[data-testid="format-checklist"]')
    assert checklist.is_visible()
    past = page.page.locator('[data-code="past_dates"]')
    assert past.get_attribute("data-ok") == "0" and "trước ngày 30/11/2020" in past.inner_text()
    page.shot("format-check")
    page.page.fill("#fmt_comment", "Sửa thời hạn gửi số liệu (đã qua).")
    with page.page.expect_navigation():
        page.page.click('[data-testid="format-return"]')
    doc.refresh_from_db()
    assert doc.state == WorkflowState.RETURNED

    services.draft_update(
        document=doc,
        by=office["officer"],
        fields=_fields(
            office,
            agency_b,
            body="<p>Đề nghị Quý cơ quan gửi số liệu về Sở trước ngày 30/12/2099 để tổng hợp.</p>",
        ),
    )
    doc = services.draft_submit(document=doc, by=office["officer"], reviewer=office["head"])
    doc = services.draft_approve(document=doc, by=office["head"])

    phone = open_page(PHONE, "phone")
    phone.login(checker)
    phone.goto(doc.get_absolute_url())
    assert phone.page.locator('[data-code="past_dates"]').get_attribute("data-ok") == "1"
    assert phone.no_horizontal_overflow()
    phone.shot("format-check")
    for box in phone.page.locator('input[name="ticked"]').all():
        box.check()
    with phone.page.expect_navigation():
        phone.page.click('[data-testid="format-approve"]')
    doc.refresh_from_db()
    assert doc.state == WorkflowState.SIGNING
    assert phone.page.locator('[data-testid="format-check"]').count() == 2
    phone.shot("format-history")
    assert not page.errors and not phone.errors, page.errors + phone.errors
