"""Two-factor sign-in in a real browser: a leader held by the policy enrols an app (the code is typed into
the real form, computed as an authenticator app would from the key the page shows), sees the backup codes,
then signs in again with a code."""

from base64 import b32decode
from urllib.parse import urlparse

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from eoffice.models import Role
from tests.browser.fixtures import DESKTOP, PHONE
from tests.factories import make_agency, make_department, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def leader(transactional_db):
    agency = make_agency(name="Sở Tài chính", abbreviation="STC", code="000.00.40.H26")
    agency.two_factor = "leaders"
    agency.save(update_fields=["two_factor"])
    dept = make_department(agency=agency, name="Văn phòng Sở", abbreviation="VP")
    return make_user(
        agency=agency,
        department=dept,
        roles=[Role.LEADER],
        username="giamdoc.stc",
        full_name="Lê Thị Minh Châu",
    )


@pytest.mark.parametrize("viewport,name", [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_enrol_then_sign_in_with_the_code(open_page, leader, viewport, name):
    page = open_page(viewport, name)
    page.login(leader)
    assert page.page.url.endswith("/account/security/")  # held until enrolled
    page.goto("/")
    assert page.page.url.endswith("/account/security/")
    with page.page.expect_navigation():
        page.page.click("[data-testid=twofactor-start]")
    page.page.locator("[data-testid=twofactor-qr] svg").wait_for()
    assert page.no_horizontal_overflow()
    page.shot("twofactor-enrol")

    assert TOTPDevice.objects.filter(user=leader, confirmed=False).exists()
    # the person types the key shown under the QR code into their app (RFC 6238: 30 s, 6 digits)
    shown = page.page.locator("[data-testid=twofactor-secret]").inner_text().replace(" ", "")
    key = b32decode(shown + "=" * (-len(shown) % 8))

    def app_code(drift: int = 0) -> str:
        return f"{totp(key, drift=drift):06d}"

    page.page.fill("#id_confirm_code", "000000" if app_code() != "000000" else "111111")
    with page.page.expect_navigation():
        page.page.click("[data-testid=twofactor-confirm]")
    assert "Mã không đúng" in page.page.locator("main").inner_text()
    page.page.fill("#id_confirm_code", app_code())
    with page.page.expect_navigation():
        page.page.click("[data-testid=twofactor-confirm]")
    page.page.wait_for_load_state("networkidle")
    assert page.page.locator("[data-testid=twofactor-new-codes] code").count() == 10
    assert page.no_horizontal_overflow()
    page.shot("twofactor-codes")

    page.goto("/")  # free now, with the full shell
    assert "Xin chào" in page.page.locator("main").inner_text()
    page.page.click(".user-menu summary")
    with page.page.expect_navigation():
        page.page.click("[data-testid=logout]")

    page.login(leader)
    assert page.page.url.endswith("/account/verify/")
    assert page.no_horizontal_overflow()
    page.shot("twofactor-verify")
    page.page.fill("#id_code", app_code(drift=1))  # the next 30-second code: each code serves once
    with page.page.expect_navigation():
        page.page.press("#id_code", "Enter")
    page.page.wait_for_load_state("networkidle")
    assert urlparse(page.page.url).path == "/"
    assert "Xin chào" in page.page.locator("main").inner_text()
    assert not [e for e in page.errors if not e.startswith("200")], page.errors
