"""The media disk full, or unwritable, during an upload (issue 21 §1).

A real gunicorn serves the project with MEDIA_ROOT on a small tmpfs of its own; a clerk receives an
incoming document through the real form while the tmpfs is filled up (ENOSPC), then remounted read-only
(EROFS), then writable again. Where ``mount`` is not permitted (not root), the same faults come from
RLIMIT_FSIZE on the server (EFBIG) and a read-only directory mode (EACCES) — never a skip.

Asserted: a 200 form page with the Vietnamese message and the typed data kept (never a 500); no record
created; no partly written file left behind; every row's file exists; uploads work again once the disk
can be written, from the same server processes.
"""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import subprocess
from pathlib import Path

import pytest

from eoffice.models import Role
from tests.faults.livesite import (
    Browser,
    Gunicorn,
    incoming_fields,
    pdf_file,
    prepare_var,
    site_env,
    temp_root,
)
from tests.worker import database_url

pytestmark = [pytest.mark.faults, pytest.mark.slow]

NEW = "/documents/incoming/new/"
MESSAGE = "Không lưu được tệp: bộ nhớ lưu trữ đã đầy hoặc không ghi được. Vui lòng báo quản trị hệ thống."


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


class Media:
    """MEDIA_ROOT on a 1 MB tmpfs when mounting is permitted; a plain directory otherwise."""

    def __init__(self, path: Path):
        self.path = path
        path.mkdir()
        self.mounted = os.geteuid() == 0 and _mount(
            "-t", "tmpfs", "-o", "size=1m,mode=0755", "tmpfs", str(path)
        )
        self.filler = path / "filler.bin"

    def fill(self) -> None:
        """Write until the disk is full (tmpfs) — without a mount, the server's file size limit does it."""
        if not self.mounted:
            return
        handle = self.filler.open("wb", buffering=0)
        try:
            with contextlib.suppress(OSError):  # ENOSPC: full
                while True:
                    handle.write(b"\0" * 4096)
        finally:
            handle.close()

    def unfill(self) -> None:
        self.filler.unlink(missing_ok=True)

    def read_only(self, on: bool) -> None:
        if self.mounted:
            assert _mount("-o", f"remount,{'ro' if on else 'rw'}", str(self.path))
        else:
            self.path.chmod(0o555 if on else 0o755)

    def files(self) -> set[str]:
        return {p.relative_to(self.path).as_posix() for p in self.path.rglob("*") if p.is_file()} - {
            "filler.bin"
        }

    def close(self) -> None:
        if self.mounted:
            subprocess.run(["umount", "-l", str(self.path)], capture_output=True)


@pytest.fixture
def clerk(transactional_db):
    from documents.registers.models import DocumentType
    from tests.factories import PASSWORD, make_agency, make_department, make_user

    agency = make_agency()
    user = make_user(agency=agency, department=make_department(agency=agency), roles=[Role.CLERK])
    # The server is not under test settings (MD5 hashing): store a hash it verifies.
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    user.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    user.save(update_fields=["password"])
    doc_type, _ = DocumentType.objects.get_or_create(name="Công văn")
    return {"username": user.username, "password": PASSWORD, "doc_type": doc_type.pk}


def _server(root: Path, media: Media, *, fsize: int | None = None) -> Gunicorn:
    from django.conf import settings

    env = site_env(
        database_url=database_url(),
        var_dir=root / "var",
        redis_url=settings.REDIS_URL,
        MEDIA_ROOT=str(media.path),
    )
    prepare_var(env, root / "var")
    web = Gunicorn(env=env, root=root)
    if fsize is not None:  # the fallback "disk full": every file the server writes stops at fsize bytes

        def limit():
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

        web.preexec = limit
    web.start()
    return web


def _receive(browser: Browser, clerk: dict, marker: str):
    return browser.post(
        NEW,
        fields=incoming_fields(marker=marker, doc_type=clerk["doc_type"]),
        files={"main_files": pdf_file(marker)},
    )


def _documents() -> list[tuple[str, str]]:
    from documents.incoming.models import IncomingDocument

    return list(IncomingDocument.objects.order_by("pk").values_list("number_symbol", "file"))


def _refused(answer, marker: str) -> None:
    assert answer.status == 200, answer
    assert MESSAGE in answer.body, answer.body[-3000:]
    assert "Traceback" not in answer.body
    assert f'value="{marker}"' in answer.body  # what the clerk typed is kept


def test_upload_to_a_full_or_unwritable_media_disk(clerk):
    root = temp_root("eo-faults-media-")
    media = Media(root / "media")
    web = None
    try:
        web = _server(root, media, fsize=None if media.mounted else 256)
        pids = web.pids()
        browser = Browser(web.port)
        browser.login(clerk["username"], clerk["password"])

        first = _receive(browser, clerk, "MD-1/SC")
        assert first.status == 302, first
        stored = media.files()
        assert len(stored) == 1

        # Full: ENOSPC (tmpfs) or EFBIG (file size limit).
        media.fill()
        full = _receive(browser, clerk, "MD-2/SC")
        _refused(full, "MD-2/SC")
        assert media.files() == stored  # the partly written file was removed at once
        media.unfill()

        # Unwritable: EROFS (read-only remount) or EACCES (directory mode, not root).
        if media.mounted:
            media.read_only(True)
            readonly = _receive(browser, clerk, "MD-3/SC")
            _refused(readonly, "MD-3/SC")
            media.read_only(False)
        elif os.geteuid() != 0:
            for sub in media.path.iterdir():
                sub.chmod(0o555)
            media.read_only(True)
            readonly = _receive(browser, clerk, "MD-3/SC")
            _refused(readonly, "MD-3/SC")
            media.read_only(False)
        assert media.files() == stored

        rows = _documents()
        assert [marker for marker, _name in rows] == ["MD-1/SC"]

        # The disk can be written again: the same server takes the next upload.
        if media.mounted:
            again = _receive(browser, clerk, "MD-4/SC")
            assert again.status == 302, again
            assert [marker for marker, _name in _documents()] == ["MD-1/SC", "MD-4/SC"]
            assert web.pids() == pids
        for marker, name in _documents():
            assert name and (media.path / name).is_file(), f"{marker}: its row points to a missing file"
        assert "Traceback" not in web.log()
    finally:
        if web is not None:
            web.stop()
        media.close()
        shutil.rmtree(root, ignore_errors=True)
