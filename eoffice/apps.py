from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EofficeConfig(AppConfig):
    name = "eoffice"
    verbose_name = _("Tổ chức và cán bộ")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from eoffice import checks, menu  # noqa: F401  (registers system checks and core menu items)
