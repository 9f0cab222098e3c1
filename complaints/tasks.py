"""Celery tasks of the complaints module. The worker autodiscovers ``<app>.tasks``: the tasks written
beside their pages are imported here so that it registers them."""

from complaints.public.tasks import send_filed_email  # noqa: F401
