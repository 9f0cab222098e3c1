"""One-stop statistics: every column on a crafted set of dossiers placed with the services' ``now=``, the
groupings, who may see what, the list behind each number, the exports (statistics and form 07), the
dashboard widget, and query counts that do not grow with the rows."""

from __future__ import annotations

import io
import time
from datetime import datetime, timedelta
from datetime import time as dtime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from eoffice import dashboard
from eoffice.models import Role
from onestop import register as printed
from onestop import services, widgets
from onestop.models import DossierState
from onestop.stats import selectors as stats
from tests.factories import make_agency, make_department, make_user
from tests.onestop.conftest import advance, make_procedure, receive
from workflow import calendar

pytestmark = pytest.mark.django_db

STATS = reverse("onestop:stats")
LIST = reverse("onestop:stats_list")
EXPORT = reverse("onestop:stats_export")
REGISTER = reverse("onestop:register")


def _working_day(day):
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return day


def _at(day, hour=9):
    return datetime.combine(day, dtime(hour), tzinfo=calendar.local_tz())


def _period():
    today = timezone.localdate()
    return stats.Period(today - timedelta(days=45), today)


def _query(**extra) -> dict:
    return {**_period().query(), **extra}


def _approve(dossier, people, *, now):
    dossier = advance(dossier, DossierState.APPROVAL, people)
    return services.dossier_approve(dossier=dossier, by=people["leader"], sign=False, now=now)


@pytest.fixture
def crafted(agency_a, people, procedure):
    """Twelve dossiers, each placed in one column (see the expected numbers in ``EXPECTED``)."""
    received = _at(_working_day(timezone.localdate() - timedelta(days=30)))
    d = {}

    def at_r(**extra):
        return receive(procedure, people, now=received, **extra)

    one = at_r()
    d["early"] = _approve(one, people, now=one.due_at - timedelta(days=2))
    d["early"] = services.dossier_hand_over(
        dossier=d["early"], by=people["onestop"], returned_to="Nguyễn Văn An", rating=5
    )
    two = at_r()
    d["on_time"] = _approve(two, people, now=two.due_at - timedelta(hours=1))
    three = at_r()
    d["late"] = _approve(three, people, now=three.due_at + timedelta(days=1))
    d["late"] = services.dossier_hand_over(
        dossier=d["late"], by=people["onestop"], returned_to="Nguyễn Văn An", rating=4
    )
    four = advance(at_r(), DossierState.PROCESSING, people)
    d["refused"] = services.dossier_refuse(
        dossier=four, by=people["head"], reasons="Không đủ điều kiện", now=four.due_at - timedelta(days=2)
    )
    d["overdue"] = advance(at_r(), DossierState.PROCESSING, people)
    d["open"] = receive(procedure, people)  # today: due in the future
    seven = advance(at_r(), DossierState.PROCESSING, people)
    services.dossier_request_supplement(
        dossier=seven, by=people["officer"], content="Bổ sung bản sao", now=received + timedelta(days=1)
    )
    d["paused"] = seven
    d["refused_reception"] = at_r(outcome=services.OUTCOME_INELIGIBLE, reasons="Không thuộc thẩm quyền")
    nine = advance(at_r(), DossierState.UNIT, people)
    d["stopped"] = services.dossier_stop(
        dossier=nine, by=people["leader"], reason="Công dân rút hồ sơ", now=received + timedelta(days=1)
    )
    old = receive(procedure, people, now=received - timedelta(days=100))
    d["old"] = _approve(old, people, now=received - timedelta(days=99))
    eleven = at_r()
    d["other_unit"] = services.dossier_hand_to_unit(
        dossier=eleven, by=people["onestop"], department=people["other_unit"]
    )
    # another agency: never counted for agency A
    agency_b = make_agency(name="Sở Tư pháp", abbreviation="STP", code="000.00.33.H26")
    counter_b = make_department(agency=agency_b, name="Một cửa", abbreviation="MC")
    onestop_b = make_user(agency=agency_b, department=counter_b, roles=[Role.ONESTOP_OFFICER])
    procedure_b = make_procedure(agency_b, code="1.000001")
    d["agency_b"] = receive(procedure_b, {"onestop": onestop_b}, now=received)
    d["onestop_b"] = onestop_b
    d["procedure_b"] = procedure_b
    return d


