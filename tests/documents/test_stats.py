"""Processing statistics: buckets at their boundaries, the three levels, the list behind every number,
who may see what, the exports, the dashboard widget, and a query count that does not grow with rows."""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from documents import numbering, services
from documents.models import (
    Confidentiality,
    DocumentType,
    IncomingDocument,
    IncomingDocumentUserObjectPermission,
    incoming_content_type,
)
from documents.stats import registry, selectors
from documents.stats.selectors import Counts, Period
from eoffice.models import Role
from tests.documents.conftest import receive
from tests.factories import make_agency, make_department, make_user
from workflow import services as wf
from workflow.models import Assignment, WorkflowState, WorkItem

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
STATS = reverse("documents:stats")
LIST = reverse("documents:stats_list")


def at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=TZ)


def _period(days_back: int = 40) -> Period:
    today = timezone.localdate()
    return Period(today - timedelta(days=days_back), today)


def _query(period: Period, **extra) -> dict:
    return {
        "period": "custom",
        "date_from": period.date_from.isoformat(),
        "date_to": period.date_to.isoformat(),
        **extra,
    }


_numbers = iter(range(1, 100000))


def make_doc(
    agency, *, state=WorkflowState.ARCHIVED, received_at=None, due_at=None, completed_at=None, **extra
):
    """An incoming document row as the services leave it (no PDF, no history: enough to be counted)."""
    n = next(_numbers)
    return IncomingDocument.objects.create(
        agency=agency,
        register=numbering.default_register(agency=agency),
        year=2026,
        number=n,
        issuer_name="Ủy ban nhân dân tỉnh An Hòa",
        number_symbol=f"{n}/UBND-KT",
        issued_date=timezone.localdate(),
        doc_type=DocumentType.objects.get_or_create(name="Công văn")[0],
        summary=f"V/v thống kê số {n}",
        channel="paper",
        file_name="cv.pdf",
        file_sha256=f"{n:064d}",
        state=state,
        received_at=received_at or timezone.now() - timedelta(days=10),
        due_at=due_at,
        completed_at=completed_at,
        **extra,
    )


def make_part(record, *, department=None, assignee=None, parent=None, status="open", **extra):
    from django.contrib.contenttypes.models import ContentType

    return Assignment.objects.create(
        content_type=ContentType.objects.get_for_model(record.__class__),
        object_id=record.pk,
        agency_id=record.agency_id,
        role=extra.pop("role", Assignment.Kind.LEAD),
        department=department,
        assignee=assignee,
        parent=parent,
        status=status,
        assigned_at=extra.pop("assigned_at", timezone.now() - timedelta(days=5)),
        **extra,
    )


def make_work(agency, by, *, state=WorkflowState.ASSIGNED, **extra):
    return WorkItem.objects.create(
        agency=agency, title="Rà soát thủ tục", created_by=by, state=state, **extra
    )


def _scope(user, key=""):
    return selectors.resolve_scope(user, key)


def _pks(user, scope, period, bucket, kind="incoming"):
    rows = selectors.records(user=user, scope=scope, period=period, kind=kind, bucket=bucket)
    return {r["r_pk"] for r in rows}


# --- the buckets ------------------------------------------------------------------------------------------


