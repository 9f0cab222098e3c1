"""``manage.py seed_demo``: load the demo province (see eoffice.demo). Safe to run at every start."""

from django.core.management.base import BaseCommand, CommandError

from eoffice import demo


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu dùng thử: tỉnh An Hòa (hư cấu) với UBND tỉnh, các sở, đơn vị, cán bộ, chữ ký và con dấu "
        "mẫu. Chạy lại nhiều lần không tạo trùng và không đổi mật khẩu của tài khoản đã có."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help=f"Đặt lại mật khẩu của mọi tài khoản dùng thử về {demo.DEMO_PASSWORD}.",
        )
        parser.add_argument(
            "--province",
            type=int,
            choices=demo.PROVINCES,
            help="Tỉnh dùng thử: 1 (An Hòa) hoặc 2 (Bình Sơn, đầu kia của liên thông); "
            "mặc định theo biến EOFFICE_DEMO_PROVINCE, không có thì 1.",
        )

    def handle(self, *args, reset_passwords: bool = False, province: int | None = None, **options):
        try:
            province = province or demo.province_from_env()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        report = demo.seed(stdout=self.stdout, reset_passwords=reset_passwords, province=province)
        if not report.changed:
            self.stdout.write("Dữ liệu dùng thử đã có đủ; không có gì thay đổi.")
            return
        labels = {
            "users": "tài khoản",
            "agencies": "cơ quan",
            "departments": "đơn vị",
        }
        for title, bucket in (("Đã tạo", report.created), ("Đã cập nhật", report.updated)):
            if bucket:
                parts = ", ".join(f"{count} {labels.get(kind, kind)}" for kind, count in bucket.items())
                self.stdout.write(f"{title}: {parts}.")
        if report.roles_set:
            self.stdout.write(f"Đã gán vai trò cho {report.roles_set} tài khoản.")
        if report.images:
            self.stdout.write(f"Đã vẽ {report.images} ảnh chữ ký và con dấu mẫu.")
        if report.passwords_reset:
            self.stdout.write(
                f"Đã đặt lại mật khẩu của {report.passwords_reset} tài khoản về {demo.DEMO_PASSWORD}."
            )
        self.stdout.write(self.style.SUCCESS("Dữ liệu dùng thử đã sẵn sàng."))
