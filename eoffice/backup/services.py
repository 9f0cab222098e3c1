"""Backup of the database and the files together (Phụ lục VI III.5g, IV.1e).

``backup_run(scheduled=…)`` writes one archive (``eoffice.backup.archive``) into ``EOFFICE_BACKUP_DIR``,
records a ``BackupRun`` and keeps the last ``EOFFICE_BACKUP_KEEP`` archives.

Consistency. The database and the files must describe the same moment:

1. A connection of its own opens a REPEATABLE READ transaction and exports its snapshot
   (``pg_export_snapshot()``). ``pg_dump --snapshot=…`` dumps exactly that snapshot, and in the same
   transaction we read every file name the database refers to (each ``FileField`` column of every model):
   the names the dump holds.
2. Files are written to storage before the row that names them commits, and a stored file is never
   rewritten (a signed PDF gets a new version, a new name). So after the dump every referenced file is in
   storage. The archive takes each referenced file, and each other file last written before the snapshot
   (files nothing refers to yet, kept as they were). A file written after the snapshot started and not
   referenced by it belongs to rows the dump does not have: it is left out.
3. A referenced file missing from storage (deleted after the snapshot, or lost before) is listed in the
   manifest's ``missing`` and in the run's message.

The archive is written under a hidden temporary name and renamed when complete, so a failure never leaves a
partial archive. A failure is recorded (FAILED, with the reason, passwords removed) and notified to the
installation's administrators. Two runs never overlap: a PostgreSQL advisory lock; a run found RUNNING when
the lock is free was interrupted, and is marked FAILED.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import platform
import tarfile
import time
from datetime import timedelta
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice.backup import archive as arc
from eoffice.backup import pg
from eoffice.models import BackupRun, User

logger = logging.getLogger(__name__)

LOCK_KEY = 0x0E0FF1CE_BAC  # pg advisory lock of the backup
ARCHIVE_PREFIX = "eoffice-backup-"
ARCHIVE_SUFFIX = ".tar"


class BackupBusy(Exception):
    """Another backup is running."""


def backup_dir() -> Path:
    return Path(settings.EOFFICE_BACKUP_DIR)


def referenced_files(cursor) -> set[str]:
    """Every file name a ``FileField`` (or ``ImageField``) column holds, in the cursor's snapshot."""
    names: set[str] = set()
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        for field in meta.concrete_fields:
            if not isinstance(field, models.FileField):
                continue
            cursor.execute("SELECT to_regclass(%s)", [f'"{meta.db_table}"'])
            if cursor.fetchone()[0] is None:
                continue
            table, column = (f'"{name}"' for name in (meta.db_table, field.column))
            cursor.execute(f"SELECT DISTINCT {column} FROM {table} WHERE {column} <> ''")  # noqa: S608 (model names)
            names.update(row[0] for row in cursor.fetchall())
    return names


def walk(storage, directory: str = ""):
    """Every file name under ``directory`` of ``storage`` (the storage API: local disk or S3)."""
    try:
        dirs, files = storage.listdir(directory)
    except FileNotFoundError:
        if directory:
            raise
        return  # nothing was ever stored (a local storage creates its directory at the first file)
    for name in sorted(files):
        yield f"{directory}/{name}" if directory else name
    for name in sorted(dirs):
        yield from walk(storage, f"{directory}/{name}" if directory else name)


def _versions(dump_path: str, server_version: str) -> dict:
    from importlib import metadata

    try:
        eoffice_version = metadata.version("eoffice")
    except metadata.PackageNotFoundError:
        eoffice_version = ""
    return {
        "eoffice": eoffice_version,
        "django": django.get_version(),
        "python": platform.python_version(),
        "postgresql": server_version,
        "pg_dump": f"{pg.program_major(dump_path)}",
    }


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
    tar.addfile(info, io.BytesIO(data))


def _write_archive(*, run: BackupRun, target: pg.Target, directory: Path, tmp: Path) -> dict:
    """Dump, copy the files and write the manifest into ``tmp``; returns the manifest."""
    storage = default_storage
    dump_tmp = directory / f".{tmp.stem}.dump.part"
    try:
        with target.connect() as conn:
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            with conn.cursor() as cursor:
                cursor.execute("SELECT pg_export_snapshot(), now(), current_setting('server_version')")
                snapshot, snapshot_at, server_version = cursor.fetchone()
                major = conn.info.server_version // 10000
                dump_program = pg.program("pg_dump", major=major)
                # pg_dump writes its file itself: a full disk or a bad directory fails here, loudly.
                pg.run(
                    [dump_program, "-Fc", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                     "-f", str(dump_tmp), *target.cli_args()],
                    target=target,
                )  # fmt: skip
                referenced = referenced_files(cursor)
            conn.rollback()

        files, missing, skipped = [], [], 0
        listed = set()
        with tarfile.open(tmp, "w:", format=tarfile.PAX_FORMAT) as tar:
            dump_sha = arc.sha256_path(dump_tmp)
            dump_size = dump_tmp.stat().st_size
            tar.add(dump_tmp, arcname=arc.DUMP, recursive=False)
            for name in walk(storage):
                listed.add(name)
                if name not in referenced:
                    try:
                        written = storage.get_modified_time(name)
                    except (NotImplementedError, OSError):
                        written = None
                    if written is not None and written > snapshot_at:
                        skipped += 1  # written after the snapshot, not referenced by it
                        continue
                size = storage.size(name)
                info = tarfile.TarInfo(arc.FILES + name)
                info.size, info.mode = size, 0o600
                info.mtime = int(time.time())
                with storage.open(name, "rb") as fh:
                    reader = arc.HashingReader(fh)
                    tar.addfile(info, reader)
                files.append({"path": name, "size": size, "sha256": reader.hexdigest()})
            missing = sorted(referenced - listed)
            manifest = {
                "format": arc.FORMAT,
                "created_at": timezone.now().isoformat(),
                "backup_run": run.pk,
                "database": {
                    "name": target.dbname,
                    "server_version": server_version,
                    "snapshot_at": snapshot_at.isoformat(),
                    "sha256": dump_sha,
                    "size": dump_size,
                },
                "storage": f"{type(storage).__module__}.{type(storage).__name__}",
                "files": files,
                "missing": missing,
                "skipped_after_snapshot": skipped,
                "versions": _versions(dump_program, server_version),
            }
            _add_bytes(tar, arc.MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode())
        return manifest
    finally:
        with contextlib.suppress(OSError):
            dump_tmp.unlink(missing_ok=True)


