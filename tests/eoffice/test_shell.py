"""The UI shell and the core pages: rendering per role, menu badges, bell, notifications, directory,
profile signature upload, language switch, error pages, and query counts that do not grow with staff."""

import io
import re

import pytest
from django.db import connection
from django.template import loader
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from eoffice import services
from eoffice.models import Notification, Role
from tests.factories import make_department, make_user, png_upload

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _pages(user):
    return [
        reverse("dashboard"),
        reverse("notifications"),
        reverse("notifications") + "?filter=unread",
        reverse("directory"),
        reverse("directory") + "?q=nguyen",
        reverse("department_detail", args=[user.department_id]),
        reverse("staff_detail", args=[user.pk]),
        reverse("profile"),
        reverse("password_change"),
    ]


@pytest.mark.parametrize("role", Role.values)
def test_every_page_renders_for_each_role(role, staff_a, login):
    user = staff_a[role]
    client = login(user)
    for url in _pages(user):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert '<html lang="vi">' in page
        assert user.agency.name in page
        assert user.full_name in page
        assert 'style="' not in page and "onclick" not in page, url


def test_dashboard_greets_and_shows_work_info(staff_a, login):
    user = staff_a[Role.LEADER]
    page = login(user).get(reverse("dashboard")).content.decode()
    assert f"Xin chào, {user.full_name}" in page
    assert user.department.name in page
    assert "Lãnh đạo" in page  # role label


def test_dashboard_shows_the_empty_state_without_widgets(staff_a, login, monkeypatch):
    monkeypatch.setattr("eoffice.views.widgets_for", lambda user: [])
    page = login(staff_a[Role.OFFICER]).get(reverse("dashboard")).content.decode()
    assert "Chưa có việc cần xử lý" in page


def test_dashboard_renders_registered_widgets(staff_a, login, monkeypatch):
    widget = {"widget": None, "template": "eoffice/_bell.html", "context": {}}
    monkeypatch.setattr("eoffice.views.widgets_for", lambda user: [widget])
    page = login(staff_a[Role.OFFICER]).get(reverse("dashboard")).content.decode()
    assert "Chưa có việc cần xử lý" not in page
    assert "Xem tất cả" in page


def test_menu_shows_the_unread_notifications_badge(officer_a, login):
    services.notify(recipients=[officer_a], kind="test", title="Một", url="/")
    services.notify(recipients=[officer_a], kind="test", title="Hai", url="/")
    services.notify(recipients=[officer_a], kind="test", title="Ba", url="/")
    page = login(officer_a).get(reverse("dashboard")).content.decode()
    menu_link = re.search(r'data-menu="notifications">(.*?)</a>', page, re.S).group(1)
    assert re.search(r'class="nav-badge[^"]*"[^>]*>3</span>', menu_link)
    assert re.search(r'class="bell-badge"[^>]*>3</span>', page)
    Notification.objects.update(read_at=timezone.now())
    page = login(officer_a).get(reverse("dashboard")).content.decode()
    assert "bell-badge" not in page
    menu_link = re.search(r'data-menu="notifications">(.*?)</a>', page, re.S).group(1)
    assert "nav-badge" not in menu_link


def _menu_badge(page: str) -> str | None:
    menu_link = re.search(r'data-menu="notifications">(.*?)</a>', page, re.S).group(1)
    found = re.search(r'class="nav-badge[^"]*"[^>]*>(\d+)</span>', menu_link)
    return found.group(1) if found else None


