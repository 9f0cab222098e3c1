"""The export from the search page: the criteria, the rows in order, the cap and its note."""

from __future__ import annotations

from django.urls import reverse

from documents.search import export
from documents.search import selectors as search_selectors
from tests.documents.conftest import receive
from tests.documents.search.conftest import (
    xlsx_rows,
)


def test_export_to_excel(people, login, monkeypatch):
    clerk = people["clerk"]
    for i in range(3):
        receive(clerk, summary=f"Quyết định số {i} về đầu tư", number_symbol=f"{i + 10}/QĐ-UBND", n=i)
    receive(clerk, summary="Báo cáo khác", n=9)
    client = login(clerk)
    rows = xlsx_rows(client.get(reverse("documents:search_export"), {"q": "quyet dinh", "sort": "oldest"}))
    assert rows[0][0] == "KẾT QUẢ TRA CỨU VĂN BẢN"
    assert "Từ khóa: quyet dinh" in rows[1][0] and "Sắp xếp: Cũ nhất" in rows[1][0]
    header = rows.index(tuple(export.columns()))
    body = rows[header + 1 :]
    assert [r[2] for r in body] == ["10/QĐ-UBND", "11/QĐ-UBND", "12/QĐ-UBND"]
    assert body[0][1] == "Văn bản đến" and body[0][4] == "Ủy ban nhân dân tỉnh An Hòa"
    # The cap: the first rows and a note.
    monkeypatch.setattr(search_selectors, "EXPORT_LIMIT", 2)
    rows = xlsx_rows(client.get(reverse("documents:search_export"), {"q": "quyet dinh"}))
    header = rows.index(tuple(export.columns()))
    assert len([r for r in rows[header + 1 :] if r[0] in (1, 2, 3)]) == 2
    assert "Chỉ xuất 2 kết quả đầu tiên" in rows[-1][0]
