"""The issue's "Done when": real records backed up, restored into a new empty database and a new media
directory, and found intact there — every row, every file's SHA-256, the signed PDF's signatures (pdfsig).

Transactional: pg_dump reads committed data from its own connection."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import models
from django.utils import timezone

from documents.outgoing import services as outgoing
from documents.outgoing.models import OutgoingDocument
from documents.records.models import CaseFile, CaseFileItem, Retention
from eoffice.backup import archive as arc
from eoffice.backup import pg
from eoffice.backup.services import archives, backup_run
from eoffice.models import BackupRun
from tests.documents.conftest import receive
from tests.documents.outgoing.helpers import PIN, _to_signing
from tests.signing import samples

pytestmark = pytest.mark.django_db(transaction=True)


def _url(target: pg.Target) -> str:
    auth = quote(target.user or "postgres", safe="")
    if target.password:
        auth += ":" + quote(target.password, safe="")
    host = quote(target.host, safe="") if target.host else ""
    port = f":{target.port}" if target.port else ""
    return f"postgres://{auth}@{host}{port}/{target.dbname}"


@pytest.fixture
def fresh_database():
    """A new, empty database on the server of the tests (the machine's, or the embedded one)."""
    server = pg.Target.default()
    name = f"{server.dbname}_restore_{uuid.uuid4().hex[:8]}"
    with server.connect(autocommit=True, dbname="postgres") as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    target = pg.Target(name, server.host, server.port, server.user, server.password)
    yield target
    with server.connect(autocommit=True, dbname="postgres") as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def backup_dir(settings, tmp_path):
    settings.EOFFICE_BACKUP_DIR = tmp_path / "backups"
    settings.EOFFICE_BACKUP_KEEP = 3
    return settings.EOFFICE_BACKUP_DIR


def _file_rows() -> dict[str, set[tuple[int, str]]]:
    """{table: {(pk, file name)}} of every FileField column, read through the ORM (the original)."""
    rows = {}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField) and not model._meta.proxy:
                key = f"{model._meta.db_table}.{field.column}"
                rows[key] = {
                    (pk, name)
                    for pk, name in model._default_manager.exclude(**{field.name: ""}).values_list(
                        "pk", field.name
                    )
                }
    return rows


def _restored_file_rows(conn, keys) -> dict[str, set[tuple[int, str]]]:
    rows = {}
    for key in keys:
        table, column = key.split(".")
        found = conn.execute(
            f'SELECT id, "{column}" FROM "{table}" WHERE "{column}" <> \'\''  # noqa: S608 (model names)
        ).fetchall()
        rows[key] = {(pk, name) for pk, name in found}
    return rows


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _records(office, agency_b):
    """An incoming document with its PDF, an outgoing document signed and sealed through the signing path,
    and a case file holding both and a paper of its own."""
    clerk = office["clerk"]
    incoming = receive(clerk, n=3)
    doc = outgoing.document_sign(document=_to_signing(office, agency_b), by=office["leader"], pin=PIN)
    doc = outgoing.document_issue(document=doc, by=clerk, pin=PIN)
    case_file = CaseFile.objects.create(
        agency=clerk.agency,
        year=timezone.localdate().year,
        code="01.KT",
        title="Hồ sơ phối hợp rà soát danh mục dự án",
        retention=Retention.PERMANENT,
        owner=clerk,
    )
    paper = b"%PDF-1.4\n% bien ban hop giay\n" + bytes(range(256)) * 40
    item = CaseFileItem(
        case_file=case_file,
        kind="paper",
        ordinal=3,
        sort_date=timezone.now(),
        subject="Biên bản họp (bản giấy số hoá)",
        file_name="bien-ban.pdf",
        file_sha256=_sha(paper),
        added_by=clerk,
    )
    item.file.save("bien-ban.pdf", ContentFile(paper), save=False)
    item.save()
    for ordinal, (kind, pk) in enumerate((("incoming", incoming.pk), ("outgoing", doc.pk)), start=1):
        CaseFileItem.objects.create(
            case_file=case_file,
            kind=kind,
            object_id=pk,
            ordinal=ordinal,
            sort_date=timezone.now(),
            subject=f"Văn bản {kind}",
            added_by=clerk,
        )
    return incoming, doc, case_file


