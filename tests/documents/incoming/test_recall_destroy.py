"""Phụ lục VI III.8.b: when the recall of an incoming document is carried out, its stored files are destroyed
after the transaction commits; the record stays as the tombstone (III.8.c: SHA-256, dates, history naming
what was destroyed). The pages give 404 for the files and say why; the case file export and the search
extraction skip the destroyed files. A document inside an archived case file keeps its files (IV.1g)."""

# ruff: noqa: F811 (fixtures imported by name)

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from documents.common import TextStatus
from documents.exchange.services import changes
from documents.incoming import services
from documents.incoming.services.recall_files import ACTION, recall_destroy_files
from documents.models import IncomingDocument
from documents.records.export import contents
from documents.records.models import CaseFile
from documents.records.services import files as case_files
from documents.search.extract import extract_document
from tests.documents.conftest import (
    pdf_bytes,
    pdf_upload,
    people_b,  # noqa: F401
    receive,
)
from tests.documents.exchange.test_build import exchange_keys_fixture  # noqa: F401
from tests.documents.exchange.test_outbox import loop, outside_b  # noqa: F401
from tests.documents.outgoing.delivery.helpers import _recipient, deliver, make_issued, recall
from tests.documents.outgoing.helpers import office  # noqa: F401
from tests.documents.records.test_services import open_file
from tests.signing.conftest import _signing_settings, authority, pki_dir  # noqa: F401 - the signing tests' settings
from workflow.models import HistoryEntry

pytestmark = pytest.mark.django_db

NOTICE = "Tệp văn bản đã được hủy theo yêu cầu thu hồi của cơ quan ban hành"


def _received_with_attachment(clerk):
    doc = receive(clerk, n=3, attachments=[pdf_upload("phuluc.pdf", text="Phụ lục kinh phí")])
    return IncomingDocument.objects.get(pk=doc.pk)


def _recalled(doc):
    changes.recall(incoming=doc, sender="UBND tỉnh An Hòa", reason="Ban hành nhầm", now=timezone.now())
    return IncomingDocument.objects.get(pk=doc.pk)


def _names(doc) -> list[str]:
    return [doc.file.name, *(a.file.name for a in doc.attachments.all())]


def test_confirmed_recall_destroys_the_files_and_keeps_the_tombstone(
    people, login, django_capture_on_commit_callbacks
):
    clerk = people["clerk"]
    doc = _received_with_attachment(clerk)
    case_file = open_file(clerk)
    case_files.case_file_add_record(case_file=case_file, kind="incoming", object_id=doc.pk, by=clerk)
    attachment = doc.attachments.get()
    names, sha = _names(doc), doc.file_sha256
    assert len(names) == 2 and all(default_storage.exists(n) for n in names)
    doc = _recalled(doc)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.incoming_confirm_recall(document=doc, by=clerk)
    # the files leave the storage only once the confirmation is committed
    assert all(default_storage.exists(n) for n in names)
    for callback in callbacks:
        callback()
    assert not any(default_storage.exists(n) for n in names)

    doc = IncomingDocument.objects.get(pk=doc.pk)
    assert not doc.file and not doc.attachments.get().file
    assert doc.file_sha256 == sha and doc.recalled_at and doc.recall_confirmed_at  # the tombstone
    assert doc.attachments.get().sha256 == attachment.sha256 and doc.attachments.get().name == "phuluc.pdf"
    assert doc.text_status == TextStatus.NONE
    entry = HistoryEntry.objects.for_record(doc).get(action=ACTION)
    assert entry.actor == clerk and entry.data["kind"] == "files_destroyed"
    assert [(f["name"], f["sha256"]) for f in entry.data["files"]] == [
        (doc.file_name, sha),
        ("phuluc.pdf", attachment.sha256),
    ]
    assert "phuluc.pdf" in entry.comment

    client = login(clerk)
    assert client.get(reverse("documents:incoming_file", args=[doc.pk])).status_code == 404
    assert client.get(reverse("documents:incoming_file", args=[doc.pk]) + "?download=1").status_code == 404
    url = reverse("documents:attachment_file", args=[doc.pk, attachment.pk])
    assert client.get(url).status_code == 404
    html = client.get(doc.get_absolute_url()).content.decode()
    assert NOTICE in html and 'data-testid="files-destroyed"' in html
    assert reverse("documents:incoming_file", args=[doc.pk]) not in html and url not in html
    assert sha in html  # the SHA-256 of the destroyed file stays on the page

    # the case file export and the search extraction skip the destroyed files without failing
    (entry_row,) = contents.entries(case_file)
    assert entry_row.files == [] and not entry_row.missing
    assert extract_document(model_label="documents.IncomingDocument", pk=doc.pk) == TextStatus.NONE


