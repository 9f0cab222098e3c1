"""Backups that fail, the admin's page, the beat task, the admin registration."""

from __future__ import annotations

import dataclasses
import os
import stat
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from eoffice import tasks
from eoffice.backup import pg, services
from eoffice.backup.services import backup_run, prune
from eoffice.models import BackupRun, Notification, Role
from tests.factories import make_user

SECRET = "S3cret-Pw-7731"


@pytest.fixture
def backup_dir(settings, tmp_path):
    settings.EOFFICE_BACKUP_DIR = tmp_path / "backups"
    settings.EOFFICE_BACKUP_KEEP = 3
    return settings.EOFFICE_BACKUP_DIR


@pytest.fixture
def root(db):
    return make_user(agency=None, username="quantri", is_superuser=True, is_staff=True)


def test_an_unwritable_directory_is_recorded_failed_and_notified(settings, tmp_path, root):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    settings.EOFFICE_BACKUP_DIR = blocker / "backups"  # its parent is a file: nothing can be written

    run = backup_run(scheduled=True)

    run.refresh_from_db()
    assert run.status == BackupRun.Status.FAILED and run.finished_at
    assert run.message.startswith("Sao lưu thất bại:") and "not-a-directory" in run.message
    assert run.path == "" and run.size == 0
    assert blocker.read_text() == "x" and list(tmp_path.iterdir()) == [blocker]
    note = Notification.objects.get(recipient=root, kind="backup_failed")
    assert note.title == "Sao lưu dữ liệu thất bại" and note.url == reverse("backup_list")


def test_a_failing_dump_leaves_no_partial_archive_and_no_password_anywhere(
    backup_dir, root, monkeypatch, tmp_path, caplog
):
    """pg_dump fails after printing its environment's password: the run, the notification and the log
    carry the reason without it; the directory holds nothing."""
    backup_dir.mkdir(parents=True)
    (backup_dir / "eoffice-backup-20260101-020000-1.tar").write_bytes(b"an older archive")
    fake = tmp_path / "pg_dump"
    fake.write_text('#!/bin/sh\necho "pg_dump: error: connection failed: password $PGPASSWORD" >&2\nexit 1\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    real_default = pg.Target.default
    monkeypatch.setattr(
        pg.Target, "default", classmethod(lambda cls: dataclasses.replace(real_default(), password=SECRET))
    )
    monkeypatch.setattr(pg, "program", lambda name, **kw: str(fake))
    other = make_user(username="canbo", agency=None)

    run = backup_run(scheduled=False)

    assert run.status == BackupRun.Status.FAILED
    assert "pg_dump lỗi (mã 1)" in run.message and "password ***" in run.message
    assert SECRET not in run.message and SECRET not in caplog.text
    note = Notification.objects.get(kind="backup_failed")
    assert note.recipient == root and SECRET not in note.body
    assert not Notification.objects.filter(recipient=other).exists()
    assert sorted(p.name for p in backup_dir.iterdir()) == ["eoffice-backup-20260101-020000-1.tar"]


def test_redact_removes_passwords_in_urls_and_settings(settings):
    text = "could not connect postgres://app:hunter2@db:5432/x password=hunter3 and S3"
    cleaned = pg.redact(text, secrets=["S3"])
    assert "hunter2" not in cleaned and "hunter3" not in cleaned and " S3" not in cleaned
    assert "postgres://app:***@db:5432/x" in cleaned


def test_a_run_left_running_is_marked_interrupted_by_the_next(backup_dir, root):
    stale = BackupRun.objects.create(status=BackupRun.Status.RUNNING, started_at=timezone.now())
    run = backup_run()
    stale.refresh_from_db()
    assert stale.status == BackupRun.Status.FAILED and "gián đoạn" in stale.message
    assert run.status == BackupRun.Status.OK


def test_prune_keeps_the_newest(tmp_path):
    paths = []
    for i in range(4):
        path = tmp_path / f"eoffice-backup-2026010{i}-020000-{i}.tar"
        path.write_bytes(b"x")
        os.utime(path, (1_700_000_000 + i, 1_700_000_000 + i))
        paths.append(path)
    (tmp_path / ".eoffice-backup-x.tar.part").write_bytes(b"x")
    removed = prune(keep=2, directory=tmp_path)
    assert sorted(removed) == sorted(paths[:2])
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tar")) == [
        p.name for p in paths[2:]
    ]
    assert prune(keep=0, directory=tmp_path) == [paths[2]]  # at least one is always kept


