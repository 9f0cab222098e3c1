"""Every email leaves one by one with a one-line subject; a message that fails is kept (EmailFailure), shown
in the admin, retried by the beat scan and by the admin's "Gửi lại", and never stops the others."""

from __future__ import annotations

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.urls import reverse
from django.utils import timezone

from eoffice import services
from eoffice.models import EmailFailure, Notification, Role, User
from eoffice.notifications import register_kind, subject_line
from eoffice.tasks import retry_failed_emails, send_notification_emails
from tests.factories import make_user

pytestmark = pytest.mark.django_db


class RefusingBackend(LocmemBackend):
    """locmem, except that the addresses in ``refused`` are refused by the "server"."""

    refused: set[str] = set()

    def send_messages(self, messages):
        for message in messages:
            bad = [address for address in message.recipients() if address in self.refused]
            if bad:
                raise smtplib.SMTPRecipientsRefused(dict.fromkeys(bad, (550, b"mailbox unavailable")))
        return super().send_messages(messages)


@pytest.fixture
def refusing(settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    RefusingBackend.refused = set()
    yield RefusingBackend.refused
    RefusingBackend.refused = set()


@pytest.fixture(autouse=True)
def _kind():
    register_kind("test.mail", "Thư thử nghiệm", email_default=True)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("V/v triển khai\nkế hoạch năm 2026", "V/v triển khai kế hoạch năm 2026"),
        ("Việc A\r\nBcc: x@example.com", "Việc A Bcc: x@example.com"),
        ("  Tab\tand\u2028line\u2029sep\x0bvt\x1ffs  ", "Tab and line sep vt fs"),
        ("Dòng\x00một", "Dòng một"),
    ],
)
def test_subject_line_is_one_line(raw, expected):
    assert subject_line(raw) == expected


def test_subject_line_joins_parts_and_cuts_long_text():
    assert subject_line("15/UBND-VP", "", None, "Về việc\nA") == "15/UBND-VP — Về việc A"
    long = subject_line("x" * 400)
    assert len(long) == 250 and long.endswith("…")


def test_two_line_title_is_emailed_with_one_line_subject(agency_a, django_capture_on_commit_callbacks):
    person = make_user(agency=agency_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipients=[person], kind="test.mail", title="Văn bản mới:\r\ndòng thứ hai", url="/")
    (message,) = mail.outbox
    assert message.subject == "Văn bản mới: dòng thứ hai"
    assert Notification.objects.get(recipient=person).emailed_at is not None


def test_one_failing_recipient_does_not_stop_the_others(
    agency_a, refusing, django_capture_on_commit_callbacks, caplog
):
    first, broken, last = (make_user(agency=agency_a) for _ in range(3))
    refusing.add(broken.email)
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipients=[first, broken, last], kind="test.mail", title="Họp giao ban", url="/")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.email, last.email])
    failure = EmailFailure.objects.get()
    assert failure.recipients == broken.email
    assert failure.subject == "Họp giao ban"
    assert failure.status == EmailFailure.Status.PENDING
    assert "SMTPRecipientsRefused" in failure.error
    assert failure.notification.recipient == broken
    assert failure.next_attempt_at > timezone.now()
    emailed = dict(Notification.objects.values_list("recipient_id", "emailed_at"))
    assert emailed[broken.pk] is None and emailed[first.pk] and emailed[last.pk]
    # one warning line, no traceback
    (record,) = [r for r in caplog.records if r.name == "eoffice.notifications"]
    assert record.levelname == "WARNING" and record.exc_info is None
    # the task run again (a redelivery) neither sends twice nor records twice
    assert send_notification_emails(list(Notification.objects.values_list("pk", flat=True))) == 0
    assert len(mail.outbox) == 2 and EmailFailure.objects.count() == 1


def test_the_scan_sends_a_failed_email_again_when_it_is_due(agency_a, refusing):
    person = make_user(agency=agency_a)
    refusing.add(person.email)
    (note,) = services.notify(
        recipients=[person], kind="test.mail", title="Nhắc việc", body="Nội dung", url="/"
    )
    send_notification_emails([note.pk])
    failure = EmailFailure.objects.get()
    assert retry_failed_emails() == {"sent": 0, "failed": 0, "gave_up": 0}  # not due yet
    refusing.clear()
    EmailFailure.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert retry_failed_emails() == {"sent": 1, "failed": 0, "gave_up": 0}
    (message,) = mail.outbox
    assert message.to == [person.email] and message.subject == "Nhắc việc"
    assert message.body.startswith("Nội dung")
    failure.refresh_from_db()
    assert failure.status == EmailFailure.Status.SENT and failure.attempts == 2 and failure.sent_at
    note.refresh_from_db()
    assert note.emailed_at is not None
    assert retry_failed_emails() == {"sent": 0, "failed": 0, "gave_up": 0}
    assert len(mail.outbox) == 1