EXPECTED = {
    "received": 9,
    "early": 2,
    "on_time": 1,
    "late": 1,
    "resolved": 4,
    "open_on_time": 1,
    "open_overdue": 2,
    "paused": 1,
    "refused_reception": 1,
    "refused_processing": 1,
    "stopped": 1,
    "rated": 2,
}
BEHIND = {  # the dossiers behind each agency number
    "received": {
        "early",
        "on_time",
        "late",
        "refused",
        "overdue",
        "open",
        "paused",
        "stopped",
        "other_unit",
    },
    "early": {"early", "refused"},
    "on_time": {"on_time"},
    "late": {"late"},
    "resolved": {"early", "on_time", "late", "refused"},
    "open_on_time": {"open"},
    "open_overdue": {"overdue", "other_unit"},
    "paused": {"paused"},
    "refused_reception": {"refused_reception"},
    "refused_processing": {"refused"},
    "stopped": {"stopped"},
    "rated": {"early", "late"},
}


def _values(counts):
    return {c: counts[c] for c in stats.COLUMNS}


def test_every_column_on_the_crafted_set(crafted, people):
    scope = stats.scope_for(people["onestop"])
    report = stats.report(scope=scope, period=_period(), group="procedure")
    assert len(report.rows) == 1
    total = report.total
    assert _values(total) == EXPECTED
    assert total.rate == 75.0
    assert total.rating == 4.5
    for column, names in BEHIND.items():
        pks = set(stats.records(scope=scope, period=_period(), column=column).values_list("pk", flat=True))
        assert pks == {crafted[n].pk for n in names}, column


def test_timings_come_from_the_services(crafted):
    assert crafted["early"].timing == "early"
    assert crafted["on_time"].timing == "on_time"
    assert crafted["late"].timing == "late"
    assert crafted["refused"].outcome == "refused"


def test_groupings(crafted, people):
    scope = stats.scope_for(people["leader"])
    by_unit = {r.key: r for r in stats.report(scope=scope, period=_period(), group="unit").rows}
    unit, other = str(people["unit"].pk), str(people["other_unit"].pk)
    assert set(by_unit) == {unit, other, "none"}
    assert list(by_unit)[-1] == "none"
    assert by_unit[unit].counts["received"] == 7
    assert by_unit[other].counts["received"] == 1 and by_unit[other].counts["open_overdue"] == 1
    assert by_unit["none"].counts["received"] == 1  # received today, not handed over yet
    assert by_unit["none"].counts["refused_reception"] == 1
    assert by_unit["none"].label == "Chưa chuyển đơn vị giải quyết"

    by_officer = {r.key: r for r in stats.report(scope=scope, period=_period(), group="officer").rows}
    assert set(by_officer) == {str(people["officer"].pk), "none"}
    assert by_officer[str(people["officer"].pk)].counts["received"] == 6
    assert by_officer[str(people["officer"].pk)].label == "Phan Minh Đức"
    assert by_officer["none"].counts["received"] == 3

    by_field = stats.report(scope=scope, period=_period(), group="field").rows
    assert [r.label for r in by_field] == ["Thành lập và hoạt động doanh nghiệp"]
    assert _values(by_field[0].counts) == EXPECTED


def test_a_unit_head_counts_the_unit_only(crafted, people):
    scope = stats.scope_for(people["head"])
    assert scope.unit == people["unit"]
    total = stats.report(scope=scope, period=_period()).total
    assert _values(total) == {
        **EXPECTED,
        "received": 7,
        "open_on_time": 0,
        "open_overdue": 1,
        "refused_reception": 0,
    }
    # the head's scope lies inside what the one-stop selectors let them see
    from onestop.selectors import visible

    counted = set(stats.scoped(scope).values_list("pk", flat=True))
    assert counted and counted <= set(visible(people["head"]).values_list("pk", flat=True))


