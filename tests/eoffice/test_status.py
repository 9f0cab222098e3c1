"""The "Tình trạng hệ thống" page (eoffice/status/): who may open it, what it shows (queues read from the
real Redis, heartbeats, failed tasks, periodic tasks, the task outbox, the exchange outbox block, disk use),
its constant number of queries, and "Gửi lại" re-running a failed task with its arguments."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta

import pytest
import redis
from celery import shared_task
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from eoffice.models import FailedTask, Role, ServiceHeartbeat, TaskOutbox
from eoffice.status import selectors
from tests.factories import make_user

pytestmark = pytest.mark.django_db

RUNS: list[tuple] = []


@shared_task(name="tests.status.echo")
def echo(*args, **kwargs):
    RUNS.append((args, kwargs))


@pytest.fixture
def root(db):
    return make_user(agency=None, username="quantri", is_superuser=True, is_staff=True)


@pytest.fixture
def queues(settings):
    """Queues of their own on the test Redis, emptied afterwards."""
    names = [f"test-status-{n}" for n in ("a", "b")]
    settings.EOFFICE_STATUS_QUEUES = names
    client = redis.Redis.from_url(django_settings.REDIS_URL)
    keys = [
        f"{name}{selectors.PRIORITY_SEPARATOR}{step}" for name in names for step in selectors.PRIORITY_STEPS
    ]
    client.delete(*names, *keys)
    yield client, names
    client.delete(*names, *keys)
    client.close()


def failed(n: int, **extra) -> list[FailedTask]:
    now = timezone.now()
    return [
        FailedTask.objects.create(
            task_id=f"id-{i}-{now.timestamp()}",
            task=extra.get("task", "tests.status.echo"),
            args=extra.get("args", [i, "văn bản"]),
            kwargs=extra.get("kwargs", {"n": i}),
            queue="celery",
            retryable=extra.get("retryable", True),
            error=f"ValueError: lỗi số {i}",
            failed_at=now - timedelta(minutes=i),
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("role", [Role.OFFICER, Role.AGENCY_ADMIN, Role.LEADER])
def test_nobody_but_the_installation_admin_opens_it(login, staff_a, role):
    client = login(staff_a[role])
    assert client.get(reverse("system_status")).status_code == 403
    row = failed(1)[0]
    assert client.post(reverse("failed_task_retry", args=[row.pk])).status_code == 403
    row.refresh_from_db()
    assert row.retried_at is None
    assert b'href="/system/status/"' not in client.get(reverse("dashboard")).content


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("system_status"))
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_the_page_shows_every_part(login, root, queues, settings, django_assert_max_num_queries):
    client_redis, names = queues
    client_redis.rpush(names[0], "m1", "m2", "m3")
    client_redis.rpush(names[1] + "\x06\x163", "p1")  # a priority list counts toward its queue
    now = timezone.now()
    ServiceHeartbeat.objects.create(kind="worker", hostname="celery@may1", queues="celery,pdf", seen_at=now)
    ServiceHeartbeat.objects.create(kind="beat", hostname="beat@may1", seen_at=now - timedelta(hours=1))
    failed(2)
    TaskOutbox.objects.create(task="tests.status.echo", created_at=now - timedelta(seconds=90))
    every = IntervalSchedule.objects.create(every=30, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.create(name="Thử nghiệm trang tình trạng", task="tests.status.echo", interval=every)

    response = login(root).get(reverse("system_status"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tình trạng hệ thống" in page
    assert response.context["queues"].reachable
    lengths = dict(response.context["queues"].lengths)
    assert lengths == {names[0]: 3, names[1]: 1}, lengths
    assert response.context["alive"] == {"worker": True, "beat": False}
    assert "celery@may1" in page and "Không hoạt động" in page  # beat is an hour old
    assert page.count('data-testid="failed-row"') == 2 and "ValueError: lỗi số 1" in page
    assert "Thử nghiệm trang tình trạng" in page and "chưa chạy" in page
    assert "Mỗi 30 giây" in page and "every 30 seconds" not in page
    assert response.context["outbox"]["pending"] == 1 and response.context["outbox"]["oldest_age"] >= 90
    # the exchange outbox's block, registered by documents (eoffice imports no business app)
    assert "Liên thông văn bản (gói tin gửi đi)" in page
    assert response.context["disk"].available and response.context["disk"].total > 0
    assert b'href="/system/status/"' in login(root).get(reverse("dashboard")).content


def test_schedules_are_said_in_words():
    from django_celery_beat.models import ClockedSchedule, CrontabSchedule

    from eoffice.status.selectors import schedule_text

    def cron(minute, hour, dow="*", dom="*"):
        schedule = CrontabSchedule.objects.create(
            minute=minute, hour=hour, day_of_week=dow, day_of_month=dom, timezone="Asia/Ho_Chi_Minh"
        )
        return PeriodicTask(name=f"c{schedule.pk}", task="x", crontab=schedule)

    def every(n, period):
        return PeriodicTask(
            name=f"i{n}{period}", task="x", interval=IntervalSchedule.objects.create(every=n, period=period)
        )

    assert schedule_text(every(5, IntervalSchedule.MINUTES)) == "Mỗi 5 phút"
    assert schedule_text(every(1, IntervalSchedule.HOURS)) == "Mỗi 1 giờ"
    assert schedule_text(cron("30", "3")) == "Hằng ngày lúc 03:30"
    assert schedule_text(cron("0", "7", dow="1-6")) == "Từ thứ Hai đến thứ Bảy lúc 07:00"
    assert schedule_text(cron("*/10", "8-17")) == "Theo lịch cron */10 8-17 * * *"
    moment = timezone.make_aware(datetime(2026, 12, 31, 23, 0))
    once = PeriodicTask(
        name="o", task="x", clocked=ClockedSchedule.objects.create(clocked_time=moment), one_off=True
    )
    assert schedule_text(once) == "Một lần, lúc 31/12/2026 23:00"


def test_redis_away_is_a_line_not_an_error(login, root, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = login(root).get(reverse("system_status"))
    assert response.status_code == 200
    assert "Không kết nối được Redis" in response.content.decode()


def test_the_disk_warning_over_90_percent(root, settings, tmp_path):
    disk = selectors.media_disk(user=root)
    assert disk.available and not (disk.percent < 90 and disk.warn)
    full = selectors.Disk(path="/", total=100, used=95, free=5, percent=95.0)
    assert full.warn and not selectors.Disk(path="/", total=100, used=50, free=50, percent=50.0).warn
    settings.MEDIA_ROOT = str(tmp_path / "not" / "created" / "yet")  # its disk: the nearest existing parent
    assert selectors.media_disk(user=root).total == shutil.disk_usage(tmp_path).total


def test_the_number_of_queries_does_not_grow_with_the_rows(login, root, queues):
    client = login(root)
    url = reverse("system_status")
    failed(2)
    client.get(url)  # the first page of a session warms what is kept per person (menus)

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    failed(30)
    for n in range(5):
        ServiceHeartbeat.objects.create(kind="worker", hostname=f"celery@may{n}")
        every = IntervalSchedule.objects.create(every=60 + n, period=IntervalSchedule.SECONDS)
        PeriodicTask.objects.create(name=f"Tác vụ {n}", task="tests.status.echo", interval=every)
    many = count()
    assert many == few


def test_retry_runs_the_task_again_with_its_arguments(login, root, django_capture_on_commit_callbacks):
    RUNS.clear()
    row = failed(1, args=[7, "công văn"], kwargs={"page": 2})[0]
    client = login(root)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("failed_task_retry", args=[row.pk]), follow=True)
    assert response.status_code == 200
    assert "Đã gửi lại tác vụ" in response.content.decode()
    assert RUNS == [((7, "công văn"), {"page": 2})]
    row.refresh_from_db()
    assert row.retried_at is not None and row.retried_by == root
    from django.contrib.admin.models import LogEntry

    assert LogEntry.objects.filter(user=root, object_id=str(row.pk)).exists()

    # sent again once: a second click says so and sends nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("failed_task_retry", args=[row.pk]), follow=True)
    assert "đã được gửi lại lúc" in response.content.decode()
    assert len(RUNS) == 1


def test_retry_refuses_a_secret_task_and_an_unknown_one(login, root, django_capture_on_commit_callbacks):
    RUNS.clear()
    secret = failed(1, args=[], kwargs={}, retryable=False)[0]
    gone = failed(1, task="tests.status.no_such_task")[0]
    client = login(root)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reverse("failed_task_retry", args=[secret.pk]), follow=True).content.decode()
        assert "không gửi lại được" in page
        page = client.post(reverse("failed_task_retry", args=[gone.pk]), follow=True).content.decode()
        assert "không còn tác vụ" in page
    assert RUNS == []
    assert FailedTask.objects.filter(retried_at__isnull=False).count() == 0


def test_retry_needs_csrf(root, client):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(root, backend="django.contrib.auth.backends.ModelBackend")
    row = failed(1)[0]
    assert csrf_client.post(reverse("failed_task_retry", args=[row.pk])).status_code == 403
    row.refresh_from_db()
    assert row.retried_at is None