def test_buckets_at_their_boundaries(people, agency_a):
    leader = people["leader"]
    day = timezone.localdate() - timedelta(days=20)
    now = timezone.now()
    expected = {
        # completed the day before the due date: early
        "early": [
            make_doc(agency_a, due_at=at(day, 17), completed_at=at(day - timedelta(days=1), 16)),
            # 22:00 local the day before an 08:00 deadline: the same day in UTC, the day before locally
            make_doc(agency_a, due_at=at(day, 8), completed_at=at(day - timedelta(days=1), 22)),
        ],
        "ontime": [
            make_doc(agency_a, due_at=at(day, 17), completed_at=at(day, 9)),  # on the due day, before
            make_doc(agency_a, due_at=at(day, 17), completed_at=at(day, 17)),  # exactly at the deadline
            make_doc(agency_a, due_at=None, completed_at=at(day, 9)),  # no deadline counts as on time
        ],
        "late": [
            make_doc(agency_a, due_at=at(day, 17), completed_at=at(day, 17, 1)),
            make_doc(agency_a, due_at=at(day, 17), completed_at=at(day + timedelta(days=1), 8)),
        ],
        "open": [
            make_doc(agency_a, state=WorkflowState.PROCESSING, due_at=now + timedelta(hours=1)),
            make_doc(agency_a, state=WorkflowState.RECEIVED),  # awaiting direction, no deadline yet
        ],
        "overdue": [make_doc(agency_a, state=WorkflowState.ASSIGNED, due_at=now - timedelta(hours=1))],
    }
    # not counted: awaiting registration, returned to the sender, recalled by it, outside the period
    make_doc(agency_a, state=WorkflowState.NEW)
    make_doc(agency_a, state=WorkflowState.RETURNED)
    make_doc(agency_a, completed_at=at(day, 9), recalled_at=now)
    make_doc(agency_a, completed_at=at(day, 9), received_at=now - timedelta(days=60))

    period = _period()
    scope = _scope(leader, "agency")
    report = selectors.report(user=leader, scope=scope, period=period, kind="incoming")
    assert report.headline == Counts(early=2, ontime=3, late=2, open=2, overdue=1)
    assert report.headline.total == 10 and report.headline.finished == 7
    assert report.headline.rate == round(100 * 5 / 7, 1)
    for bucket, docs in expected.items():
        assert _pks(leader, scope, period, bucket) == {d.pk for d in docs}, bucket
    assert _pks(leader, scope, period, "finished") == {
        d.pk for b in ("early", "ontime", "late") for d in expected[b]
    }
    rows = selectors.records(user=leader, scope=scope, period=period, kind="incoming", bucket="all")
    assert {r["r_pk"]: r["r_bucket"] for r in rows} == {d.pk: b for b, docs in expected.items() for d in docs}


def test_period_is_whole_local_days(people, agency_a):
    leader = people["leader"]
    period = _period(10)
    first = make_doc(agency_a, received_at=at(period.date_from, 0, 0))
    last = make_doc(agency_a, received_at=at(period.date_to, 23, 59))
    make_doc(agency_a, received_at=at(period.date_from, 0, 0) - timedelta(seconds=1))
    make_doc(agency_a, received_at=at(period.date_to + timedelta(days=1), 0, 0))
    assert _pks(leader, _scope(leader, "agency"), period, "all") == {first.pk, last.pk}


def test_parts_paused_count_in_time_and_cancelled_not_at_all(people, agency_a):
    leader, unit = people["leader"], people["unit"]
    past = timezone.now() - timedelta(days=1)
    doc = make_doc(agency_a, state=WorkflowState.PROCESSING, due_at=past)
    make_part(doc, department=unit, due_at=past, paused_at=timezone.now() - timedelta(days=2))
    cancelled = make_doc(agency_a, state=WorkflowState.PROCESSING)
    make_part(cancelled, department=unit, status="cancelled")
    late = make_doc(agency_a, state=WorkflowState.PROCESSING, due_at=past)
    make_part(late, department=unit, due_at=past)
    report = selectors.report(
        user=leader, scope=_scope(leader, f"unit-{unit.pk}"), period=_period(), kind="all"
    )
    assert report.headline == Counts(open=1, overdue=1)


