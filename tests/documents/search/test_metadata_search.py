"""The Phần II metadata in the search: filters (arrival number, urgency, secrecy, recipients, deadline,
case file, custom field), chosen columns kept in the query string and saved searches, the results table's
query count, the exports in the chosen columns as Excel, PDF and Word."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from documents.models import Confidentiality, SavedSearch, Urgency
from documents.outgoing.models import OutgoingRecipient
from documents.records.models import CaseFile, CaseFileItem, Retention
from documents.search import forms
from tests.documents.conftest import receive
from tests.documents.search.conftest import find_page, make_draft, result_ids, xlsx_rows

pytestmark = pytest.mark.django_db
EXPORT = "/documents/search/export/"


def _file(owner, doc, kind="incoming", code="05.KH", title="Hồ sơ kế hoạch vốn 2026"):
    cf, _ = CaseFile.objects.get_or_create(
        agency_id=owner.agency_id,
        year=2026,
        code=code,
        defaults={"title": title, "retention": Retention.Y10, "owner": owner},
    )
    n = CaseFileItem.objects.filter(case_file=cf).count() + 1
    CaseFileItem.objects.create(
        case_file=cf,
        kind=kind,
        object_id=doc.pk,
        ordinal=n,
        sort_date=timezone.now(),
        subject="x",
        added_by=owner,
    )
    return cf


def test_metadata_filters_in_sql(people):
    clerk = people["clerk"]
    now = timezone.now()
    urgent = receive(clerk, n=1, urgency=Urgency.FLASH, due_at=now + timedelta(days=3))
    plain = receive(clerk, n=2, due_at=now + timedelta(days=30))
    secret = receive(clerk, n=3, confidentiality=Confidentiality.SECRET, directing_leader=people["leader"])
    draft = make_draft(people, "Kế hoạch vốn đầu tư")
    OutgoingRecipient.objects.create(document=draft, name="Sở Tài chính tỉnh An Hòa", channel="paper")
    _file(clerk, plain)
    leader = people["leader"]
    assert result_ids(clerk, urgency=Urgency.FLASH) == [("incoming", urgent.pk)]
    assert result_ids(leader, secrecy=Confidentiality.SECRET) == [("incoming", secret.pk)]
    assert result_ids(clerk, arrival_number=plain.number) == [("incoming", plain.pk)]
    soon = (now + timedelta(days=5)).date()
    assert result_ids(clerk, due_from=now.date(), due_to=soon) == [("incoming", urgent.pk)]
    assert result_ids(clerk, case_file="05.KH") == [("incoming", plain.pk)]
    assert result_ids(clerk, case_file="ke hoach von") == [("incoming", plain.pk)]
    head = people["head"]  # sees the unit's drafts
    assert result_ids(head, recipient="so tai chinh") == [("outgoing", draft.pk)]
    assert result_ids(head, recipient="so xay dung") == []
    # the clerk of the same agency does not see the officer's draft, whatever the filter
    assert result_ids(clerk, recipient="so tai chinh") == []


def test_columns_chosen_remembered_and_query_count_constant(people, login):
    clerk = people["clerk"]
    client = login(clerk)

    def count() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as ctx:
            html = find_page(
                client,
                issuer="an hoa",
                cols=[
                    "number",
                    "summary",
                    "identifier",
                    "arrival",
                    "urgency",
                    "deadline",
                    "case_files",
                    "recipients",
                ],
            )
        return len(ctx.captured_queries), html

    for i in range(3):
        _file(clerk, receive(clerk, n=i + 1))
    few, html = count()
    assert 'data-testid="search-table"' in html and html.count('data-testid="search-result"') == 3
    assert (
        'data-col="case_files"' in html
        and "Hồ sơ kế hoạch vốn 2026" in html
        and 'data-col="signer"' not in html
    )
    for i in range(3, 25):
        _file(clerk, receive(clerk, n=i + 1), code=f"{i:02d}.KH")
    many, html = count()
    assert html.count('data-testid="search-result"') == 20 and many == few
    # the columns are kept in the query string, in the export links and in a saved search
    assert "cols=identifier" in html and "format=pdf" in html and "format=docx" in html
    query = "issuer=an+hoa&cols=urgency&cols=number&cols=bogus"
    response = client.post(reverse("documents:search_saved_create"), {"name": "Khẩn", "query": query})
    saved = SavedSearch.objects.get(user=clerk)
    assert saved.query == "issuer=an+hoa&cols=number&cols=urgency"
    assert response.url.endswith(saved.query)
    html = find_page(client, issuer="an hoa", cols=["number", "urgency"])
    checked = set(re.findall(r'<input type="checkbox" name="cols" value="(\w+)"[^>]* checked>', html))
    assert checked == {"number", "urgency"}


def test_canonical_query_keeps_several_columns():
    from django.http import QueryDict

    query = forms.canonical_query(QueryDict("cols=deadline&q=x&cols=kind&page=2"))
    assert query == "q=x&cols=kind&cols=deadline"


def test_exports_in_the_chosen_columns(people, login):
    clerk = people["clerk"]
    doc = receive(clerk, n=7, urgency=Urgency.URGENT, summary="Về vốn đầu tư công")
    _file(clerk, doc)
    client = login(clerk)
    params = {"q": "von dau tu", "cols": ["number", "summary", "urgency", "case_files"]}
    rows = xlsx_rows(client.get(EXPORT, params))
    header = rows.index(("STT", "Số, ký hiệu", "Trích yếu", "Độ khẩn", "Hồ sơ"))
    assert rows[header + 1][:4] == (1, "07/UBND-KT", "Về vốn đầu tư công", "Khẩn")
    assert "Hồ sơ kế hoạch vốn 2026" in rows[header + 1][4]
    pdf = client.get(EXPORT, {**params, "format": "pdf"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "KẾT QUẢ TRA CỨU VĂN BẢN" in text and "07/UBND-KT" in text and "Độ khẩn" in text
    docx = client.get(EXPORT, {**params, "format": "docx"})
    assert docx.status_code == 200 and docx["Content-Disposition"].endswith('.docx"')
    with zipfile.ZipFile(io.BytesIO(docx.content)) as package:
        assert {"[Content_Types].xml", "word/document.xml", "word/styles.xml"} <= set(package.namelist())
        body = package.read("word/document.xml").decode()
    from lxml import etree

    root = etree.fromstring(body.encode())
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    cells = [
        ["".join(t.text or "" for t in tc.iter(f"{w}t")) for tc in tr.iter(f"{w}tc")]
        for tr in root.iter(f"{w}tr")
    ]
    assert cells[0] == ["STT", "Số, ký hiệu", "Trích yếu", "Độ khẩn", "Hồ sơ"]
    assert cells[1][:4] == ["1", "07/UBND-KT", "Về vốn đầu tư công", "Khẩn"]
    # an unknown format: back to the page with a message, no file
    response = client.get(EXPORT, {**params, "format": "exe"})
    assert response.status_code == 302


def test_bad_metadata_input_gets_vietnamese_messages(people, login):
    client = login(people["clerk"])
    html = find_page(client, arrival_number="abc", due_from="2026-05-01", due_to="2026-04-01", cols=["nope"])
    assert "Số đến phải là số nguyên." in html
    assert "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu." in html
    assert "Cột hiển thị không hợp lệ." in html
