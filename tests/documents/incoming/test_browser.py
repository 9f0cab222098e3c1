"""Clerk → leader → head → officer → finish in Chromium, checking what each person sees.

Every person's pages go through ``tests.browser.fixtures.Page``: console errors, failed requests and
duplicate element ids on any page visited fail the test."""

import pytest

from documents.models import DocumentType, IncomingDocument
from tests.browser.fixtures import Page
from tests.documents.conftest import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
VIEWPORT = {"width": 1280, "height": 900}


def _page_for(open_page, user, password) -> Page:
    page = open_page(VIEWPORT, user.username)
    page.page.on("dialog", lambda dialog: dialog.accept())
    page.login(user, password)
    return page


def _pick(page: Page, picker_input: str, text: str) -> None:
    """Choose ``text`` in a searchable picker by typing part of it."""
    box = page.page.locator(picker_input)
    box.click()
    box.type(text)
    page.page.locator(f".picker:has({picker_input}) .picker-option", has_text=text).first.click()
    page.page.keyboard.press("Escape")  # a multiple picker stays open for more choices


def _done(page: Page) -> None:
    assert not page.errors, page.errors
    page.context.close()


def test_incoming_document_walkthrough(open_page, live_server, people, password, tmp_path):
    DocumentType.objects.get_or_create(name="Công văn")
    pdf = tmp_path / "cv.pdf"
    pdf.write_bytes(pdf_bytes("Công văn về kế hoạch đầu tư công"))

    # clerk: receive and register
    clerk = _page_for(open_page, people["clerk"], password)
    page = clerk.page
    clerk.goto("/documents/incoming/new/")
    page.set_input_files("input[name=main_files]", str(pdf))
    page.fill("input[name=issuer_name]", "Bộ Kế hoạch và Đầu tư")
    page.fill("input[name=number_symbol]", "120/BKHĐT-TH")
    page.fill("input[name=issued_date]", "2026-01-05")
    page.select_option("select[name=doc_type]", label="Công văn")
    page.fill("textarea[name=summary]", "V/v báo cáo tình hình thực hiện kế hoạch đầu tư công")
    page.select_option("select[name=urgency]", "1")
    page.click("[data-testid=receive-submit]")
    page.wait_for_load_state()
    assert page.locator(".errorlist, .alert-error").count() == 0, page.inner_text("main")[:2000]
    page.wait_for_selector("[data-testid=doc-state]")
    assert "Số đến 01" in page.inner_text("h1")
    assert page.inner_text("[data-testid=doc-state]") == "Chờ chỉ đạo"
    assert page.locator("[data-testid=direct-form]").count() == 0
    doc = IncomingDocument.objects.get()
    _done(clerk)

    # leader: the queue, then direction to the unit (lead and "for information" picked by typing)
    leader = _page_for(open_page, people["leader"], password)
    page = leader.page
    leader.goto("/documents/incoming/q/direction/")
    assert "120/BKHĐT-TH" in page.inner_text("main")
    assert page.locator("[data-menu='documents.incoming.direction'] .nav-badge").inner_text() == "1"
    page.click("text=V/v báo cáo tình hình")
    page.wait_for_selector("[data-testid=direct-form]")
    page.fill(
        "textarea[name=direct-instruction]", "Giao Phòng Đăng ký kinh doanh chủ trì, báo cáo trước 20/01."
    )
    _pick(leader, "#id_direct-lead-picker-input", people["unit"].name)
    _pick(leader, "#id_direct-informed-picker-input", people["deputy"].full_name)
    assert page.locator("#id_direct-coordinators-picker-input").count() == 1
    page.click("[data-testid=direct-form] button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert page.inner_text("[data-testid=doc-state]") == "Đã giao xử lý"
    _done(leader)

    # an officer not yet assigned does not see it
    officer = _page_for(open_page, people["officer"], password)
    assert officer.page.goto(f"{live_server.url}/documents/incoming/{doc.pk}/").status == 404
    officer.context.close()

    # head: hands it to the officer
    head = _page_for(open_page, people["head"], password)
    page = head.page
    head.goto("/documents/incoming/q/todo/")
    page.click("text=V/v báo cáo tình hình")
    page.wait_for_selector("[data-testid=forward-form]")
    page.locator("[data-testid=forward-form] .picker-input").click()
    page.locator("[data-testid=forward-form] .picker-input").type("Phan Minh")
    page.locator("[data-testid=forward-form] .picker-option", has_text=people["officer"].full_name).click()
    page.click("[data-testid=forward-form] button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert people["officer"].full_name in page.inner_text("[data-testid=assignments]")
    _done(head)

    # officer: progress, then finish; each label focuses its own form's field
    officer = _page_for(open_page, people["officer"], password)
    page = officer.page
    officer.goto("/documents/incoming/q/todo/")
    page.click("text=V/v báo cáo tình hình")
    page.wait_for_selector("[data-testid=progress-form]")
    page.fill(
        "[data-testid=progress-form] textarea[name=progress-note]", "Đã tổng hợp số liệu, đang dự thảo."
    )
    page.fill("[data-testid=progress-form] input[name=progress-percent]", "60")
    page.click("[data-testid=progress-form] button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert page.inner_text("[data-testid=doc-state]") == "Đang xử lý"
    # the unit's row shows its officer's progress
    rows = page.locator("[data-testid=assignments] tbody tr")
    unit_row = rows.filter(has_text=people["unit"].name).filter(has_not_text="giao từ").first
    assert "60%" in unit_row.inner_text()
    page.click("[data-testid=finish-form] label:has-text('Kết quả xử lý')")
    assert page.evaluate("document.activeElement.name") == "finish-note"
    page.keyboard.type("Đã gửi báo cáo.")
    page.click("[data-testid=finish-form] button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert page.inner_text("[data-testid=doc-state]") == "Đã hoàn thành"
    assert "Đã gửi báo cáo." in page.inner_text("main")
    _done(officer)

    # the leader sees it done, with the reopen button and the whole trail (one "Giao xử lý")
    leader = _page_for(open_page, people["leader"], password)
    page = leader.page
    leader.goto("/documents/incoming/q/done/")
    page.click("text=V/v báo cáo tình hình")
    page.wait_for_selector(".timeline")
    assert page.locator("button:has-text('Mở lại xử lý')").count() == 1
    timeline = page.inner_text(".timeline")
    assert timeline.count("Giao xử lý") == 1 and "Chuyển giao" in timeline
    _done(leader)
