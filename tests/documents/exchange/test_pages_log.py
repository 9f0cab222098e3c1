"""The exchange log: a clerk or agency admin sees every package and status of their agency in and out, a
superuser all of them, nobody else anything; filters; a constant number of queries whatever the rows; the
raw .edxml behind the same check; a failed row resent."""

# ruff: noqa: F811

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from documents.exchange.models import InboxMessage, MessageKind, OutboxMessage
from tests.documents.exchange.test_pages_support import (
    URLCONF,
    days_ago,
    exchange_recipient,
    message_in,
    other,  # noqa: F401
    outgoing_document,
    outside,
    package_out,
    sender,  # noqa: F401
)
from tests.factories import make_user

pytestmark = pytest.mark.urls(URLCONF)

LOG = "documents:exchange_log"


@pytest.fixture
def rows(sender, other):
    """Agency A: a package sent, a package failed, a package and a status received; agency B: one of each."""
    doc = outgoing_document(sender["officer"])
    sent = package_out(exchange_recipient(doc, outside(1, name="Bộ Tài chính")))
    failed = package_out(
        exchange_recipient(doc, outside(2, name="Bộ Nội vụ")),
        state=OutboxMessage.State.FAILED,
        last_error="Gửi không thành công: HTTP 503",
    )
    received = message_in(sender["agency"], at=days_ago(3))
    status = message_in(sender["agency"], kind=MessageKind.STATUS, status_code="03", business_type=None)
    doc_b = outgoing_document(make_user(agency=other["agency"], roles=["officer"]))
    theirs = package_out(exchange_recipient(doc_b, outside(3, name="Bộ Y tế")))
    theirs_in = message_in(other["agency"], sender_name="Ủy ban nhân dân tỉnh Lạng Sơn")
    return {
        "sent": sent,
        "failed": failed,
        "received": received,
        "status": status,
        "theirs": theirs,
        "theirs_in": theirs_in,
    }


def _ids(response) -> set[tuple[str, int]]:
    return {(m["dir"], m["id"]) for m in response.context["page"].object_list}


def test_clerk_sees_own_agency_in_and_out(client, sender, rows):
    client.force_login(sender["clerk"])
    response = client.get(reverse(LOG))
    assert response.status_code == 200
    assert _ids(response) == {
        ("out", rows["sent"].pk),
        ("out", rows["failed"].pk),
        ("in", rows["received"].pk),
        ("in", rows["status"].pk),
    }
    html = response.content.decode()
    assert "Bộ Tài chính" in html and "Bộ Y tế" not in html and "Lạng Sơn" not in html
    assert "Gửi lỗi" in html and "HTTP 503" in html
    assert "03 · Đã vào sổ" in html
    # newest first: the package received three days ago is last
    assert response.context["page"].object_list[-1]["id"] == rows["received"].pk


def test_agency_admin_sees_the_log_officer_does_not(client, sender, rows):
    client.force_login(sender["admin"])
    assert len(client.get(reverse(LOG)).context["page"].object_list) == 4
    client.force_login(sender["officer"])
    assert client.get(reverse(LOG)).status_code == 403


def test_superuser_sees_every_agency(client, rows, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.com", "x")
    client.force_login(root)
    response = client.get(reverse(LOG))
    assert len(response.context["page"].object_list) == 6
    assert "Lạng Sơn" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"direction": "out"}, {"sent", "failed"}),
        ({"direction": "in"}, {"received", "status"}),
        ({"kind": "status"}, {"status"}),
        ({"state": "failed"}, {"failed"}),
        ({"state": "imported", "kind": "package"}, {"received"}),
        ({"agency": "nội vụ"}, {"failed"}),
        ({"agency": "000.00.01"}, {"sent"}),
        ({"date_to": days_ago(2).date().isoformat()}, {"received"}),
        ({"date_from": days_ago(1).date().isoformat(), "direction": "in"}, {"status"}),
    ],
)
def test_filters(client, sender, rows, query, expected):
    client.force_login(sender["clerk"])
    response = client.get(reverse(LOG), query)
    want = {(("out" if isinstance(rows[k], OutboxMessage) else "in"), rows[k].pk) for k in expected}
    assert _ids(response) == want


