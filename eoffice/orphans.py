"""The periodic sweep of orphaned files (beat: nightly at 03:30, ``eoffice.tasks.orphan_files_sweep``;
by hand ``manage.py sweep_orphan_files --dry-run``).

A file is written to the storage inside the service's transaction, before the row that names it is
committed. When the transaction rolls back (a check fails later, the database goes away, the process is
killed) the services remove what they stored (``documents.files.removed_on_error``), but a killed process
or a second failure leaves the file behind with no row pointing to it. The sweep removes such files:

- the referenced names are every value of every ``FileField``/``ImageField`` of every installed model
  that uses this storage (one ``values_list`` per field, streamed), plus the names given by the extra
  referrers registered with :func:`register_referrer` (for code that keeps a storage name in a CharField);
- the storage is walked (``os.walk`` on a local storage, ``listdir`` through the storage API otherwise);
- a file that no one references and that is older than the grace period (24 h by default) is deleted.
  The grace period protects an upload in flight: its file exists before its row is committed.

Directories of the project that sit inside the storage's location (backups, keys; by default they are
beside it, under ``var/``) are never walked: see :func:`_excluded_dirs`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.db import models
from django.utils import timezone

logger = logging.getLogger(__name__)

DEFAULT_GRACE = timedelta(hours=24)

# Callables returning storage names that are referenced outside a FileField (a CharField holding the
# name of a stored file). Registered by an app in its AppConfig.ready.
_referrers: list[Callable[[], Iterable[str]]] = []


def register_referrer(referrer: Callable[[], Iterable[str]]) -> None:
    """Add a source of referenced storage names that the FileFields do not show."""
    if referrer not in _referrers:
        _referrers.append(referrer)


def _same_storage(a: Storage, b: Storage) -> bool:
    if a is b:
        return True
    if isinstance(a, FileSystemStorage) and isinstance(b, FileSystemStorage):
        return os.path.realpath(a.location) == os.path.realpath(b.location)
    return type(a) is type(b) and getattr(a, "__dict__", None) == getattr(b, "__dict__", None)


def file_fields(storage: Storage) -> Iterator[tuple[type[models.Model], models.FileField]]:
    """Every concrete FileField (ImageField included) of every installed model stored in ``storage``."""
    for model in apps.get_models():
        if model._meta.proxy:  # its concrete model is listed too
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField) and _same_storage(field.storage, storage):
                yield model, field


def referenced_names(storage: Storage) -> set[str]:
    """Every storage name that a row references: one streamed query per file field, then the
    registered referrers."""
    names: set[str] = set()
    for model, field in file_fields(storage):
        rows = (
            model._base_manager.using("default")
            .exclude(**{field.attname: ""})
            .exclude(**{f"{field.attname}__isnull": True})
            .values_list(field.attname, flat=True)
        )
        names.update(str(name) for name in rows.iterator(chunk_size=5000))
    for referrer in _referrers:
        names.update(str(name) for name in referrer() if name)
    return names


def _excluded_dirs(storage: Storage) -> list[str]:
    """Storage-relative prefixes never swept: the project's own directories (settings ``*_DIR``) when
    someone configured them inside the storage's location."""
    if not isinstance(storage, FileSystemStorage):
        return []
    root = Path(os.path.realpath(storage.location))
    prefixes = []
    for key in dir(settings):
        if not key.endswith("_DIR") or key == "BASE_DIR":
            continue
        value = getattr(settings, key, None)
        if not isinstance(value, (str, Path)) or not str(value):
            continue
        path = Path(os.path.realpath(value))
        if path != root and root in path.parents:
            prefixes.append(path.relative_to(root).as_posix().rstrip("/") + "/")
    return prefixes


def _walk(storage: Storage) -> Iterator[tuple[str, datetime]]:
    """(name, modified time) of every file in the storage."""
    if isinstance(storage, FileSystemStorage):
        root = os.path.realpath(storage.location)
        if not os.path.isdir(root):
            return
        for directory, _dirs, files in os.walk(root):
            for filename in files:
                full = os.path.join(directory, filename)
                try:
                    mtime = os.lstat(full).st_mtime
                except FileNotFoundError:  # removed meanwhile
                    continue
                name = os.path.relpath(full, root).replace(os.sep, "/")
                yield name, datetime.fromtimestamp(mtime, tz=timezone.get_current_timezone())
        return

    def walk(prefix: str) -> Iterator[tuple[str, datetime]]:
        directories, files = storage.listdir(prefix)
        for filename in files:
            name = f"{prefix}{filename}"
            yield name, storage.get_modified_time(name)
        for sub in directories:
            yield from walk(f"{prefix}{sub}/")

    yield from walk("")


def orphan_files_sweep(
    *, older_than: timedelta = DEFAULT_GRACE, dry_run: bool = False, storage: Storage | None = None
) -> dict:
    """Delete the files of ``storage`` (default: the default storage) that no row references and that
    were last modified more than ``older_than`` ago. Returns the counts (and, with ``dry_run``, deletes
    nothing and lists the names that would go)."""
    storage = storage or default_storage
    cutoff = timezone.now() - older_than
    excluded = _excluded_dirs(storage)
    referenced = referenced_names(storage)
    summary = {"files": 0, "referenced": 0, "young": 0, "deleted": 0, "bytes": 0, "errors": 0}
    would_delete: list[str] = []
    for name, modified in _walk(storage):
        if any(name.startswith(prefix) for prefix in excluded):
            continue
        summary["files"] += 1
        if name in referenced:
            summary["referenced"] += 1
            continue
        if modified > cutoff:
            summary["young"] += 1
            continue
        try:
            size = storage.size(name)
            if dry_run:
                would_delete.append(name)
            else:
                storage.delete(name)
        except OSError as exc:
            summary["errors"] += 1
            logger.warning("orphan sweep: could not delete %s: %s", name, exc)
            continue
        summary["deleted"] += 1
        summary["bytes"] += size
    logger.info(
        "orphan file sweep%s: %s files, %s referenced, %s young, %s %s (%s bytes), %s errors",
        " (dry run)" if dry_run else "",
        summary["files"],
        summary["referenced"],
        summary["young"],
        summary["deleted"],
        "would be deleted" if dry_run else "deleted",
        summary["bytes"],
        summary["errors"],
    )
    if dry_run:
        summary["would_delete"] = would_delete
    return summary
