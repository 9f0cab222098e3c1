"""In a browser: the draft form's signer list follows the prefix (htmx), and the page "Giao ký, ủy quyền
ký" used by the agency admin at desktop and phone width (create, see it listed, revoke). Screenshots go to
test-artifacts/."""

from __future__ import annotations

import re
from datetime import date

import pytest

from documents.outgoing.models import SigningAuthorization
from tests.browser.fixtures import DESKTOP, PHONE
from tests.documents.outgoing.signers.conftest import doc_type, grant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signer_options(page) -> set[str]:
    return {
        v
        for v in page.page.eval_on_selector_all("select[name=signer] option", "els => els.map(e => e.value)")
        if v
    }


def test_signer_list_follows_the_prefix(open_page, org):
    letter = doc_type("Công văn")
    grant(org, authority="TUQ.", grantee=org["unit_head"], start=date.today(), end=None)
    page = open_page(DESKTOP, "desktop")
    page.login(org["officer"])
    page.goto(f"/documents/outgoing/new/?type={letter.pk}")
    assert _signer_options(page) == {str(org["head"].pk)}
    for prefix, who in (("KT.", "deputy"), ("TL.", "unit_head"), ("TUQ.", "unit_head"), ("TM.", None)):
        with page.page.expect_response(re.compile(r"signer-choices")):
            page.page.select_option("select[name=signer_authority]", prefix)
        page.page.wait_for_load_state("networkidle")
        expected = {str(org[who].pk)} if who else {str(org["head"].pk), str(org["deputy"].pk)}
        assert _signer_options(page) == expected, prefix
    with page.page.expect_response(re.compile(r"signer-choices")):
        page.page.select_option("select[name=signer_authority]", "KT.")
    page.page.wait_for_selector(f"select[name=signer] option[value='{org['deputy'].pk}']", state="attached")
    page.page.select_option("select[name=signer]", str(org["deputy"].pk))
    page.shot("signers-draft-form")
    assert not page.errors, page.errors


@pytest.mark.parametrize("viewport,name", [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_admin_keeps_the_records(open_page, org, viewport, name):
    page = open_page(viewport, name)
    page.login(org["admin"])
    page.goto("/")
    page.page.goto(page.base_url + "/documents/outgoing/authorizations/")
    page.page.click("[data-testid=authorization-new]")
    page.page.wait_for_load_state("networkidle")
    page.page.select_option("select[name=authority]", "TUQ.")
    page.page.fill("input[name=authority_title]", "Giám đốc")
    page.page.select_option("select[name=grantee]", str(org["unit_head"].pk))
    page.page.select_option("select[name=grantor]", str(org["head"].pk))
    page.page.fill("textarea[name=scope]", "Công văn hành chính của Văn phòng")
    page.page.fill("input[name=valid_to]", "2099-12-31")
    page.page.fill("input[name=decision_number]", "25/QĐ-SKHĐT")
    page.shot("signers-authorization-form")
    with page.page.expect_navigation():
        page.page.click("[data-testid=authorization-save]")
    assert page.no_horizontal_overflow()
    record = SigningAuthorization.objects.get()
    assert record.authority == "TUQ." and record.authority_title == "GIÁM ĐỐC"
    page.page.fill("textarea[name=reason]", "Điều chỉnh phân công")
    page.shot("signers-authorization-detail")
    with page.page.expect_navigation():
        page.page.click("[data-testid=authorization-revoke] button[type=submit]")
    assert "Đã chấm dứt" in page.page.inner_text("[data-testid=authorization-status]")
    page.goto("/documents/outgoing/authorizations/?status=all")
    assert page.page.locator("[data-testid=authorization-row]").count() == 1
    assert page.no_horizontal_overflow()
    page.shot("signers-authorization-list")
    assert not page.errors, page.errors