def test_bad_filter_is_a_message_not_an_error(client, sender, rows):
    client.force_login(sender["clerk"])
    response = client.get(
        reverse(LOG), {"date_from": "2026-12-09", "date_to": "2026-12-01", "state": "nonsense"}
    )
    assert response.status_code == 200
    assert "“Từ ngày” phải trước hoặc bằng “Đến ngày”." in response.content.decode()
    # no filter applies: every row of the agency
    assert len(response.context["page"].object_list) == 4


def test_queries_do_not_grow_with_rows(client, sender):
    client.force_login(sender["clerk"])
    doc = outgoing_document(sender["officer"])
    package_out(exchange_recipient(doc, outside(10)))
    message_in(sender["agency"])
    client.get(reverse(LOG))  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(LOG))
    for n in range(11, 41):
        package_out(exchange_recipient(doc, outside(n)), state=OutboxMessage.State.FAILED, last_error="lỗi")
        message_in(sender["agency"], state=InboxMessage.State.REFUSED, error_message="không đọc được")
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse(LOG), {"page": 2})
    assert len(response.context["page"].object_list) == 25
    assert len(many) == len(few)


def test_download_raw_edxml_after_the_check(client, sender, other, rows):
    client.force_login(sender["clerk"])
    response = client.get(reverse("documents:exchange_outbox_file", args=[rows["sent"].pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"<?xml")
    assert "attachment" in response["Content-Disposition"] and ".edxml" in response["Content-Disposition"]
    assert client.get(reverse("documents:exchange_inbox_file", args=[rows["received"].pk])).status_code == 200
    # another agency's messages: the same 404 as a missing one
    assert client.get(reverse("documents:exchange_outbox_file", args=[rows["theirs"].pk])).status_code == 404
    assert (
        client.get(reverse("documents:exchange_inbox_file", args=[rows["theirs_in"].pk])).status_code == 404
    )
    client.force_login(sender["officer"])
    assert client.get(reverse("documents:exchange_inbox_file", args=[rows["received"].pk])).status_code == 404


def test_pending_package_not_built_yet_has_no_file(client, sender):
    doc = outgoing_document(sender["officer"])
    pending = package_out(exchange_recipient(doc, outside(7)), state=OutboxMessage.State.PENDING, file=False)
    client.force_login(sender["clerk"])
    response = client.get(reverse(LOG))
    assert "chưa tạo" in response.content.decode()
    assert client.get(reverse("documents:exchange_outbox_file", args=[pending.pk])).status_code == 404


def test_resend_a_failed_row(client, sender, rows, django_capture_on_commit_callbacks):
    client.force_login(sender["clerk"])
    html = client.get(reverse(LOG)).content.decode()
    assert reverse("documents:exchange_resend", args=[rows["failed"].pk]) in html
    assert reverse("documents:exchange_resend", args=[rows["sent"].pk]) not in html
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            reverse("documents:exchange_resend", args=[rows["failed"].pk]), {"next": "https://evil.example/"}
        )
    assert response.status_code == 302 and response["Location"] == reverse(LOG)
    rows["failed"].refresh_from_db()
    assert rows["failed"].state == OutboxMessage.State.PENDING and rows["failed"].attempts == 0


def test_resend_refused_with_a_message(client, sender, rows):
    client.force_login(sender["clerk"])
    response = client.post(reverse("documents:exchange_resend", args=[rows["sent"].pk]), follow=True)
    assert "Chỉ gửi lại được gói tin gửi lỗi." in response.content.decode()
    rows["sent"].refresh_from_db()
    assert rows["sent"].state == OutboxMessage.State.SENT
    # an agency admin sees the log but is not the clerk who may resend
    client.force_login(sender["admin"])
    response = client.post(reverse("documents:exchange_resend", args=[rows["failed"].pk]), follow=True)
    assert "Chỉ văn thư của cơ quan gửi được gửi lại gói tin." in response.content.decode()
    # another agency's row: 404
    assert client.post(reverse("documents:exchange_resend", args=[rows["theirs"].pk])).status_code == 404
    assert client.get(reverse("documents:exchange_resend", args=[rows["failed"].pk])).status_code == 405
