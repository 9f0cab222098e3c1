"""Meeting statistics (meetings:stats): the numbers on a small known dataset (states, held meetings, hours,
per unit and per chair, attendance rate), who may see them, the PDF and Excel exports, and a query count
that does not grow with meetings."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from eoffice.models import Role
from meetings.models import Meeting, Participant
from tests.factories import make_agency, make_department, make_user

pytestmark = pytest.mark.django_db

PERIOD = {"period": "custom", "date_from": "2026-11-01", "date_to": "2026-11-30"}


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=timezone.get_current_timezone())


def meeting(agency, *, start, hours, chair=None, chair_text="", department=None, state="approved", **extra):
    organiser = chair or extra.pop("organiser")
    return Meeting.objects.create(
        agency=agency,
        title="Họp",
        start_at=start,
        end_at=start + dt.timedelta(hours=hours),
        chair=chair,
        chair_text=chair_text,
        organiser=organiser,
        department=department,
        state=state,
        **extra,
    )


def attend(m, user, attendance=""):
    return Participant.objects.create(meeting=m, user=user, attendance=attendance)


@pytest.fixture
def world(agency_a, dept_a, staff_a):
    plan = make_department(agency=agency_a, name="Phòng Kế hoạch", abbreviation="KH", order=1)
    l1 = make_user(
        agency=agency_a,
        department=dept_a,
        roles=[Role.LEADER],
        full_name="Nguyễn Giám Đốc",
        position="Giám đốc Sở",
    )
    l2 = make_user(agency=agency_a, department=dept_a, roles=[Role.LEADER], full_name="Lê Phó Giám Đốc")
    u1, u2, u3, u4 = (make_user(agency=agency_a, department=plan) for _ in range(4))
    m1 = meeting(agency_a, start=at(3, 8), hours=2, chair=l1, department=dept_a)
    attend(m1, u1, "present")
    attend(m1, u2, "absent")
    attend(m1, u3, "excused")
    attend(m1, u4)  # not marked: left out
    Participant.objects.create(meeting=m1, department=plan, attendance="present")  # a unit: left out
    m2 = meeting(agency_a, start=at(10, 14), hours=1.5, chair=l1, department=plan)
    attend(m2, u1, "present")
    attend(m2, u2, "present")
    m3 = meeting(
        agency_a, start=at(17, 9), hours=1, chair_text="Thứ trưởng Bộ", organiser=u1, department=plan
    )
    attend(m3, u3, "absent")
    meeting(agency_a, start=at(20, 8), hours=3, chair=l2, department=dept_a, postponed_at=timezone.now())
    meeting(agency_a, start=at(21, 8), hours=1, chair=l2, state="submitted")
    meeting(agency_a, start=at(22, 8), hours=1, chair=l2, state="rejected")
    meeting(agency_a, start=at(23, 8), hours=1, chair=l2, state="cancelled")
    # Outside the period or the agency: not counted.
    meeting(agency_a, start=at(1, 8, month=12), hours=5, chair=l1, department=dept_a)
    other = make_agency(name="Sở Y tế", abbreviation="SYT", code="000.00.61.H26")
    meeting(other, start=at(5, 8), hours=4, chair=make_user(agency=other, roles=[Role.LEADER]))
    return {"l1": l1, "l2": l2, "plan": plan, "dept": dept_a, "u1": u1}


def test_numbers(world, login):
    response = login(world["l1"]).get(reverse("meetings:stats"), PERIOD)
    assert response.status_code == 200
    ctx = response.context
    report = ctx["report"]
    assert report.states == {"submitted": 1, "approved": 4, "rejected": 1, "cancelled": 1}
    assert report.registered == 7
    assert report.total.meetings == 3
    assert report.total.hours == 4.5
    assert (report.total.present, report.total.absent, report.total.excused) == (3, 2, 1)
    assert report.total.rate == 50.0
    units = {line.label: line for line in report.units}
    assert [line.label for line in report.units] == ["Văn phòng", "Phòng Kế hoạch"]
    assert (units["Văn phòng"].meetings, units["Văn phòng"].hours, units["Văn phòng"].rate) == (1, 2, 33.3)
    assert (units["Phòng Kế hoạch"].meetings, units["Phòng Kế hoạch"].hours) == (2, 2.5)
    assert units["Phòng Kế hoạch"].rate == 66.7
    chairs = [(line.label, line.meetings, line.hours, line.rate) for line in report.chairs]
    assert chairs == [("Nguyễn Giám Đốc", 2, 3.5, 60.0), ("Chủ trì ngoài cơ quan", 1, 1.0, 0.0)]
    html = response.content.decode()
    assert 'data-testid="stats-hours">4,5<' in html
    assert 'data-testid="stats-rate">50%<' in html
    assert "Lê Phó Giám Đốc" not in html  # chaired only meetings not held
    assert '<span class="stats-sub">Giám đốc Sở</span>' in html  # the chair's position under the name


def test_schedule_manager_sees_stats(world, login, staff_a):
    # The office's clerk manages the schedule (the office is the default managing unit).
    response = login(staff_a[Role.CLERK]).get(reverse("meetings:stats"), PERIOD)
    assert response.status_code == 200
    assert response.context["report"].total.meetings == 3


@pytest.mark.parametrize("role", [Role.OFFICER, Role.ONESTOP_OFFICER, Role.AGENCY_ADMIN])
def test_others_are_refused_with_a_message(world, login, staff_a, role):
    client = login(staff_a[role])
    response = client.get(reverse("meetings:stats"), PERIOD)
    assert response.status_code == 403
    assert "Chỉ lãnh đạo cơ quan và người quản lý lịch" in response.content.decode()
    assert client.get(reverse("meetings:stats_export"), {**PERIOD, "format": "pdf"}).status_code == 403


def test_unit_head_of_another_unit_is_refused(world, login):
    head = make_user(agency=world["plan"].agency, department=world["plan"], roles=[Role.DEPARTMENT_HEAD])
    assert login(head).get(reverse("meetings:stats")).status_code == 403


def test_bad_period_is_a_message_not_an_error(world, login):
    client = login(world["l1"])
    response = client.get(
        reverse("meetings:stats"), {"period": "custom", "date_from": "2026-12-01", "date_to": "2026-01-01"}
    )
    assert response.status_code == 200
    assert "Ngày bắt đầu phải trước" in response.content.decode()
    assert client.get(reverse("meetings:stats"), {"period": "nope", "date_from": "x"}).status_code == 200
    assert client.get(reverse("meetings:stats_export"), {**PERIOD, "format": "doc"}).status_code == 404
    response = client.get(
        reverse("meetings:stats_export"), {"period": "custom", "date_from": "bad", "format": "pdf"}
    )
    assert response.status_code == 200


def test_default_period_is_this_month(world, login):
    response = login(world["l1"]).get(reverse("meetings:stats"))
    assert response.status_code == 200
    assert response.context["report"].period.date_from == timezone.localdate().replace(day=1)


def test_excel_export(world, login):
    response = login(world["l1"]).get(reverse("meetings:stats_export"), {**PERIOD, "format": "xlsx"})
    assert response.status_code == 200
    assert (
        response["Content-Disposition"] == 'attachment; filename="thong-ke-lich-hop-20261101-20261130.xlsx"'
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    by_label = {}
    for row in rows:
        by_label.setdefault(row[0], row)  # the table's total row comes before the lists' ones
    assert by_label["Văn phòng"][1:7] == [1, 2, 1, 1, 1, pytest.approx(1 / 3, abs=0.001)]
    assert by_label["Tổng cộng"][1:7] == [3, 4.5, 3, 2, 1, 0.5]
    assert "Nguyễn Giám Đốc (Giám đốc Sở)" in by_label
    assert "Đã hủy" in by_label


def test_pdf_export(world, login):
    response = login(world["l1"]).get(reverse("meetings:stats_export"), {**PERIOD, "format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "BÁO CÁO TÌNH HÌNH TỔ CHỨC CUỘC HỌP" in text
    assert "Phòng Kế hoạch" in text and "Nguyễn Giám Đốc" in text
    assert "50%" in text


def _add(world, n):
    agency = world["dept"].agency
    for i in range(n):
        unit = make_department(agency=agency, name=f"Phòng thêm {n}-{i}", abbreviation=f"T{n}{i}")
        chair = make_user(agency=agency, department=unit, roles=[Role.LEADER])
        m = meeting(agency, start=at(4 + i % 20, 8), hours=1, chair=chair, department=unit)
        attend(m, world["u1"], "present")


def test_query_count_does_not_grow(world, login):
    client = login(world["l1"])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("meetings:stats"), PERIOD).status_code == 200
        return len(ctx.captured_queries)

    _add(world, 2)
    small = count()
    _add(world, 6)
    assert count() == small
