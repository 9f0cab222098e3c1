"""The beat schedule: the reminder scan every 5 minutes and the daily digest (editable in the admin)."""

from django.conf import settings
from django.db import migrations

SCAN = "workflow: quét nhắc hạn"
DIGEST = "workflow: tóm tắt công việc hằng ngày"


def create(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _ = IntervalSchedule.objects.get_or_create(
        every=getattr(settings, "WORKFLOW_REMINDER_SCAN_MINUTES", 5), period="minutes"
    )
    PeriodicTask.objects.get_or_create(
        name=SCAN, defaults={"task": "workflow.tasks.scan_reminders", "interval": every}
    )
    daily, _ = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour=str(getattr(settings, "WORKFLOW_DIGEST_HOUR", 7)),
        day_of_week="1-6",
        day_of_month="*",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    PeriodicTask.objects.get_or_create(
        name=DIGEST, defaults={"task": "workflow.tasks.send_daily_digest", "crontab": daily}
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=[SCAN, DIGEST]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0002_history_append_only_trigger"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
