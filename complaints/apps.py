from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    label = "complaints"
    verbose_name = _("Tiếp công dân, xử lý đơn thư")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from complaints import menus, receivers, records, registry, schedule

        registry.register_all()
        records.register_all()
        menus.register()
        schedule.register()
        receivers.connect()

        from complaints.demo import seed_complaints
        from eoffice import demo

        demo.register_seeder(seed_complaints)
