from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = _("Quy trình xử lý và giao việc")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from eoffice import routes
        from workflow import registry
        from workflow.models import CalendarException

        routes.register("work/", "workflow.urls")
        registry.register_all()

        from eoffice import demo
        from workflow.demo import seed_work_items

        demo.register_seeder(seed_work_items)

        def _clear_calendar(**kwargs):
            from workflow import calendar

            calendar.clear_cache()

        post_save.connect(
            _clear_calendar, sender=CalendarException, dispatch_uid="workflow_calendar_save", weak=False
        )
        post_delete.connect(
            _clear_calendar, sender=CalendarException, dispatch_uid="workflow_calendar_delete", weak=False
        )
