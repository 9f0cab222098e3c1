"""The core's nightly jobs (editable in the admin): the daily summary of document accesses, and the
backup of the database and the files together (its time and retention are settings of eoffice.backup)."""

from django.conf import settings
from django.db import migrations

ROLLUP = "audit: tổng hợp lượt truy cập theo ngày"
BACKUP = "backup: sao lưu dữ liệu định kỳ"


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")

    def crontab(minute: str, hour: str):
        schedule, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week="*",
            day_of_month="*",
            month_of_year="*",
            timezone=settings.TIME_ZONE,
        )
        return schedule

    PeriodicTask.objects.get_or_create(
        name=ROLLUP, defaults={"task": "eoffice.tasks.access_rollup", "crontab": crontab("15", "1")}
    )
    PeriodicTask.objects.get_or_create(
        name=BACKUP, defaults={"task": "eoffice.tasks.backup_scheduled", "crontab": crontab("0", "2")}
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=[ROLLUP, BACKUP]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("eoffice", "0005_records_management"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