def test_backup_then_restore_into_an_empty_database_keeps_every_row_file_and_signature(
    office,
    agency_b,
    backup_dir,
    fresh_database,
    tmp_path,
):
    incoming, doc, case_file = _records(office, agency_b)
    sealed = doc.current_version
    sealed_bytes = sealed.file.read()
    assert len(samples.pdfsig_signatures(samples.pdfsig(sealed_bytes, tmp_path))) == 2
    original_rows = _file_rows()
    original_names = {name for rows in original_rows.values() for _pk, name in rows}
    original_sha = {}
    for name in original_names:
        with default_storage.open(name, "rb") as fh:
            original_sha[name] = _sha(fh.read())
    counts = {
        "documents_incomingdocument": type(incoming)._default_manager.count(),
        "documents_outgoingdocument": OutgoingDocument.objects.count(),
        "documents_outgoingversion": type(sealed)._default_manager.count(),
        "records_casefileitem": CaseFileItem.objects.count(),
    }
    tables = {
        "documents_incomingdocument": type(incoming)._meta.db_table,
        "documents_outgoingdocument": OutgoingDocument._meta.db_table,
        "documents_outgoingversion": type(sealed)._meta.db_table,
        "records_casefileitem": CaseFileItem._meta.db_table,
    }
    assert all(counts.values()) and len(original_names) >= 5

    # The snapshot rule: a file nothing refers to, written after the dump's snapshot, is left out; a file the
    # database refers to is in, whatever its time (here both seem written an hour from now).
    later = timezone.now().timestamp() + 3600
    orphan = default_storage.save("late/orphan.pdf", ContentFile(b"%PDF-1.4 not referenced"))
    paper_name = CaseFileItem.objects.get(kind="paper").file.name
    for name in (orphan, paper_name):
        os.utime(default_storage.path(name), (later, later))

    run = backup_run(scheduled=False)

    assert run.status == BackupRun.Status.OK, run.message
    assert run.scheduled is False and run.finished_at and run.size > 0
    archive = Path(run.path)
    assert archive.parent == backup_dir and archive.is_file() and run.size == archive.stat().st_size
    assert run.sha256 == arc.sha256_path(archive)
    assert not [p for p in backup_dir.iterdir() if p.name.startswith(".")]  # no temporary left
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile(arc.MANIFEST).read())
        dump = tar.extractfile(arc.DUMP).read()
    assert manifest["database"]["sha256"] == _sha(dump) and dump.startswith(b"PGDMP")
    listed = {f["path"]: f for f in manifest["files"]}
    assert run.files == len(listed) and original_names <= set(listed) and manifest["missing"] == []
    assert all(listed[name]["sha256"] == original_sha[name] for name in original_names)
    assert manifest["versions"]["postgresql"] and manifest["versions"]["django"]
    assert orphan not in listed and paper_name in listed and manifest["skipped_after_snapshot"] == 1

    out = io.StringIO()
    call_command("restore", str(archive), check=True, stdout=out)
    assert "Tệp sao lưu nguyên vẹn" in out.getvalue() and f"{len(listed)} tệp" in out.getvalue()

    media = tmp_path / "restored-media"
    out = io.StringIO()
    call_command(
        "restore", str(archive), database_url=_url(fresh_database), media_root=str(media), stdout=out
    )
    report = out.getvalue()
    assert f"trước khi khôi phục {len(listed)}/{len(listed)}" in report
    assert f"sau khi khôi phục {len(listed)}/{len(listed)}" in report
    assert "password" not in report.lower()

    with fresh_database.connect(autocommit=True) as conn:
        for key, table in tables.items():
            restored = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            assert restored == counts[key], key
        assert _restored_file_rows(conn, original_rows) == original_rows
        number_symbol = conn.execute(
            f'SELECT number_symbol FROM "{OutgoingDocument._meta.db_table}" WHERE id = %s',  # noqa: S608
            [doc.pk],
        ).fetchone()[0]
        assert number_symbol == doc.number_symbol
        paper_sha = conn.execute(
            f"SELECT file, file_sha256 FROM \"{CaseFileItem._meta.db_table}\" WHERE kind = 'paper'"  # noqa: S608
        ).fetchone()
    for name, digest in original_sha.items():
        assert _sha((media / name).read_bytes()) == digest, name
    assert _sha((media / paper_sha[0]).read_bytes()) == paper_sha[1]
    restored_pdf = (media / sealed.file.name).read_bytes()
    assert restored_pdf == sealed_bytes
    signatures = samples.pdfsig_signatures(samples.pdfsig(restored_pdf, tmp_path))
    assert len(signatures) == 2 and all(row["valid"] for row in signatures)

    # The same archive again: the database is no longer empty → refused, nothing touched.
    with pytest.raises(CommandError, match="không trống"):
        call_command("restore", str(archive), database_url=_url(fresh_database), media_root=str(media))
    # …unless forced: the database is replaced, the identical files are left as they are.
    out = io.StringIO()
    call_command(
        "restore",
        str(archive),
        database_url=_url(fresh_database),
        media_root=str(media),
        force=True,
        stdout=out,
    )
    assert f"{len(listed)} tệp đã có sẵn đúng nội dung" in out.getvalue()


def test_a_corrupted_archive_is_refused_before_anything_is_restored(
    office,
    agency_b,
    backup_dir,
    fresh_database,
    tmp_path,
):
    receive(office["clerk"], n=1)
    run = backup_run()
    assert run.status == BackupRun.Status.OK and run.scheduled
    broken = tmp_path / "broken.tar"
    shutil.copy(run.path, broken)
    with tarfile.open(broken) as tar:
        member = next(m for m in tar.getmembers() if m.name.startswith(arc.FILES) and m.name.endswith(".pdf"))
    with open(broken, "r+b") as fh:
        fh.seek(member.offset_data + member.size // 2)
        byte = fh.read(1)
        fh.seek(-1, 1)
        fh.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(CommandError, match="SHA-256 khác manifest"):
        call_command("restore", str(broken), check=True)
    media = tmp_path / "media-target"
    with pytest.raises(CommandError, match="SHA-256 khác manifest"):
        call_command("restore", str(broken), database_url=_url(fresh_database), media_root=str(media))
    from eoffice.backup.restore import user_tables

    assert user_tables(fresh_database) == 0
    assert not media.exists() or not any(media.iterdir())


def test_backups_beyond_the_configured_number_are_deleted(settings, backup_dir, db):
    settings.EOFFICE_BACKUP_KEEP = 2
    runs = [backup_run(scheduled=False) for _ in range(3)]
    assert all(run.status == BackupRun.Status.OK for run in runs)
    kept = archives(backup_dir)
    assert [p.name for p in kept] == [Path(runs[2].path).name, Path(runs[1].path).name]
    assert not Path(runs[0].path).exists()
    assert "Đã xoá 1 bản sao lưu cũ" in runs[2].message