def test_the_page_shows_the_numbers_with_links(crafted, people, login):
    client = login(people["onestop"])
    response = client.get(STATS, _query(group="procedure"))
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
    assert client.get(LIST, _query(col="nope")).status_code == 404
    assert client.get(LIST, _query(col="late", group="unit", key="abc")).status_code == 404
    assert client.get(EXPORT, _query(format="doc")).status_code == 404


def test_who_may_see(crafted, people, login, client):
    for name in ("officer", "officer2"):
        login(people[name])
        for url in (STATS, LIST, EXPORT, REGISTER):
            assert client.get(url, _query(col="received", format="pdf")).status_code == 403, (name, url)
    client.logout()
    assert client.get(STATS).status_code == 302  # to the login page
    # another agency's one-stop officer counts none of agency A's dossiers …
    login(crafted["onestop_b"])
    report = client.get(STATS, _query()).context["report"]
    assert report.total["received"] == 1
    listed = client.get(LIST, _query(col="received"))
    assert [d.pk for d in listed.context["page"].object_list] == [crafted["agency_b"].pk]
    # … and a row of agency A is not found
    key = str(crafted["early"].procedure_id)
    assert client.get(LIST, _query(col="received", group="procedure", key=key)).status_code == 404
    assert (
        client.get(LIST, _query(col="received", group="unit", key=str(people["unit"].pk))).status_code == 404
    )
    # a head sees the unit's rows; a unit key of the same agency gives nothing outside the unit
    login(people["head"])
    listed = client.get(LIST, _query(col="open_overdue", group="unit", key=str(people["other_unit"].pk)))
    assert listed.status_code == 200 and listed.context["page"].paginator.count == 0
    listed = client.get(LIST, _query(col="received"))
    assert crafted["open"].pk not in {d.pk for d in listed.context["page"].object_list}


