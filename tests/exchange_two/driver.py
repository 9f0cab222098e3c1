"""The hands of tests/exchange_two/test_two_installations.py inside one installation: run as
``python -m tests.exchange_two.driver <command> '<json arguments>'`` with that installation's environment
(DATABASE_URL, REDIS_URL, EOFFICE_VAR_DIR, EXCHANGE_*), it calls the real services as the demo accounts
would through the pages and prints one line ``RESULT: <json>``.

Province 1 (the sender) acts as Sở Kế hoạch và Đầu tư of tỉnh An Hòa; province 2 (the recipient) as Sở
Giáo dục và Đào tạo of tỉnh Bình Sơn (``eoffice.demo_province2``).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

PIN = "123456"  # settings.SIGNING_DEMO_PIN of the demo credentials
A_AGENCY = "000.00.05.H99"  # Sở Kế hoạch và Đầu tư, tỉnh An Hòa
B_AGENCY = "000.00.12.H98"  # Sở Giáo dục và Đào tạo, tỉnh Bình Sơn


def _user(username: str):
    from eoffice.models import User

    return User.objects.get(username=username)


def directory() -> dict:
    from documents.exchange.models import ExternalAgency

    return {"codes": sorted(ExternalAgency.objects.filter(active=True).values_list("code", flat=True))}


def issue(*, summary: str) -> dict:
    """Sở KH&ĐT drafts, its head approves, its director signs and its clerk issues a Công văn whose one
    recipient is Sở GD&ĐT of province 2 by exchange."""
    from documents.exchange.models import ExternalAgency
    from documents.models import DocumentType
    from documents.outgoing import services
    from documents.outgoing.models import OutgoingRecipient
    from documents.outgoing.services import DraftFields
    from workflow.models import WorkflowState

    outside = ExternalAgency.objects.get(code=B_AGENCY)
    leader = _user("giamdoc.skhdt")
    fields = DraftFields(
        doc_type=DocumentType.objects.get_or_create(name="Công văn", defaults={"abbreviation": ""})[0],
        summary=summary,
        body="<p>Đề nghị Quý Sở phối hợp cung cấp số liệu theo phụ lục kèm theo.</p>",
        addressees=outside.name,
        distribution="Như trên",
        signer=leader,
    )
    doc = services.draft_create(by=_user("chuyenvien.skhdt"), fields=fields)
    OutgoingRecipient.objects.create(
        document=doc, external_agency=outside, name=outside.name, channel=OutgoingRecipient.Channel.EXCHANGE
    )
    doc = services.draft_submit(
        document=doc, by=_user("chuyenvien.skhdt"), reviewer=_user("truongphong.skhdt")
    )
    doc = services.draft_approve(document=doc, by=_user("truongphong.skhdt"))
    if doc.state == WorkflowState.FORMAT_CHECK:  # the demo names the office's format reviewers
        from documents.outgoing.format import services as format_services

        reviewer = doc.format_reviewer
        rows = format_services.checklist_for(doc)
        doc = format_services.format_approve(
            document=doc, by=reviewer, ticked={row["code"] for row in rows if not row["auto"]}
        )
    doc = services.document_sign(document=doc, by=leader, pin=PIN)
    doc = services.document_issue(document=doc, by=_user("vanthu.skhdt"), pin=PIN)
    return {"id": doc.pk, "number_symbol": doc.number_symbol}


def sent(*, id: int) -> dict:  # noqa: A002 (the JSON key)
    """The sender's view of its document: the recipient's status, its events in order, the outbox rows."""
    from documents.exchange.models import OutboxMessage
    from documents.outgoing.models import OutgoingRecipient

    recipient = OutgoingRecipient.objects.get(document_id=id)
    rows = OutboxMessage.objects.filter(recipient=recipient).order_by("pk")
    return {
        "status": recipient.status,
        "events": list(recipient.events.order_by("at", "pk").values_list("status", flat=True)),
        "outbox": [
            {
                "business_type": r.business_type,
                "state": r.state,
                "attempts": r.attempts,
                "error": r.last_error,
            }
            for r in rows
        ],
    }


def _incoming(number_symbol: str):
    from documents.models import IncomingDocument

    return IncomingDocument.objects.filter(agency__code=B_AGENCY, number_symbol=number_symbol).order_by("pk")


def received(*, number_symbol: str) -> dict:
    """The recipient's view: its incoming documents with that number (one expected), their state, both
    signature checks of the message they came by, and the inbox rows of the sender's messages."""
    from documents.exchange.models import InboxMessage
    from documents.incoming import selectors

    docs = list(_incoming(number_symbol))
    clerk, leader, officer = _user("vanthu.sgddt"), _user("giamdoc.sgddt"), _user("chuyenvien.sgddt")
    found = []
    for doc in docs:
        message = InboxMessage.objects.filter(incoming=doc).first()
        found.append(
            {
                "state": doc.state,
                "recalled": doc.recalled_at is not None,
                "in_register_queue": selectors.incoming_list(user=clerk, queue="register")
                .filter(pk=doc.pk)
                .exists(),
                "active_for": [
                    u.username
                    for u in (clerk, leader, officer)
                    if selectors.incoming_list(user=u).filter(pk=doc.pk).exists()
                ],
                "in_recalled_queue": selectors.incoming_list(user=clerk, queue="recalled")
                .filter(pk=doc.pk)
                .exists(),
                "xml_valid": bool(message and message.xml_signature.get("valid")),
                "pdf_valid": bool(message and message.pdf_signatures)
                and all(p.get("valid") for p in message.pdf_signatures),
            }
        )
    inbox = InboxMessage.objects.filter(sender_code=A_AGENCY).order_by("pk")
    return {
        "documents": found,
        "inbox": list(inbox.values_list("business_type", "state")),
        "unimported": InboxMessage.objects.filter(state=InboxMessage.State.RECEIVED).count(),
    }


