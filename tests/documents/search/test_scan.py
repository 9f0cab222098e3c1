"""Type and dates narrow enough: the words are checked on the rows of the type-and-dates index instead of
being read from the GIN index (issue 22). Same results either way, secret documents included."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.search import sources
from tests.documents.conftest import receive
from tests.documents.search.conftest import doc_type, result_ids

WORDS = "chuyen doi so"


def _search(user):
    decision = doc_type("Quyết định", "QĐ")
    return result_ids(
        user, WORDS, doc_type_id=decision.pk, date_from=date(2026, 1, 1), date_to=date(2026, 12, 31)
    )


def test_words_checked_on_the_type_and_dates_rows_find_the_same_documents(people, monkeypatch):
    clerk = people["clerk"]
    decision = doc_type("Quyết định", "QĐ")
    match = receive(clerk, summary="Kế hoạch chuyển đổi số năm 2026", doc_type=decision, n=1)
    receive(
        clerk, summary="Kế hoạch chuyển đổi số năm 2025", doc_type=decision, n=2, issued_date=date(2025, 5, 2)
    )
    receive(clerk, summary="Công văn chuyển đổi số", n=3)  # another type
    receive(clerk, summary="Quyết định về tài chính", doc_type=decision, n=4)  # other words
    secret = receive(
        clerk,
        summary="Chuyển đổi số (mật)",
        doc_type=decision,
        n=5,
        confidentiality=1,
        directing_leader=people["leader"],
    )

    scanned = {}
    for key in ("clerk", "leader", "officer"):
        with CaptureQueriesContext(connection) as queries:
            scanned[key] = _search(people[key])
        assert any("ts_match_vq" in q["sql"] for q in queries.captured_queries)
    assert ("incoming", match.pk) in scanned["clerk"]
    assert ("incoming", match.pk) in scanned["leader"]

    monkeypatch.setattr(sources, "SCAN_LIMIT", 0)  # too many rows of the type and dates: the GIN index
    for key in ("clerk", "leader", "officer"):
        with CaptureQueriesContext(connection) as queries:
            assert _search(people[key]) == scanned[key], key
        assert not any("ts_match_vq" in q["sql"] for q in queries.captured_queries)
    assert secret.pk not in {pk for _kind, pk in scanned["officer"]}


def test_no_type_and_no_dates_no_extra_query(people):
    clerk = people["clerk"]
    receive(clerk, summary="Chuyển đổi số")
    with CaptureQueriesContext(connection) as queries:
        found = result_ids(clerk, WORDS)
    assert len(found) == 1
    assert not any("ts_match_vq" in q["sql"] for q in queries.captured_queries)