def test_work_items_at_agency_level(people, agency_a):
    leader = people["leader"]
    now = timezone.now()
    make_work(
        agency_a, leader, state=WorkflowState.APPROVED, due_at=now + timedelta(days=3), completed_at=now
    )
    make_work(agency_a, leader, state=WorkflowState.SUBMITTED, due_at=now - timedelta(hours=2))
    make_work(agency_a, leader, state=WorkflowState.CANCELLED)
    make_doc(agency_a, state=WorkflowState.RECEIVED)
    scope = _scope(leader, "agency")
    count = lambda kind: selectors.agency_counts(  # noqa: E731
        user=leader, agency_id=agency_a.pk, period=_period(), kinds=selectors.kinds_of(kind), now=now
    )
    assert count("work") == Counts(early=1, overdue=1)
    assert count("incoming") == Counts(open=1)
    assert count("all") == Counts(early=1, open=1, overdue=1)
    rows = list(selectors.records(user=leader, scope=scope, period=_period(), kind="all", bucket="all"))
    assert sorted(r["r_kind"] for r in rows) == ["incoming", "work", "work"]


# --- the levels, with the real services ---------------------------------------------------------------------


def _scenario(people):
    """doc1 to the unit, handed on to the officer and finished; doc2 to officer2 directly; doc3 to the
    deputy leader (no unit); doc4 awaiting direction; a work item to the other unit."""
    leader, head, officer = people["leader"], people["head"], people["officer"]
    due = timezone.now() + timedelta(days=7)
    docs = [receive(people["clerk"], n=i) for i in range(1, 5)]
    services.incoming_direct(
        document=docs[0],
        by=leader,
        instruction="Giao Phòng ĐKKD.",
        lead_department=people["unit"],
        due_at=due,
    )
    part = Assignment.objects.for_record(docs[0]).get(role="lead")
    services.incoming_forward(document=docs[0], assignment=part, by=head, to_user=officer)
    services.incoming_finish(document=docs[0], by=officer, note="Đã trả lời")
    services.incoming_direct(
        document=docs[1], by=leader, instruction="Nam xử lý.", lead_user=people["officer2"], due_at=due
    )
    services.incoming_direct(
        document=docs[2], by=leader, instruction="Phó Giám đốc xử lý.", lead_user=people["deputy"]
    )
    wf.work_item_create(
        by=leader,
        title="Rà soát số liệu",
        due_at=due,
        lead_department=people["other_unit"],
        instruction="Làm ngay",
    )
    return docs


def test_agency_unit_and_person_levels_count_each_part_once(people):
    _scenario(people)
    leader, unit = people["leader"], people["unit"]
    period = _period(1)
    agency = selectors.report(user=leader, scope=_scope(leader, "agency"), period=period, kind="all")
    assert agency.headline == Counts(early=1, open=4)  # four documents and the work item
    rows = {row.scope_key: row.counts.total for row in agency.rows}
    assert rows[f"unit-{unit.pk}"] == 2  # the unit's own part and the part given to its officer directly
    assert rows[f"unit-{people['other_unit'].pk}"] == 1
    assert rows["unit-none"] == 1  # the deputy leader belongs to no unit
    assert agency.totals == Counts(early=1, open=3)

    only_docs = selectors.report(user=leader, scope=_scope(leader, "agency"), period=period, kind="incoming")
    assert only_docs.headline.total == 4 and only_docs.totals.total == 3

    unit_report = selectors.report(
        user=leader, scope=_scope(leader, f"unit-{unit.pk}"), period=period, kind="all"
    )
    assert unit_report.headline == Counts(early=1, open=1)
    people_rows = {row.label: row.counts for row in unit_report.rows}
    assert people_rows[people["head"].full_name].total == 0  # handed on: counted for the officer
    assert people_rows[people["officer"].full_name] == Counts(early=1)
    assert people_rows[people["officer2"].full_name] == Counts(open=1)
    assert unit_report.totals.total == 2

    officer = people["officer"]
    mine = selectors.report(user=officer, scope=_scope(officer), period=period, kind="all")
    assert mine.headline == Counts(early=1) and len(mine.rows) == 1


