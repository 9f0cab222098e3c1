"""Full-text search over incoming and outgoing documents: query rules, ranking, highlighting, PDF text,
permissions inside the SQL, saved searches, Excel export, query count, bad input, list filters."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from documents.incoming import selectors as incoming_selectors
from documents.incoming import services
from documents.models import DocumentType, IncomingDocument, SavedSearch, TextStatus
from documents.outgoing import selectors as outgoing_selectors
from documents.outgoing import services as outgoing_services
from documents.outgoing.models import OutgoingDocument
from documents.outgoing.services import DraftFields
from documents.search import export, extract, highlight
from documents.search import selectors as search_selectors
from documents.search.query import QueryError, parse, symbol_pattern
from documents.search.sources import Criteria
from eoffice.search import fold
from tests.documents.conftest import jpeg_upload, pdf_bytes, pdf_upload, receive

URL = "/documents/search/"


def _find(client, **params) -> str:
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def _ids(user, text: str = "", **criteria) -> list[tuple[str, int]]:
    page = search_selectors.search_page(
        user=user, criteria=Criteria(query=parse(text) if text else None, **criteria)
    )
    return [(r.kind, r.pk) for r in page.object_list]


def _extract(doc) -> str:
    return extract.extract_document(model_label=doc._meta.label, pk=doc.pk)


def _type(name: str, abbreviation: str = "") -> DocumentType:
    return DocumentType.objects.get_or_create(name=name, defaults={"abbreviation": abbreviation})[0]


def _draft(people, summary: str, body: str = "<p>Nội dung dự thảo.</p>") -> OutgoingDocument:
    fields = DraftFields(doc_type=_type("Công văn"), summary=summary, body=body, signer=people["leader"])
    return outgoing_services.draft_create(by=people["officer"], fields=fields)


# --- the query -----------------------------------------------------------------------------------------


def test_query_rules():
    assert parse("Quyết định").tsquery() == "quyet & dinh:*"
    assert parse("dau t").tsquery() == "dau & t"  # a one-letter prefix would open half the index
    assert parse("ke hoa").tsquery() == "ke & hoa:*"
    assert parse("123/QĐ-UBND").tsquery() == "(123 <-> qd <-> ubnd:*)"
    assert parse("QĐ-UBND kế hoạch").tsquery() == "(qd <-> ubnd:*) & ke & hoach:*"
    assert parse('"kế hoạch" đầu').tsquery() == "(ke <-> hoach) & dau:*"
    assert parse("quyet dinh").tsquery("A") == "quyet:A & dinh:*A"
    # Nothing of the tsquery syntax gets through: only [a-z0-9] tokens.
    assert parse("a & b | !c:* <-> (d)").tsquery() == "a & b & c & d"
    assert parse("x'); drop table y; --").tsquery() == "x & drop & table & y"
    for text in ("", "   ", "!!! ---", "/ - . ,", '""'):
        with pytest.raises(QueryError):
            parse(text)


def test_injection_is_harmless(people):
    receive(people["clerk"], summary="Kế hoạch đầu tư công")
    for text in ("x'); drop table documents_incomingdocument; --", "a:* & | ! <-> (b)", "\\ % _ 'c"):
        _ids(people["clerk"], text)  # no syntax error from to_tsquery
    assert IncomingDocument.objects.count() == 1


def test_symbol_pattern():
    assert symbol_pattern("123/QĐ") == "(^|[^a-z0-9])123[^a-z0-9]+qd"
    assert symbol_pattern("---") is None


# --- matching ----------------------------------------------------------------------------------------


def test_words_without_diacritics_find_words_with_them(people):
    clerk = people["clerk"]
    doc = receive(clerk, summary="Quyết định phê duyệt kế hoạch đầu tư công năm 2027")
    other = receive(clerk, summary="Báo cáo tình hình kinh tế tháng 10", n=2)
    for text in ("quyet dinh", "Quyết định", "QUYET DINH", "dau tu", "ke hoach dau tu cong", "quyet din"):
        assert _ids(clerk, text) == [("incoming", doc.pk)], text
    assert _ids(clerk, "bao cao") == [("incoming", other.pk)]
    assert _ids(clerk, "quyet dinh bao cao") == []


def test_number_and_symbol_prefixes(people):
    clerk = people["clerk"]
    doc = receive(clerk, number_symbol="123/QĐ-UBND", summary="Về việc giao chỉ tiêu")
    receive(clerk, number_symbol="1234/SKHĐT-TH", summary="Về việc khác", n=2)
    for text in ("123/QĐ", "123/QĐ-UBND", "QĐ-UBND", "123/qd-u", "qd ubnd"):
        assert _ids(clerk, text) == [("incoming", doc.pk)], text
    assert _ids(clerk, "12/QĐ") == []
    # The advanced number field: a prefix from a token of the number and symbol.
    for text in ("123/QĐ", "QĐ-UBND", "123/qđ-ub"):
        assert _ids(clerk, number=text) == [("incoming", doc.pk)], text
    assert _ids(clerk, number="23/QĐ") == []
    assert len(_ids(clerk, number="123")) == 2  # 123/… and 1234/… both start with 123


def test_metadata_match_ranks_above_full_text_only_match(people):
    clerk = people["clerk"]
    in_text = receive(
        clerk,
        summary="Báo cáo tình hình kinh tế",
        main_files=[pdf_upload(text="Thẩm định dự án. Thẩm định lại. Kết quả thẩm định nguồn vốn.")],
        n=1,
    )
    in_summary = receive(clerk, summary="Thẩm định chủ trương đầu tư", n=2)
    for doc in (in_text, in_summary):
        assert _extract(doc) == TextStatus.TEXT
    assert _ids(clerk, "tham dinh") == [("incoming", in_summary.pk), ("incoming", in_text.pk)]
    # The full-text-only match gets a highlighted snippet of the PDF text.
    page = search_selectors.search_page(user=clerk, criteria=Criteria(query=parse("tham dinh")))
    first, second = page.object_list
    assert first.meta_hit and not first.snippet_html
    assert not second.meta_hit and "<mark>Thẩm</mark> <mark>định</mark>" in second.snippet_html
    # Newest / oldest instead of relevance.
    assert _ids(clerk, "tham dinh", sort="oldest") == [("incoming", in_text.pk), ("incoming", in_summary.pk)]


def test_full_text_of_the_pdf_is_searchable_after_the_task(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        doc = receive(
            people["clerk"],
            summary="Công văn số 5",
            main_files=[pdf_upload(text="Hội nghị xúc tiến đầu tư vào khu kinh tế cửa khẩu")],
        )
    doc.refresh_from_db()
    assert doc.text_status == TextStatus.TEXT
    assert "Hội nghị xúc tiến đầu tư" in doc.text_content
    assert "hoi nghi xuc tien dau tu" in doc.text_folded
    html = _find(_client(people["clerk"]), q="xuc tien cua khau")
    assert doc.get_absolute_url() in html
    assert "<mark>xúc</mark> <mark>tiến</mark>" in html
    assert 'data-testid="search-snippet"' in html


def test_pdf_attachments_are_searched_too(people, django_capture_on_commit_callbacks):
    doc = receive(people["clerk"], summary="Công văn có phụ lục")
    attachment = SimpleUploadedFile(
        "phu-luc.pdf", pdf_bytes("Phụ lục danh mục dự án trọng điểm"), content_type="application/pdf"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.incoming_add_attachments(document=doc, by=people["clerk"], files=[attachment])
    doc.refresh_from_db()
    assert doc.text_status == TextStatus.TEXT
    assert _ids(people["clerk"], "danh muc du an trong diem") == [("incoming", doc.pk)]


def test_scanned_pdf_is_marked_and_shown(people, login):
    clerk = people["clerk"]
    doc = receive(clerk, summary="Tờ trình bản quét", main_files=[jpeg_upload()])
    assert IncomingDocument.objects.get(pk=doc.pk).text_status == TextStatus.PENDING
    assert _extract(doc) == TextStatus.SCANNED
    client = login(clerk)
    html = _find(client, q="to trinh ban quet")
    assert 'data-testid="search-scanned"' in html and "Bản quét — không có lớp chữ" in html
    assert _ids(clerk, text_status=TextStatus.SCANNED) == [("incoming", doc.pk)]
    assert _ids(clerk, text_status=TextStatus.TEXT) == []
    detail = client.get(doc.get_absolute_url()).content.decode()
    assert 'data-status="scanned"' in detail and "không tìm được theo nội dung" in detail


def test_pdf_text_statuses():
    text, status = extract.pdf_text(pdf_bytes("Kế hoạch số 12"))
    assert status == TextStatus.TEXT and "Kế hoạch số 12" in text
    assert extract.pdf_text(b"%PDF-1.4 not really a pdf")[1] == TextStatus.FAILED
    assert extract.pdf_text(b"")[1] == TextStatus.FAILED


def test_outgoing_documents_are_searched(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        draft = _draft(people, "Đề nghị góp ý dự thảo quy chế", body="<p>Quy chế phối hợp liên ngành.</p>")
    draft.refresh_from_db()
    assert draft.text_status == TextStatus.TEXT and "Quy chế phối hợp liên ngành" in draft.text_content
    officer = people["officer"]
    assert _ids(officer, "gop y du thao") == [("outgoing", draft.pk)]
    assert _ids(officer, "phoi hop lien nganh") == [("outgoing", draft.pk)]  # PDF text only
    assert _ids(officer, "gop y", kind="incoming") == []
    assert _ids(officer, "gop y", state="outgoing:new") == [("outgoing", draft.pk)]
    assert _ids(officer, "gop y", state="incoming:received") == []
    # Signer filter: through the signer's folded name.
    assert _ids(officer, "gop y", signer="vu duc") == [("outgoing", draft.pk)]
    assert _ids(officer, "gop y", signer="Phan Minh") == []


def test_delivered_documents_get_their_text(people, people_b, django_capture_on_commit_callbacks):
    from documents.outgoing import delivery
    from tests.documents.outgoing.delivery.helpers import make_issued

    pdf = pdf_bytes("Chuyển đổi số trong cơ quan nhà nước")
    doc = make_issued(people, pdf=pdf, recipients=[("internal", people_b["clerk"].agency)])
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        delivery.deliver(document=doc, pdf=pdf, by=people["clerk"])
        extract.queue_delivered(doc)
    incoming = IncomingDocument.objects.get(agency=people_b["clerk"].agency)
    assert incoming.text_status == TextStatus.TEXT
    assert _ids(people_b["clerk"], "chuyen doi so co quan nha nuoc") == [("incoming", incoming.pk)]


def test_advanced_fields_on_incoming(people):
    clerk = people["clerk"]
    doc = receive(
        clerk,
        summary="Kế hoạch chuyển đổi số",
        issuer_name="Sở Thông tin và Truyền thông",
        signer_name="Lê Thị Minh Hằng",
        issued_date=date(2026, 3, 5),
    )
    other = receive(
        clerk, summary="Kế hoạch khác", issuer_name="Bộ Tài chính", issued_date=date(2026, 1, 2), n=2
    )
    assert _ids(clerk, issuer="thong tin truyen thong") == [("incoming", doc.pk)]
    assert _ids(clerk, issuer="Thông tin") == [("incoming", doc.pk)]
    assert _ids(clerk, signer="minh hang") == [("incoming", doc.pk)]
    assert _ids(clerk, date_from=date(2026, 3, 1), date_to=date(2026, 3, 31)) == [("incoming", doc.pk)]
    assert _ids(clerk, "ke hoach", date_to=date(2026, 2, 1)) == [("incoming", other.pk)]
    assert _ids(clerk, doc_type_id=_type("Công văn").pk, signer="hang") == [("incoming", doc.pk)]


# --- what the user may see ------------------------------------------------------------------------------


def test_only_what_the_user_may_see(people, people_b):
    clerk, leader = people["clerk"], people["leader"]
    normal = receive(clerk, summary="Quyết định về đầu tư công")
    secret = receive(
        clerk, summary="Quyết định mật về đầu tư", confidentiality=1, directing_leader=leader, n=2
    )
    both = {("incoming", normal.pk), ("incoming", secret.pk)}
    assert set(_ids(clerk, "quyet dinh")) == both  # the clerk who received it and the named leader
    assert set(_ids(leader, "quyet dinh")) == both
    # Another leader sees the normal one only: the secret one is not even counted.
    page = search_selectors.search_page(user=people["deputy"], criteria=Criteria(query=parse("quyet dinh")))
    assert page.paginator.count == 1 and [r.pk for r in page.object_list] == [normal.pk]
    assert _ids(people["deputy"], number=secret.number_symbol) == []
    # An officer of the agency who was not assigned, and anybody of another agency: nothing.
    assert _ids(people["officer"], "quyet dinh") == []
    assert _ids(people_b["clerk"], "quyet dinh") == []
    assert _ids(people_b["leader"], number=normal.number_symbol) == []
    # Assigned to the unit: its head finds it now.
    services.incoming_direct(document=normal, by=leader, instruction="Xử lý", lead_department=people["unit"])
    assert _ids(people["head"], "quyet dinh") == [("incoming", normal.pk)]


def test_other_agency_page_and_export_show_nothing(people, people_b, login):
    receive(people["clerk"], summary="Quyết định về đầu tư công")
    client = login(people_b["clerk"])
    html = _find(client, q="quyet dinh")
    assert "Tìm thấy 0 văn bản" in html and 'data-testid="search-empty"' in html
    response = client.get(reverse("documents:search_export"), {"q": "quyet dinh"})
    rows = _xlsx_rows(response)
    assert not any("đầu tư công" in str(v) for row in rows for v in row)


# --- the page ---------------------------------------------------------------------------------------


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_page_highlights_and_escapes(people, login):
    clerk = people["clerk"]
    doc = receive(
        clerk, summary="<script>alert(1)</script> Quyết định <b>đầu tư</b>", number_symbol="45/QĐ-UBND"
    )
    html = _find(login(clerk), q="quyet dinh")
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
    html = _find(login(clerk), q="ke hoach thu hoi")
    assert 'data-testid="search-recalled"' in html and "Đã bị thu hồi" in html
    assert "Mật" in html


def test_highlight_function():
    terms = parse("tu dau").terms
    assert terms == (("tu", False), ("dau", True))
    out = highlight.highlight("Đầu tư <công> & Đâu đâuđó", terms)
    assert out == "<mark>Đầu</mark> <mark>tư</mark> &lt;công&gt; &amp; <mark>Đâu</mark> <mark>đâuđó</mark>"
    text = "Mở đầu. " + "x " * 200 + "Kế hoạch đầu tư công trung hạn. " + "y " * 200
    piece = highlight.snippet(text, fold(text), parse("dau tu").terms)
    assert "<mark>đầu</mark> <mark>tư</mark>" in piece and piece.startswith("… ") and piece.endswith(" …")


def test_empty_and_bad_input_give_vietnamese_messages(people, login):
    client = login(people["clerk"])
    html = _find(client)
    assert 'data-testid="search-start"' in html
    assert "Hãy nhập từ khóa" in _find(client, q="  ")
    assert "Từ khóa cần có ít nhất một chữ hoặc một chữ số." in _find(client, q="!!! ---")
    html = _find(client, q="x", date_from="2026-05-01", date_to="2026-04-01")
    assert "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu." in html
    assert "Ngày không hợp lệ." in _find(client, q="x", date_from="2026-13-45")
    assert "Loại văn bản không hợp lệ." in _find(client, q="x", doc_type="abc")
    assert "Cách sắp xếp không hợp lệ." in _find(client, q="x", sort="bogus")
    assert "Trạng thái này không thuộc loại văn bản đã chọn." in _find(
        client, q="x", kind="incoming", state="outgoing:new"
    )
    assert "Từ khóa tối đa" in _find(client, q="a" * 400)
    # A NUL byte in a query string is refused before any view (eoffice.params.NulBytesMiddleware).
    assert client.get(URL, {"q": "a\x00b"}).status_code == 400
    assert "Số, ký hiệu cần có ít nhất một chữ" in _find(client, number="//")
    assert _find(client, q="x", page="abc")  # a bad page number is the first page
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
            html = _find(client, q="ke hoach phat trien")
        return len(ctx.captured_queries), html

    for i in range(3):
        add(i)
    _draft(people, "Kế hoạch phát triển du lịch")  # the officer's draft: the clerk does not see it
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
        _extract(_draft(people, f"Kế hoạch số {i}", body="<p>Chương trình hành động tổng thể.</p>"))

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            html = _find(client, q="chuong trinh hanh dong")
        return len(ctx.captured_queries), html.count('data-testid="search-snippet"')

    few, snippets = count()
    assert snippets == 2
    for i in range(2, 8):
        _extract(_draft(people, f"Kế hoạch số {i}", body="<p>Chương trình hành động tổng thể.</p>"))
    many, snippets = count()
    assert snippets == 8 and many == few


# --- saved searches ------------------------------------------------------------------------------------


def test_saved_searches_are_the_owners(people, login):
    clerk, other = people["clerk"], people["officer"]
    client = login(clerk)
    url = reverse("documents:search_saved_create")
    response = client.post(url, {"name": "Quyết định UBND", "query": "q=quyet+dinh&page=3&evil=1"})
    assert response.status_code == 302 and response.url == f"{URL}?q=quyet+dinh"
    saved = SavedSearch.objects.get(user=clerk)
    assert saved.name == "Quyết định UBND" and saved.query == "q=quyet+dinh"
    html = _find(client)
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
    other_client = _client(other)
    assert "Quyết định UBND" not in _find(other_client)
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
    html = _find(client, q="x")
    assert 'name="csrfmiddlewaretoken"' in html and 'data-testid="search-save-form"' in html


# --- export --------------------------------------------------------------------------------------------


def _xlsx_rows(response) -> list[tuple]:
    from openpyxl import load_workbook

    assert response.status_code == 200
    assert response["Content-Type"] == export.CONTENT_TYPE
    assert response["Content-Disposition"].startswith('attachment; filename="tra-cuu-van-ban-')
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_export_to_excel(people, login, monkeypatch):
    clerk = people["clerk"]
    for i in range(3):
        receive(clerk, summary=f"Quyết định số {i} về đầu tư", number_symbol=f"{i + 10}/QĐ-UBND", n=i)
    receive(clerk, summary="Báo cáo khác", n=9)
    client = login(clerk)
    rows = _xlsx_rows(client.get(reverse("documents:search_export"), {"q": "quyet dinh", "sort": "oldest"}))
    assert rows[0][0] == "KẾT QUẢ TRA CỨU VĂN BẢN"
    assert "Từ khóa: quyet dinh" in rows[1][0] and "Sắp xếp: Cũ nhất" in rows[1][0]
    header = rows.index(tuple(export.columns()))
    body = rows[header + 1 :]
    assert [r[2] for r in body] == ["10/QĐ-UBND", "11/QĐ-UBND", "12/QĐ-UBND"]
    assert body[0][1] == "Văn bản đến" and body[0][4] == "Ủy ban nhân dân tỉnh An Hòa"
    # The cap: the first rows and a note.
    monkeypatch.setattr(search_selectors, "EXPORT_LIMIT", 2)
    rows = _xlsx_rows(client.get(reverse("documents:search_export"), {"q": "quyet dinh"}))
    header = rows.index(tuple(export.columns()))
    assert len([r for r in rows[header + 1 :] if r[0] in (1, 2, 3)]) == 2
    assert "Chỉ xuất 2 kết quả đầu tiên" in rows[-1][0]


# --- lists use the same matching ---------------------------------------------------------------------------


def test_lists_use_the_same_matching(people):
    clerk = people["clerk"]
    doc = receive(clerk, summary="Quyết định giao chỉ tiêu", number_symbol="77/QĐ-UBND")
    receive(clerk, summary="Báo cáo", n=2)
    for q in ("quyet dinh", "77/QĐ", "QĐ-UBND", "chi tie"):
        assert [d.pk for d in incoming_selectors.incoming_list(user=clerk, q=q)] == [doc.pk], q
    assert incoming_selectors.incoming_list(user=clerk, q="---").count() == 2  # nothing to search for
    draft = _draft(people, "Tờ trình phê duyệt dự án")
    found = outgoing_selectors.outgoing_list(user=people["officer"], text="to trinh phe duyet")
    assert [d.pk for d in found] == [draft.pk]
    assert not outgoing_selectors.outgoing_list(user=people["officer"], text="quyet dinh").exists()


# --- backfill, the shell ---------------------------------------------------------------------------------


def test_extract_texts_command(people):
    doc = receive(people["clerk"], summary="Công văn cũ", main_files=[pdf_upload(text="Nội dung văn bản cũ")])
    IncomingDocument.objects.filter(pk=doc.pk).update(text_status=TextStatus.NONE)
    out = io.StringIO()
    call_command("extract_texts", stdout=out)
    assert IncomingDocument.objects.get(pk=doc.pk).text_status == TextStatus.TEXT
    assert "Đã trích xuất nội dung 1 văn bản" in out.getvalue()
    call_command("extract_texts", stdout=out)
    assert "Đã trích xuất nội dung 0 văn bản" in out.getvalue()
    call_command("extract_texts", "--all", "--model", "documents.IncomingDocument", stdout=out)
    assert "Đã trích xuất nội dung 1 văn bản" in out.getvalue().splitlines()[-1]


def test_top_bar_box_and_menu_entry(people, login):
    html = login(people["officer"]).get("/").content.decode()
    assert "data-topbar-search" in html and f'action="{URL}"' in html
    assert 'data-menu="documents.search"' in html and "Tra cứu văn bản" in html


def test_ranking_covers_the_most_recent_window_and_says_so(people, login, monkeypatch):
    """A word found in more documents than the ranking window: the most recent matches are ranked, the
    count reads "Hơn …" and the page asks to narrow the search; sorting by date still pages them all."""
    from documents.search import sources

    clerk = people["clerk"]
    for i in range(5):
        receive(clerk, summary=f"Kế hoạch chuyển đổi số đợt {i}", n=100 + i)
    monkeypatch.setattr(sources, "RANK_WINDOW", 3)
    page = search_selectors.search_page(user=clerk, criteria=Criteria(query=parse("chuyen doi so")))
    assert page.capped and page.paginator.count == 3 and len(page.object_list) == 3
    newest = IncomingDocument.objects.order_by("-received_at", "-pk").values_list("pk", flat=True)[:3]
    assert {r.pk for r in page.object_list} == set(newest)
    html = _find(login(clerk), q="chuyen doi so")
    assert "Hơn 3 văn bản khớp" in html and 'data-testid="search-capped"' in html
    by_date = search_selectors.search_page(
        user=clerk, criteria=Criteria(query=parse("chuyen doi so"), sort="newest")
    )
    assert not by_date.capped and by_date.paginator.count == 5


def test_page_past_the_end_shows_the_last_page(people):
    clerk = people["clerk"]
    for i in range(3):
        receive(clerk, summary=f"Báo cáo tổng kết {i}", n=200 + i)
    page = search_selectors.search_page(user=clerk, criteria=Criteria(query=parse("bao cao")), page=9)
    assert page.number == 1 and len(page.object_list) == 3 and page.paginator.count == 3