def test_retries_wait_longer_each_time_then_stop(agency_a, refusing, settings):
    settings.EOFFICE_EMAIL_RETRY_MINUTES = 5
    settings.EOFFICE_EMAIL_RETRY_MAX_ATTEMPTS = 3
    person = make_user(agency=agency_a)
    refusing.add(person.email)
    (note,) = services.notify(recipients=[person], kind="test.mail", title="Lỗi mãi", url="/")
    send_notification_emails([note.pk])
    waits = []
    for _ in range(2):
        EmailFailure.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
        before = timezone.now()
        retry_failed_emails()
        failure = EmailFailure.objects.get()
        if failure.next_attempt_at:
            waits.append(round((failure.next_attempt_at - before).total_seconds() / 60))
    assert waits == [10]  # 5 min after the first failure, 10 after the second; the third gives up
    failure = EmailFailure.objects.get()
    assert failure.status == EmailFailure.Status.GAVE_UP and failure.attempts == 3
    assert failure.next_attempt_at is None
    assert mail.outbox == []


def test_scan_is_scheduled():
    from django_celery_beat.models import PeriodicTask

    assert PeriodicTask.objects.filter(task="eoffice.tasks.retry_failed_emails", enabled=True).exists()


def test_admin_shows_failures_and_sends_them_again(
    agency_a, refusing, client, django_capture_on_commit_callbacks
):
    person = make_user(agency=agency_a)
    refusing.add(person.email)
    (note,) = services.notify(recipients=[person], kind="test.mail", title="Thư bị từ chối", url="/")
    send_notification_emails([note.pk])
    failure = EmailFailure.objects.get()
    EmailFailure.objects.update(status=EmailFailure.Status.GAVE_UP, next_attempt_at=None)

    root = User.objects.create_superuser("root", "root@example.gov.vn", "x-Mat-khau-2026")
    client.force_login(root, backend="django.contrib.auth.backends.ModelBackend")
    changelist = reverse("admin:eoffice_emailfailure_changelist")
    page = client.get(changelist).content.decode()
    assert person.email in page and "Thư bị từ chối" in page and "Gửi lại" in page
    detail = client.get(reverse("admin:eoffice_emailfailure_change", args=[failure.pk])).content.decode()
    assert "SMTPRecipientsRefused" in detail
    assert 'name="subject"' not in detail  # read-only
    assert client.get(reverse("admin:eoffice_emailfailure_add")).status_code == 403

    refusing.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            changelist, {"action": "send_again", "_selected_action": [failure.pk]}, follow=True
        )
    assert "hàng đợi gửi lại" in response.content.decode()
    (message,) = mail.outbox
    assert message.to == [person.email] and message.subject == "Thư bị từ chối"
    failure.refresh_from_db()
    assert failure.status == EmailFailure.Status.SENT


def test_agency_admin_does_not_see_failures(agency_a, login):
    admin = make_user(agency=agency_a, roles=[Role.AGENCY_ADMIN], is_staff=True)
    client = login(admin)
    assert client.get(reverse("admin:eoffice_emailfailure_changelist")).status_code == 403
    assert "emailfailure" not in client.get(reverse("admin:index")).content.decode()


def test_cr_lf_in_a_work_item_title_still_emails_the_lead(
    agency_a, dept_a, django_capture_on_commit_callbacks
):
    from workflow import services as wf

    leader = make_user(agency=agency_a, roles=[Role.LEADER])
    officer = make_user(agency=agency_a, department=dept_a, roles=[Role.OFFICER])
    informed = make_user(agency=agency_a, department=dept_a, roles=[Role.OFFICER])
    with django_capture_on_commit_callbacks(execute=True):
        wf.work_item_create(
            by=leader,
            title="Chuẩn bị báo cáo\r\nBcc: attacker@example.com",
            due_at=None,
            lead=officer,
            informed=[informed],
        )
    to_officer = [m for m in mail.outbox if m.to == [officer.email]]
    assert to_officer, [m.to for m in mail.outbox]
    for message in mail.outbox:
        assert "\n" not in message.subject and "\r" not in message.subject
        assert "attacker@example.com" not in message.recipients()
        assert message.message()["Bcc"] is None
    assert "Chuẩn bị báo cáo Bcc: attacker@example.com" in to_officer[0].subject
    assert not EmailFailure.objects.exists()


def test_two_line_summary_of_a_registered_document_reaches_the_leader(
    agency_a, dept_a, django_capture_on_commit_callbacks
):
    from tests.documents.conftest import receive

    clerk = make_user(agency=agency_a, department=dept_a, roles=[Role.CLERK])
    leader = make_user(agency=agency_a, roles=[Role.LEADER])
    with django_capture_on_commit_callbacks(execute=True):
        receive(
            clerk, summary="V/v triển khai kế hoạch\r\ncải cách hành chính năm 2026", directing_leader=leader
        )
    to_leader = [m for m in mail.outbox if m.to == [leader.email]]
    assert to_leader, [(m.to, m.subject) for m in mail.outbox]
    assert "V/v triển khai kế hoạch cải cách hành chính năm 2026" in to_leader[0].subject
    assert not EmailFailure.objects.exists()


def test_the_scan_drops_old_sent_failures_only():
    now = timezone.now()
    for subject, status, sent_at in [
        ("old sent", EmailFailure.Status.SENT, now - timedelta(days=91)),
        ("recent sent", EmailFailure.Status.SENT, now - timedelta(days=5)),
        ("given up", EmailFailure.Status.GAVE_UP, None),
    ]:
        EmailFailure.objects.create(
            source="test", recipients="a@example.gov.vn", subject=subject, status=status, sent_at=sent_at
        )
    retry_failed_emails()
    assert set(EmailFailure.objects.values_list("subject", flat=True)) == {"recent sent", "given up"}
