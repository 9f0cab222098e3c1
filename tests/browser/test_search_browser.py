"""Search in a real browser: the top-bar box ("quyet dinh" without diacritics), highlighted results, the
advanced form, saving the search and running it again; at phone width the box opens from its button and
the page does not overflow; no console error or CSP violation anywhere."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone

from documents.incoming import services
from documents.models import DocumentType
from documents.search import extract
from eoffice.models import Role
from tests.browser.fixtures import DESKTOP, PHONE
from tests.documents.conftest import pdf_upload
from tests.factories import make_agency, make_department, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def clerk(transactional_db):
    # Earlier transactional tests flush the types the data migration made.
    decision = DocumentType.objects.get_or_create(name="Quyết định", defaults={"abbreviation": "QĐ"})[0]
    letter = DocumentType.objects.get_or_create(name="Công văn", defaults={"abbreviation": ""})[0]
    parent = make_agency(name="Ủy ban nhân dân tỉnh An Hòa", abbreviation="UBND")
    agency = make_agency(name="Sở Kế hoạch và Đầu tư", abbreviation="SKHĐT", parent=parent)
    unit = make_department(agency=agency, name="Văn phòng Sở", abbreviation="VP")
    user = make_user(
        agency=agency, department=unit, roles=[Role.CLERK], username="vanthu", full_name="Đặng Thị Hương"
    )
    rows = [
        (
            "123/QĐ-UBND",
            decision,
            "Quyết định giao chỉ tiêu kế hoạch đầu tư công năm 2027",
            "Nội dung chỉ tiêu",
        ),
        ("45/QĐ-UBND", decision, "Quyết định thành lập tổ công tác", "Tổ công tác rà soát thủ tục"),
        ("88/UBND-KT", letter, "V/v báo cáo tình hình kinh tế", "Căn cứ quyết định số 10 của Ủy ban"),
        ("90/UBND-TH", letter, "V/v tổ chức hội nghị", "Hội nghị tổng kết năm"),
    ]
    for n, (symbol, doc_type, summary, text) in enumerate(rows):
        with transaction.atomic():
            doc = services.incoming_receive(
                by=user,
                main_files=[pdf_upload(name=f"vb{n}.pdf", text=text)],
                issuer_name="Ủy ban nhân dân tỉnh An Hòa",
                number_symbol=symbol,
                issued_date=timezone.localdate(),
                doc_type=doc_type,
                summary=summary,
                signer_name="Nguyễn Văn Thành",
                allow_duplicate=True,
            )
        extract.extract_document(model_label="documents.IncomingDocument", pk=doc.pk)
    return user


def _top_bar_search(page, text: str, *, phone: bool) -> None:
    box = page.page.locator("#topbar-search-q")
    if phone:
        assert not box.is_visible()
        page.page.click("[data-topbar-search-toggle]")
        assert box.is_visible()
        assert page.page.locator("[data-topbar-search-toggle]").get_attribute("aria-expanded") == "true"
        assert page.no_horizontal_overflow()
    box.fill(text)
    with page.page.expect_navigation():
        box.press("Enter")
    page.page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("viewport,name", [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_search_from_the_top_bar(open_page, clerk, viewport, name):
    phone = name == "phone"
    page = open_page(viewport, name)
    page.login(clerk)
    _top_bar_search(page, "quyet dinh", phone=phone)
    assert "/documents/search/" in page.page.url
    results = page.page.locator("[data-testid=search-result]")
    # Both decisions (in their summaries) first, then the letter that cites a decision in its PDF text.
    assert page.page.locator("[data-testid=search-count]").inner_text() == "Tìm thấy 3 văn bản"
    assert results.count() == 3
    assert "Quyết định" in results.nth(0).inner_text()
    assert results.nth(2).locator("[data-testid=search-snippet] mark").count() >= 2
    marks = page.page.locator(".search-list mark")
    assert marks.count() >= 6 and {m.lower() for m in marks.all_inner_texts()} <= {"quyết", "định"}
    assert page.no_horizontal_overflow()
    page.shot("search-results")

    # Refine with the advanced form: the number and symbol, as a prefix.
    advanced = page.page.locator("[data-testid=search-advanced]")
    if advanced.get_attribute("open") is None:
        advanced.locator("summary").click()
    page.page.fill("#id_number", "123/QĐ")
    with page.page.expect_navigation():
        advanced.locator("button[type=submit]").click()
    page.page.wait_for_load_state("networkidle")
    assert page.page.locator("[data-testid=search-count]").inner_text() == "Tìm thấy 1 văn bản"
    assert "123/QĐ-UBND" in results.nth(0).inner_text()

    # Save it, start somewhere else, run it again from the list.
    page.page.fill("#id_name", "Quyết định 123")
    with page.page.expect_navigation():
        page.page.click("[data-testid=search-save-form] button[type=submit]")
    page.page.wait_for_load_state("networkidle")
    assert "Đã lưu tìm kiếm “Quyết định 123”." in page.page.locator(".messages").inner_text()
    page.goto("/documents/search/")
    assert page.page.locator("[data-testid=search-result]").count() == 0
    with page.page.expect_navigation():
        page.page.click("[data-testid=saved-search-link]:has-text('Quyết định 123')")
    page.page.wait_for_load_state("networkidle")
    assert page.page.locator("[data-testid=search-count]").inner_text() == "Tìm thấy 1 văn bản"
    assert page.page.locator("#id_number").input_value() == "123/QĐ"
    assert page.no_horizontal_overflow()
    page.shot("search-saved")
    assert page.errors == []
