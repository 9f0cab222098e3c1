"""documents.exchange.services.inbox: a received package is stored once and imported once — across two
pollers at the same time and across a poller killed after storing, before importing; a package received
again (same bytes, or same sender and DocumentId) is a linked duplicate; what the parser refuses, or what
is addressed to no agency of ours, is kept with its reason and never half imported."""

# ruff: noqa: F811 (fixtures imported by name)

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection

from documents.exchange.models import ExternalAgency, InboxMessage, OutboxMessage
from documents.exchange.services import inbox, outbox
from documents.models import IncomingDocument
from tests.documents.exchange.test_build import exchange_keys_fixture  # noqa: F401
from tests.documents.exchange.test_outbox import exchange_document, issue, loop, outside_b  # noqa: F401
from tests.documents.exchange.test_statuses import pump
from tests.documents.outgoing.helpers import office  # noqa: F401
from tests.signing.conftest import _signing_settings, authority, pki_dir  # noqa: F401
from tests.worker import database_url

ROOT = Path(__file__).resolve().parents[3]


def test_a_package_received_again_is_a_linked_duplicate(office, agency_b, outside_b, exchange_keys, loop):
    doc = issue(office, exchange_document(office, agency_b, outside_b))
    pump()
    first = InboxMessage.objects.get(kind="package")
    incoming = IncomingDocument.objects.get(agency=agency_b)
    assert first.incoming == incoming and first.state == "imported" and first.sender_code == doc.agency.code

    # the same bytes under another transport id
    again = inbox.inbox_store(transport="loop", remote_id="again", data=first.file.read())
    assert inbox.inbox_import(message_id=again.pk) == "duplicate"
    # the same document built and signed again (other bytes, same sender and DocumentId): the trace's
    # timestamp has whole seconds, so a build within the same second would give the very same bytes
    time.sleep(1.1)
    resent = OutboxMessage.objects.create(
        kind="package",
        agency=doc.agency,
        external_agency=outside_b,
        transport="loop",
        recipient=doc.recipients.get(),
    )
    assert outbox.outbox_send(message_id=resent.pk) == "sent"
    pump()
    resent.refresh_from_db()
    other = InboxMessage.objects.get(remote_id=resent.remote_id)
    assert other.sha256 != first.sha256
    for row in (again, other):
        row.refresh_from_db()
        assert (row.state, row.duplicate_of, row.incoming) == ("duplicate", first, None)
    assert IncomingDocument.objects.filter(agency=agency_b).count() == 1
    assert OutboxMessage.objects.filter(kind="status", status_code="01").count() == 1
    assert inbox.inbox_import(message_id=first.pk) == "skipped"  # imported once, whatever is called


def test_refused_messages_are_kept_with_their_reason(office, agency_b, exchange_keys, loop):
    broken = inbox.inbox_store(transport="loop", remote_id="x1", data=b"<edXML><unclosed>")
    assert inbox.inbox_import(message_id=broken.pk) == "refused"
    broken.refresh_from_db()
    assert broken.error_code and broken.error_message and broken.incoming is None

    elsewhere = ExternalAgency.objects.create(code="000.00.99.H99", name="Sở Ngoài", transport="loop")
    issue(office, exchange_document(office, agency_b, elsewhere, addressees=elsewhere.name))
    pump()
    refused = InboxMessage.objects.get(kind="package")
    assert (refused.state, refused.error_code) == ("refused", "not_addressed")
    assert refused.error_message == "Gói tin không gửi cho cơ quan nào của hệ thống này."
    assert not IncomingDocument.objects.exists()
    assert not OutboxMessage.objects.filter(kind="status").exists()


@pytest.mark.django_db(transaction=True)
def test_two_pollers_import_once(office, agency_b, outside_b, exchange_keys, loop):
    issue(office, exchange_document(office, agency_b, outside_b))  # sent by the eager worker after commit
    [remote_id] = list(loop.messages)
    barrier = threading.Barrier(2, timeout=20)
    fetch = loop.fetch

    def fetch_together(rid):
        if rid == remote_id:
            barrier.wait()  # both pollers hold the package before either stores it
        return fetch(rid)

    loop.fetch = fetch_together
    errors = []

    def poller():
        try:
            inbox.inbox_poll(transport="loop")
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=poller) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    [message] = InboxMessage.objects.filter(remote_id=remote_id)
    assert message.state == "imported" and message.acknowledged_at is not None
    assert IncomingDocument.objects.filter(agency=agency_b).count() == 1
    assert OutboxMessage.objects.filter(kind="status", status_code="01").count() == 1
    assert remote_id in loop.acknowledged


KILLED_MID_IMPORT = """
import os, sys
import django
django.setup()
from documents.exchange.edxml import parse
def die(*args, **kwargs):
    os._exit(9)  # the process is killed after the store, inside the import
parse.parse_any = die
from documents.exchange.services import inbox
inbox.inbox_store(transport="loop", remote_id=sys.argv[1], data=open(sys.argv[2], "rb").read())
print("not killed")
"""


@pytest.mark.django_db(transaction=True)
def test_a_poller_killed_mid_import_imports_once_on_restart(
    office, agency_b, outside_b, exchange_keys, loop, tmp_path, settings
):
    issue(office, exchange_document(office, agency_b, outside_b))
    [remote_id] = list(loop.messages)
    package = tmp_path / "package.edxml"
    package.write_bytes(loop.messages[remote_id][1])
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "eoffice.settings",
        "DATABASE_URL": database_url(),  # a socket path (the embedded server) as well as a host
        "MEDIA_ROOT": settings.MEDIA_ROOT,
        "CELERY_TASK_ALWAYS_EAGER": "1",
    }
    run = subprocess.run(
        [sys.executable, "-c", KILLED_MID_IMPORT, remote_id, str(package)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 9, run.stderr[-2000:]
    [message] = InboxMessage.objects.filter(remote_id=remote_id)
    assert message.state == "received" and message.incoming is None  # stored, the import rolled back
    assert not IncomingDocument.objects.exists()

    assert inbox.inbox_poll(transport="loop") == 0  # known: not fetched again, its import queued
    message.refresh_from_db()
    assert message.state == "imported" and message.acknowledged_at is not None
    assert inbox.inbox_poll(transport="loop") == 1  # only the 01 sent back to the sender (same loop)
    assert InboxMessage.objects.get(kind="status").status_code == "01"
    assert inbox.inbox_poll(transport="loop") == 0
    assert inbox.inbox_import(message_id=message.pk) == "skipped"
    assert IncomingDocument.objects.filter(agency=agency_b).count() == 1
    assert InboxMessage.objects.filter(kind="package").count() == 1


def test_a_fetch_that_fails_is_retried_at_the_next_poll(db, loop):
    loop.messages["a"] = ("edoc", b"<edXML/>", "x")
    loop.messages["b"] = ("edoc", b"<edXML/>", "x")
    fetch = loop.fetch
    down = {"a"}

    def flaky(remote_id):
        if remote_id in down:
            raise ConnectionError("timed out")
        return fetch(remote_id)

    loop.fetch = flaky
    assert inbox.inbox_poll(transport="loop") == 1  # "b" stored, "a" left for the next poll
    assert list(InboxMessage.objects.values_list("remote_id", flat=True)) == ["b"]
    down.clear()
    assert inbox.inbox_poll(transport="loop") == 1
    assert InboxMessage.objects.filter(remote_id="a").count() == 1
    assert inbox.inbox_poll(transport="loop") == 0  # nothing stored twice
