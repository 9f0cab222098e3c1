import pytest
from django.core import mail

from eoffice import services
from eoffice.models import Notification, NotificationPreference, Role
from eoffice.notifications import register_kind, wants_email
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _kinds():
    register_kind("test.default_on", "Mặc định gửi thư", email_default=True)
    register_kind("test.default_off", "Mặc định không gửi thư")


def test_email_follows_preferences_and_defaults(agency_a, django_capture_on_commit_callbacks):
    keen = make_user(agency=agency_a, roles=[Role.OFFICER])
    quiet = make_user(agency=agency_a, roles=[Role.OFFICER])
    NotificationPreference.objects.create(user=quiet, kind="test.default_on", email=False)
    NotificationPreference.objects.create(user=keen, kind="test.default_off", email=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipients=[keen, quiet], kind="test.default_on", title="Có văn bản mới", url="/")
        services.notify(recipients=[keen, quiet], kind="test.default_off", title="Tin nội bộ", url="/")
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == sorted(
        [(keen.email, "Có văn bản mới"), (keen.email, "Tin nội bộ")]
    )
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 2
    assert wants_email(keen, "test.default_on") and not wants_email(quiet, "test.default_on")


def test_preferences_are_read_in_one_query(agency_a, django_assert_max_num_queries):
    people = [make_user(agency=agency_a, roles=[Role.OFFICER]) for _ in range(12)]
    # bulk insert + one preference query, whatever the number of recipients
    with django_assert_max_num_queries(2):
        services.notify(recipients=people, kind="test.default_on", title="Nhắc việc")


def test_notify_refuses_external_urls(agency_a):
    person = make_user(agency=agency_a)
    with pytest.raises(ValueError):
        services.notify(recipients=[person], kind="x", title="t", url="https://evil.example/")


def test_each_email_is_sent_once(agency_a):
    from eoffice.tasks import send_notification_emails

    person = make_user(agency=agency_a)
    (note,) = services.notify(recipients=[person], kind="test.default_off", title="Một lần")
    assert send_notification_emails([note.pk]) == 1
    assert send_notification_emails([note.pk]) == 0
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("url_name", ["dashboard", "notifications"])
def test_unread_count_is_queried_once_per_page(agency_a, login, url_name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    person = make_user(agency=agency_a)
    services.notify(recipients=[person], kind="x", title="Một")
    client = login(person)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(reverse(url_name)).content.decode()
    counts = [
        q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"] and '"read_at" IS NULL' in q["sql"]
    ]
    assert len(counts) == 1, counts
    assert "badge" in page
