"""``manage.py exchange_sync_directory [--transport KEY]``: synchronise the directory of outside agencies
from one transport (or every configured one) with ``directory_sync`` and print what changed."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Đồng bộ danh bạ cơ quan ngoài hệ thống từ trục liên thông (hoặc nút liên thông eoffice khác)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--transport",
            help="Khóa trong EXCHANGE_TRANSPORTS; bỏ trống: mọi kênh đã cấu hình.",
        )

    def handle(self, *args, transport: str | None = None, **options):
        from documents.exchange.services import directory_sync

        keys = [transport] if transport else sorted(settings.EXCHANGE_TRANSPORTS)
        unknown = [k for k in keys if k not in settings.EXCHANGE_TRANSPORTS]
        if unknown:
            raise CommandError(
                f"Không có kênh liên thông “{unknown[0]}” trong EXCHANGE_TRANSPORTS "
                f"(có: {', '.join(sorted(settings.EXCHANGE_TRANSPORTS)) or 'không có'})."
            )
        if not keys:
            raise CommandError("Chưa cấu hình kênh liên thông nào (EXCHANGE_TRANSPORTS).")
        failed = []
        for key in keys:
            sync = directory_sync(transport=key)
            if sync.error:
                failed.append(key)
                self.stderr.write(f"{key}: lỗi đồng bộ — {sync.error}")
                continue
            self.stdout.write(
                f"{key}: thêm {len(sync.added)}, thay đổi {len(sync.changed)}, "
                f"ngừng hoạt động {len(sync.deactivated)}."
            )
            for label, items in (("+", sync.added), ("~", sync.changed), ("-", sync.deactivated)):
                for item in items:
                    self.stdout.write(f"  {label} {item.get('code', '')} {item.get('name', '')}")
        if failed:
            raise CommandError(f"Đồng bộ không thành công: {', '.join(failed)}.")
