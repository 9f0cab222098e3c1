"""``manage.py exchange_sync_directory [--transport KEY]``: synchronise the directory of outside agencies
from one transport (or every configured one) with ``directory_sync`` and print what changed."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


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
                _("Không có kênh liên thông “%(key)s” trong EXCHANGE_TRANSPORTS (có: %(known)s).")
                % {
                    "key": unknown[0],
                    "known": ", ".join(sorted(settings.EXCHANGE_TRANSPORTS)) or _("không có"),
                }
            )
        if not keys:
            raise CommandError(_("Chưa cấu hình kênh liên thông nào (EXCHANGE_TRANSPORTS)."))
        failed = []
        for key in keys:
            sync = directory_sync(transport=key)
            if sync.error:
                failed.append(key)
                self.stderr.write(_("%(key)s: lỗi đồng bộ — %(error)s") % {"key": key, "error": sync.error})
                continue
            self.stdout.write(
                _("%(key)s: thêm %(added)d, thay đổi %(changed)d, ngừng hoạt động %(gone)d.")
                % {
                    "key": key,
                    "added": len(sync.added),
                    "changed": len(sync.changed),
                    "gone": len(sync.deactivated),
                }
            )
            for label, items in (("+", sync.added), ("~", sync.changed), ("-", sync.deactivated)):
                for item in items:
                    self.stdout.write(f"  {label} {item.get('code', '')} {item.get('name', '')}")
        if failed:
            raise CommandError(_("Đồng bộ không thành công: %(keys)s.") % {"keys": ", ".join(failed)})
