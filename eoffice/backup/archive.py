"""The backup archive: one uncompressed tar (the dump is compressed by pg_dump, the files mostly are)::

    database.dump        pg_dump -Fc of the database
    files/<name>         each file of the default storage, under its storage name
    manifest.json        what is inside, with sizes and SHA-256 (written last)

The manifest (``FORMAT`` 1)::

    {"format": 1, "created_at": "…", "database": {"name", "server_version", "pg_dump", "sha256", "size",
     "snapshot_at"}, "files": [{"path", "size", "sha256"}], "missing": [names], "versions": {…}}
"""

from __future__ import annotations

import hashlib
import json
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

FORMAT = 1
DUMP = "database.dump"
MANIFEST = "manifest.json"
FILES = "files/"
CHUNK = 1024 * 1024


class HashingReader:
    """A file object that hashes what is read through it (tarfile copies from it)."""

    def __init__(self, fileobj):
        self.fileobj = fileobj
        self.hash = hashlib.sha256()
        self.size = 0

    def read(self, n: int = -1) -> bytes:
        data = self.fileobj.read(n)
        self.hash.update(data)
        self.size += len(data)
        return data

    def hexdigest(self) -> str:
        return self.hash.hexdigest()


def sha256_of(fileobj) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := fileobj.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def sha256_path(path: Path) -> str:
    with open(path, "rb") as fh:
        return sha256_of(fh)[0]


class ArchiveError(Exception):
    """A backup archive that cannot be used: unreadable, incomplete, or its checksums differ."""


@dataclass
class Verified:
    manifest: dict
    files: int = 0
    bytes: int = 0
    errors: list[str] = field(default_factory=list)


def read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        member = tar.getmember(MANIFEST)
    except KeyError as exc:
        raise ArchiveError("thiếu manifest.json (tệp sao lưu không trọn vẹn)") from exc
    manifest = json.loads(tar.extractfile(member).read())
    if manifest.get("format") != FORMAT:
        raise ArchiveError(f"định dạng {manifest.get('format')!r} không được hỗ trợ")
    return manifest


def open_archive(path: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(path, "r:")
    except (OSError, tarfile.TarError) as exc:
        raise ArchiveError(f"không đọc được {path.name}: {exc}") from exc


def verify(tar: tarfile.TarFile) -> Verified:
    """Every member the manifest lists is there with its size and SHA-256, the dump included."""
    manifest = read_manifest(tar)
    result = Verified(manifest=manifest)
    expected = {DUMP: (manifest["database"]["sha256"], manifest["database"]["size"])}
    expected.update({FILES + f["path"]: (f["sha256"], f["size"]) for f in manifest["files"]})
    members = {m.name: m for m in tar.getmembers() if m.isfile()}
    for name, (digest, size) in expected.items():
        member = members.get(name)
        if member is None:
            result.errors.append(f"thiếu {name}")
            continue
        actual, actual_size = sha256_of(tar.extractfile(member))
        if actual != digest or actual_size != size:
            result.errors.append(f"{name}: SHA-256 khác manifest")
            continue
        if name != DUMP:
            result.files += 1
            result.bytes += size
    return result