def step(*, number_symbol: str, step: str) -> dict:
    """Sở GD&ĐT moves the document: register (03), direct (04), start (05), finish (06)."""
    from documents.incoming import services

    doc = _incoming(number_symbol).get()
    clerk, leader, officer = _user("vanthu.sgddt"), _user("giamdoc.sgddt"), _user("chuyenvien.sgddt")
    if step == "register":
        doc = services.incoming_register(document=doc, by=clerk)
    elif step == "direct":
        doc = services.incoming_direct(
            document=doc, by=leader, instruction="Giao phòng chủ trì xử lý", lead_user=officer
        )
    elif step == "start":
        doc = services.incoming_start(document=doc, by=officer)
    elif step == "finish":
        doc = services.incoming_finish(document=doc, by=officer, note="Đã cung cấp số liệu")
    else:
        raise SystemExit(f"unknown step {step}")
    return {"state": doc.state}


def recall(*, id: int, reason: str) -> dict:  # noqa: A002
    from documents.outgoing import services
    from documents.outgoing.models import OutgoingDocument

    doc = services.document_recall(
        document=OutgoingDocument.objects.get(pk=id), by=_user("vanthu.skhdt"), reason=reason
    )
    return {"state": doc.state}


def answer(*, number_symbol: str, accept: bool) -> dict:
    from documents.exchange.services import change_answer, pending_change

    doc = _incoming(number_symbol).get()
    pending = pending_change(doc)
    if pending is None:
        return {"pending": False}
    change_answer(incoming=doc, accept=accept, by=_user("vanthu.sgddt"))
    return {"pending": True, "business_type": pending.business_type}


def hang_import(*, marker: str) -> dict:
    """A poller that dies mid-import: the received package's import runs until its incoming document is
    created inside the transaction, then writes ``marker`` and waits to be killed (SIGKILL)."""
    from documents.exchange.models import InboxMessage
    from documents.exchange.services import changes, inbox

    real = changes.incoming_from_package

    def stuck(**kwargs):
        created = real(**kwargs)
        Path(marker).write_text(str(created.pk))
        while True:
            time.sleep(1)

    changes.incoming_from_package = stuck
    message = InboxMessage.objects.filter(state=InboxMessage.State.RECEIVED).order_by("pk").first()
    if message is None:
        return {"message": None}
    return {"message": message.pk, "result": inbox.inbox_import(message_id=message.pk)}


def import_all() -> dict:
    """What a second poller does afterwards: import every received message (already imported: skipped)."""
    from documents.exchange.models import InboxMessage
    from documents.exchange.services import inbox

    ids = InboxMessage.objects.values_list("pk", flat=True).order_by("pk")
    return {"results": [inbox.inbox_import(message_id=pk) for pk in ids]}


COMMANDS = {
    f.__name__: f for f in (directory, issue, sent, received, step, recall, answer, hang_import, import_all)
}


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eoffice.settings")
    import django

    django.setup()
    command = COMMANDS[argv[0]]
    kwargs = json.loads(argv[1]) if len(argv) > 1 else {}
    print("RESULT: " + json.dumps(command(**kwargs), ensure_ascii=False, default=str), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