def test_the_beat_task_makes_a_scheduled_backup(backup_dir, db):
    pk = tasks.backup_scheduled.apply().get()
    run = BackupRun.objects.get(pk=pk)
    assert run.scheduled and run.status == BackupRun.Status.OK and Path(run.path).is_file()


# --- the page -----------------------------------------------------------------------------------------


def test_the_page_lists_runs_for_the_installation_admin(
    login, root, backup_dir, django_assert_max_num_queries
):
    BackupRun.objects.create(
        status=BackupRun.Status.FAILED,
        scheduled=True,
        message="Sao lưu thất bại: disk full",
        finished_at=timezone.now(),
    )
    archive = backup_dir / "eoffice-backup-a.tar"
    backup_dir.mkdir(parents=True)
    archive.write_bytes(b"x" * 2048)
    ok = BackupRun.objects.create(
        status=BackupRun.Status.OK,
        scheduled=False,
        path=str(archive),
        size=2048,
        files=7,
        finished_at=timezone.now(),
    )
    client = login(root)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("backup_list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Lần sao lưu gần nhất" in html and "Thành công" in html and "Thất bại" in html
    assert "disk full" in html and str(archive) in html and "Thủ công" in html and "Theo lịch" in html
    assert "2,0\xa0KB" in html or "2.0\xa0KB" in html or "2,0 KB" in html
    assert reverse("backup_now") in html and "csrfmiddlewaretoken" in html
    assert "Sao lưu dữ liệu" in html  # the menu entry

    for i in range(15):
        BackupRun.objects.create(status=BackupRun.Status.FAILED, message=f"lỗi {i}")
    with django_assert_max_num_queries(20):
        assert client.get(reverse("backup_list")).status_code == 200
    assert ok.pk


@pytest.mark.parametrize("role", [Role.AGENCY_ADMIN, Role.LEADER])
def test_nobody_else_sees_the_page_nor_the_menu(login, staff_a, role):
    person = staff_a[role]
    person.is_staff = True
    person.save()
    client = login(person)
    assert client.get(reverse("backup_list")).status_code == 403
    assert client.post(reverse("backup_now")).status_code == 403
    assert reverse("backup_list") not in client.get(reverse("dashboard")).content.decode()


def test_backup_now_queues_a_manual_backup(login, root, monkeypatch, django_capture_on_commit_callbacks):
    queued = []
    # queued through the task outbox (eoffice.outbox), which publishes with apply_async
    monkeypatch.setattr(tasks.backup_scheduled, "apply_async", lambda **kw: queued.append(kw["kwargs"]))
    client = login(root)
    assert client.get(reverse("backup_now")).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("backup_now"), follow=True)
    assert queued == [{"scheduled": False}]
    assert "Đã đưa bản sao lưu vào hàng đợi" in response.content.decode()

    BackupRun.objects.create(status=BackupRun.Status.RUNNING)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("backup_now"), follow=True)
    assert len(queued) == 1 and "Đang có một bản sao lưu chạy" in response.content.decode()


def test_backup_now_needs_csrf(root, client):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(root, backend="django.contrib.auth.backends.ModelBackend")
    assert csrf_client.post(reverse("backup_now")).status_code == 403


def test_the_django_admin_shows_backups_read_only(login, root, staff_a):
    run = BackupRun.objects.create(status=BackupRun.Status.OK, size=10, files=1, path="/x.tar")
    client = login(root)
    listing = client.get(reverse("admin:eoffice_backuprun_changelist"))
    assert listing.status_code == 200 and "/x.tar" in listing.content.decode()
    assert client.get(reverse("admin:eoffice_backuprun_add")).status_code == 403
    assert (
        client.post(reverse("admin:eoffice_backuprun_delete", args=[run.pk]), {"post": "yes"}).status_code
        == 403
    )
    agency_admin = staff_a[Role.AGENCY_ADMIN]
    agency_admin.is_staff = True
    agency_admin.save()
    assert login(agency_admin).get(reverse("admin:eoffice_backuprun_changelist")).status_code == 403


def test_services_refuse_a_request_from_a_non_admin(staff_a):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.backup_request(by=staff_a[Role.AGENCY_ADMIN])
