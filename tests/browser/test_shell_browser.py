"""The shell in a real browser: login, drawer, bell, marking a notification read, logout, no overflow
at phone width, no CSP violation or missing static file."""

import pytest

from eoffice import services
from eoffice.models import Role
from tests.browser.fixtures import DESKTOP, PHONE
from tests.factories import make_agency, make_department, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def person(transactional_db):
    parent = make_agency(name="Ủy ban nhân dân tỉnh Hà Giang", abbreviation="UBND")
    agency = make_agency(name="Sở Tài nguyên và Môi trường", abbreviation="STNMT", parent=parent)
    dept = make_department(agency=agency, name="Văn phòng Sở", abbreviation="VP")
    user = make_user(
        agency=agency,
        department=dept,
        roles=[Role.LEADER],
        username="giamdoc",
        full_name="Nguyễn Thị Thu Hà",
        position="Giám đốc Sở",
    )
    for i in range(4):
        make_user(agency=agency, department=dept, full_name=f"Trần Văn Cường {i}", position="Chuyên viên")
    services.notify(recipients=[user], kind="test", title="Văn bản đến mới số 15/UBND-KT", url="/directory/")
    services.notify(recipients=[user], kind="test", title="Nhắc việc: báo cáo quý sắp đến hạn", url="/")
    return user


def _bell_count(page) -> int:
    badge = page.page.locator("[data-testid=bell-count]")
    return int(badge.inner_text()) if badge.count() else 0


@pytest.mark.parametrize("viewport,name", [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_shell(open_page, person, viewport, name):
    page = open_page(viewport, name)
    page.goto("/")
    assert "/account/login/" in page.page.url
    assert page.no_horizontal_overflow()
    page.shot("login")

    page.login(person)
    body = page.page.locator("main").inner_text()
    assert "Xin chào, Nguyễn Thị Thu Hà" in body
    assert "Sở Tài nguyên và Môi trường" in page.page.locator(".topbar").text_content()
    assert "Ủy ban nhân dân tỉnh Hà Giang" in page.page.locator(".topbar").text_content()
    assert page.no_horizontal_overflow()
    page.shot("dashboard")

    sidebar = page.page.locator("#sidebar")
    if name == "phone":
        assert not sidebar.is_visible() or sidebar.bounding_box()["x"] < 0
        page.page.click("[data-drawer-toggle]")
        page.page.wait_for_timeout(350)
        assert sidebar.bounding_box()["x"] >= 0
        assert page.page.locator("#sidebar a[data-menu=home]").is_visible()
        # "Cơ quan" is not a leader's own section: collapsed until opened
        assert page.page.locator("#sidebar a[data-menu=directory]").is_hidden()
        page.page.click("#sidebar details[data-nav-section=agency] > summary")
        assert page.page.locator("#sidebar a[data-menu=directory]").is_visible()
        page.shot("drawer")
        page.page.keyboard.press("Escape")
        page.page.wait_for_timeout(350)
        assert "nav-open" not in (page.page.locator("body").get_attribute("class") or "")
    else:
        assert sidebar.bounding_box()["x"] == 0
        assert page.page.locator("[data-drawer-toggle]").is_hidden()

    assert _bell_count(page) == 2
    page.page.click("[data-bell]")
    panel = page.page.locator("#bell-panel")
    panel.locator(".bell-head").wait_for()
    assert "Văn bản đến mới số 15/UBND-KT" in panel.inner_text()
    assert page.no_horizontal_overflow()
    page.shot("bell")
    with page.page.expect_navigation():
        panel.locator("button.notif", has_text="Văn bản đến mới").click()
    page.page.wait_for_load_state("networkidle")
    assert page.page.url.endswith("/directory/")
    assert _bell_count(page) == 1

    for path in ["/notifications/", "/directory/", "/account/profile/", "/account/password/change/"]:
        page.goto(path)
        assert page.page.locator("h1").first.is_visible(), path
        assert page.no_horizontal_overflow(), path
    page.shot("profile")

    page.page.click("summary.user-trigger")
    with page.page.expect_navigation():
        page.page.click("[data-testid=logout]")
    assert "/account/login/" in page.page.url
    page.goto("/")
    assert "/account/login/" in page.page.url

    assert page.errors == [], page.errors


def test_notifications_page_mark_all_read(open_page, person):
    page = open_page(DESKTOP, "desktop")
    page.login(person)
    page.goto("/notifications/")
    assert page.page.locator("li.is-unread").count() == 2
    with page.page.expect_navigation():
        page.page.click("text=Đánh dấu tất cả đã đọc")
    assert page.page.locator("li.is-unread").count() == 0
    assert "Đã đánh dấu 2 thông báo là đã đọc." in page.page.locator(".messages").inner_text()
    page.page.click(".messages [data-dismiss=alert]")
    assert page.page.locator(".messages .alert").count() == 0
    assert _bell_count(page) == 0
    assert page.errors == [], page.errors


@pytest.mark.parametrize("viewport,name", [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_error_page_inside_and_outside_the_shell(open_page, person, viewport, name):
    page = open_page(viewport, name)
    page.goto("/khong-co-trang-nay/")
    assert "Không tìm thấy trang" in page.page.locator("main").inner_text()
    assert page.no_horizontal_overflow()
    page.shot("404-anonymous")
    page.login(person)
    page.goto("/khong-co-trang-nay/")
    assert "Không tìm thấy trang" in page.page.locator("main").inner_text()
    assert page.page.locator("#sidebar").count() == 1
    assert page.no_horizontal_overflow()
    page.shot("404")
    assert [e for e in page.errors if "404" not in e] == [], page.errors
