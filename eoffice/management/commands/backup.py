"""``manage.py backup``: one backup of the database and the files now (docs/backup.md)."""

from django.core.management.base import BaseCommand, CommandError

from eoffice.backup.services import backup_run
from eoffice.models import BackupRun


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu và tệp vào EOFFICE_BACKUP_DIR (một tệp .tar), giữ EOFFICE_BACKUP_KEEP bản."

    def handle(self, *args, **options):
        run = backup_run(scheduled=False)
        if run is None:
            raise CommandError("Một bản sao lưu khác đang chạy; thử lại sau.")
        if run.status != BackupRun.Status.OK:
            raise CommandError(run.message)
        self.stdout.write(self.style.SUCCESS(f"Đã sao lưu: {run.path}"))
        self.stdout.write(f"  {run.files} tệp, {run.size} byte, SHA-256 {run.sha256}")
        if run.message:
            self.stdout.write(run.message)
