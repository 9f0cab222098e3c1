"""III.1h: a package received again with the sender and DocumentId of one imported before is a duplicate
(``inbox``); the clerks of the receiving agency are told once, with a link to the exchange log's entry,
whatever the number of copies — and nobody else is."""

# ruff: noqa: F811 (fixtures imported by name)

from __future__ import annotations

import time

import pytest

from documents.exchange.models import InboxMessage, OutboxMessage
from documents.exchange.services import inbox, outbox
from eoffice.models import Notification, Role, User
from tests.documents.exchange.test_build import exchange_keys_fixture  # noqa: F401
from tests.documents.exchange.test_outbox import exchange_document, issue, loop, outside_b  # noqa: F401
from tests.documents.exchange.test_statuses import pump
from tests.documents.outgoing.helpers import office  # noqa: F401
from tests.factories import make_user
from tests.signing.conftest import _signing_settings, authority, pki_dir  # noqa: F401

pytestmark = pytest.mark.django_db

KIND = "documents.exchange_duplicate"


def test_clerks_are_told_once_of_a_duplicate_with_a_link_to_the_log(
    client, office, agency_b, outside_b, exchange_keys, loop
):
    clerks = [
        make_user(agency=agency_b, roles=[Role.CLERK], full_name="Lê Thị Văn Thư"),
        make_user(agency=agency_b, roles=[Role.CLERK], full_name="Trần Văn Thư Hai"),
    ]
    officer = make_user(agency=agency_b, roles=[Role.OFFICER], full_name="Phạm Chuyên Viên")
    doc = issue(office, exchange_document(office, agency_b, outside_b))
    pump()
    first = InboxMessage.objects.get(kind="package", state="imported")
    assert not Notification.objects.filter(kind=KIND).exists()  # the first receipt is no duplicate

    # the same document built and signed again: other bytes, same sender and DocumentId
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
    duplicate = InboxMessage.objects.get(remote_id=resent.remote_id)
    assert (duplicate.state, duplicate.duplicate_of) == ("duplicate", first)

    notes = list(Notification.objects.filter(kind=KIND).order_by("recipient_id"))
    agency_clerks = User.objects.filter(
        agency=agency_b, is_active=True, groups__agency_role__role=Role.CLERK
    ).distinct()
    assert {c.pk for c in clerks} <= set(agency_clerks.values_list("pk", flat=True))
    assert sorted(n.recipient_id for n in notes) == sorted(agency_clerks.values_list("pk", flat=True))
    assert not Notification.objects.filter(kind=KIND, recipient=officer).exists()
    note = notes[0]
    assert first.document_id in note.title and "nhận trùng" in note.title
    assert note.url.startswith("/documents/exchange/?") and note.url.endswith(f"#in-{duplicate.pk}")
    assert "state=duplicate" in note.url and "direction=in" in note.url

    # the link opens the log filtered on the duplicates, with the entry's anchor
    client.force_login(clerks[0])
    page = client.get(note.url.split("#")[0])
    assert page.status_code == 200
    html = page.content.decode()
    assert f'id="in-{duplicate.pk}"' in html and f'id="in-{first.pk}"' not in html

    # a third copy (the same bytes again) and a second import call: no further notification
    again = inbox.inbox_store(transport="loop", remote_id="again", data=first.file.read())
    assert inbox.inbox_import(message_id=again.pk) == "duplicate"
    assert inbox.inbox_import(message_id=duplicate.pk) == "skipped"
    assert Notification.objects.filter(kind=KIND).count() == len(notes)
