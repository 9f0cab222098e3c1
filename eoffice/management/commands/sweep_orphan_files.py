"""``manage.py sweep_orphan_files [--dry-run] [--older-than-hours H]``: the nightly sweep by hand."""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from eoffice.orphans import DEFAULT_GRACE, orphan_files_sweep


class Command(BaseCommand):
    help = "Delete stored files that no record references and that are older than the grace period."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be deleted; delete nothing."
        )
        parser.add_argument(
            "--older-than-hours",
            type=float,
            default=DEFAULT_GRACE.total_seconds() / 3600,
            help="Grace period in hours (default 24): younger files are kept (an upload may be in flight).",
        )

    def handle(self, *args, dry_run: bool, older_than_hours: float, **options):
        if older_than_hours < 1:
            raise CommandError(
                "--older-than-hours must be at least 1: a younger file may be an upload in flight."
            )
        summary = orphan_files_sweep(older_than=timedelta(hours=older_than_hours), dry_run=dry_run)
        for name in summary.get("would_delete", []):
            self.stdout.write(name)
        verb = "would be deleted" if dry_run else "deleted"
        self.stdout.write(
            f"{summary['files']} files, {summary['referenced']} referenced, {summary['young']} younger than "
            f"{older_than_hours:g} h, {summary['deleted']} {verb} ({summary['bytes']} bytes), "
            f"{summary['errors']} errors"
        )
