"""The page "Phụ lục và tệp kèm theo" in a browser: the drafter adds an appendix and a PDF from the
document's page, at desktop and phone width (no overflow, no console or CSP error)."""

from __future__ import annotations

import pytest

from documents.outgoing import services
from tests.browser.fixtures import DESKTOP, PHONE
from tests.documents.outgoing.attachments.helpers import decision_fields
from tests.signing import samples
from tests.signing.conftest import _signing_settings, authority, pki_dir  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport,name", [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_drafter_adds_an_appendix_and_a_file(open_page, office, agency_b, viewport, name, tmp_path):
    doc = services.draft_create(by=office["officer"], fields=decision_fields(office, agency_b))
    page = open_page(viewport, name)
    page.login(office["officer"])
    page.goto(doc.get_absolute_url())
    page.page.click('[data-testid="manage-attachments"]')
    page.page.wait_for_load_state("networkidle")
    page.page.fill("#id_appendix-title", "Danh mục dự án chuyển tiếp")
    page.page.locator('[data-testid="appendix-form"] [contenteditable="true"]').fill(
        "Dự án đường tỉnh 291, vốn 120 tỷ đồng."
    )
    with page.page.expect_navigation():
        page.page.click('[data-testid="appendix-form"] button[type="submit"]')
    pdf = tmp_path / "bang-ke.pdf"
    pdf.write_bytes(samples.sample_pdf(title="BẢNG KÊ"))
    page.page.set_input_files("#id_attachment-upload", str(pdf))
    page.page.fill("#id_attachment-title", "Bảng kê dự án")
    with page.page.expect_navigation():
        page.page.click('[data-testid="attachment-form"] button[type="submit"]')
    page.page.wait_for_load_state("networkidle")
    assert page.page.locator('[data-testid="appendix-list"] li').count() == 1
    assert page.page.locator('[data-testid="attachment-list"] li').count() == 1
    assert page.no_horizontal_overflow()
    page.shot("outgoing-attachments")
    page.goto(doc.get_absolute_url())
    assert page.page.locator('[data-testid="outgoing-attachments"]').inner_text().count("Bảng kê dự án") == 1
    assert page.no_horizontal_overflow()
    assert not page.errors, page.errors