def test_a_refused_or_rolled_back_confirmation_keeps_the_files(people, django_capture_on_commit_callbacks):
    clerk = people["clerk"]
    doc = _recalled(_received_with_attachment(clerk))
    names = _names(doc)
    with pytest.raises(PermissionDenied):  # not a clerk
        services.incoming_confirm_recall(document=doc, by=people["officer"])
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        locked = IncomingDocument.objects.select_for_update().get(pk=doc.pk)
        assert len(recall_destroy_files(document=locked, by=clerk)) == 2
        raise RuntimeError("the confirmation failed later in its transaction")
    assert callbacks == []
    doc = IncomingDocument.objects.get(pk=doc.pk)
    assert doc.recall_confirmed_at is None and _names(doc) == names
    assert all(default_storage.exists(n) for n in names)
    assert not HistoryEntry.objects.for_record(doc).filter(action=ACTION).exists()


def test_a_document_in_an_archived_case_file_keeps_its_files(people, django_capture_on_commit_callbacks):
    clerk = people["clerk"]
    doc = _received_with_attachment(clerk)
    case_file = open_file(clerk)
    case_files.case_file_add_record(case_file=case_file, kind="incoming", object_id=doc.pk, by=clerk)
    CaseFile.objects.filter(pk=case_file.pk).update(status=CaseFile.Status.ARCHIVED)
    names = _names(doc)
    doc = _recalled(doc)

    with django_capture_on_commit_callbacks(execute=True):
        services.incoming_confirm_recall(document=doc, by=clerk)

    doc = IncomingDocument.objects.get(pk=doc.pk)
    assert doc.recall_confirmed_at is not None
    assert _names(doc) == names and all(default_storage.exists(n) for n in names)
    entry = HistoryEntry.objects.for_record(doc).get(action=ACTION)
    assert entry.data["kind"] == "files_kept" and entry.data["reason"] == "archived_case_file"
    assert len(entry.data["files"]) == 2 and "hồ sơ đã nộp lưu" in entry.comment
    (entry_row,) = contents.entries(case_file)
    assert len(entry_row.files) == 2


def test_internal_delivery_recall_destroys_only_the_recipients_copy(
    people, agency_b, people_b, django_capture_on_commit_callbacks
):
    pdf = pdf_bytes("Công văn gửi Sở Thông tin và Truyền thông")
    doc = make_issued(people, pdf=pdf, recipients=[("internal", agency_b)])
    deliver(doc, people, pdf, django_capture_on_commit_callbacks)
    incoming = _recipient(doc).incoming
    original = doc.current_version.file.name
    copy = incoming.file.name
    assert copy != original
    recall(doc, people, "Văn bản ban hành sai thẩm quyền", django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        services.incoming_confirm_recall(
            document=IncomingDocument.objects.get(pk=incoming.pk), by=people_b["clerk"]
        )

    assert not default_storage.exists(copy)
    assert default_storage.exists(original)  # the sender's signed original is untouched
    with default_storage.open(original, "rb") as handle:
        assert handle.read() == pdf
    assert not IncomingDocument.objects.get(pk=incoming.pk).file


def test_recall_by_exchange_accepted_15_destroys_the_received_copy(
    office, agency_b, outside_b, people_b, exchange_keys, loop, django_capture_on_commit_callbacks
):
    from documents.exchange.services import change_answer
    from documents.outgoing import services as outgoing_services
    from tests.documents.exchange.test_statuses import pump, sent_to_b

    doc, _recipient_row, incoming = sent_to_b(office, agency_b, outside_b)
    original, copy = doc.current_version.file.name, incoming.file.name
    outgoing_services.document_recall(document=doc, by=office["clerk"], reason="Ban hành nhầm phụ lục")
    pump()
    incoming = IncomingDocument.objects.get(pk=incoming.pk)
    assert incoming.recalled_at is not None and default_storage.exists(copy)

    with django_capture_on_commit_callbacks(execute=True):
        change_answer(incoming=incoming, accept=True, by=people_b["clerk"])

    incoming = IncomingDocument.objects.get(pk=incoming.pk)
    assert incoming.recall_confirmed_at is not None and not incoming.file
    assert not default_storage.exists(copy) and default_storage.exists(original)
    entry = HistoryEntry.objects.for_record(incoming).get(action=ACTION)
    assert entry.data["files"][0]["sha256"] == incoming.file_sha256
