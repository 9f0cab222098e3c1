from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigningConfig(AppConfig):
    name = "signing"
    verbose_name = _("Ký số")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from eoffice import routes
        from signing import menu  # noqa: F401  (registers the menu entries)

        routes.register("signing/", "signing.urls")
        routes.register("verify/", "signing.public_urls")
