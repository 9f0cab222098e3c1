"""The sweep of orphaned files (eoffice/orphans.py): files on the real disk, rows in the real database."""

from __future__ import annotations

import os
import time
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction

from eoffice import orphans
from eoffice.models import Role
from eoffice.tasks import orphan_files_sweep as sweep_task
from tests.documents.conftest import pdf_upload, receive
from tests.factories import make_user, png_upload

pytestmark = pytest.mark.django_db

DAY = 24 * 3600


def _age(name: str, seconds: float) -> None:
    """Make a stored file look ``seconds`` old (its modification time)."""
    path = default_storage.path(name)
    then = time.time() - seconds
    os.utime(path, (then, then))


def _all_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


class Rollback(Exception):
    pass


@pytest.fixture
def clerk(agency_a, dept_a):
    return make_user(agency=agency_a, department=dept_a, roles=[Role.CLERK])


def _rolled_back_receive(clerk) -> set[str]:
    """The service stores its files and commits its own block, then the caller's transaction rolls back:
    the rows are gone, the files stay (the case the sweep exists for)."""
    before = _all_files()
    with pytest.raises(Rollback), transaction.atomic():
        receive(clerk, n=91, attachments=[pdf_upload("phu-luc.pdf", text="Phụ lục")])
        raise Rollback
    left = _all_files() - before
    assert len(left) == 2  # the document and its attachment, on disk, with no row
    return left


def test_rolled_back_upload_is_swept_after_the_grace_period(clerk):
    kept = receive(clerk, n=1, attachments=[pdf_upload("dinh-kem.pdf", text="Đính kèm")])
    kept_names = {kept.file.name, kept.attachments.get().file.name}
    orphaned = _rolled_back_receive(clerk)
    for name in kept_names | orphaned:
        _age(name, 2 * DAY)

    result = orphans.orphan_files_sweep()

    assert result["deleted"] == 2
    assert result["referenced"] == 2
    assert result["errors"] == 0
    files = _all_files()
    assert not orphaned & files
    assert kept_names <= files
    # Every row still opens its file.
    kept.refresh_from_db()
    with kept.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_young_orphans_are_kept(clerk):
    orphaned = _rolled_back_receive(clerk)
    young, old = sorted(orphaned)
    _age(young, 23 * 3600)  # within the 24 h grace: may be an upload in flight
    _age(old, 25 * 3600)

    result = orphans.orphan_files_sweep()

    assert result["young"] == 1
    assert result["deleted"] == 1
    assert young in _all_files()
    assert old not in _all_files()


def test_files_of_each_kind_of_record_are_kept(clerk, agency_a):
    # A FileField of documents (main file, attachment), an ImageField of the core (a person's signature,
    # the agency's seal), and a name kept outside a FileField (a registered referrer).
    document = receive(clerk, n=2, attachments=[pdf_upload("kem-theo.pdf", text="Kèm theo")])
    clerk.signature_image.save("chu-ky.png", png_upload(), save=True)
    agency_a.seal_image.save("con-dau.png", png_upload(), save=True)
    by_path = default_storage.save("exports/bao-cao.pdf", ContentFile(b"%PDF-1.4 export"))
    orphan = default_storage.save("incoming/mo-coi.pdf", ContentFile(b"%PDF-1.4 orphan"))
    referenced = {
        document.file.name,
        document.attachments.get().file.name,
        clerk.signature_image.name,
        agency_a.seal_image.name,
        by_path,
    }
    for name in [*referenced, orphan]:
        _age(name, 3 * DAY)

    def referrer():
        return [by_path]

    orphans.register_referrer(referrer)
    try:
        result = orphans.orphan_files_sweep()
    finally:
        orphans._referrers.remove(referrer)

    files = _all_files()
    assert referenced <= files
    assert orphan not in files
    assert result["deleted"] == 1
    assert result["referenced"] == len(referenced)


def test_every_file_field_of_every_app_is_read():
    fields = {f"{model._meta.label}.{field.name}" for model, field in orphans.file_fields(default_storage)}
    # At least one of each app that stores files, ImageFields included.
    assert {
        "documents.IncomingDocument.file",
        "documents.IncomingAttachment.file",
        "documents.OutgoingVersion.file",
        "eoffice.User.signature_image",
        "eoffice.Agency.seal_image",
        "signing.SignatureRequest.pdf",
        "workflow.HistoryEntry.attachment",
        "onestop.DossierPaper.file",
        "meetings.Minutes.pdf",
        "complaints.LetterFile.file",
    } <= fields, sorted(fields)
    assert len(fields) >= 20


def test_project_directories_inside_the_storage_are_never_swept(settings, clerk):
    backup_dir = Path(settings.MEDIA_ROOT) / "backups"
    backup_dir.mkdir(parents=True)
    archive = backup_dir / "eoffice-2026.tar"
    archive.write_bytes(b"archive")
    then = time.time() - 5 * DAY
    os.utime(archive, (then, then))
    settings.EOFFICE_BACKUP_DIR = backup_dir

    result = orphans.orphan_files_sweep()

    assert archive.exists()
    assert result["deleted"] == 0


def test_dry_run_command_deletes_nothing_and_task_deletes(clerk):
    orphaned = _rolled_back_receive(clerk)
    for name in orphaned:
        _age(name, 2 * DAY)

    out = StringIO()
    call_command("sweep_orphan_files", "--dry-run", stdout=out)
    text = out.getvalue()
    assert all(name in text for name in orphaned)
    assert "2 would be deleted" in text
    assert orphaned <= _all_files()

    result = sweep_task.delay().get()  # eager in the tests: the task body, the real sweep
    assert result["deleted"] == 2
    assert not orphaned & _all_files()


def test_command_refuses_a_grace_period_under_an_hour():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("sweep_orphan_files", "--older-than-hours", "0.1", stdout=StringIO())


def test_sweep_keeps_files_when_grace_is_long(clerk):
    orphaned = _rolled_back_receive(clerk)
    for name in orphaned:
        _age(name, 2 * DAY)
    result = orphans.orphan_files_sweep(older_than=timedelta(days=3))
    assert result["deleted"] == 0
    assert orphaned <= _all_files()
