"""The access log, sign-in events, the daily roll-up and the statistics page (III.5a, III.6a, III.6b,
III.6l)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from eoffice import audit
from eoffice.models import AccessDaily, AccessEvent, LoginEvent, Role
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def event(user, kind="incoming", object_id=1, action="view", when=None):
    return AccessEvent.objects.create(
        user=user,
        agency_id=user.agency_id,
        kind=kind,
        object_id=object_id,
        action=action,
        at=when or timezone.now(),
    )


# ---- record_access --------------------------------------------------------------------------------


def test_record_access_is_one_insert_with_the_users_agency(staff_a):
    user = staff_a[Role.OFFICER]
    with CaptureQueriesContext(connection) as queries:
        audit.record_access(user=user, kind="outgoing", object_id=42, action="download")
    assert len(queries) == 1 and queries[0]["sql"].startswith("INSERT")
    row = AccessEvent.objects.get()
    assert (row.user_id, row.agency_id, row.kind, row.object_id, row.action) == (
        user.pk,
        user.agency_id,
        "outgoing",
        42,
        "download",
    )


def test_record_access_refuses_unknown_actions_and_kinds(staff_a):
    user = staff_a[Role.OFFICER]
    with pytest.raises(ValueError):
        audit.record_access(user=user, kind="incoming", object_id=1, action="delete")
    with pytest.raises(ValueError):
        audit.record_access(user=user, kind="x" * 21, object_id=1)
    assert not AccessEvent.objects.exists()


# ---- sign-ins -------------------------------------------------------------------------------------


def test_login_success_and_failure_are_logged_without_the_password(client, staff_a):
    user = staff_a[Role.CLERK]
    url = reverse("login")
    client.post(url, {"username": user.username, "password": "wrong-Secret-123"})
    client.post(url, {"username": "khong.ton.tai", "password": "wrong-Secret-123"})
    response = client.post(url, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    rows = list(LoginEvent.objects.order_by("pk").values_list("username", "success", "agency_id", "user_id"))
    assert rows == [
        (user.username, False, user.agency_id, user.pk),
        ("khong.ton.tai", False, None, None),
        (user.username, True, user.agency_id, user.pk),
    ]
    dumped = " ".join(str(v) for row in LoginEvent.objects.values() for v in row.values())
    assert "wrong-Secret" not in dumped and PASSWORD not in dumped


def test_axes_still_locks_out_after_repeated_failures(client, staff_a, settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = staff_a[Role.CLERK]
    for _ in range(3):
        client.post(reverse("login"), {"username": user.username, "password": "bad"})
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code != 302  # locked: the right password no longer signs in
    assert LoginEvent.objects.filter(success=True).count() == 0
    assert LoginEvent.objects.filter(success=False, username=user.username).count() == 4


# ---- roll-up ----------------------------------------------------------------------------------------


def test_rollup_sums_finished_days_once_and_is_idempotent(staff_a):
    officer, clerk = staff_a[Role.OFFICER], staff_a[Role.CLERK]
    today = timezone.localdate()
    d2, d1 = today - dt.timedelta(days=1), today - dt.timedelta(days=2)
    for _ in range(3):
        event(officer, object_id=7, when=at(d1))
    event(officer, object_id=7, action="download", when=at(d1, 23))
    event(clerk, object_id=7, when=at(d2, 0))
    event(clerk, object_id=8, when=at(today))  # today: not summed yet
    first = audit.access_rollup()
    assert first["days"] == 2
    rows = set(AccessDaily.objects.values_list("day", "user_id", "object_id", "action", "count"))
    assert rows == {
        (d1, officer.pk, 7, "view", 3),
        (d1, officer.pk, 7, "download", 1),
        (d2, clerk.pk, 7, "view", 1),
    }
    assert audit.access_rollup()["days"] == 0  # nothing new: nothing done
    audit.access_rollup_day(day=d1)  # a day summed again: same counts, not doubled
    assert set(AccessDaily.objects.values_list("day", "user_id", "object_id", "action", "count")) == rows
    # tomorrow, today's events are summed too
    assert audit.access_rollup(today=today + dt.timedelta(days=1))["days"] == 1
    assert AccessDaily.objects.get(day=today).count == 1


def test_rollup_task_runs_the_service(staff_a):
    from eoffice.tasks import access_rollup

    event(staff_a[Role.OFFICER], when=at(timezone.localdate() - dt.timedelta(days=1)))
    assert access_rollup.delay().get()["days"] == 1
    assert AccessDaily.objects.count() == 1


# ---- statistics -------------------------------------------------------------------------------------


def seed_accesses(staff):
    officer, clerk = staff[Role.OFFICER], staff[Role.CLERK]
    today = timezone.localdate()
    old = today - dt.timedelta(days=3)
    for _ in range(4):
        event(officer, object_id=11, when=at(old))
    event(clerk, object_id=11, action="print", when=at(old))
    event(clerk, kind="outgoing", object_id=12, when=at(old))
    audit.access_rollup()
    event(officer, object_id=11, action="download")  # today, live
    event(officer, kind="dossier", object_id=13)
    LoginEvent.objects.create(
        user=officer, agency_id=officer.agency_id, username=officer.username, success=True
    )
    LoginEvent.objects.create(
        user=officer, agency_id=officer.agency_id, username=officer.username, success=False
    )


def test_report_adds_daily_sums_and_todays_events(staff_a, staff_b):
    seed_accesses(staff_a)
    seed_accesses(staff_b)  # another agency: never counted
    today = timezone.localdate()
    report = audit.access_report(
        user=staff_a[Role.LEADER], date_from=today - dt.timedelta(days=29), date_to=today
    )
    assert report.totals["total"] == 8
    assert (report.totals["views"], report.totals["downloads"], report.totals["prints"]) == (6, 1, 1)
    top = report.records[0]
    assert (top.kind, top.object_id, top.total, top.views, top.downloads, top.prints, top.people) == (
        "incoming",
        11,
        6,
        4,
        1,
        1,
        2,
    )
    users = {line.user_id: line.total for line in report.users}
    assert users == {staff_a[Role.OFFICER].pk: 6, staff_a[Role.CLERK].pk: 2}
    assert report.login_totals == {"success": 1, "failed": 1, "days": 1}
    only_outgoing = audit.access_report(
        user=staff_a[Role.AGENCY_ADMIN],
        date_from=today - dt.timedelta(days=29),
        date_to=today,
        kind="outgoing",
    )
    assert [(r.kind, r.object_id, r.total) for r in only_outgoing.records] == [("outgoing", 12, 1)]
    past_only = audit.access_report(
        user=staff_a[Role.LEADER],
        date_from=today - dt.timedelta(days=5),
        date_to=today - dt.timedelta(days=1),
    )
    assert past_only.totals["total"] == 6


@pytest.mark.parametrize("role", [Role.OFFICER, Role.CLERK, Role.DEPARTMENT_HEAD, Role.ARCHIVIST])
def test_stats_page_refused_to_others(client, staff_a, role):
    client.force_login(staff_a[role])
    response = client.get(reverse("audit:stats"))
    assert response.status_code == 403
    assert "Chỉ quản trị cơ quan và lãnh đạo cơ quan" in response.content.decode()
    assert client.get(reverse("audit:stats_export")).status_code == 403


@pytest.mark.parametrize("role", [Role.LEADER, Role.AGENCY_ADMIN])
def test_stats_page_for_leader_and_admin_scoped_to_the_agency(client, staff_a, staff_b, role):
    seed_accesses(staff_a)
    seed_accesses(staff_b)
    client.force_login(staff_a[role])
    response = client.get(reverse("audit:stats"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="total-accesses">8<' in html
    assert staff_a[Role.OFFICER].full_name in html
    assert staff_b[Role.OFFICER].full_name not in html
    assert "Thống kê truy cập" in html  # the menu entry and the title


def test_stats_page_bad_period_shows_a_message(client, staff_a):
    client.force_login(staff_a[Role.LEADER])
    response = client.get(reverse("audit:stats"), {"date_from": "2026-05-10", "date_to": "2026-05-01"})
    assert response.status_code == 200
    assert "Ngày bắt đầu phải trước hoặc bằng ngày kết thúc." in response.content.decode()


def test_stats_page_query_count_does_not_grow(client, staff_a, django_assert_max_num_queries):
    client.force_login(staff_a[Role.LEADER])
    seed_accesses(staff_a)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("audit:stats")).status_code == 200
    officer = staff_a[Role.OFFICER]
    for n in range(60):
        for kind in ("incoming", "outgoing", "dossier", "meeting", "complaint", "casefile"):
            event(officer, kind=kind, object_id=1000 + n)
    for _ in range(20):
        event(make_user(agency=staff_a[Role.LEADER].agency, roles=[Role.OFFICER]), object_id=5)
    with django_assert_max_num_queries(len(small)):
        assert client.get(reverse("audit:stats"), {"limit": 100}).status_code == 200


def test_stats_export_xlsx(client, staff_a):
    seed_accesses(staff_a)
    client.force_login(staff_a[Role.AGENCY_ADMIN])
    response = client.get(reverse("audit:stats_export"))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Văn bản, hồ sơ", "Người truy cập", "Đăng nhập"]
    values = [c.value for row in wb["Văn bản, hồ sơ"].iter_rows() for c in row]
    assert "THỐNG KÊ LƯỢT TRUY CẬP VĂN BẢN, HỒ SƠ" in values and 6 in values
    logins = [c.value for row in wb["Đăng nhập"].iter_rows() for c in row]
    assert "Tổng cộng" in logins


def test_menu_entry_for_leader_not_officer(client, staff_a):
    from eoffice.menu import visible_items

    assert "audit.stats" in {i.key for i in visible_items(staff_a[Role.LEADER])}
    assert "audit.stats" in {i.key for i in visible_items(staff_a[Role.AGENCY_ADMIN])}
    assert "audit.stats" not in {i.key for i in visible_items(staff_a[Role.OFFICER])}


def test_access_history_newest_first_and_agency_filtered(staff_a, staff_b):
    officer = staff_a[Role.OFFICER]
    event(officer, object_id=3, when=timezone.now() - dt.timedelta(hours=2))
    event(officer, object_id=3, action="print")
    event(staff_b[Role.OFFICER], object_id=3)
    rows = audit.access_history(kind="incoming", object_id=3, limit=10, agency_id=officer.agency_id)
    assert [r.action for r in rows] == ["print", "view"]
    assert len(audit.access_history(kind="incoming", object_id=3, limit=1)) == 1
