from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    label = "meetings"
    verbose_name = _("Lịch họp, lịch công tác")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from eoffice import demo, routes
        from meetings import receivers, records, registry, widgets
        from meetings.demo import seed_meetings

        routes.register("meetings/", "meetings.urls")
        routes.register("lich-cong-tac/", "meetings.public_urls")
        registry.register_all()
        records.register_all()
        registry.register_menus()
        widgets.register_all()
        receivers.connect()
        demo.register_seeder(seed_meetings)