def _links(page: str, testid: str = "") -> list[tuple[str, str, int]]:
    """(url, bucket, number shown) of every link to a list: table cells and stat cards."""
    found = []
    for attrs, inner in re.findall(r"<a ([^>]*data-bucket=[^>]*)>(.*?)</a>", page, flags=re.S):
        url = re.search(r'href="([^"]*)"', attrs).group(1)
        if "/stats/list/" not in url or (testid and f'data-testid="{testid}"' not in attrs):
            continue
        value = re.search(r'class="stat-value">(\d+)<', inner) or re.fullmatch(r"\s*(\d+)\s*", inner)
        found.append(
            (html.unescape(url), re.search(r'data-bucket="(\w+)"', attrs).group(1), int(value.group(1)))
        )
    return found


def _count(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    match = re.search(r'data-testid="stats-count">(\d+)<', response.content.decode())
    return int(match.group(1))


@pytest.mark.parametrize("who,scope", [("leader", "agency"), ("head", "unit"), ("officer", "")])
def test_every_number_links_to_a_list_of_that_many(people, login, who, scope):
    _scenario(people)
    user = people[who]
    key = {"agency": "agency", "unit": f"unit-{people['unit'].pk}", "": ""}[scope]
    page = login(user).get(STATS, _query(_period(1), scope=key) if key else {}).content.decode()
    links = _links(page)
    assert len(links) >= 8
    assert any(value > 0 for _u, _b, value in links)
    client = login(user)
    for url, bucket, value in links:
        assert f"bucket={bucket}" in url
        assert _count(client, url) == value, (url, value)


def test_list_rows_link_to_their_records(people, login):
    docs = _scenario(people)
    page = (
        login(people["leader"]).get(LIST, _query(_period(1), scope="agency", bucket="all")).content.decode()
    )
    assert docs[0].get_absolute_url() in page
    assert reverse("workflow:workitem_detail", args=[WorkItem.objects.get().pk]) in page


# --- who may see what -----------------------------------------------------------------------------------


def test_officer_sees_only_themselves(people, login):
    client = login(people["officer"])
    unit, colleague = people["unit"], people["officer2"]
    assert client.get(STATS).status_code == 200
    for key in ("agency", f"unit-{unit.pk}", f"person-{colleague.pk}", "unit-none"):
        assert client.get(STATS, {"scope": key}).status_code == 404, key
        assert client.get(LIST, {"scope": key, "bucket": "all"}).status_code == 404, key
    page = client.get(STATS).content.decode()
    assert f"person-{people['officer'].pk}" in page and 'data-testid="stats-rows"' not in page


def test_head_is_limited_to_their_unit(people, login):
    client = login(people["head"])
    unit, other = people["unit"], people["other_unit"]
    assert client.get(STATS).status_code == 200
    assert client.get(STATS, {"scope": f"unit-{unit.pk}"}).status_code == 200
    assert client.get(STATS, {"scope": f"person-{people['officer'].pk}"}).status_code == 200
    for key in ("agency", f"unit-{other.pk}", f"person-{people['other_officer'].pk}", "unit-none"):
        assert client.get(STATS, {"scope": key}).status_code == 404, key
    page = client.get(STATS).content.decode()
    assert 'data-testid="stats-rows"' in page and people["officer"].full_name in page
    assert other.name not in page


def test_no_one_sees_another_agency(people, people_b, login, agency_b):
    client = login(people_b["leader"])
    assert client.get(STATS, {"scope": "agency"}).status_code == 200
    for key in (f"unit-{people['unit'].pk}", f"person-{people['officer'].pk}"):
        assert client.get(STATS, {"scope": key}).status_code == 404
        assert client.get(LIST, {"scope": key, "bucket": "all"}).status_code == 404


def test_superuser_without_agency_sees_an_empty_page(login, db):
    admin = make_user(agency=None, roles=[], is_superuser=True, is_staff=True)
    client = login(admin)
    response = client.get(STATS)
    assert response.status_code == 200 and "không thuộc cơ quan nào" in response.content.decode()
    assert client.get(STATS, {"scope": "agency"}).status_code == 404
    assert client.get(LIST, {"bucket": "all"}).status_code == 404


def test_secret_document_not_granted_is_not_counted(people, agency_a):
    leader = people["leader"]
    secret = make_doc(agency_a, confidentiality=Confidentiality.SECRET, completed_at=timezone.now())
    make_part(secret, department=people["unit"], status="done", completed_at=timezone.now())
    make_doc(agency_a, completed_at=timezone.now())
    period = _period()

    def totals():
        agency = selectors.report(user=leader, scope=_scope(leader, "agency"), period=period, kind="all")
        return agency.headline.total, agency.totals.total

    assert totals() == (1, 0)
    IncomingDocumentUserObjectPermission.objects.create(
        user=leader,
        content_object=secret,
        permission=Permission.objects.get(
            content_type=incoming_content_type(), codename="view_incomingdocument"
        ),
    )
    assert totals() == (2, 1)


def _reference_visibility(user, kinds, agency_id):
    """Parts whose record the documents' own selector shows the user (one EXISTS per part)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Exists, OuterRef, Q

    from documents.selectors import visible_incoming

    docs = visible_incoming(user).filter(pk=OuterRef("object_id"))
    items = WorkItem.visible_to(user).filter(pk=OuterRef("object_id"))
    return (Q(content_type=ContentType.objects.get_for_model(IncomingDocument)) & Q(Exists(docs))) | (
        Q(content_type=ContentType.objects.get_for_model(WorkItem)) & Q(Exists(items))
    )


def test_parts_visibility_matches_the_documents_selector(people, agency_a, monkeypatch):
    """The cheap form (hide the few secret or unregistered documents the viewer may not see) counts
    exactly the parts whose record ``visible_incoming`` shows the viewer, for every viewer and scope."""
    unit, other = people["unit"], people["other_unit"]
    perm = Permission.objects.get(content_type=incoming_content_type(), codename="view_incomingdocument")
    now = timezone.now()
    for i in range(8):
        secret = i % 4 == 0
        doc = make_doc(
            agency_a, state=WorkflowState.PROCESSING, confidentiality=Confidentiality.SECRET if secret else 0
        )
        if i == 4:  # granted to the head only; i == 0 granted to nobody
            IncomingDocumentUserObjectPermission.objects.create(
                user=people["head"], content_object=doc, permission=perm
            )
        holder = [people["officer"], people["officer2"], None][i % 3]
        top = make_part(
            doc, department=unit if i % 2 else other, assignee=None if i % 2 else people["other_officer"]
        )
        if holder and i % 2:
            make_part(doc, department=unit, assignee=holder, parent=top)
    # a part the officer held in another unit before moving, a recalled document's finished part
    moved = make_doc(agency_a, state=WorkflowState.PROCESSING)
    make_part(moved, department=other, assignee=people["officer"])
    recalled = make_doc(agency_a, completed_at=now, recalled_at=now)
    make_part(recalled, department=unit, status="done", completed_at=now)
    make_work(agency_a, people["leader"])
    work = make_work(agency_a, people["leader"])
    make_part(work, department=unit, assignee=people["officer2"])

    cases = [
        (people["leader"], "agency", ""),
        (people["leader"], f"unit-{unit.pk}", ""),
        (people["leader"], f"unit-{unit.pk}", "people"),
        (people["leader"], f"person-{people['officer'].pk}", ""),
        (people["clerk"], "agency", ""),
        (people["clerk"], f"unit-{unit.pk}", "people"),
        (people["head"], f"unit-{unit.pk}", ""),
        (people["head"], f"unit-{unit.pk}", "people"),
        (people["head"], f"person-{people['officer'].pk}", ""),
        (people["officer"], "", ""),
        (people["officer2"], "", ""),
    ]
    kinds = selectors.kinds_of("all")
    for user, key, by in cases:
        scope = _scope(user, key)
        fast = set(selectors.parts_qs(user, scope, kinds, by=by).values_list("pk", flat=True))
        with monkeypatch.context() as m:
            m.setattr(selectors, "_visible_parts_q", _reference_visibility)
            reference = set(selectors.parts_qs(user, scope, kinds, by=by).values_list("pk", flat=True))
        assert fast == reference, (user.full_name, key, by)
        assert reference, (user.full_name, key, by)


@pytest.mark.parametrize(
    "params,message",
    [
        ({"period": "custom"}, "Hãy chọn cả ngày bắt đầu và ngày kết thúc."),
        ({"period": "custom", "date_from": "2026-05-02", "date_to": "2026-05-01"}, "Ngày bắt đầu phải trước"),
        ({"period": "custom", "date_from": "2026-13-40", "date_to": "2026-05-01"}, "Ngày không hợp lệ"),
        ({"period": "custom", "date_from": "2024-01-01", "date_to": "2026-05-01"}, "tối đa một năm"),
        ({"period": "decade"}, "Kỳ thống kê không hợp lệ."),
        ({"kind": "x"}, "Loại thống kê không hợp lệ."),
    ],
)
def test_bad_input_gives_a_vietnamese_message(people, login, params, message):
    client = login(people["leader"])
    for url in (STATS, LIST):
        response = client.get(url, {**params, "bucket": "all"})
        assert response.status_code == 200
        assert message in response.content.decode()


@pytest.mark.parametrize("params", [{"scope": "unit-abc"}, {"scope": "agency", "bucket": "x"}, {"by": "all"}])
def test_tampered_list_parameters_are_not_found(people, login, params):
    assert login(people["leader"]).get(LIST, {"bucket": "all", **params}).status_code == 404


def test_presets_cover_their_days():
    day = datetime(2026, 2, 18).date()
    assert selectors.preset_period("month", day) == Period(
        day.replace(day=1), datetime(2026, 2, 28).date(), "month"
    )
    assert selectors.preset_period("last_month", day).date_from == datetime(2026, 1, 1).date()
    assert selectors.preset_period("quarter", day).date_to == datetime(2026, 3, 31).date()
    assert selectors.preset_period("year", day).date_to == datetime(2026, 12, 31).date()
    january = selectors.preset_period("last_month", datetime(2026, 1, 5).date())
    assert (january.date_from, january.date_to) == (
        datetime(2025, 12, 1).date(),
        datetime(2025, 12, 31).date(),
    )


# --- exports --------------------------------------------------------------------------------------------


def test_excel_export_has_the_table(people, login):
    _scenario(people)
    from openpyxl import load_workbook

    response = login(people["leader"]).get(
        STATS, _query(_period(1), scope="agency", kind="all", format="xlsx")
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value == people["unit"].agency.name.upper()
    assert ws["A2"].value == "BÁO CÁO TÌNH HÌNH XỬ LÝ VĂN BẢN"
    rows = {row[0].strip(): row for row in ws.iter_rows(min_row=7, values_only=True) if row and row[0]}
    agency_row = rows[people["unit"].agency.name]
    assert agency_row[1:9] == (5, 1, 0, 0, 1, 4, 0, 4)
    assert agency_row[9] == 1.0  # on-time rate, formatted as a percentage
    assert rows[people["unit"].name][1] == 2
    assert rows["Cộng"][1] == 4
    assert any(
        "không có hạn xử lý được tính là đúng hạn" in (r[0] or "") for r in ws.iter_rows(values_only=True)
    )


def test_pdf_export(people, login, tmp_path):
    _scenario(people)
    response = login(people["officer"]).get(STATS, _query(_period(1), format="pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        path = tmp_path / "stats.pdf"
        path.write_bytes(response.content)
        text = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "BÁO CÁO TÌNH HÌNH XỬ LÝ VĂN BẢN" in text
        assert people["officer"].full_name in text
        assert "Danh sách phần việc" in text


# --- query counts ----------------------------------------------------------------------------------------


def _agency_with(n_units: int, n_people: int, n_docs: int):
    agency = make_agency()
    leader = make_user(agency=agency, roles=[Role.LEADER])
    units = [make_department(agency=agency) for _ in range(n_units)]
    head = make_user(agency=agency, department=units[0], roles=[Role.DEPARTMENT_HEAD])
    staff = [make_user(agency=agency, department=units[0]) for _ in range(n_people)]
    for i in range(n_docs):
        doc = make_doc(agency, state=WorkflowState.PROCESSING, due_at=timezone.now() + timedelta(days=i - 3))
        parent = make_part(doc, department=units[i % n_units])
        if i % n_units == 0:
            make_part(doc, department=units[0], assignee=staff[i % n_people], parent=parent)
    return leader, head, units


def _queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx)


def test_stats_pages_query_count_does_not_grow_with_units_people_or_rows(login):
    selectors._content_types()
    counts = []
    for n in (3, 20):
        leader, head, units = _agency_with(n_units=n, n_people=n, n_docs=n * 2)
        client = login(leader)
        params = _query(_period(), kind="all")
        counts.append(
            (
                _queries(client, STATS, {**params, "scope": "agency"}),
                _queries(client, STATS, {**params, "scope": f"unit-{units[0].pk}"}),
                _queries(client, LIST, {**params, "scope": "agency", "bucket": "all"}),
                _queries(client, LIST, {**params, "scope": "agency", "by": "units", "bucket": "progress"}),
                _queries(login(head), STATS, params),
            )
        )
    assert counts[0] == counts[1]


def test_dashboard_widget_is_a_few_queries_whatever_the_data(people, django_assert_max_num_queries):
    leader, head, officer = people["leader"], people["head"], people["officer"]
    for user in (leader, head, officer):
        assert user.roles is not None  # loaded by the shell before any widget runs
    selectors._content_types()
    counts = []
    for n in (3, 20):
        for _ in range(n):
            doc = make_doc(people["unit"].agency, state=WorkflowState.PROCESSING, due_at=timezone.now())
            make_part(make_doc(people["unit"].agency), department=people["unit"], assignee=officer)
            make_part(doc, department=people["unit"])
        row = []
        for user, limit in ((leader, 2), (head, 1), (officer, 1)):
            with CaptureQueriesContext(connection) as ctx:
                context = registry.widget_context(user)
            assert context is not None
            assert len(ctx) <= limit, [q["sql"][:200] for q in ctx]
            row.append(len(ctx))
        counts.append(row)
    assert counts[0] == counts[1]


def test_dashboard_shows_charts_and_headline_links(people, login):
    _scenario(people)
    client = login(people["leader"])
    page = client.get(reverse("dashboard")).content.decode()
    assert 'data-widget="documents.stats"' in page
    assert page.count('<svg class="chart-svg"') == 2
    assert "Tình hình xử lý 6 tháng gần đây" in page and "<title" in page and "aria-labelledby" in page
    assert "style=" not in page.split('data-widget="documents.stats"')[1].split("data-widget=")[0]
    headline = _links(page, testid="stats-headline")
    assert {b for _u, b, _v in headline} == {"all", "finished", "open", "overdue"}
    assert {b: v for _u, b, v in headline}["all"] == 5
    for url, _bucket, value in headline:
        assert _count(client, url) == value


def test_dashboard_with_no_data(people, login):
    leader_page = login(people["leader"]).get(reverse("dashboard")).content.decode()
    assert 'data-widget="documents.stats"' in leader_page and "Chưa có dữ liệu" in leader_page
    officer_page = login(people["officer"]).get(reverse("dashboard")).content.decode()
    assert 'data-widget="documents.stats"' not in officer_page


def test_menu_entry_for_every_staff_member(people, login):
    page = login(people["officer"]).get(reverse("dashboard")).content.decode()
    assert 'data-menu="documents.stats"' in page and "Báo cáo thống kê" in page
