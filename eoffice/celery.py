import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eoffice.settings")

app = Celery("eoffice")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

import eoffice.heartbeat  # noqa: E402, F401  (worker heartbeats and failed tasks, on celery's signals)


@worker_ready.connect
def _outbox_relay_on_start(**kwargs):
    """Send the tasks written while the broker was away (eoffice.outbox) as soon as a worker starts."""
    from eoffice.outbox import relay

    relay()
