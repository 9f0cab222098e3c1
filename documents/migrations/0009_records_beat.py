"""The records' beat schedule (editable in the admin): the warning of files due for transfer to the agency
archive and the scan of files whose retention has ended, each once a day in the morning."""

from django.conf import settings
from django.db import migrations

TRANSFER = "records: nhắc hồ sơ đến hạn nộp lưu"
RETENTION = "records: hồ sơ hết thời hạn bảo quản"


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    morning, _ = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour="7",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    PeriodicTask.objects.get_or_create(
        name=TRANSFER,
        defaults={"task": "documents.records.archive.tasks.transfer_warning_scan", "crontab": morning},
    )
    PeriodicTask.objects.get_or_create(
        name=RETENTION,
        defaults={"task": "documents.records.archive.tasks.retention_scan", "crontab": morning},
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name__in=[TRANSFER, RETENTION]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0008_records_management"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
