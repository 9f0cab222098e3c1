"""The exchange's beat schedule (editable in the admin): the outbox scan every minute, the poll of every
transport every EXCHANGE_POLL_SECONDS, the directory synchronisation daily."""

from django.conf import settings
from django.db import migrations

SCAN = "exchange: quét hàng đợi gửi liên thông"
POLL = "exchange: nhận gói tin liên thông"
DIRECTORY = "exchange: đồng bộ danh bạ cơ quan"


def create(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=SCAN, defaults={"task": "documents.exchange.tasks.outbox_scan", "interval": minute}
    )
    poll, _ = IntervalSchedule.objects.get_or_create(
        every=max(5, int(getattr(settings, "EXCHANGE_POLL_SECONDS", 60))), period="seconds"
    )
    PeriodicTask.objects.get_or_create(
        name=POLL, defaults={"task": "documents.exchange.tasks.inbox_poll_all", "interval": poll}
    )
    daily, _ = CrontabSchedule.objects.get_or_create(
        minute="30",
        hour="2",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    PeriodicTask.objects.get_or_create(
        name=DIRECTORY, defaults={"task": "documents.exchange.tasks.directory_sync_all", "crontab": daily}
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name__in=[SCAN, POLL, DIRECTORY]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0006_exchange"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