@pytest.mark.django_db(transaction=True)
def test_badges_are_kept_then_recounted_after_own_action_or_new_work(officer_a, login, settings):
    """With the badge cache on: a change made behind the person's back shows only when the cache expires,
    but a notification to them, or their own POST, makes the next page count afresh — and a page costs
    fewer queries while the badges are kept."""
    from django.core.cache import cache

    settings.EOFFICE_BADGE_SECONDS = 300
    cache.delete(f"menu-badges:{officer_a.pk}")
    services.notify(recipients=[officer_a], kind="test", title="Một", url="/")
    client = login(officer_a)
    with CaptureQueriesContext(connection) as first:
        assert _menu_badge(client.get(reverse("directory")).content.decode()) == "1"
    Notification.objects.create(recipient=officer_a, kind="test", title="Lặng lẽ")  # no notify(): no signal
    with CaptureQueriesContext(connection) as kept:
        assert _menu_badge(client.get(reverse("directory")).content.decode()) == "1"  # still the kept figure
    assert len(kept.captured_queries) < len(first.captured_queries)
    services.notify(recipients=[officer_a], kind="test", title="Ba", url="/")
    assert _menu_badge(client.get(reverse("directory")).content.decode()) == "3"
    Notification.objects.filter(recipient=officer_a).update(read_at=timezone.now())
    assert _menu_badge(client.get(reverse("directory")).content.decode()) == "3"  # kept
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})  # any own action
    assert _menu_badge(client.get(reverse("directory")).content.decode()) is None
    cache.delete(f"menu-badges:{officer_a.pk}")


def test_menu_marks_the_current_page_active(officer_a, login):
    page = login(officer_a).get(reverse("directory")).content.decode()
    assert re.search(r'class="nav-link active" href="/directory/" aria-current="page"', page)