def test_statistics_exports(crafted, people, login):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    client = login(people["leader"])
    response = client.get(EXPORT, _query(group="officer", format="pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Phan Minh Đức" in text and "Tổng cộng" in text

    response = client.get(EXPORT, _query(group="procedure", format="xlsx"))
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
    response = client.get(REGISTER, _query())
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

    response = client.get(REGISTER, _query(format="pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join("".join(page.extract_text().split()) for page in reader.pages)
    assert "SỔTHEODÕIHỒSƠ" in text
    for name in ("early", "late", "stopped"):
        assert crafted[name].code in text
    assert crafted["old"].code not in text and crafted["agency_b"].code not in text

    response = client.get(REGISTER, _query(format="xlsx"))
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
    codes = {d.code for d, _v in client.get(REGISTER, _query()).context["table"]}
    assert crafted["late"].code in codes
    assert crafted["open"].code not in codes and crafted["other_unit"].code not in codes
    login(crafted["onestop_b"])
    codes = {d.code for d, _v in client.get(REGISTER, _query()).context["table"]}
    assert codes == {crafted["agency_b"].code}


def test_an_empty_register_prints_the_message(people, login):
    from pypdf import PdfReader

    client = login(people["onestop"])
    response = client.get(REGISTER, _query(format="pdf"))
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Không có hồ sơ tiếp nhận trong kỳ này." in text
    assert "Không có hồ sơ tiếp nhận trong kỳ này." in client.get(REGISTER, _query()).content.decode()


def test_register_pdf_of_three_hundred_rows_is_fast(agency_a):
    row = [
        "",
        "000.00.31.H26-261121-0007",
        "Đăng ký thành lập doanh nghiệp tư nhân theo quy định của Luật Doanh nghiệp",
        "1",
        "Công ty Trách nhiệm hữu hạn Thương mại và Dịch vụ Hòa Bình",
        "Số 125 đường Nguyễn Thị Minh Khai, phường Bến Thành; 0912345678",
        "Phòng Đăng ký kinh doanh",
        "03/11/2026 08:35",
        "06/11/2026 17:00",
        "03/11/2026",
        "05/11/2026",
        "06/11/2026",
        "",
        "Quá hạn; Đã hẹn lại",
    ]
    values = [[str(i), *row[1:]] for i in range(1, 301)]
    printed.pdf(values[:2], agency=agency_a, subs=["warm-up"])  # fonts are registered once per process
    started, cpu = time.perf_counter(), time.process_time()
    data = printed.pdf(values, agency=agency_a, subs=["Bộ phận Tiếp nhận và Trả kết quả", "Kỳ"])
    # CPU time: the wall clock of a shared test machine measures its other jobs too
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) > 10
    last = "".join(reader.pages[-1].extract_text().split())
    assert "300hồsơ" in last
    pages = len(reader.pages)
    print(f"register PDF, 300 rows, {pages} pages: {elapsed * 1000:.0f} ms ({cpu * 1000:.0f} ms CPU)")
    assert cpu < 1.0


def _more(procedure, people, n):
    received = _at(_working_day(timezone.localdate() - timedelta(days=20)))
    for _i in range(n):
        one = receive(procedure, people, now=received)
        _approve(one, people, now=one.due_at - timedelta(hours=1))


def _count_queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow(agency_a, people, procedure, login):
    second = make_procedure(agency_a, unit=people["unit"], code="2.000002")
    client = login(people["leader"])
    pages = [(STATS, _query(group=g)) for g in stats.GROUPINGS] + [
        (LIST, _query(col="received")),
        (LIST, _query(col="on_time", group="officer", key=str(people["officer"].pk))),
        (REGISTER, _query()),
        (REGISTER, _query(format="pdf")),
        (REGISTER, _query(format="xlsx")),
        (EXPORT, _query(format="xlsx")),
    ]
    _more(procedure, people, 1)
    client.get(STATS, _query())  # warm caches (content types, calendar)
    before = [_count_queries(client, url, params) for url, params in pages]
    _more(procedure, people, 2)
    _more(second, people, 2)
    after = [_count_queries(client, url, params) for url, params in pages]
    assert after == before
    # one aggregate per table
    scope = stats.scope_for(people["leader"])
    with CaptureQueriesContext(connection) as ctx:
        report = stats.report(scope=scope, period=_period(), group="procedure")
    assert len(report.rows) == 2 and len(ctx.captured_queries) == 1


# --- the dashboard widget --------------------------------------------------------------------------------


def _widget(user):
    return next((w for w in dashboard.widgets_for(user) if w["widget"].key == "onestop.stats"), None)


def test_widget_counts_links_and_visibility(crafted, people, login, django_assert_max_num_queries):
    widgets.register_all()
    onestop = people["onestop"]
    onestop.roles  # noqa: B018 - loaded by every page before the widgets
    with django_assert_max_num_queries(2):
        context = widgets.widget_context(onestop)
    counts = {name: n for name, _label, n in context["queues"]}
    # open: overdue, other_unit, open, paused; to return: on_time, refused and the old one
    assert counts == {"open": 4, "overdue": 2, "supplement": 1, "returning": 3}
    assert _widget(people["officer"]) is None
    assert _widget(people["head"]) is not None
    html = login(onestop).get(reverse("dashboard")).content.decode()
    assert 'data-testid="onestop-widget"' in html
    for name in ("open", "overdue", "supplement", "returning"):
        assert reverse("onestop:queue", args=[name]) in html


def test_widget_rate_of_the_month_and_hidden_when_all_zero(people, procedure):
    widgets.register_all()
    assert widgets.widget_context(people["onestop"]) is None
    assert widgets.widget_context(people["leader"]) is None
    one = receive(procedure, people)
    one = _approve(one, people, now=None)
    context = widgets.widget_context(people["leader"])
    assert context["resolved"] == 1 and context["rate"] == "100%"
    assert {name: n for name, _l, n in context["queues"]}["returning"] == 1


def test_register_columns_fill_the_width_between_the_margins():
    assert len(printed.WIDTHS) == len(printed.columns()) == len(printed.XLSX_WIDTHS) == 14
    assert sum(printed.WIDTHS) == 265
