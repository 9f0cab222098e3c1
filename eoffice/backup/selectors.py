"""Reads of the backup page: the runs, for the installation's administrators only."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from eoffice.models import BackupRun


def can_see_backups(user) -> bool:
    """Backups hold every agency's data: the installation's administrators (superusers) only."""
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def backup_runs(*, user, limit: int = 50) -> list[BackupRun]:
    """The latest runs, newest first, each with ``kept``: its archive is still on disk."""
    if not can_see_backups(user):
        raise PermissionDenied
    runs = list(BackupRun.objects.order_by("-started_at", "-pk")[:limit])
    for run in runs:
        run.kept = bool(run.path) and Path(run.path).is_file()
    return runs


def last_backup(*, user) -> BackupRun | None:
    if not can_see_backups(user):
        raise PermissionDenied
    return BackupRun.objects.exclude(status=BackupRun.Status.RUNNING).order_by("-started_at", "-pk").first()


def last_success(*, user) -> BackupRun | None:
    if not can_see_backups(user):
        raise PermissionDenied
    qs: QuerySet[BackupRun] = BackupRun.objects.filter(status=BackupRun.Status.OK)
    return qs.order_by("-started_at", "-pk").first()
