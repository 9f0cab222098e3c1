"""``manage.py restore <archive>``: restore a backup into an empty database and a storage (docs/backup.md)."""

from django.core.management.base import BaseCommand, CommandError

from eoffice.backup.restore import RestoreError, restore_archive, verify_archive


class Command(BaseCommand):
    help = (
        "Khôi phục một tệp sao lưu: kiểm tra SHA-256 theo manifest, khôi phục cơ sở dữ liệu bằng pg_restore "
        "và các tệp vào kho tệp, rồi kiểm tra lại SHA-256 của từng tệp."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="tệp .tar do `manage.py backup` tạo")
        parser.add_argument(
            "--database-url",
            help="cơ sở dữ liệu đích (postgres://…); mặc định là cơ sở dữ liệu của cài đặt (DATABASE_URL)",
        )
        parser.add_argument("--media-root", help="thư mục tệp đích; mặc định là kho tệp của cài đặt")
        parser.add_argument(
            "--force",
            action="store_true",
            help="ghi đè cơ sở dữ liệu không trống và các tệp khác nội dung (dữ liệu hiện có bị xoá)",
        )
        parser.add_argument(
            "--check", action="store_true", help="chỉ kiểm tra SHA-256 của tệp sao lưu, không khôi phục"
        )

    def handle(self, *args, archive, database_url=None, media_root=None, force=False, check=False, **options):
        if check:
            try:
                report = verify_archive(path=archive)
            except RestoreError as exc:
                raise CommandError(f"Tệp sao lưu không dùng được: {exc}") from exc
            self.stdout.write(self.style.SUCCESS(f"Tệp sao lưu nguyên vẹn: {report.archive}"))
            self.stdout.write(f"  bản sao lưu lúc:   {report.created_at} (cơ sở dữ liệu {report.database})")
            self.stdout.write(f"  SHA-256 bản dump:  {report.dump_sha256} (khớp manifest)")
            self.stdout.write(
                f"  tệp:               {report.verified_before} tệp, {report.bytes} byte, "
                "SHA-256 khớp manifest"
            )
            return
        try:
            report = restore_archive(
                path=archive, database_url=database_url, media_root=media_root, force=force
            )
        except RestoreError as exc:
            raise CommandError(f"Không khôi phục được: {exc}") from exc
        out = self.stdout
        out.write(self.style.SUCCESS(f"Đã khôi phục {report.archive}"))
        out.write(f"  bản sao lưu lúc:   {report.created_at}")
        out.write(f"  cơ sở dữ liệu:     {report.database} ({report.tables} bảng, chuỗi, khung nhìn)")
        out.write(f"  SHA-256 bản dump:  {report.dump_sha256} (khớp manifest)")
        out.write(f"  kho tệp:           {report.storage}")
        out.write(
            f"  tệp:               {report.verified_before} tệp, {report.bytes} byte; "
            f"{report.files} tệp ghi, {report.unchanged} tệp đã có sẵn đúng nội dung"
        )
        out.write(
            f"  SHA-256 kiểm tra:  trước khi khôi phục {report.verified_before}/{report.verified_before}, "
            f"sau khi khôi phục {report.verified_after}/{report.verified_before}"
        )
        for note in report.notes:
            out.write(self.style.WARNING(f"  lưu ý: {note}"))