def test_bell_partial_with_htmx(officer_a, login):
    services.notify(recipients=[officer_a], kind="test", title="Văn bản đến mới số 12", url="/")
    response = login(officer_a).get(reverse("notification_bell"), **HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page
    assert "Văn bản đến mới số 12" in page
    assert "Xem tất cả" in page
    assert reverse("notification_open", args=[Notification.objects.get().pk]) in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_bell_partial_when_empty(officer_a, login):
    page = login(officer_a).get(reverse("notification_bell"), **HTMX).content.decode()
    assert "Chưa có thông báo" in page


def test_notifications_page_tabs_and_htmx_partial(officer_a, login):
    services.notify(recipients=[officer_a], kind="test", title="Chưa đọc A", url="/")
    services.notify(recipients=[officer_a], kind="test", title="Đã đọc B", url="/")
    Notification.objects.filter(title="Đã đọc B").update(read_at=timezone.now())
    client = login(officer_a)
    page = client.get(reverse("notifications")).content.decode()
    assert "Chưa đọc A" in page and "Đã đọc B" in page
    assert "Đánh dấu tất cả đã đọc" in page
    assert "vừa xong" in page
    unread = client.get(reverse("notifications") + "?filter=unread").content.decode()
    assert "Chưa đọc A" in unread and "Đã đọc B" not in unread
    partial = client.get(reverse("notifications") + "?page=1", **HTMX).content.decode()
    assert "<html" not in partial and 'id="notification-list"' in partial


def test_notifications_are_paginated(officer_a, login):
    services.notify(recipients=[officer_a], kind="test", title="x", url="/")
    Notification.objects.bulk_create(
        [Notification(recipient=officer_a, kind="test", title=f"Thông báo {i}") for i in range(35)]
    )
    page = login(officer_a).get(reverse("notifications")).content.decode()
    assert 'class="pagination"' in page and "?page=2" in page


def test_notifications_empty_state(officer_a, login):
    page = login(officer_a).get(reverse("notifications")).content.decode()
    assert "Chưa có thông báo" in page


def test_notification_open_marks_read_and_redirects_internally(officer_a, login):
    (note,) = services.notify(recipients=[officer_a], kind="test", title="Mở", url="/directory/")
    client = login(officer_a)
    assert client.get(reverse("notification_open", args=[note.pk])).status_code == 405
    response = client.post(reverse("notification_open", args=[note.pk]))
    assert response.status_code == 302 and response["Location"] == "/directory/"
    note.refresh_from_db()
    assert note.read_at is not None


@pytest.mark.parametrize("url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", ""])
def test_notification_open_never_redirects_outside(officer_a, login, url):
    note = Notification.objects.create(recipient=officer_a, kind="test", title="x", url=url)
    response = login(officer_a).post(reverse("notification_open", args=[note.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("notifications")


def test_notification_of_someone_else_is_404(staff_a, login):
    (note,) = services.notify(recipients=[staff_a[Role.LEADER]], kind="test", title="x", url="/")
    response = login(staff_a[Role.OFFICER]).post(reverse("notification_open", args=[note.pk]))
    assert response.status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_mark_all_read(officer_a, login):
    services.notify(recipients=[officer_a], kind="test", title="a", url="/")
    services.notify(recipients=[officer_a], kind="test", title="b", url="/")
    response = login(officer_a).post(reverse("notification_read_all"), follow=True)
    assert "Đã đánh dấu 2 thông báo là đã đọc." in response.content.decode()
    assert not Notification.objects.filter(read_at__isnull=True).exists()


@pytest.mark.parametrize(
    "name,args",
    [
        ("dashboard", []),
        ("notifications", []),
        ("notification_bell", []),
        ("directory", []),
        ("profile", []),
        ("password_change", []),
        ("staff_detail", [1]),
        ("department_detail", [1]),
    ],
)
def test_anonymous_is_sent_to_login(client, name, args):
    url = reverse(name, args=args)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


def test_login_page_is_vietnamese_with_reset_link_and_language_switch(client):
    page = client.get(reverse("login")).content.decode()
    assert "Hệ thống quản lý văn bản và điều hành" in page
    assert "Tên đăng nhập" in page and "Mật khẩu" in page
    assert "Quên mật khẩu?" in page and reverse("password_reset") in page
    assert reverse("set_language") in page and 'value="en"' in page


def test_set_language_switches_to_english(officer_a, login):
    client = login(officer_a)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("directory")})
    assert response.status_code == 302
    assert response["Location"] == reverse("directory")
    assert response.cookies["django_language"].value == "en"
    page = client.get(reverse("directory")).content.decode()
    assert '<html lang="en">' in page


def test_directory_lists_own_agency_only_and_searches(staff_a, staff_b, login):
    user = staff_a[Role.OFFICER]
    other = make_user(agency=user.agency, department=user.department, full_name="Trần Thị Ánh Tuyết")
    client = login(user)
    page = client.get(reverse("directory")).content.decode()
    assert other.full_name in page
    assert staff_b[Role.OFFICER].username not in page
    for person in staff_b.values():
        assert reverse("staff_detail", args=[person.pk]) not in page
    found = client.get(reverse("directory"), {"q": "anh tuyet"}).content.decode()
    assert other.full_name in found
    assert staff_a[Role.LEADER].full_name not in found
    none = client.get(reverse("directory"), {"q": "khongcoai"}).content.decode()
    assert "Không tìm thấy cán bộ" in none


def test_directory_shows_departments_with_staff_counts(staff_a, login):
    user = staff_a[Role.OFFICER]
    page = login(user).get(reverse("directory")).content.decode()
    assert reverse("department_detail", args=[user.department_id]) in page
    assert f'<span class="badge">{len(staff_a)}</span>' in page


def test_staff_of_another_agency_is_404(staff_a, staff_b, login):
    client = login(staff_a[Role.OFFICER])
    assert client.get(reverse("staff_detail", args=[staff_b[Role.OFFICER].pk])).status_code == 404
    assert (
        client.get(reverse("department_detail", args=[staff_b[Role.OFFICER].department_id])).status_code
        == 404
    )


def test_staff_detail_shows_signature_only_when_present(staff_a, login):
    person = staff_a[Role.LEADER]
    client = login(staff_a[Role.OFFICER])
    signature_url = reverse("staff_signature", args=[person.pk])
    assert signature_url not in client.get(reverse("staff_detail", args=[person.pk])).content.decode()
    services.staff_set_signature(user=person, image=png_upload(), by=person)
    assert signature_url in client.get(reverse("staff_detail", args=[person.pk])).content.decode()


def test_profile_accepts_a_transparent_png(officer_a, login):
    client = login(officer_a)
    page = client.get(reverse("profile")).content.decode()
    assert 'enctype="multipart/form-data"' in page
    response = client.post(reverse("profile"), {"signature_image": png_upload()}, follow=True)
    assert "Đã cập nhật ảnh chữ ký." in response.content.decode()
    officer_a.refresh_from_db()
    assert officer_a.signature_image
    assert reverse("staff_signature", args=[officer_a.pk]) in response.content.decode()


def _jpeg_upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    buf = io.BytesIO()
    Image.new("RGB", (60, 30), (255, 255, 255)).save(buf, format="JPEG")
    return SimpleUploadedFile("sig.jpg", buf.getvalue(), content_type="image/jpeg")


@pytest.mark.parametrize(
    "upload,message",
    [
        (_jpeg_upload, "Ảnh phải ở định dạng PNG."),
        (lambda: png_upload(transparent=False), "Ảnh phải có nền trong suốt."),
    ],
)
def test_profile_refuses_a_jpeg_or_an_opaque_png(officer_a, login, upload, message):
    response = login(officer_a).post(reverse("profile"), {"signature_image": upload()})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'class="errorlist"' in page
    officer_a.refresh_from_db()
    assert not officer_a.signature_image


def test_password_pages_render(officer_a, client):
    assert "Quên mật khẩu" in client.get(reverse("password_reset")).content.decode()
    assert "Kiểm tra hộp thư" in client.get(reverse("password_reset_done")).content.decode()
    bad = client.get(reverse("password_reset_confirm", args=["MQ", "bad-token"])).content.decode()
    assert "Đường dẫn không hợp lệ" in bad
    assert "Đã đặt lại mật khẩu" in client.get(reverse("password_reset_complete")).content.decode()


def test_password_reset_email_is_vietnamese(officer_a, client, mailoutbox):
    client.post(reverse("password_reset"), {"email": officer_a.email})
    (mail,) = mailoutbox
    assert "Đặt lại mật khẩu" in mail.subject
    assert f"Kính gửi {officer_a.full_name}" in mail.body
    assert officer_a.username in mail.body


def test_password_change_done_page(officer_a, password, login):
    response = login(officer_a).post(
        reverse("password_change"),
        {
            "old_password": password,
            "new_password1": "Doi-mat-khau-2026",
            "new_password2": "Doi-mat-khau-2026",
        },
        follow=True,
    )
    assert "Mật khẩu đã được thay đổi" in response.content.decode()


def test_password_change_errors_are_vietnamese(officer_a, login):
    response = login(officer_a).post(
        reverse("password_change"), {"old_password": "sai", "new_password1": "a", "new_password2": "b"}
    )
    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()


def test_error_pages(officer_a, client, login):
    assert "Không tìm thấy trang" in client.get("/khong-co-trang-nay/").content.decode()
    page = login(officer_a).get("/khong-co-trang-nay/").content.decode()
    assert "Không tìm thấy trang" in page and officer_a.agency.name in page
    for name in ("403.html", "404.html", "403_csrf.html"):
        assert loader.get_template(name).render({})
    assert "Hệ thống đang gặp sự cố" in loader.get_template("500.html").render({})


def test_lockout_page_explains_the_cool_off(officer_a, password, client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        client.post(reverse("login"), {"username": officer_a.username, "password": "sai"})
    response = client.post(reverse("login"), {"username": officer_a.username, "password": password})
    assert response.status_code == 429
    page = response.content.decode()
    assert "Tài khoản tạm khóa do đăng nhập sai nhiều lần" in page
    assert "30 phút" in page


def _agency_with_staff(n):
    from tests.factories import make_agency

    agency = make_agency()
    depts = [make_department(agency=agency) for _ in range(3)]
    people = [make_user(agency=agency, department=depts[i % 3], roles=[Role.OFFICER]) for i in range(n)]
    for person in people[:3]:
        services.notify(recipients=[person], kind="test", title="x", url="/")
    return people[0]


def _count_queries(client, url):
    client.get(url)  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url_name", ["dashboard", "directory", "notifications", "profile"])
def test_queries_do_not_grow_with_staff(login, url_name):
    small = _count_queries(login(_agency_with_staff(5)), reverse(url_name))
    large = _count_queries(login(_agency_with_staff(40)), reverse(url_name))
    assert large <= small, (small, large)
    assert small <= 25


# --- the menu: only what the person can open, sections by role; the dashboard: pending work first --------


def _menu_links(page: str) -> list[tuple[str, str]]:
    return re.findall(r'<a class="nav-link[^"]*" href="([^"]+)"[^>]*data-menu="([^"]+)"', page)


def _sections(page: str) -> list[tuple[str, bool]]:
    found = re.findall(r'<details class="nav-section[^"]*" data-nav-section="(\w+)"( open)?', page)
    return [(key, bool(is_open)) for key, is_open in found]


@pytest.fixture
def everyone(staff_a, agency_a):
    """The demo's kinds of account: one per role (the agency admin with staff status, as in the demo), a
    unit head without a unit, the installation's superuser (no agency) and a superuser inside an agency."""
    from eoffice.models import User

    people = dict(staff_a)
    people["agency_admin_staff"] = make_user(agency=agency_a, roles=[Role.AGENCY_ADMIN], is_staff=True)
    people["head_without_unit"] = make_user(agency=agency_a, roles=[Role.DEPARTMENT_HEAD])
    people["superuser"] = User.objects.create_superuser(
        username="admin", password="x", email="admin@example.gov.vn", full_name="Quản trị hệ thống"
    )
    people["superuser_in_agency"] = make_user(agency=agency_a, roles=[], is_superuser=True, is_staff=True)
    return people


@pytest.mark.parametrize(
    "who",
    [*Role.values, "agency_admin_staff", "head_without_unit", "superuser", "superuser_in_agency"],
)
def test_every_menu_entry_shown_opens(who, everyone, login):
    """A menu shows only what the person can open: each entry followed answers 200 (no 403, no login page),
    and so does each action button at the top of these pages ("Soạn văn bản"...)."""
    client = login(everyone[who])
    links = _menu_links(client.get(reverse("dashboard")).content.decode())
    assert ("/", "home") in links
    failed = []
    for url, key in links:
        response = client.get(url)
        if response.status_code != 200:
            failed.append((key, url, response.status_code))
            continue
        actions = re.search(r'<div class="page-actions">(.*?)</div>', response.content.decode(), re.S)
        for href in re.findall(r'href="(/[^"#]*)"', actions.group(1) if actions else ""):
            if (code := client.get(href.replace("&amp;", "&")).status_code) != 200:
                failed.append((key, href, code))
    assert failed == []


def test_the_superuser_without_an_agency_is_not_shown_agency_pages(everyone, login):
    keys = {key for _url, key in _menu_links(login(everyone["superuser"]).get("/").content.decode())}
    assert {"documents.registers", "onestop.receive", "onestop.stats"}.isdisjoint(keys)
    assert "admin" in keys  # the superuser opens the Django admin


@pytest.mark.parametrize(
    "role,own",
    [
        (Role.ONESTOP_OFFICER, ["onestop"]),
        (Role.CLERK, ["documents"]),
        (Role.LEADER, ["documents", "work"]),
        (Role.DEPARTMENT_HEAD, ["documents", "work"]),
        (Role.OFFICER, ["work", "documents"]),
    ],
)
def test_sections_come_in_the_order_of_the_role_and_the_others_are_collapsed(role, own, staff_a, login):
    page = login(staff_a[role]).get(reverse("notifications")).content.decode()
    sections = _sections(page)
    assert [key for key, _open in sections[: len(own) + 1]] == ["home", *own]
    assert all(is_open for _key, is_open in sections[: len(own) + 1])
    assert not any(is_open for _key, is_open in sections[len(own) + 1 :]), sections


def test_the_section_of_the_active_entry_is_open(staff_a, login):
    page = login(staff_a[Role.ONESTOP_OFFICER]).get(reverse("directory")).content.decode()
    sections = dict(_sections(page))
    assert sections["agency"] is True and sections["documents"] is False
    assert re.search(r'data-nav-section="agency" open data-nav-active>', page)


def _main(page: str) -> str:
    return page[page.index('<main class="content"') :]


def _first_block(page: str) -> str:
    """The first element of the main content after the messages."""
    main = _main(page)
    main = re.sub(r"^<main[^>]*>\s*", "", main)
    main = re.sub(r'^<div class="messages"[^>]*>.*?</div>\s*', "", main, flags=re.S)
    return main[:200]


def _card(page: str, key: str) -> str:
    """The card of ``key`` in "Việc cần làm ngay" (up to the next card or the end of the block)."""
    block = page[page.index('data-testid="pending-work"') :]
    block = block[: block.index("</section>")]
    start = block.index(f'data-todo="{key}"')
    end = block.find("data-todo=", start + 1)
    return block[start : end if end > 0 else len(block)]


def test_the_leader_dashboard_opens_with_the_documents_awaiting_direction(login):
    from tests.documents.conftest import receive
    from tests.factories import make_agency

    agency = make_agency()
    clerk = make_user(agency=agency, roles=[Role.CLERK])
    leader = make_user(agency=agency, roles=[Role.LEADER])
    receive(clerk, n=1)
    receive(clerk, n=2)
    page = login(leader).get(reverse("dashboard")).content.decode()
    assert _first_block(page).startswith('<section class="todo-now" data-testid="pending-work"')
    card = _card(page, "documents.incoming.direction")
    assert 'href="/documents/incoming/q/direction/"' in card
    assert re.search(r'data-testid="todo-count">2<', card)
    assert "Chờ chỉ đạo" in card and "V/v triển khai kế hoạch số 2" in card
    assert page.index('data-testid="pending-work"') < page.index("Việc cần xử lý")


def test_the_onestop_officer_dashboard_opens_with_the_online_dossiers(login, agency_a):
    from onestop import services as onestop_services
    from tests.onestop.conftest import make_procedure, pdf_upload

    counter = make_department(agency=agency_a, name="Bộ phận Một cửa", abbreviation="MC")
    officer = make_user(agency=agency_a, department=counter, roles=[Role.ONESTOP_OFFICER])
    procedure = make_procedure(agency_a)
    papers = [
        onestop_services.PaperInput(name=p.name, required=p, file=pdf_upload())
        for p in procedure.papers.filter(mandatory=True)
    ]
    applicant = onestop_services.Applicant(name="Lý Thường Kiệt", email="ltk@example.com")
    onestop_services.online_submit(procedure=procedure, applicant=applicant, papers=papers)
    page = login(officer).get(reverse("dashboard")).content.decode()
    assert _first_block(page).startswith('<section class="todo-now" data-testid="pending-work"')
    cards = re.findall(r'data-todo="([\w.]+)"', page)
    assert cards[0] == "onestop.online", cards
    card = _card(page, "onestop.online")
    assert 'href="/onestop/queue/online/"' in card and "Lý Thường Kiệt" in card
    assert re.search(r'data-testid="todo-count">1<', card)


def test_nothing_pending_says_so_first(staff_a, login):
    page = login(staff_a[Role.OFFICER]).get(reverse("dashboard")).content.decode()
    assert _first_block(page).startswith('<section class="todo-now" data-testid="pending-work"')
    assert 'data-testid="todo-empty"' in page and "Chưa có việc cần xử lý" in page
    assert "Việc cần xử lý</h2>" not in page  # no second "nothing" below


def test_pending_work_with_no_widget_shows_no_empty_state_below(staff_a, login, monkeypatch):
    from tests.documents.conftest import receive

    monkeypatch.setattr("eoffice.views.widgets_for", lambda user: [])
    receive(staff_a[Role.CLERK], n=1)
    page = login(staff_a[Role.LEADER]).get(reverse("dashboard")).content.decode()
    assert 'data-todo="documents.incoming.direction"' in page
    assert "Chưa có việc cần xử lý" not in page and 'data-testid="todo-empty"' not in page


def test_pending_work_costs_no_more_queries_with_more_records(login):
    from tests.documents.conftest import receive
    from tests.factories import make_agency

    def queries(n):
        agency = make_agency()
        clerk = make_user(agency=agency, roles=[Role.CLERK])
        leader = make_user(agency=agency, roles=[Role.LEADER])
        for i in range(n):
            receive(clerk, n=i + 1)
        return _count_queries(login(leader), reverse("dashboard"))

    small, large = queries(1), queries(6)
    # 26: the menu asks once whether the person checks format for some document type (FormatReviewRule)
    assert large <= small <= 26, (small, large)


def test_favicon_ico_points_anonymous_browsers_at_the_shipped_icon(client, settings):
    """A PDF or a JSON answer opened in a tab has no icon link; the browser's /favicon.ico finds the icon."""
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == settings.STATIC_URL + "img/favicon.svg"
    assert client.post("/favicon.ico").status_code == 405
