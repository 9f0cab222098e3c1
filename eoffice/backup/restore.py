"""Restore an archive of ``eoffice.backup.services`` into a database and a file storage.

Order: verify every checksum of the archive against its manifest; refuse a target database that holds
tables (unless ``force``) and target files that differ from the archive's (unless ``force``); restore the
dump with pg_restore in one transaction; write the files under their own names; read every file back from
the target storage and compare its SHA-256 with the manifest.
"""

from __future__ import annotations

import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage

from eoffice.backup import archive as arc
from eoffice.backup import pg


class RestoreError(Exception):
    """The restore cannot go on (the reason is for the person running it; no password in it)."""


@dataclass
class RestoreReport:
    archive: str
    database: str
    storage: str
    created_at: str = ""
    dump_sha256: str = ""
    tables: int = 0
    files: int = 0
    bytes: int = 0
    verified_before: int = 0
    verified_after: int = 0
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)


def user_tables(target: pg.Target) -> int:
    """Tables, views and sequences outside the system schemas: 0 for an empty database."""
    with target.connect(autocommit=True) as conn:
        row = conn.execute(
            """SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
                 AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                 AND n.nspname NOT LIKE 'pg_toast%%' AND n.nspname NOT LIKE 'pg_temp%%'"""
        ).fetchone()
    return int(row[0])


def _same(storage, name: str, sha256: str) -> bool:
    with storage.open(name, "rb") as fh:
        return arc.sha256_of(fh)[0] == sha256


def verify_archive(*, path: Path) -> RestoreReport:
    """Only check the archive: every member against the manifest's SHA-256 (``manage.py restore --check``)."""
    path = Path(path)
    if not path.is_file():
        raise RestoreError(f"không có tệp sao lưu {path}")
    try:
        with arc.open_archive(path) as tar:
            checked = arc.verify(tar)
    except (arc.ArchiveError, OSError, tarfile.TarError, KeyError, ValueError) as exc:
        raise RestoreError(str(exc)) from exc
    if checked.errors:
        raise RestoreError("tệp sao lưu bị hỏng: " + "; ".join(checked.errors[:10]))
    manifest = checked.manifest
    return RestoreReport(
        archive=str(path),
        database=manifest["database"]["name"],
        storage=manifest.get("storage", ""),
        created_at=manifest["created_at"],
        dump_sha256=manifest["database"]["sha256"],
        bytes=checked.bytes,
        verified_before=checked.files,
    )


def restore_archive(
    *, path: Path, database_url: str | None = None, media_root: str | None = None, force: bool = False
) -> RestoreReport:
    target = pg.Target.from_url(database_url) if database_url else pg.Target.default()
    storage = FileSystemStorage(location=media_root) if media_root else default_storage
    try:
        return _restore(path=Path(path), target=target, storage=storage, force=force)
    except RestoreError:
        raise
    except (arc.ArchiveError, OSError, RuntimeError) as exc:
        raise RestoreError(pg.redact(str(exc), secrets=target.secrets())) from exc
    except Exception as exc:  # psycopg errors: the message may name the server, never the password
        raise RestoreError(pg.redact(f"{type(exc).__name__}: {exc}", secrets=target.secrets())) from exc


def _restore(*, path: Path, target: pg.Target, storage, force: bool) -> RestoreReport:
    if not path.is_file():
        raise RestoreError(f"không có tệp sao lưu {path}")
    storage_name = getattr(storage, "location", type(storage).__name__)
    report = RestoreReport(archive=str(path), database=target.dbname, storage=str(storage_name))
    with arc.open_archive(path) as tar:
        checked = arc.verify(tar)
        if checked.errors:
            raise RestoreError("tệp sao lưu bị hỏng: " + "; ".join(checked.errors[:10]))
        manifest = checked.manifest
        report.created_at = manifest["created_at"]
        report.dump_sha256 = manifest["database"]["sha256"]
        report.verified_before = checked.files
        report.bytes = checked.bytes

        existing = user_tables(target)
        if existing and not force:
            raise RestoreError(
                f"cơ sở dữ liệu {target.dbname} không trống ({existing} bảng); "
                "dùng --force để ghi đè (mọi dữ liệu hiện có sẽ bị xoá)"
            )
        conflicts = [
            f["path"]
            for f in manifest["files"]
            if storage.exists(f["path"]) and not _same(storage, f["path"], f["sha256"])
        ]
        if conflicts and not force:
            raise RestoreError(
                f"{len(conflicts)} tệp đã có trong kho tệp với nội dung khác "
                f"(ví dụ {conflicts[0]}); dùng --force để ghi đè"
            )

        major = pg.server_major(target)
        dump_major = int(manifest["versions"].get("pg_dump") or 0)
        restore_program = pg.program("pg_restore", major=major, at_least=dump_major)
        with tempfile.TemporaryDirectory(prefix="eoffice-restore-") as workdir:
            dump_path = Path(workdir) / arc.DUMP
            with tar.extractfile(arc.DUMP) as src, open(dump_path, "wb") as dst:
                while chunk := src.read(arc.CHUNK):
                    dst.write(chunk)
            if arc.sha256_path(dump_path) != report.dump_sha256:
                raise RestoreError("bản dump giải nén khác SHA-256 trong manifest")
            args = [
                restore_program,
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
            ]
            if existing:
                args += ["--clean", "--if-exists"]
            pg.run([*args, *target.cli_args(), str(dump_path)], target=target)
        report.tables = user_tables(target)

        for entry in manifest["files"]:
            name = entry["path"]
            if storage.exists(name):
                if _same(storage, name, entry["sha256"]):
                    report.unchanged += 1
                    continue
                storage.delete(name)
            with tar.extractfile(arc.FILES + name) as src:
                saved = storage.save(name, File(src, name=name))
            if saved != name:
                raise RestoreError(f"kho tệp lưu {name} dưới tên khác ({saved})")
            report.files += 1

    for entry in manifest["files"]:
        if _same(storage, entry["path"], entry["sha256"]):
            report.verified_after += 1
        else:
            report.notes.append(f"{entry['path']}: SHA-256 sau khi khôi phục khác manifest")
    if report.notes:
        raise RestoreError("; ".join(report.notes[:10]))
    if manifest.get("missing"):
        report.notes.append(
            f"{len(manifest['missing'])} tệp đã thiếu từ lúc sao lưu: " + ", ".join(manifest["missing"][:10])
        )
    return report
