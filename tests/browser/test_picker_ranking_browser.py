"""The pickers of the real pages rank the name's own matches first, so that Enter takes the right one:
"uy ban nhan dan tinh" in the recipients of an outgoing document chose "Sở Thông tin và Truyền thông (Ủy ban
nhân dân tỉnh An Hòa)" (its parent's name matched, and it came first by name); "thanh lap doanh nghiep tu
nhan" at the one-stop counter chose "Chuyển đổi doanh nghiệp tư nhân…" (its field's name matched)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from documents.models import DocumentType
from eoffice.models import Role
from onestop.models import Procedure, ProcedureField
from tests.browser.fixtures import DESKTOP
from tests.factories import make_agency, make_department, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def agencies(transactional_db):
    DocumentType.objects.get_or_create(name="Công văn", defaults={"abbreviation": ""})
    province = make_agency(name="Ủy ban nhân dân tỉnh An Hòa", abbreviation="UBND")
    for name in ("Sở Thông tin và Truyền thông", "Sở Tài chính", "Sở Tư pháp"):
        make_agency(name=name, parent=province)
    agency = make_agency(name="Sở Kế hoạch và Đầu tư", abbreviation="SKHĐT", parent=province)
    field = ProcedureField.objects.create(code="DN", name="Thành lập và hoạt động doanh nghiệp")
    for code, name in [
        ("1.010027", "Chuyển đổi doanh nghiệp tư nhân thành công ty trách nhiệm hữu hạn"),
        ("2.001612", "Thành lập doanh nghiệp tư nhân"),
    ]:
        Procedure.objects.create(
            agency=agency,
            code=code,
            name=name,
            field=field,
            time_value=Decimal(3),
            result_name="Giấy chứng nhận",
        )
    unit = make_department(agency=agency, name="Phòng Đăng ký kinh doanh", abbreviation="ĐKKD")
    counter = make_department(agency=agency, name="Bộ phận Một cửa", abbreviation="MC")
    return {
        "officer": make_user(agency=agency, department=unit, roles=[Role.OFFICER], username="chuyenvien"),
        "onestop": make_user(
            agency=agency, department=counter, roles=[Role.ONESTOP_OFFICER], username="motcua"
        ),
    }


def _pick(p, field_id: str, text: str) -> str:
    """Type into the picker of ``field_id``, press Enter; the labels of the select's chosen options."""
    box = p.locator(f"#{field_id}-picker-input")
    box.click()
    box.type(text)
    p.keyboard.press("Enter")
    return p.eval_on_selector(f"#{field_id}", "s => Array.from(s.selectedOptions).map(o => o.text)")


def test_enter_takes_the_agency_whose_own_name_matches(open_page, agencies):
    page = open_page(DESKTOP, "desktop")
    page.login(agencies["officer"])
    page.goto(reverse("documents:outgoing_list"))
    with page.page.expect_navigation():
        page.page.click("[data-testid=new-draft]")
    with page.page.expect_navigation():
        page.page.click("[data-testid=type-CV]")
    page.page.wait_for_load_state("networkidle")
    p = page.page
    box = p.locator("#id_recipient_agencies-picker-input")
    box.click()
    box.type("uy ban nhan dan tinh")
    options = p.locator("#id_recipient_agencies-picker-list .picker-option").all_inner_texts()
    assert options[0] == "Ủy ban nhân dân tỉnh An Hòa"
    p.keyboard.press("Enter")
    chosen = p.eval_on_selector(
        "#id_recipient_agencies", "s => Array.from(s.selectedOptions).map(o => o.text)"
    )
    assert chosen == ["Ủy ban nhân dân tỉnh An Hòa"]
    assert page.errors == []


def test_enter_takes_the_procedure_named_exactly(open_page, agencies):
    page = open_page(DESKTOP, "desktop")
    page.login(agencies["onestop"])
    page.goto(reverse("onestop:receive"))
    chosen = _pick(page.page, "id_procedure", "thanh lap doanh nghiep tu nhan")
    assert chosen == ["Thành lập doanh nghiệp tư nhân (2.001612)"]
    page.page.wait_for_load_state("networkidle")  # the checklist loads by htmx
    assert page.errors == []