def archives(directory: Path | None = None) -> list[Path]:
    """The complete archives in the backup directory, newest first."""
    directory = directory or backup_dir()
    if not directory.is_dir():
        return []
    found = [p for p in directory.glob(f"{ARCHIVE_PREFIX}*{ARCHIVE_SUFFIX}") if p.is_file()]
    return sorted(found, key=lambda p: (p.stat().st_mtime_ns, p.name), reverse=True)


def prune(*, keep: int, directory: Path | None = None) -> list[Path]:
    """Delete all but the newest ``keep`` archives (at least one is always kept)."""
    removed = []
    for old in archives(directory)[max(keep, 1) :]:  # noqa: E203
        old.unlink(missing_ok=True)
        removed.append(old)
    return removed


def _notify_failure(run: BackupRun) -> None:
    from django.urls import NoReverseMatch, reverse

    from eoffice.services import notify

    try:
        url = reverse("backup_list")
    except NoReverseMatch:
        url = ""
    admins = User.objects.filter(is_superuser=True, is_active=True)
    notify(
        recipients=admins,
        kind="backup_failed",
        title=_("Sao lưu dữ liệu thất bại"),
        body=run.message,
        url=url,
    )


def _mark_interrupted() -> None:
    BackupRun.objects.filter(status=BackupRun.Status.RUNNING).update(
        status=BackupRun.Status.FAILED,
        finished_at=timezone.now(),
        message=_("Bản sao lưu bị gián đoạn (tiến trình dừng giữa chừng)."),
    )


def backup_run(*, scheduled: bool = True) -> BackupRun | None:
    """Make one backup now. Returns its BackupRun (OK or FAILED), or None when another backup is running."""
    target = pg.Target.default()
    with target.connect(autocommit=True) as lock_conn:
        locked = lock_conn.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY]).fetchone()[0]
        if not locked:
            logger.info("backup skipped: another backup is running")
            return None
        try:
            _mark_interrupted()
            return _backup_locked(target=target, scheduled=scheduled)
        finally:
            lock_conn.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])


def _backup_locked(*, target: pg.Target, scheduled: bool) -> BackupRun:
    run = BackupRun.objects.create(scheduled=scheduled, status=BackupRun.Status.RUNNING)
    directory = backup_dir()
    stamp = timezone.localtime(run.started_at).strftime("%Y%m%d-%H%M%S")
    final = directory / f"{ARCHIVE_PREFIX}{stamp}-{run.pk}{ARCHIVE_SUFFIX}"
    tmp = directory / f".{final.name}.part"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        manifest = _write_archive(run=run, target=target, directory=directory, tmp=tmp)
        os.replace(tmp, final)
    except Exception as exc:  # noqa: BLE001 - every failure is recorded and notified
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        reason = pg.redact(f"{type(exc).__name__}: {exc}", secrets=target.secrets())
        logger.error("backup %s failed: %s", run.pk, reason)
        with transaction.atomic():
            run.status = BackupRun.Status.FAILED
            run.finished_at = timezone.now()
            run.message = _("Sao lưu thất bại: %(reason)s") % {"reason": reason}
            run.save(update_fields=["status", "finished_at", "message"])
            _notify_failure(run)
        return run
    notes = []
    if manifest["missing"]:
        shown = ", ".join(manifest["missing"][:10])
        notes.append(
            _("%(count)d tệp được cơ sở dữ liệu tham chiếu nhưng không có trong kho tệp: %(names)s")
            % {"count": len(manifest["missing"]), "names": shown}
        )
    removed = prune(keep=settings.EOFFICE_BACKUP_KEEP, directory=directory)
    if removed:
        notes.append(_("Đã xoá %(count)d bản sao lưu cũ (giữ %(keep)d bản gần nhất).")
                     % {"count": len(removed), "keep": max(settings.EOFFICE_BACKUP_KEEP, 1)})  # fmt: skip
    run.status = BackupRun.Status.OK
    run.finished_at = timezone.now()
    run.path = str(final)
    run.size = final.stat().st_size
    run.files = len(manifest["files"])
    run.sha256 = arc.sha256_path(final)
    run.message = "\n".join(notes)
    run.save(update_fields=["status", "finished_at", "path", "size", "files", "sha256", "message"])
    logger.info("backup %s: %s (%d files, %d bytes)", run.pk, final, run.files, run.size)
    return run


def backup_request(*, by: User) -> bool:
    """The admin's "Sao lưu ngay": queue a manual backup unless one is running. True when queued."""
    from django.core.exceptions import PermissionDenied

    if not (by.is_active and by.is_superuser):
        raise PermissionDenied
    recent = timezone.now() - timedelta(hours=6)
    if BackupRun.objects.filter(status=BackupRun.Status.RUNNING, started_at__gte=recent).exists():
        return False
    from eoffice.outbox import enqueue
    from eoffice.tasks import backup_scheduled

    enqueue(backup_scheduled, kwargs={"scheduled": False})
    return True
