"""The search page: highlights and escaping, badges, Vietnamese messages, login, query counts, saved searches,
another agency, the top bar box and the menu entry."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from documents.models import IncomingDocument, SavedSearch
from tests.documents.conftest import pdf_upload, receive
from tests.documents.search.conftest import (
    URL,
    client_for,
    extract_text,
    find_page,
    make_draft,
    xlsx_rows,
)


def test_other_agency_page_and_export_show_nothing(people, people_b, login):
    receive(people["clerk"], summary="Quyết định về đầu tư công")
    client = login(people_b["clerk"])
    html = find_page(client, q="quyet dinh")
    assert "Tìm thấy 0 văn bản" in html and 'data-testid="search-empty"' in html
    response = client.get(reverse("documents:search_export"), {"q": "quyet dinh"})
    rows = xlsx_rows(response)
    assert not any("đầu tư công" in str(v) for row in rows for v in row)


def test_page_highlights_and_escapes(people, login):
    clerk = people["clerk"]
    doc = receive(
        clerk, summary="<script>alert(1)</script> Quyết định <b>đầu tư</b>", number_symbol="45/QĐ-UBND"
    )
    html = find_page(login(clerk), q="quyet dinh")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<mark>Quyết</mark> <mark>định</mark> &lt;b&gt;đầu tư&lt;/b&gt;" in html
    assert doc.get_absolute_url() in html
    assert "Tìm thấy 1 văn bản" in html
    assert "Văn bản đến" in html and "45/QĐ-UBND" in html


def test_recalled_and_secret_badges(people, login):
    clerk = people["clerk"]
    doc = receive(clerk, summary="Kế hoạch bị thu hồi", confidentiality=1, directing_leader=people["leader"])
    IncomingDocument.objects.filter(pk=doc.pk).update(recalled_at=timezone.now())
    html = find_page(login(clerk), q="ke hoach thu hoi")
    assert 'data-testid="search-recalled"' in html and "Đã bị thu hồi" in html
    assert "Mật" in html


def test_empty_and_bad_input_give_vietnamese_messages(people, login):
    client = login(people["clerk"])
    html = find_page(client)
    assert 'data-testid="search-start"' in html
    assert "Hãy nhập từ khóa" in find_page(client, q="  ")
    assert "Từ khóa cần có ít nhất một chữ hoặc một chữ số." in find_page(client, q="!!! ---")
    html = find_page(client, q="x", date_from="2026-05-01", date_to="2026-04-01")
    assert "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu." in html
    assert "Ngày không hợp lệ." in find_page(client, q="x", date_from="2026-13-45")
    assert "Loại văn bản không hợp lệ." in find_page(client, q="x", doc_type="abc")
    assert "Cách sắp xếp không hợp lệ." in find_page(client, q="x", sort="bogus")
    assert "Trạng thái này không thuộc loại văn bản đã chọn." in find_page(
        client, q="x", kind="incoming", state="outgoing:new"
    )
    assert "Từ khóa tối đa" in find_page(client, q="a" * 400)
    # A NUL byte in a query string is refused before any view (eoffice.params.NulBytesMiddleware).
    assert client.get(URL, {"q": "a\x00b"}).status_code == 400
    assert "Số, ký hiệu cần có ít nhất một chữ" in find_page(client, number="//")
    assert find_page(client, q="x", page="abc")  # a bad page number is the first page
    assert client.get(reverse("documents:search_export"), {"q": "!!!"}).status_code == 302


def test_anonymous_is_sent_to_login(client):
    assert client.get(URL).status_code == 302


def test_query_count_does_not_grow_with_results(people, login):
    clerk = people["clerk"]
    client = login(clerk)

    def add(i: int) -> None:
        receive(
            clerk, summary=f"Kế hoạch phát triển số {i}", main_files=[pdf_upload(text="Nội dung chung")], n=i
        )

    def count() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as ctx:
            html = find_page(client, q="ke hoach phat trien")
        return len(ctx.captured_queries), html

    for i in range(3):
        add(i)
    make_draft(people, "Kế hoạch phát triển du lịch")  # the officer's draft: the clerk does not see it
    few, html = count()
    assert "Tìm thấy 3 văn bản" in html
    for i in range(3, 25):
        add(i)
    many, html = count()
    assert "Tìm thấy 25 văn bản" in html and html.count('data-testid="search-result"') == 20
    assert many == few


def test_query_count_with_snippets(people, login):
    head = people["head"]  # sees the unit's drafts and the documents assigned to the unit
    client = login(head)
    for i in range(2):
        extract_text(make_draft(people, f"Kế hoạch số {i}", body="<p>Chương trình hành động tổng thể.</p>"))

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            html = find_page(client, q="chuong trinh hanh dong")
        return len(ctx.captured_queries), html.count('data-testid="search-snippet"')

    few, snippets = count()
    assert snippets == 2
    for i in range(2, 8):
        extract_text(make_draft(people, f"Kế hoạch số {i}", body="<p>Chương trình hành động tổng thể.</p>"))
    many, snippets = count()
    assert snippets == 8 and many == few


def test_saved_searches_are_the_owners(people, login):
    clerk, other = people["clerk"], people["officer"]
    client = login(clerk)
    url = reverse("documents:search_saved_create")
    response = client.post(url, {"name": "Quyết định UBND", "query": "q=quyet+dinh&page=3&evil=1"})
    assert response.status_code == 302 and response.url == f"{URL}?q=quyet+dinh"
    saved = SavedSearch.objects.get(user=clerk)
    assert saved.name == "Quyết định UBND" and saved.query == "q=quyet+dinh"
    html = find_page(client)
    assert "Quyết định UBND" in html and f"{URL}?q=quyet+dinh" in html
    # Duplicate name: a message, nothing new.
    response = client.post(url, {"name": "Quyết định UBND", "query": "q=ke+hoach"}, follow=True)
    assert "Bạn đã có một tìm kiếm đã lưu tên “Quyết định UBND”" in response.content.decode()
    assert SavedSearch.objects.filter(user=clerk).count() == 1
    # Nothing to save, or no name.
    response = client.post(url, {"name": "Trống", "query": "page=2"}, follow=True)
    assert "Chưa có điều kiện tìm kiếm nào để lưu." in response.content.decode()
    response = client.post(url, {"name": "", "query": "q=x"}, follow=True)
    assert "Vui lòng đặt tên cho tìm kiếm." in response.content.decode()
    # Somebody else neither sees nor deletes it.
    other_client = client_for(other)
    assert "Quyết định UBND" not in find_page(other_client)
    delete = reverse("documents:search_saved_delete", args=[saved.pk])
    assert other_client.post(delete).status_code == 404
    assert client.get(delete).status_code == 405
    assert client.post(delete, {"query": "q=x"}).status_code == 302
    assert not SavedSearch.objects.filter(pk=saved.pk).exists()


def test_saved_search_posts_need_csrf(people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["clerk"], backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(reverse("documents:search_saved_create"), {"name": "A", "query": "q=x"})
    assert response.status_code == 403
    assert not SavedSearch.objects.exists()
    html = find_page(client, q="x")
    assert 'name="csrfmiddlewaretoken"' in html and 'data-testid="search-save-form"' in html


def test_top_bar_box_and_menu_entry(people, login):
    html = login(people["officer"]).get("/").content.decode()
    assert "data-topbar-search" in html and f'action="{URL}"' in html
    assert 'data-menu="documents.search"' in html and "Tra cứu văn bản" in html
