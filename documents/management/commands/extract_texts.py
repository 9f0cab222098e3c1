"""``manage.py extract_texts``: extract the full text of documents' PDFs now, for search (backfill)."""

from django.core.management.base import BaseCommand

from documents.search import extract


class Command(BaseCommand):
    help = (
        "Trích xuất nội dung toàn văn (lớp chữ của tệp PDF) của văn bản để tìm kiếm. Mặc định chỉ các văn "
        "bản chưa có nội dung; --all trích xuất lại tất cả."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", dest="everything", help="Trích xuất lại mọi văn bản."
        )
        parser.add_argument(
            "--model",
            action="append",
            dest="models",
            metavar="APP.MODEL",
            help="Chỉ loại bản ghi này (ví dụ documents.IncomingDocument); dùng nhiều lần được.",
        )

    def handle(self, *args, everything: bool = False, models=None, **options):
        known = set(extract.registered_models())
        for label in models or []:
            if label.lower() not in known:
                self.stderr.write(f"Không có loại bản ghi {label}. Có: {', '.join(sorted(known))}.")
                return
        done = extract.extract_pending(
            everything=everything,
            models=[m.lower() for m in models] if models else None,
            log=self.stdout.write,
        )
        self.stdout.write(self.style.SUCCESS(f"Đã trích xuất nội dung {done} văn bản."))
