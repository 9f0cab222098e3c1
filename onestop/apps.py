from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnestopConfig(AppConfig):
    name = "onestop"
    label = "onestop"
    verbose_name = _("Một cửa")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from eoffice import demo, routes
        from onestop import letters, records, registry, widgets
        from onestop.demo import seed_onestop

        routes.register("onestop/", "onestop.urls")
        routes.register("mot-cua/", "onestop.public.urls")
        registry.register_all()
        records.register_all()
        widgets.register_all()
        letters.connect()
        demo.register_seeder(seed_onestop)
