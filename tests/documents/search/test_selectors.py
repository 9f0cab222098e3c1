"""Matching and ranking (words without diacritics, number and symbol prefixes, metadata above full text, the
ranking window), what the user may see, the lists' filters and paging."""

from __future__ import annotations

from datetime import date

from documents.incoming import selectors as incoming_selectors
from documents.incoming import services
from documents.models import IncomingDocument, TextStatus
from documents.outgoing import selectors as outgoing_selectors
from documents.search import selectors as search_selectors
from documents.search.query import parse
from documents.search.sources import Criteria
from tests.documents.conftest import pdf_upload, receive
from tests.documents.search.conftest import (
    doc_type,
    extract_text,
    find_page,
    make_draft,
    result_ids,
)


def test_words_without_diacritics_find_words_with_them(people):
    clerk = people["clerk"]
    doc = receive(clerk, summary="Quyết định phê duyệt kế hoạch đầu tư công năm 2027")
    other = receive(clerk, summary="Báo cáo tình hình kinh tế tháng 10", n=2)
    for text in ("quyet dinh", "Quyết định", "QUYET DINH", "dau tu", "ke hoach dau tu cong", "quyet din"):
        assert result_ids(clerk, text) == [("incoming", doc.pk)], text
    assert result_ids(clerk, "bao cao") == [("incoming", other.pk)]
    assert result_ids(clerk, "quyet dinh bao cao") == []


def test_number_and_symbol_prefixes(people):
    clerk = people["clerk"]
    doc = receive(clerk, number_symbol="123/QĐ-UBND", summary="Về việc giao chỉ tiêu")
    receive(clerk, number_symbol="1234/SKHĐT-TH", summary="Về việc khác", n=2)
    for text in ("123/QĐ", "123/QĐ-UBND", "QĐ-UBND", "123/qd-u", "qd ubnd"):
        assert result_ids(clerk, text) == [("incoming", doc.pk)], text
    assert result_ids(clerk, "12/QĐ") == []
    # The advanced number field: a prefix from a token of the number and symbol.
    for text in ("123/QĐ", "QĐ-UBND", "123/qđ-ub"):
        assert result_ids(clerk, number=text) == [("incoming", doc.pk)], text
    assert result_ids(clerk, number="23/QĐ") == []
    assert len(result_ids(clerk, number="123")) == 2  # 123/… and 1234/… both start with 123


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
        assert extract_text(doc) == TextStatus.TEXT
    assert result_ids(clerk, "tham dinh") == [("incoming", in_summary.pk), ("incoming", in_text.pk)]
    # The full-text-only match gets a highlighted snippet of the PDF text.
    page = search_selectors.search_page(user=clerk, criteria=Criteria(query=parse("tham dinh")))
    first, second = page.object_list
    assert first.meta_hit and not first.snippet_html
    assert not second.meta_hit and "<mark>Thẩm</mark> <mark>định</mark>" in second.snippet_html
    # Newest / oldest instead of relevance.
    assert result_ids(clerk, "tham dinh", sort="oldest") == [
        ("incoming", in_text.pk),
        ("incoming", in_summary.pk),
    ]


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
    assert result_ids(clerk, issuer="thong tin truyen thong") == [("incoming", doc.pk)]
    assert result_ids(clerk, issuer="Thông tin") == [("incoming", doc.pk)]
    assert result_ids(clerk, signer="minh hang") == [("incoming", doc.pk)]
    assert result_ids(clerk, date_from=date(2026, 3, 1), date_to=date(2026, 3, 31)) == [("incoming", doc.pk)]
    assert result_ids(clerk, "ke hoach", date_to=date(2026, 2, 1)) == [("incoming", other.pk)]
    assert result_ids(clerk, doc_type_id=doc_type("Công văn").pk, signer="hang") == [("incoming", doc.pk)]


def test_only_what_the_user_may_see(people, people_b):
    clerk, leader = people["clerk"], people["leader"]
    normal = receive(clerk, summary="Quyết định về đầu tư công")
    secret = receive(
        clerk, summary="Quyết định mật về đầu tư", confidentiality=1, directing_leader=leader, n=2
    )
    both = {("incoming", normal.pk), ("incoming", secret.pk)}
    assert set(result_ids(clerk, "quyet dinh")) == both  # the clerk who received it and the named leader
    assert set(result_ids(leader, "quyet dinh")) == both
    # Another leader sees the normal one only: the secret one is not even counted.
    page = search_selectors.search_page(user=people["deputy"], criteria=Criteria(query=parse("quyet dinh")))
    assert page.paginator.count == 1 and [r.pk for r in page.object_list] == [normal.pk]
    assert result_ids(people["deputy"], number=secret.number_symbol) == []
    # An officer of the agency who was not assigned, and anybody of another agency: nothing.
    assert result_ids(people["officer"], "quyet dinh") == []
    assert result_ids(people_b["clerk"], "quyet dinh") == []
    assert result_ids(people_b["leader"], number=normal.number_symbol) == []
    # Assigned to the unit: its head finds it now.
    services.incoming_direct(document=normal, by=leader, instruction="Xử lý", lead_department=people["unit"])
    assert result_ids(people["head"], "quyet dinh") == [("incoming", normal.pk)]


def test_lists_use_the_same_matching(people):
    clerk = people["clerk"]
    doc = receive(clerk, summary="Quyết định giao chỉ tiêu", number_symbol="77/QĐ-UBND")
    receive(clerk, summary="Báo cáo", n=2)
    for q in ("quyet dinh", "77/QĐ", "QĐ-UBND", "chi tie"):
        assert [d.pk for d in incoming_selectors.incoming_list(user=clerk, q=q)] == [doc.pk], q
    assert incoming_selectors.incoming_list(user=clerk, q="---").count() == 2  # nothing to search for
    draft = make_draft(people, "Tờ trình phê duyệt dự án")
    found = outgoing_selectors.outgoing_list(user=people["officer"], text="to trinh phe duyet")
    assert [d.pk for d in found] == [draft.pk]
    assert not outgoing_selectors.outgoing_list(user=people["officer"], text="quyet dinh").exists()


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
    html = find_page(login(clerk), q="chuyen doi so")
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
