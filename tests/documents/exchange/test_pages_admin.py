"""The admin of the exchange (outside agencies with both codes, directory syncs and what they changed, the
outbox and inbox read-only with a resend), the ``exchange_sync_directory`` command, the menu entry."""

# ruff: noqa: F811

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from documents.exchange import admin as exchange_admin  # noqa: F401 (registers the models)
from documents.exchange.models import DirectorySync, ExternalAgency, OutboxMessage
from documents.exchange.services import common
from tests.documents.exchange.test_pages_support import (
    URLCONF,
    exchange_recipient,
    message_in,
    outgoing_document,
    outside,
    package_out,
    sender,  # noqa: F401
)

pytestmark = pytest.mark.urls(URLCONF)


class Directory:
    """A transport that only answers ``agencies()`` (the axis' getAgenciesList)."""

    def __init__(self, items):
        self.items = items

    def agencies(self):
        if isinstance(self.items, Exception):
            raise self.items
        return list(self.items)


@pytest.fixture
def root(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.com", "x")


@pytest.fixture
def directory(db, monkeypatch, settings):
    settings.EXCHANGE_TRANSPORTS = {"axis": {"kind": "vxp", "url": "http://127.0.0.1:9/", "system_id": "a"}}
    holder = Directory([])
    monkeypatch.setattr(common, "transport", lambda key: holder)
    return holder


def test_command_syncs_and_prints_what_changed(directory, capsys):
    gone = ExternalAgency.objects.create(
        code="000.00.09.G22", name="Bộ đã giải thể", transport="axis", source=ExternalAgency.Source.DIRECTORY
    )
    ExternalAgency.objects.create(code="000.00.01.G22", name="Bộ Tài chánh", transport="axis")
    directory.items = [
        {"code": "000.00.01.G22", "name": "Bộ Tài chính"},
        {"code": "000.00.02.G22", "name": "Bộ Nội vụ"},
    ]
    call_command("exchange_sync_directory", "--transport", "axis")
    out = capsys.readouterr().out
    assert "axis: thêm 1, thay đổi 1, ngừng hoạt động 1." in out
    assert "+ 000.00.02.G22 Bộ Nội vụ" in out and "- 000.00.09.G22 Bộ đã giải thể" in out
    gone.refresh_from_db()
    assert not gone.active
    assert ExternalAgency.objects.get(code="000.00.01.G22").name == "Bộ Tài chính"


def test_command_refuses_an_unknown_transport_and_reports_a_failure(directory):
    with pytest.raises(CommandError, match="Không có kênh liên thông “tinh2”"):
        call_command("exchange_sync_directory", "--transport", "tinh2")
    directory.items = ConnectionError("trục không trả lời")
    with pytest.raises(CommandError, match="Đồng bộ không thành công: axis"):
        call_command("exchange_sync_directory")
    assert DirectorySync.objects.get().error == "trục không trả lời"


def test_admin_pages_render_and_show_the_sync_changes(client, root, sender):
    sync = DirectorySync.objects.create(
        transport="axis",
        added=[{"code": "000.00.02.G22", "name": "Bộ Nội vụ"}],
        changed=[
            {
                "code": "000.00.01.G22",
                "name": "Bộ Tài chính",
                "changes": {"name": ["Bộ Tài chánh", "Bộ Tài chính"]},
            }
        ],
        deactivated=[{"code": "000.00.09.G22", "name": "Bộ đã giải thể"}],
    )
    doc = outgoing_document(sender["officer"])
    out = package_out(exchange_recipient(doc, outside(1)))
    received = message_in(sender["agency"])
    client.force_login(root)
    for model in ("externalagency", "directorysync", "outboxmessage", "inboxmessage"):
        assert client.get(reverse(f"admin:documents_{model}_changelist")).status_code == 200
    html = client.get(reverse("admin:documents_directorysync_change", args=[sync.pk])).content.decode()
    assert "Bộ Nội vụ" in html and "Bộ Tài chánh → Bộ Tài chính" in html and "Bộ đã giải thể" in html
    assert client.get(reverse("admin:documents_outboxmessage_change", args=[out.pk])).status_code == 200
    assert client.get(reverse("admin:documents_inboxmessage_change", args=[received.pk])).status_code == 200
    assert client.get(reverse("admin:documents_directorysync_add")).status_code == 403


def test_admin_resend_action(client, root, sender, django_capture_on_commit_callbacks):
    doc = outgoing_document(sender["officer"])
    failed = package_out(exchange_recipient(doc, outside(1)), state=OutboxMessage.State.FAILED)
    sent = package_out(exchange_recipient(doc, outside(2)))
    client.force_login(root)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            reverse("admin:documents_outboxmessage_changelist"),
            {"action": "resend", "_selected_action": [failed.pk, sent.pk]},
            follow=True,
        )
    assert "Đã đưa 1 gói tin vào hàng gửi lại." in response.content.decode()
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert failed.state == OutboxMessage.State.PENDING and sent.state == OutboxMessage.State.SENT


def test_menu_entry_for_clerks_and_admins(sender):
    from documents.exchange import menus
    from eoffice import menu

    menus.register_all()
    try:
        item = menu._REGISTRY["documents.exchange"]
        assert str(item.label) == "Liên thông"
        assert menu.can_open(item, sender["clerk"]) and menu.can_open(item, sender["admin"])
        assert not menu.can_open(item, sender["officer"])
        assert item.counter(sender["clerk"]) == 0
    finally:
        menu._REGISTRY.pop("documents.exchange", None)
