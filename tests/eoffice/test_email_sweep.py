"""Notification e-mails left unsent by a killed worker: the beat's e-mail run sends them, once, with the
notification's own Message-ID (the real kill: tests/faults/test_worker_kill.py)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from eoffice import services
from eoffice.models import EmailFailure, Notification, Role
from eoffice.notifications import (
    message_content,
    message_from_content,
    notification_message_id,
    register_kind,
)
from eoffice.tasks import retry_failed_emails
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _kinds():
    register_kind("test.default_on", "Mặc định gửi thư", email_default=True)
    register_kind("test.default_off", "Mặc định không gửi thư")


def test_unsent_emails_are_swept_once(agency_a, django_capture_on_commit_callbacks):
    people = [make_user(agency=agency_a, roles=[Role.OFFICER]) for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=False):  # the worker died: the task never ran
        notes = services.notify(recipients=people, kind="test.default_on", title="Có văn bản mới", url="/")
        services.notify(recipients=people, kind="test.default_off", title="Tin nội bộ", url="/")
    assert services.notification_emails_sweep() == 0  # too young: its task may still be on the way
    Notification.objects.filter(pk=notes[0].pk).update(read_at=timezone.now())  # read in the app meanwhile
    later = timezone.now() + services.EMAIL_SWEEP_AFTER + timedelta(seconds=1)
    assert services.notification_emails_sweep(now=later) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people[1:])
    for message, note in zip(mail.outbox, notes[1:], strict=True):
        assert message.extra_headers["Message-ID"] == notification_message_id(note)
        assert message.message()["Message-ID"] == notification_message_id(note)
    assert services.notification_emails_sweep(now=later) == 0
    assert len(mail.outbox) == 2
    later += services.EMAIL_SWEEP_WINDOW
    assert services.notification_emails_sweep(now=later) == 0  # the read one is not sent, ever


def test_the_beat_run_sweeps(agency_a, django_capture_on_commit_callbacks):
    person = make_user(agency=agency_a, roles=[Role.OFFICER])
    with django_capture_on_commit_callbacks(execute=False):
        services.notify(recipients=[person], kind="test.default_on", title="Có văn bản mới", url="/")
    Notification.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    assert retry_failed_emails() == {"sent": 0, "failed": 0, "gave_up": 0, "swept": 1}
    assert retry_failed_emails() == {"sent": 0, "failed": 0, "gave_up": 0}


def test_a_kept_failure_is_sent_again_with_the_same_message_id(agency_a, settings):
    person = make_user(agency=agency_a, roles=[Role.OFFICER])
    (note,) = services.notify(recipients=[person], kind="test.default_off", title="Một lần")
    settings.EMAIL_BACKEND = "tests.eoffice.test_email_sweep.RefusingBackend"
    assert services.notification_emails_send(notification_ids=[note.pk]) == 0
    failure = EmailFailure.objects.get(notification=note)
    again = message_from_content(failure.subject, failure.content)
    assert again.message()["Message-ID"] == notification_message_id(note)
    assert message_content(again)["headers"] == {"Message-ID": notification_message_id(note)}


class RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server away")
