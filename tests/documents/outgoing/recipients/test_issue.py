"""One list at drafting (the printed Nơi nhận composed from Kính gửi, the chosen recipients and free lines),
and at issuance (refused for a recipient not printed, every printed directory agency delivered)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from documents.outgoing import recipients_check, rules, services
from documents.outgoing.models import OutgoingDocument, OutgoingRecipient
from tests.documents.outgoing.helpers import PIN, _fields, _to_signing, _type
from tests.factories import make_agency
from tests.signing.conftest import _signing_settings, authority, pki_dir  # noqa: F401
from workflow.models import WorkflowState


def _signed(office, agency_b, **extra):
    return services.document_sign(
        document=_to_signing(office, agency_b, **extra), by=office["leader"], pin=PIN
    )


def test_draft_prints_as_above_and_every_chosen_recipient(office, agency_b):
    finance = make_agency(name="Sở Tài chính", abbreviation="STC")
    doc = services.draft_create(
        by=office["officer"],
        fields=_fields(
            office, agency_b, distribution="Giám đốc Sở (để b/c)", recipient_agencies=[agency_b, finance]
        ),
    )
    assert doc.distribution.splitlines() == [
        "Như trên",
        "Sở Tài chính",
        "Công ty Cổ phần Minh Phát",
        "Giám đốc Sở (để b/c)",
    ]
    assert recipients_check.reconcile(document=doc).ok
    # the form shows only the typed lines; saving them again gives the same printed list
    assert recipients_check.free_lines(doc).splitlines() == ["Như trên", "Giám đốc Sở (để b/c)"]
    again = recipients_check.compose_distribution(
        agency_id=doc.agency_id,
        addressees=doc.addressees,
        free=doc.distribution,
        recipients=[agency_b, finance, "Công ty Cổ phần Minh Phát <vanthu@minhphat.example>"],
    )
    assert again == doc.distribution


def test_draft_keeps_a_recipient_already_named_by_abbreviation_once(office, agency_b):
    doc = services.draft_create(
        by=office["officer"],
        fields=_fields(
            office, agency_b, addressees="", distribution="- STTTT;\n- Lưu: VT.", external_recipients=""
        ),
    )
    assert doc.distribution.splitlines() == ["- STTTT;"]


def test_issue_refused_for_a_recipient_not_printed(office, agency_b):
    doc = _signed(office, agency_b)
    stranger = make_agency(name="Sở Y tế", abbreviation="SYT")
    OutgoingRecipient.objects.create(document=doc, agency=stranger, name=stranger.name, channel="internal")
    with pytest.raises(ValidationError) as caught:
        services.document_issue(document=doc, by=office["clerk"], pin=PIN)
    assert "Sở Y tế" in " ".join(caught.value.messages)
    doc.refresh_from_db()
    assert doc.state == WorkflowState.SIGNED
    assert not doc.recipients.filter(incoming__isnull=False).exists()


def test_printed_directory_agency_is_delivered(office, agency_b):
    finance = make_agency(name="Sở Tài chính", abbreviation="STC")
    doc = _signed(office, agency_b, distribution="Như trên\n- Sở Tài chính (để phối hợp);")
    assert not doc.recipients.filter(agency=finance).exists()
    doc = services.document_issue(document=doc, by=office["clerk"], pin=PIN)
    added = doc.recipients.get(agency=finance)
    assert added.channel == OutgoingRecipient.Channel.INTERNAL
    assert added.incoming is not None and added.incoming.agency_id == finance.pk
    assert doc.recipients.get(agency=agency_b).incoming is not None


def test_clerk_sees_the_reconciliation_and_drops_an_unprinted_recipient(client, office, agency_b):
    doc = _signed(office, agency_b)
    stranger = make_agency(name="Sở Y tế", abbreviation="SYT")
    row = OutgoingRecipient.objects.create(
        document=doc, agency=stranger, name=stranger.name, channel="internal"
    )
    client.force_login(office["clerk"])
    page = client.get(doc.get_absolute_url()).content.decode()
    assert 'data-testid="recipients-check"' in page and 'data-testid="recipients-unprinted"' in page
    assert reverse("documents:outgoing_recipient_drop", args=[doc.pk, row.pk]) in page
    # the officer may see the page but not drop
    client.force_login(office["officer"])
    client.post(reverse("documents:outgoing_recipient_drop", args=[doc.pk, row.pk]))
    assert OutgoingRecipient.objects.filter(pk=row.pk).exists()
    client.force_login(office["clerk"])
    # a printed recipient is not dropped
    printed = doc.recipients.get(agency=agency_b)
    response = client.post(
        reverse("documents:outgoing_recipient_drop", args=[doc.pk, printed.pk]), follow=True
    )
    assert "có trong Nơi nhận" in response.content.decode()
    assert OutgoingRecipient.objects.filter(pk=printed.pk).exists()
    response = client.post(reverse("documents:outgoing_recipient_drop", args=[doc.pk, row.pk]), follow=True)
    assert "Đã bỏ nơi nhận khỏi danh sách gửi." in response.content.decode()
    assert not OutgoingRecipient.objects.filter(pk=row.pk).exists()
    assert 'data-testid="recipients-check-ok"' in response.content.decode()
    doc = services.document_issue(document=doc, by=office["clerk"], pin=PIN)
    assert doc.state == WorkflowState.ISSUED


def test_archive_line_uses_archive_copies_not_copies(office, agency_b):
    doc = services.draft_create(
        by=office["officer"], fields=_fields(office, agency_b, copies=7, archive_copies=2)
    )
    assert doc.archive_copies == 2
    assert rules.archive_line(doc) == "VT, KT, 02b"
    doc.archive_copies = 0
    assert rules.archive_line(doc) == "VT, KT"
    doc.archive_note, doc.archive_copies = "VT, TCCB.", 3
    assert rules.archive_line(doc) == "VT, TCCB, 03b"
    doc.archive_note = "VT, TCCB, 05b"
    assert rules.archive_line(doc) == "VT, TCCB, 05b"


def test_draft_form_saves_archive_copies(client, office, agency_b):
    client.force_login(office["officer"])
    data = {
        "doc_type": _type("Công văn").pk,
        "summary": "Báo cáo tình hình thực hiện kế hoạch",
        "addressees": agency_b.name,
        "distribution": "Như trên",
        "recipient_agencies": [str(agency_b.pk)],
        "copies": 3,
        "archive_copies": 2,
        "urgency": 0,
        "confidentiality": 0,
    }
    response = client.post(reverse("documents:outgoing_create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    doc = OutgoingDocument.objects.get(summary=data["summary"])
    assert (doc.archive_copies, doc.copies) == (2, 3)
    page = client.get(reverse("documents:outgoing_edit", args=[doc.pk])).content.decode()
    assert 'name="archive_copies"' in page


def test_chosen_recipients_print_after_as_article_line(agency_a):
    """A Quyết định's "Như Điều 3" stays first, as in the decree's samples (Phụ lục III)."""
    finance = make_agency(name="Sở Tài chính", abbreviation="STC")
    printed = recipients_check.compose_distribution(
        agency_id=agency_a.pk,
        addressees="",
        free="- Như Điều 3;\n- Giám đốc Sở (để b/c);\n- Lưu: VT.",
        recipients=[finance],
    )
    assert printed.splitlines() == ["- Như Điều 3;", "Sở Tài chính", "- Giám đốc Sở (để b/c);"]


def test_a_typed_line_with_its_note_survives_editing(office, agency_b):
    """The form shows the drafter's own line ("- Sở Tài chính (để phối hợp);") for a chosen recipient, so
    saving the form again keeps the note; only the bare names the composition added are hidden."""
    finance = make_agency(name="Sở Tài chính", abbreviation="STC")
    doc = services.draft_create(
        by=office["officer"],
        fields=_fields(
            office,
            agency_b,
            distribution="- Sở Tài chính (để phối hợp);",
            recipient_agencies=[agency_b, finance],
            external_recipients="",
        ),
    )
    assert "- Sở Tài chính (để phối hợp);" in doc.distribution.splitlines()
    free = recipients_check.free_lines(doc)
    assert "- Sở Tài chính (để phối hợp);" in free.splitlines()
    assert agency_b.name not in free.splitlines()
    again = recipients_check.compose_distribution(
        agency_id=doc.agency_id, addressees=doc.addressees, free=free, recipients=[agency_b, finance]
    )
    assert again == doc.distribution
