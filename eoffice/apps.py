from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EofficeConfig(AppConfig):
    name = "eoffice"
    verbose_name = _("Tổ chức và cán bộ")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from eoffice import audit, checks, menu  # noqa: F401  (system checks, core menu items, login events)
        from eoffice.backup import menus as backup_menus

        backup_menus.register_all()
        from eoffice.status import menus as status_menus

        status_menus.register_all()
        from eoffice.twofactor import menus as twofactor_menus

        twofactor_menus.register_all()
