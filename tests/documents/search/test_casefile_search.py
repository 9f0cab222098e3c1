"""III.6d: case files (hồ sơ) in the main search — by every Phần II Mục III field the product keeps and by
the subject of the papers uploaded to them; visible only as ``visible_case_files`` allows; linked to the
case file's page; the query count of a results page does not grow with the files found."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from documents.records.models import CaseFile, CaseFileItem, Retention, UsageRights
from documents.search.forms import SearchForm
from tests.documents.conftest import people_b, receive  # noqa: F401
from tests.documents.search.conftest import find_page, result_ids

pytestmark = pytest.mark.django_db


def at(y: int, m: int, d: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(y, m, d, 9, 0))


def make_file(owner, *, code, title, year=2026, **extra) -> CaseFile:
    values = {
        "agency_id": owner.agency_id,
        "department_id": owner.department_id,
        "year": year,
        "code": code,
        "title": title,
        "retention": Retention.Y10,
        "owner": owner,
    }
    values.update(extra)
    return CaseFile.objects.create(**values)


def paper(case_file, subject: str, ordinal: int = 1) -> CaseFileItem:
    return CaseFileItem.objects.create(
        case_file=case_file,
        kind="paper",
        ordinal=ordinal,
        sort_date=timezone.now(),
        subject=subject,
        added_by=case_file.owner,
    )


@pytest.fixture
def files(people):
    officer, head = people["officer"], people["head"]
    bridge = make_file(
        officer,
        code="05.KHĐT",
        title="Hồ sơ thẩm định dự án cầu Bình An",
        description="Kèm bản vẽ thiết kế cơ sở",
        opened_at=at(2026, 3, 1),
    )
    paper(bridge, "Tờ trình xin chủ trương đầu tư xây dựng")
    old = make_file(
        head,
        code="12.TH",
        title="Hồ sơ tổng kết công tác năm",
        year=2025,
        retention=Retention.PERMANENT,
        rights=UsageRights.PUBLIC,
        status=CaseFile.Status.CLOSED,
        opened_at=at(2025, 2, 1),
        closed_at=at(2025, 12, 1),
    )
    return {"bridge": bridge, "old": old}


def test_found_by_every_file_field_and_by_its_papers(people, files):
    clerk = people["clerk"]
    bridge, old = ("casefile", files["bridge"].pk), ("casefile", files["old"].pk)
    receive(clerk, summary="Về dự án cầu Bình An")  # a document: the file fields leave it out
    assert result_ids(clerk, "cau binh an", kind="casefile") == [bridge]
    assert bridge in result_ids(clerk, "cau binh an")  # beside the document, in one search
    assert result_ids(clerk, number="05.KH") == [bridge]  # số và ký hiệu hồ sơ
    assert result_ids(clerk, "12.TH tong ket") == [old]
    assert result_ids(clerk, case_file="12.TH") == []  # the filter asks for the documents the file holds
    assert result_ids(clerk, "ban ve thiet ke") == [bridge]  # ghi chú
    assert result_ids(clerk, file_year=2025) == [old]
    assert result_ids(clerk, retention=Retention.Y10) == [bridge]
    assert result_ids(clerk, rights=UsageRights.PUBLIC) == [old]
    assert result_ids(clerk, owner="phan minh duc") == [bridge]  # người lập hồ sơ
    assert result_ids(clerk, owner="Bùi Văn") == [old]
    assert result_ids(clerk, state="casefile:closed") == [old]
    # the time the work ran overlaps the range
    assert result_ids(clerk, date_from=dt.date(2026, 1, 1), kind="casefile") == [bridge]
    assert result_ids(clerk, date_to=dt.date(2025, 12, 31), kind="casefile") == [old]
    assert set(result_ids(clerk, date_from=dt.date(2025, 6, 1), kind="casefile")) == {bridge, old}
    # a paper uploaded to the file, by its subject
    assert result_ids(clerk, "chu truong dau tu") == [bridge]
    # fields of documents only: no case file; the file fields: no document
    assert not [r for r in result_ids(clerk, "cau binh an", signer="x") if r[0] == "casefile"]
    assert [k for k, _pk in result_ids(clerk, file_year=2026)] == ["casefile"]


def test_the_form_reads_the_file_fields(people, files):
    form = SearchForm(
        {
            "file_year": "2026",
            "retention": "10",
            "rights": "restricted",
            "owner": " Phan ",
            "kind": "casefile",
        },
        user=people["clerk"],
    )
    assert form.is_valid(), form.errors
    criteria = form.criteria()
    assert (criteria.file_year, criteria.retention, criteria.rights, criteria.owner) == (
        2026,
        "10",
        "restricted",
        "Phan",
    )
    assert criteria.has_file_fields and not criteria.is_empty
    bad = SearchForm({"file_year": "năm", "retention": "99"}, user=people["clerk"])
    assert not bad.is_valid()
    assert bad.errors["file_year"] == ["Năm phải là số, ví dụ 2026."]
    assert bad.errors["retention"] == ["Thời hạn bảo quản không hợp lệ."]


def test_visibility_is_the_case_files_rules(people, people_b, files):  # noqa: F811
    bridge = ("casefile", files["bridge"].pk)
    assert result_ids(people["officer2"], "cau binh an") == [bridge]  # same unit, not secret
    assert result_ids(people["other_officer"], "cau binh an") == []  # another unit
    assert result_ids(people_b["clerk"], "cau binh an") == []  # another agency
    assert result_ids(people_b["leader"], number="05.KH") == []
    assert result_ids(people["other_officer"], "chu truong dau tu") == []  # nor through its papers
    CaseFile.objects.filter(pk=files["bridge"].pk).update(rights=UsageRights.SECRET)
    assert result_ids(people["officer2"], "cau binh an") == []  # secret: not the unit's people
    assert result_ids(people["head"], "cau binh an") == [bridge]  # the unit's head still
    assert result_ids(people["leader"], "cau binh an") == [bridge]


def test_results_page_links_to_the_file_with_constant_queries(people, files, login):
    client = login(people["clerk"])
    html = find_page(client, q="chu truong dau tu")
    assert f'href="{files["bridge"].get_absolute_url()}"' in html
    assert 'data-kind="casefile"' in html and 'data-testid="search-paper-hit"' in html
    assert "Tờ trình xin chủ trương đầu tư xây dựng" in html and "Phan Minh Đức" in html

    def count() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as ctx:
            page = find_page(
                client, q="chu truong", cols=["number", "summary", "retention", "rights", "owner"]
            )
        return len(ctx.captured_queries), page

    few, page = count()
    assert page.count('data-testid="search-result"') == 1
    for i in range(24):
        case_file = make_file(people["officer"], code=f"{30 + i}.KH", title=f"Hồ sơ dự án số {i}")
        paper(case_file, f"Tờ trình chủ trương số {i}")
    many, page = count()
    assert page.count('data-testid="search-result"') == 20 and many == few
    assert 'data-col="retention"' in page and "10 năm" in page and "Hạn chế sử dụng" in page
