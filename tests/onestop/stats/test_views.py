"""One-stop statistics, the pages: the numbers and the links behind them, who may see what, the lists, the
exports (statistics and form 07), and query counts that do not grow with the rows."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from onestop.stats import selectors as stats
from tests.onestop.conftest import make_procedure, receive
from tests.onestop.stats.conftest import EXPECTED, approve, at, period_45_days, query, working_day

pytestmark = pytest.mark.django_db

STATS = reverse("onestop:stats")
LIST = reverse("onestop:stats_list")
EXPORT = reverse("onestop:stats_export")
REGISTER = reverse("onestop:register")


def test_the_page_shows_the_numbers_with_links(crafted, people, login):
    client = login(people["onestop"])
    response = client.get(STATS, query(group="procedure"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Đăng ký thành lập doanh nghiệp tư nhân" in html
    assert 'data-testid="stats-totals"' in html
    assert "75%" in html and "4,5" in html
    assert "Giải thích số liệu" in html
    rows = response.context["rows"]
    cells = {c["column"]: c for c in response.context["total"]}
    assert cells["late"]["value"] == 1 and cells["received"]["value"] == 9
    # the link behind a number lists exactly those dossiers
    listed = client.get(cells["open_overdue"]["url"])
    assert listed.status_code == 200
    codes = {d.code for d in listed.context["page"].object_list}
    assert codes == {crafted["overdue"].code, crafted["other_unit"].code}
    row_cell = {c["column"]: c for c in rows[0]["cells"]}["early"]
    listed = client.get(row_cell["url"])
    assert {d.pk for d in listed.context["page"].object_list} == {crafted["early"].pk, crafted["refused"].pk}
    assert crafted["early"].code in listed.content.decode()


def test_presets_and_bad_input(crafted, people, login):
    client = login(people["leader"])
    for period in ("month", "last_month", "quarter", "year"):
        assert client.get(STATS, {"period": period, "group": "unit"}).status_code == 200
    bad = client.get(STATS, {"period": "custom", "date_from": "2026-05-01", "date_to": "2026-01-01"})
    assert bad.status_code == 200 and "Ngày bắt đầu phải trước" in bad.content.decode()
    bad = client.get(STATS, {"group": "nope"})
    assert bad.status_code == 200 and "Cách nhóm số liệu không hợp lệ" in bad.content.decode()
    assert client.get(STATS, {"date_from": "31/31/2026", "period": "custom"}).status_code == 200
    assert client.get(LIST, query(col="nope")).status_code == 404
    assert client.get(LIST, query(col="late", group="unit", key="abc")).status_code == 404
    assert client.get(EXPORT, query(format="doc")).status_code == 404


def test_who_may_see(crafted, people, login, client):
    for name in ("officer", "officer2"):
        login(people[name])
        for url in (STATS, LIST, EXPORT, REGISTER):
            assert client.get(url, query(col="received", format="pdf")).status_code == 403, (name, url)
    client.logout()
    assert client.get(STATS).status_code == 302  # to the login page
    # another agency's one-stop officer counts none of agency A's dossiers …
    login(crafted["onestop_b"])
    report = client.get(STATS, query()).context["report"]
    assert report.total["received"] == 1
    listed = client.get(LIST, query(col="received"))
    assert [d.pk for d in listed.context["page"].object_list] == [crafted["agency_b"].pk]
    # … and a row of agency A is not found
    key = str(crafted["early"].procedure_id)
    assert client.get(LIST, query(col="received", group="procedure", key=key)).status_code == 404
    assert (
        client.get(LIST, query(col="received", group="unit", key=str(people["unit"].pk))).status_code == 404
    )
    # a head sees the unit's rows; a unit key of the same agency gives nothing outside the unit
    login(people["head"])
    listed = client.get(LIST, query(col="open_overdue", group="unit", key=str(people["other_unit"].pk)))
    assert listed.status_code == 200 and listed.context["page"].paginator.count == 0
    listed = client.get(LIST, query(col="received"))
    assert crafted["open"].pk not in {d.pk for d in listed.context["page"].object_list}


def test_statistics_exports(crafted, people, login):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    client = login(people["leader"])
    response = client.get(EXPORT, query(group="officer", format="pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Phan Minh Đức" in text and "Tổng cộng" in text

    response = client.get(EXPORT, query(group="procedure", format="xlsx"))
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = [r for r in ws.iter_rows(values_only=True) if r[0]]
    total = next(r for r in rows if r[0] == "Tổng cộng")
    assert list(total[1:12]) == [EXPECTED[c] for c in stats.NUMBER_COLUMNS]
    assert total[12] == 0.75 and total[13] == 4.5 and total[14] == 2
    assert any(r[0].startswith("Đăng ký thành lập doanh nghiệp tư nhân") for r in rows)


def test_register_page_and_exports(crafted, people, login):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    client = login(people["onestop"])
    response = client.get(REGISTER, query())
    assert response.status_code == 200
    table = response.context["table"]
    assert len(table) == 9  # received in the period (not refused at reception, not the old one)
    values = {d.pk: v for d, v in table}
    late = values[crafted["late"].pk]
    assert late[1] == crafted["late"].code and late[3] == "1"
    assert late[4] == "Nguyễn Văn An" and late[5] == "Số 5 Lê Lợi; 0912345678"
    assert late[6] == "Phòng Đăng ký kinh doanh"
    assert late[11] == timezone.localtime(crafted["late"].returned_at).strftime("%d/%m/%Y")
    assert "Quá hạn" in late[13]
    assert values[crafted["paused"].pk][10].startswith("Yêu cầu bổ sung")
    assert values[crafted["stopped"].pk][13].startswith("Dừng xử lý")
    assert values[crafted["open"].pk][9] == ""  # not handed over yet
    assert [v[0] for _d, v in table] == [str(i) for i in range(1, 10)]

    response = client.get(REGISTER, query(format="pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join("".join(page.extract_text().split()) for page in reader.pages)
    assert "SỔTHEODÕIHỒSƠ" in text
    for name in ("early", "late", "stopped"):
        assert crafted[name].code in text
    assert crafted["old"].code not in text and crafted["agency_b"].code not in text

    response = client.get(REGISTER, query(format="xlsx"))
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(min_row=7, values_only=True))
    assert len(rows) == 9
    by_code = {r[1]: r for r in rows}
    row = by_code[crafted["late"].code]
    assert row[0] == list(by_code).index(crafted["late"].code) + 1
    assert row[2] == "Đăng ký thành lập doanh nghiệp tư nhân"
    received = timezone.localtime(crafted["late"].received_at).replace(tzinfo=None, second=0, microsecond=0)
    assert row[7] == received


def test_register_is_scoped(crafted, people, login):
    client = login(people["head"])
    codes = {d.code for d, _v in client.get(REGISTER, query()).context["table"]}
    assert crafted["late"].code in codes
    assert crafted["open"].code not in codes and crafted["other_unit"].code not in codes
    login(crafted["onestop_b"])
    codes = {d.code for d, _v in client.get(REGISTER, query()).context["table"]}
    assert codes == {crafted["agency_b"].code}


def test_an_empty_register_prints_the_message(people, login):
    from pypdf import PdfReader

    client = login(people["onestop"])
    response = client.get(REGISTER, query(format="pdf"))
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Không có hồ sơ tiếp nhận trong kỳ này." in text
    assert "Không có hồ sơ tiếp nhận trong kỳ này." in client.get(REGISTER, query()).content.decode()


def _more(procedure, people, n):
    received = at(working_day(timezone.localdate() - timedelta(days=20)))
    for _i in range(n):
        one = receive(procedure, people, now=received)
        approve(one, people, now=one.due_at - timedelta(hours=1))


def _count_queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow(agency_a, people, procedure, login):
    second = make_procedure(agency_a, unit=people["unit"], code="2.000002")
    client = login(people["leader"])
    pages = [(STATS, query(group=g)) for g in stats.GROUPINGS] + [
        (LIST, query(col="received")),
        (LIST, query(col="on_time", group="officer", key=str(people["officer"].pk))),
        (REGISTER, query()),
        (REGISTER, query(format="pdf")),
        (REGISTER, query(format="xlsx")),
        (EXPORT, query(format="xlsx")),
    ]
    _more(procedure, people, 1)
    client.get(STATS, query())  # warm caches (content types, calendar)
    before = [_count_queries(client, url, params) for url, params in pages]
    _more(procedure, people, 2)
    _more(second, people, 2)
    after = [_count_queries(client, url, params) for url, params in pages]
    assert after == before
    # one aggregate per table
    scope = stats.scope_for(people["leader"])
    with CaptureQueriesContext(connection) as ctx:
        report = stats.report(scope=scope, period=period_45_days(), group="procedure")
    assert len(report.rows) == 2 and len(ctx.captured_queries) == 1


# --- the dashboard widget --------------------------------------------------------------------------------
