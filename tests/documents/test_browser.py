"""Clerk → leader → head → officer → finish in Chromium, checking what each person sees."""

import pytest

from documents.models import DocumentType, IncomingDocument
from tests.documents.conftest import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _page_for(browser, live_server, user, password):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{live_server.url}/account/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", password)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(lambda url: "/account/login/" not in url)
    return page


def test_incoming_document_walkthrough(browser, live_server, people, password, tmp_path):
    DocumentType.objects.get_or_create(name="Công văn")
    pdf = tmp_path / "cv.pdf"
    pdf.write_bytes(pdf_bytes("Công văn về kế hoạch đầu tư công"))

    # clerk: receive and register
    page = _page_for(browser, live_server, people["clerk"], password)
    page.goto(f"{live_server.url}/documents/incoming/new/")
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
    page.context.close()

    # leader: the queue, then direction to the unit
    page = _page_for(browser, live_server, people["leader"], password)
    page.goto(f"{live_server.url}/documents/incoming/q/direction/")
    assert "120/BKHĐT-TH" in page.inner_text("main")
    assert page.locator("[data-menu='documents.incoming.direction'] .nav-badge").inner_text() == "1"
    page.click("text=V/v báo cáo tình hình")
    page.fill("textarea[name=instruction]", "Giao Phòng Đăng ký kinh doanh chủ trì, báo cáo trước 20/01.")
    page.select_option("select[name=lead]", label=people["unit"].name)
    page.click("[data-testid=direct-form] button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert page.inner_text("[data-testid=doc-state]") == "Đã giao xử lý"
    page.context.close()

    # an officer not yet assigned does not see it
    page = _page_for(browser, live_server, people["officer"], password)
    assert page.goto(f"{live_server.url}/documents/incoming/{doc.pk}/").status == 404
    page.context.close()

    # head: hands it to the officer
    page = _page_for(browser, live_server, people["head"], password)
    page.goto(f"{live_server.url}/documents/incoming/q/todo/")
    page.click("text=V/v báo cáo tình hình")
    page.select_option("[data-testid=forward-form] select[name=to_user]", str(people["officer"].pk))
    page.click("[data-testid=forward-form] button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert people["officer"].full_name in page.inner_text("[data-testid=assignments]")
    page.context.close()

    # officer: progress, then finish
    page = _page_for(browser, live_server, people["officer"], password)
    page.goto(f"{live_server.url}/documents/incoming/q/todo/")
    page.click("text=V/v báo cáo tình hình")
    page.fill("[data-testid=progress-form] textarea[name=note]", "Đã tổng hợp số liệu, đang dự thảo báo cáo.")
    page.fill("[data-testid=progress-form] input[name=percent]", "60")
    page.click("[data-testid=progress-form] button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert page.inner_text("[data-testid=doc-state]") == "Đang xử lý"
    page.fill("[data-testid=finish-form] textarea[name=note]", "Đã gửi báo cáo.")
    page.click("[data-testid=finish-form] button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert page.inner_text("[data-testid=doc-state]") == "Đã hoàn thành"
    assert "Đã gửi báo cáo." in page.inner_text("main")
    page.context.close()

    # the leader sees it done, with the reopen button and the whole trail
    page = _page_for(browser, live_server, people["leader"], password)
    page.goto(f"{live_server.url}/documents/incoming/q/done/")
    page.click("text=V/v báo cáo tình hình")
    assert page.locator("button:has-text('Mở lại xử lý')").count() == 1
    timeline = page.inner_text(".timeline")
    assert "Giao xử lý" in timeline and "Chuyển giao" in timeline
    page.context.close()
