"""The core's reliability jobs (editable in the admin): the outbox relay, which sends the tasks written while
the broker was down, and the nightly sweep of stored files that no record points to (a rolled-back upload)."""

from django.conf import settings
from django.db import migrations

RELAY = "outbox: gửi các tác vụ còn chờ"
SWEEP = "files: dọn tệp không thuộc bản ghi nào"


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _ = IntervalSchedule.objects.get_or_create(every=30, period="seconds")
    nightly, _ = CrontabSchedule.objects.get_or_create(
        minute="30",
        hour="3",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    PeriodicTask.objects.get_or_create(
        name=RELAY, defaults={"task": "eoffice.tasks.outbox_relay", "interval": every}
    )
    PeriodicTask.objects.get_or_create(
        name=SWEEP, defaults={"task": "eoffice.tasks.orphan_files_sweep", "crontab": nightly}
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=[RELAY, SWEEP]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("eoffice", "0009_reliability"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
